"""Runs one due session in the guided player and saves each exercise the moment it ends.

The session row is created with the first finished exercise, and every outcome is committed
on its own, so quitting (or a crash) in the middle keeps everything already done. If a save
fails (disk full, read-only), the outcome is kept in memory, the player says so, and the save
is tried again with the next exercise and at the end.
"""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from rehab_app.core.errors import RehabError
from rehab_app.core.plan import PainThresholds
from rehab_app.core.session import ExerciseOutcome
from rehab_app.services.bundle import AppServices
from rehab_app.services.sessions import DueSession
from rehab_app.ui.bus import Bus
from rehab_app.ui.player.controller import PlayerController, PlayerEntry
from rehab_app.ui.player.sound import CuePlayer
from rehab_app.ui.player.widget import PlayerView
from rehab_app.ui.undo import SessionRecorded

MUTED_KEY = "player_muted"


class SessionRunner(QObject):
    finished = Signal()

    def __init__(
        self,
        services: AppServices,
        bus: Bus | None,
        undo: QUndoStack | None,
        session: DueSession,
        parent: QObject | None = None,
        clock: Callable[[], float] = clock_time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._services, self._bus, self._undo, self._session = services, bus, undo, session
        entries = [
            PlayerEntry(
                entry.exercise, entry.item, services.library.illustration_for(entry.exercise)
            )
            for entry in session.items
            if entry.exercise is not None and not entry.done
        ]
        current = services.plans.current()
        thresholds = current.plan.thresholds if current else PainThresholds()
        self.controller = PlayerController(entries, thresholds, clock=clock, parent=self)
        self.cues = CuePlayer(self)
        self.cues.muted = bool(services.settings.get(MUTED_KEY, False))
        self.cues.muted_changed.connect(lambda muted: services.settings.set(MUTED_KEY, muted))
        self.view = PlayerView(self.controller, self.cues)
        self.session_id: int | None = None
        self.pending: list[ExerciseOutcome] = []
        self.controller.exercise_finished.connect(self._save)
        self.controller.session_finished.connect(self._session_over)
        self.view.leave_requested.connect(self.finished)

    @property
    def due(self) -> DueSession:
        """The session being run."""
        return self._session

    def start(self) -> None:
        self.controller.start()

    def _save(self, outcome: ExerciseOutcome) -> None:
        self.pending.append(outcome)
        self._flush()

    def _flush(self) -> None:
        sessions = self._services.sessions
        try:
            if self.session_id is None:
                self.session_id, _ = sessions.start_session(self._session.day, self._session.slot)
            while self.pending:
                _, changes = sessions.log_exercise(self.session_id, self.pending[0])
                self.pending.pop(0)
                if self._bus is not None:
                    self._bus.changed.emit(changes)
        except (RehabError, OSError, Exception) as error:
            self.view.show_message(
                self.tr(
                    "Your last exercise could not be saved yet (%1). It is kept and will be"
                    " saved with the next one."
                ).replace("%1", str(error))
            )

    def _session_over(self) -> None:
        if self.pending:
            self._flush()
        if self.session_id is None or self._undo is None:
            return
        recorded = self._services.sessions.session(self.session_id)
        if recorded is not None:
            text = self.tr("Session at %1").replace("%1", f"{self._session.slot:%H:%M}")
            self._undo.push(SessionRecorded(self._services.sessions, recorded, text, self._emit))

    def _emit(self, changes: object) -> None:
        if self._bus is not None:
            self._bus.changed.emit(changes)
