"""The one "data changed" signal: every write returns Changes, the view that wrote emits them
here, and each view refreshes only what it shows (as Anki does)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bus(QObject):
    changed = Signal(object)  # rehab_app.core.changes.Changes
