"""How the red-flag rules act on the whole app (clinical.md §5 "App behaviour").

- The checklist opens at first start, then weekly, from the menu at any time, and whenever
  new numbness or weakness is recorded in the diary.
- An emergency answer stops a running session, shows the emergency screen, and keeps the
  exercises stopped (remembered across restarts) until a later checklist has no emergency
  answer: the person is told to go through it again once a doctor has seen them.
- A same-day answer shows "get medical advice today"; the weekly trend rule shows "review
  your plan with your therapist" at most once a week.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from rehab_app.core.changes import Changes
from rehab_app.core.safety import Urgency
from rehab_app.services.bundle import AppServices
from rehab_app.services.safety import TREND_WARNING
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs.red_flags import RedFlagChecklist, safety_screen_for

STOPPED_KEY = "exercises_stopped_on"


class SafetyFlow(QObject):
    #: True while exercises are stopped by an emergency answer.
    stopped_changed = Signal(bool)

    def __init__(
        self,
        services: AppServices,
        bus: Bus,
        window: QWidget,
        stop_running_session: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._services, self._bus, self._window = services, bus, window
        self._stop_running_session = stop_running_session
        self.checklist: RedFlagChecklist | None = None
        self.screen: QWidget | None = None

    @property
    def exercises_stopped(self) -> bool:
        return self._services.settings.get(STOPPED_KEY) is not None

    def stopped_since(self) -> date | None:
        value = self._services.settings.get(STOPPED_KEY)
        return date.fromisoformat(value) if isinstance(value, str) else None

    def at_start(self) -> None:
        """First start and weekly: offer the checklist."""
        if self._services.safety.checklist_due():
            self.open_checklist()

    def open_checklist(self) -> RedFlagChecklist:
        if self.checklist is not None and self.checklist.isVisible():
            self.checklist.raise_()
            return self.checklist
        checklist = RedFlagChecklist(self._services, self._bus, self._window)
        checklist.finished_with.connect(lambda level: self._answered(level, checklist.ticked()))
        self.checklist = checklist
        checklist.open()
        return checklist

    def trend_warning_due(self, today: date) -> bool:
        """The weekly trend rule, shown at most once a week."""
        safety = self._services.safety
        recent = safety.events(today - timedelta(days=6), today)
        return not any(e.kind == TREND_WARNING for e in recent) and safety.trend_rising(today)

    def record_trend_warning(self) -> None:
        self._bus.changed.emit(self._services.safety.record_trend_warning())

    def _answered(self, level: Urgency | None, ticked: list[str]) -> None:
        changes = Changes(diary=True)
        if level == Urgency.EMERGENCY:
            self._stop_running_session()
            if not self.exercises_stopped:
                today = self._services.sessions.today()
                changes = changes | self._services.settings.set(STOPPED_KEY, today.isoformat())
            self.stopped_changed.emit(True)
        elif self.exercises_stopped:
            # A later checklist without an emergency answer: exercises may start again.
            changes = changes | self._services.settings.set(STOPPED_KEY, None)
            self.stopped_changed.emit(False)
        self._bus.changed.emit(changes)
        if level is not None:
            self.screen = safety_screen_for(level, ticked, self._window)
            if self.screen is not None:
                self.screen.show()
