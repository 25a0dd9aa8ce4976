"""Reminder preferences: on or off, quiet hours, and how long "later" is. Stored at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QSpinBox, QTimeEdit, QWidget

from rehab_app.ui.reminders import ReminderSettings
from rehab_app.ui.widgets.text import own_label

SETTINGS_KEY = "reminders"


def settings_from(value: object) -> ReminderSettings:
    """Read stored preferences; anything missing or odd falls back to the default."""
    default = ReminderSettings()
    if not isinstance(value, dict):
        return default

    def clock(text: object, fallback: time | None) -> time | None:
        if text is None:
            return None
        try:
            return time.fromisoformat(str(text))
        except ValueError:
            return fallback

    snooze = value.get("snooze_minutes", default.snooze_minutes)
    return ReminderSettings(
        enabled=bool(value.get("enabled", default.enabled)),
        quiet_start=clock(value.get("quiet_start", "21:00"), default.quiet_start),
        quiet_end=clock(value.get("quiet_end", "08:00"), default.quiet_end),
        snooze_minutes=snooze if isinstance(snooze, int) and 5 <= snooze <= 120 else 15,
    )


def settings_to(settings: ReminderSettings) -> dict[str, object]:
    return {
        "enabled": settings.enabled,
        "quiet_start": f"{settings.quiet_start:%H:%M}" if settings.quiet_start else None,
        "quiet_end": f"{settings.quiet_end:%H:%M}" if settings.quiet_end else None,
        "snooze_minutes": settings.snooze_minutes,
    }


class ReminderSettingsBox(QGroupBox):
    changed = Signal(object)  # ReminderSettings

    def __init__(self, settings: ReminderSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reminders"), parent)
        self._settings = settings
        self.enabled = QCheckBox(self.tr("Remind me at my session times"))
        self.enabled.setChecked(settings.enabled)
        self.quiet_start = QTimeEdit(_qtime(settings.quiet_start or time(21)))
        self.quiet_end = QTimeEdit(_qtime(settings.quiet_end or time(8)))
        self.snooze = QSpinBox()
        self.snooze.setRange(5, 120)
        self.snooze.setSingleStep(5)
        self.snooze.setValue(settings.snooze_minutes)
        self.snooze.setSuffix(self.tr(" minutes"))
        for widget, name in (
            (self.enabled, self.tr("Reminders on or off")),
            (self.quiet_start, self.tr("Quiet hours start")),
            (self.quiet_end, self.tr("Quiet hours end")),
            (self.snooze, self.tr("Remind me later after")),
        ):
            widget.setAccessibleName(name)
        row = QHBoxLayout(self)
        for part in (
            self.enabled,
            self.tr("Quiet from"),
            self.quiet_start,
            self.tr("to"),
            self.quiet_end,
            self.tr("“Later” means"),
            self.snooze,
        ):
            row.addWidget(own_label(part) if isinstance(part, str) else part)
        row.addStretch(1)
        self.enabled.toggled.connect(self._changed)
        self.quiet_start.timeChanged.connect(self._changed)
        self.quiet_end.timeChanged.connect(self._changed)
        self.snooze.valueChanged.connect(self._changed)

    def _changed(self) -> None:
        start, end = self.quiet_start.time(), self.quiet_end.time()
        self._settings = replace(
            self._settings,
            enabled=self.enabled.isChecked(),
            quiet_start=time(start.hour(), start.minute()),
            quiet_end=time(end.hour(), end.minute()),
            snooze_minutes=self.snooze.value(),
        )
        self.changed.emit(self._settings)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)
