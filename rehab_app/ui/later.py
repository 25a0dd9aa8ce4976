"""Refresh a screen that is not on show on a turn of the event loop of its own (issue 7).

A change announced on the bus (a saved exercise, an imported pack, a logged pain entry) reaches
every screen at once, inside the work that made it. The screen on show refreshes there and
then; the hidden ones used to as well, and together they kept the window from painting the
result for 50 to 100 ms. With `RefreshLater` a hidden screen refreshes once (several changes in
a row make one refresh), later, and at the latest when it is shown. The screens waiting take
turns: one refresh per turn of the event loop, so three screens refreshing after an import do
not add up to one long stall either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

#: "The next turn of the event loop": a timer this short fires after the events already
#: waiting (a paint, a key) have been handled, where a zero-delay call would be handled in the
#: same batch as them and add to their time.
NEXT_TURN_MS = 1


def next_turn(context: QObject, work: Callable[[], None]) -> None:
    """Run `work` on a later turn of the event loop (not at all if `context` is deleted)."""
    QTimer.singleShot(NEXT_TURN_MS, context, work)


class RefreshLater(QObject):
    #: The refreshes waiting for their turn, oldest first (all on the GUI thread).
    _waiting: ClassVar[list[RefreshLater]] = []
    _turns: ClassVar[QTimer | None] = None

    def __init__(self, widget: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._refresh = refresh
        self.pending = False

    def request(self) -> None:
        """Refresh now if the widget is visible, else soon (once, however often asked)."""
        if self._widget.isVisible():
            self.pending = False
            self._refresh()
        elif not self.pending:
            self.pending = True
            RefreshLater._waiting.append(self)
            RefreshLater._next_turn()

    def run(self) -> None:
        """Refresh if a refresh is still owed (call it from the widget's showEvent too)."""
        if self.pending:
            self.pending = False
            self._refresh()

    @classmethod
    def _next_turn(cls) -> None:
        if cls._turns is None:
            # A timer, not a queued call: timers fire after the paints already due, so the
            # change's own result reaches the screen before the first refresh starts.
            cls._turns = QTimer()
            cls._turns.setSingleShot(True)
            cls._turns.setInterval(0)
            cls._turns.timeout.connect(cls._take_turn)
        if not cls._turns.isActive():
            cls._turns.start()

    @classmethod
    def _take_turn(cls) -> None:
        while cls._waiting:
            later = cls._waiting.pop(0)
            if shiboken6.isValid(later) and later.pending:
                later.run()
                break  # one refresh per turn
        if cls._waiting:
            cls._next_turn()


class StagedBuild:
    """What is left of building a widget, as steps: run at once, or (`staged`) handed out by
    `take()` to be run one per turn of the event loop, so that no turn is long (issue 7)."""

    def __init__(self, steps: list[Callable[[], None]], *, staged: bool) -> None:
        self._steps = list(steps)
        if not staged:
            for step in self.take():
                step()

    @property
    def pending(self) -> bool:
        """Steps not handed out yet."""
        return bool(self._steps)

    def take(self) -> list[Callable[[], None]]:
        """The steps, in order, once: each must be run once by whoever takes them."""
        steps, self._steps = self._steps, []
        return steps
