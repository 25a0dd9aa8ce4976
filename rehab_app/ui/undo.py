"""Undo and redo (Ctrl+Z / Ctrl+Shift+Z) for plan edits and session logs.

The first action runs before the command is pushed, so an error (disk full, a refused dose)
reaches the form that asked for it and nothing is pushed. QUndoStack calls `redo()` on push:
that first call is skipped. Undo never deletes history: undoing a plan edit saves the previous
plan again as a new version; undoing a session log removes it (redo puts it back).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from rehab_app.core.changes import Changes
from rehab_app.core.plan import Plan
from rehab_app.services.plans import PlanService
from rehab_app.services.sessions import SessionRead, SessionService


class _AlreadyDone(QUndoCommand):
    def __init__(self, text: str, on_change: Callable[[Changes], None]) -> None:
        super().__init__(text)
        self._first = True
        self._on_change = on_change

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._on_change(self._do())

    def undo(self) -> None:
        self._on_change(self._undo())

    def _do(self) -> Changes:
        raise NotImplementedError

    def _undo(self) -> Changes:
        raise NotImplementedError


class PlanSaved(_AlreadyDone):
    def __init__(
        self,
        plans: PlanService,
        before: Plan,
        after: Plan,
        summary: str,
        on_change: Callable[[Changes], None],
    ) -> None:
        super().__init__(summary, on_change)
        self._plans, self._before, self._after, self._summary = plans, before, after, summary

    def _do(self) -> Changes:
        return self._plans.save(self._after, f"Redone: {self._summary}")[1]

    def _undo(self) -> Changes:
        return self._plans.save(self._before, f"Undone: {self._summary}")[1]


class SessionRecorded(_AlreadyDone):
    """A session that was logged (done by hand, skipped, or from the player)."""

    def __init__(
        self,
        sessions: SessionService,
        recorded: SessionRead,
        text: str,
        on_change: Callable[[Changes], None],
    ) -> None:
        super().__init__(text, on_change)
        self._sessions = sessions
        self._current = recorded

    def _do(self) -> Changes:
        self._current, changes = self._sessions.restore_session(self._current)
        return changes

    def _undo(self) -> Changes:
        self._current, changes = self._sessions.delete_session(self._current.id)
        return changes


class SessionsCleared(_AlreadyDone):
    """Every record of one session time on one day was removed (undo puts them all back)."""

    def __init__(
        self,
        sessions: SessionService,
        removed: list[SessionRead],
        text: str,
        on_change: Callable[[Changes], None],
    ) -> None:
        super().__init__(text, on_change)
        self._sessions = sessions
        self._records = removed

    def _do(self) -> Changes:
        changes = Changes()
        for record in self._records:
            changes = changes | self._sessions.delete_session(record.id)[1]
        return changes

    def _undo(self) -> Changes:
        changes = Changes()
        restored = []
        for record in self._records:
            again, change = self._sessions.restore_session(record)
            restored.append(again)
            changes = changes | change
        self._records = restored
        return changes
