"""Automatic backups while the app runs (DATA-SAFETY §1.3): at most every 30 minutes, only
while data changed, and one more on close.

The rule itself (changed? 30 minutes since the last backup?) lives in the service
(`BackupService.maybe_back_up`); this object only provides the occasions: a QTimer every few
minutes starts a check on a worker thread, so a backup never stalls the window. Every Changes
on the Bus also marks the data changed (the service sees its engine's writes itself; this
covers anything a screen changes beside the database).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from rehab_app.core.errors import RehabError
from rehab_app.ui.tasks import run_in_background

if TYPE_CHECKING:
    from rehab_app.core.changes import Changes
    from rehab_app.services.backups import BackupInfo, BackupService
    from rehab_app.ui.bus import Bus

#: How often to look: short against the 30-minute rule, so a backup is at most this late.
CHECK_INTERVAL_MS = 5 * 60 * 1000


class BackupScheduler(QObject):
    backed_up = Signal(object)  # BackupInfo, after an automatic backup
    failed = Signal(str)  # a plain-word reason an automatic backup could not be made

    def __init__(
        self,
        backups: BackupService,
        bus: Bus,
        parent: QObject | None = None,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._backups = backups
        self._running = False
        self._closed = False
        bus.changed.connect(self._data_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        """No more automatic backups from this object (its data is being replaced)."""
        self._closed = True
        self.timer.stop()

    def _data_changed(self, _changes: Changes) -> None:
        self._backups.mark_changed()

    def check_now(self) -> None:
        """Back up in the background if the service says one is due; one at a time."""
        if self._running or self._closed or not self._backups.changed:
            return  # cheap: most ticks start no thread at all
        self._running = True
        run_in_background(self._backups.maybe_back_up, self._finished, self._failed)

    def shut_down(self) -> BackupInfo | None:
        """The close hook: stop the timer and back up now if anything changed.

        Runs on the GUI thread after the window closed (the person is no longer waiting on
        it); it waits for a timed backup still running, as the service takes one at a time.
        A failure is reported on stderr and never stops the app from closing.
        """
        self.stop()
        try:
            return self._backups.back_up_on_close()
        except (RehabError, OSError) as error:
            print(f"rehab_app could not back up on closing: {error}", file=sys.stderr)
            return None

    # The results arrive on the GUI thread; the window that owned this object may have been
    # replaced (a restore) and deleted meanwhile.
    def _finished(self, info: BackupInfo | None) -> None:
        if not shiboken6.isValid(self):
            return
        self._running = False
        if info is not None:
            self.backed_up.emit(info)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._running = False
        self.failed.emit(str(error) or type(error).__name__)
