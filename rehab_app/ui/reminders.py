"""Reminders at the session times that fit the day and do not nag.

`ReminderScheduler` decides *when*: once a minute it looks at today's session times and says
`due(slot)` at most once per slot and day, never before the time, never in quiet hours, never
when reminders are off, again only if the patient asked to be reminded later. If the app is
opened after a session time it still reminds, unless the time is long past (`LATE_LIMIT`):
a reminder at 17:00 for the 08:00 session would only be a reproach. When several session
times are due at once (the app was just opened) only the latest is reminded; the earlier ones
count as reminded, so the patient sees one calm message, not a pile of them.

`ReminderPresenter` decides *how*: a desktop notification when the system has a tray, plus an
in-app `ReminderBanner` with big buttons (Start now / Remind me later / Not today). The banner
is shown in both cases, quietly and without taking the keyboard focus, because a notification
has no buttons and vanishes after a few seconds; the notification is what reaches a patient
whose window is behind others. Offscreen and on desktops without a tray only the banner shows.

Time comes from an injected `now()` returning an aware local datetime, so tests drive every
case by calling `check()` with a fake clock; the QTimer only calls `check()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QLocale, QObject, Qt, QTime, QTimer, Signal, SignalInstance
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStyle,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from rehab_app.ui.widgets.text import own_label

#: A session time further in the past than this is not reminded when the app opens.
LATE_LIMIT = timedelta(hours=3)
#: How often the scheduler looks at the clock.
CHECK_INTERVAL_MS = 60_000


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = True
    #: No reminder from quiet_start until quiet_end (may wrap midnight); None: no quiet hours.
    quiet_start: time | None = time(21, 0)
    quiet_end: time | None = time(8, 0)
    snooze_minutes: int = 15

    def is_quiet(self, moment: time) -> bool:
        """True if `moment` (a local wall-clock time) is inside the quiet hours."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end  # wraps midnight, e.g. 21:00-08:00


class ReminderScheduler(QObject):
    """Says when a session time is due; remembers what was reminded, snoozed or closed today."""

    due = Signal(object)  # the session time (datetime.time) that is due
    #: The reminder for this session time no longer applies (done, dismissed, snoozed,
    #: reminders switched off, or a new day began): hide whatever shows it.
    withdrawn = Signal(object)

    def __init__(
        self,
        session_times: Callable[[], list[time]],
        now: Callable[[], datetime],
        settings: ReminderSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_times = session_times
        self._now = now
        self._settings = settings
        self._day: date | None = None
        self._reminded: set[time] = set()  # reminded (or skipped as too late) today
        self._open: set[time] = set()  # reminded and not yet answered: a banner may show it
        self._closed: set[time] = set()  # done or not wanted today
        self._snoozed: dict[time, datetime] = {}  # remind again at
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.check)

    @property
    def settings(self) -> ReminderSettings:
        return self._settings

    def start(self) -> None:
        """Check now (the app may have opened after a session time) and then every minute."""
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def check(self) -> None:
        now = self._now()
        self._roll_over(now.date())
        settings = self._settings
        if not settings.enabled or settings.is_quiet(now.time()):
            return
        times = sorted(set(self._session_times()))
        chosen: time | None = None
        for slot, again_at in sorted(self._snoozed.items()):
            if slot not in times:  # the plan changed meanwhile: nothing to remind
                del self._snoozed[slot]
            elif now >= again_at and chosen is None:  # one at a time; the next check does more
                del self._snoozed[slot]
                chosen = slot
        if chosen is None:
            for slot in times:
                if slot in self._reminded or slot in self._closed or slot in self._snoozed:
                    continue
                # Same tzinfo on both sides: compared as wall-clock times, as people read them.
                at = datetime.combine(now.date(), slot, tzinfo=now.tzinfo)
                if now < at:
                    continue
                self._reminded.add(slot)  # reminded now, or too late to be worth it
                if now - at <= LATE_LIMIT:
                    chosen = slot  # sorted: the latest slot due wins, the older ones are covered
        if chosen is not None:
            self._reminded.add(chosen)
            self._open.add(chosen)
            self.due.emit(chosen)

    def snooze(self, slot: time) -> None:
        """Remind about `slot` again after `snooze_minutes` (not in quiet hours, not tomorrow)."""
        now = self._now()
        self._roll_over(now.date())
        self._snoozed[slot] = now + timedelta(minutes=self._settings.snooze_minutes)
        self._closed.discard(slot)
        self._withdraw(slot)

    def dismiss(self, slot: time) -> None:
        """No more reminders for `slot` today: done elsewhere, or not wanted today."""
        self._close(slot)

    def mark_done(self, slot: time) -> None:
        """The session at `slot` was done today: no reminder for it (any more) today."""
        self._close(slot)

    def set_settings(self, settings: ReminderSettings) -> None:
        self._settings = settings
        if not settings.enabled:
            self._snoozed.clear()
            for slot in sorted(self._open):
                self._withdraw(slot)

    def _close(self, slot: time) -> None:
        self._roll_over(self._now().date())  # closed today, even before today's first check
        self._closed.add(slot)
        self._snoozed.pop(slot, None)
        self._withdraw(slot)

    def _withdraw(self, slot: time) -> None:
        if slot in self._open:
            self._open.discard(slot)
            self.withdrawn.emit(slot)

    def _roll_over(self, today: date) -> None:
        if today == self._day:
            return
        stale = sorted(self._open)
        self._day = today
        self._reminded.clear()
        self._open.clear()
        self._closed.clear()
        self._snoozed.clear()
        for slot in stale:
            self.withdrawn.emit(slot)


def time_text(slot: time) -> str:
    """A session time as the patient's locale writes it (18:00, or 6:00 PM)."""
    return QLocale().toString(QTime(slot.hour, slot.minute), QLocale.FormatType.ShortFormat)


class ReminderBanner(QFrame):
    """A calm notice at the top of the window: it is time for a session, with three choices."""

    start_requested = Signal(object)  # the session time
    snooze_requested = Signal(object)
    dismiss_requested = Signal(object)

    def __init__(self, snooze_minutes: int = 15, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        self._slot: time | None = None
        self.message = own_label("", "reminderMessage")
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.message.setFont(font)
        self.start_button = self._button("reminderStart")
        self.snooze_button = self._button("reminderSnooze")
        self.dismiss_button = self._button("reminderDismiss")
        self.start_button.setText(self.tr("&Start now"))
        self.start_button.setAccessibleName(self.tr("Start the exercises now"))
        self.dismiss_button.setText(self.tr("&Not today"))
        self.dismiss_button.setAccessibleName(self.tr("No more reminders for this session today"))
        self.dismiss_button.setToolTip(
            self.tr("No more reminders for this session today. You can still do it later.")
        )
        self.start_button.setToolTip(self.tr("Start the guided session now"))
        self.set_snooze_minutes(snooze_minutes)
        self.start_button.setDefault(True)
        start_font = self.start_button.font()
        start_font.setBold(True)
        self.start_button.setFont(start_font)
        # A strip in the theme's highlight colour: easy to notice, without alarm colours.
        accent = QFrame()
        accent.setObjectName("reminderAccent")
        accent.setFixedWidth(max(4, self.fontMetrics().height() // 3))
        accent.setAutoFillBackground(True)
        accent_palette = accent.palette()
        accent_palette.setColor(
            QPalette.ColorRole.Window, accent_palette.color(QPalette.ColorRole.Highlight)
        )
        accent.setPalette(accent_palette)

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        for button in (self.start_button, self.snooze_button, self.dismiss_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        content = QVBoxLayout()
        content.setContentsMargins(8, 12, 16, 12)
        content.setSpacing(10)
        content.addWidget(self.message)
        content.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(8)
        layout.addWidget(accent)
        layout.addLayout(content, 1)

        self.start_button.clicked.connect(lambda: self._answer(self.start_requested))
        self.snooze_button.clicked.connect(lambda: self._answer(self.snooze_requested))
        self.dismiss_button.clicked.connect(lambda: self._answer(self.dismiss_requested))
        self.hide()

    @property
    def slot(self) -> time | None:
        """The session time the banner is about, or None when it is hidden."""
        return self._slot

    def show_reminder(self, slot: time) -> None:
        self._slot = slot
        text = self.tr("It's time for your %1 exercises.").replace("%1", time_text(slot))
        self.message.setText(text)
        self.setAccessibleName(text)
        self.show()  # no focus taken: the patient may be typing elsewhere

    def clear(self) -> None:
        self._slot = None
        self.hide()

    def set_snooze_minutes(self, minutes: int) -> None:
        self.snooze_button.setText(self.tr("&Remind me in %1 minutes").replace("%1", str(minutes)))
        self.snooze_button.setAccessibleName(
            self.tr("Remind me again in %1 minutes").replace("%1", str(minutes))
        )
        self.snooze_button.setToolTip(self.snooze_button.accessibleName())

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        # Big targets: a slightly larger font, nearly three lines high, room around the words.
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        button.setFont(font)
        button.setMinimumHeight(round(button.fontMetrics().height() * 2.8))
        button.setStyleSheet("QPushButton { padding: 4px 18px; }")
        button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        return button

    def _answer(self, signal: SignalInstance) -> None:
        slot = self._slot
        self.clear()
        if slot is not None:
            signal.emit(slot)


class ReminderPresenter(QObject):
    """Shows the scheduler's reminders: a notification when there is a tray, and the banner.

    Give it the main window and the layout (and position) the banner goes into, or leave
    `layout` out and place `presenter.banner` yourself. The banner is built at the first
    reminder, so a day without reminders costs nothing.
    """

    start_requested = Signal(object)  # the session time the patient wants to start now

    def __init__(
        self,
        scheduler: ReminderScheduler,
        window: QWidget,
        layout: QBoxLayout | None = None,
        index: int = 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._scheduler = scheduler
        self._window = window
        self._layout = layout
        self._index = index
        self._banner: ReminderBanner | None = None
        self._tray: QSystemTrayIcon | None = None
        self.uses_tray = QSystemTrayIcon.isSystemTrayAvailable()
        scheduler.due.connect(self.show_reminder)
        scheduler.withdrawn.connect(self._withdrawn)

    @property
    def banner(self) -> ReminderBanner:
        if self._banner is None:
            banner = ReminderBanner(self._scheduler.settings.snooze_minutes)
            banner.start_requested.connect(self._start)
            banner.snooze_requested.connect(self._scheduler.snooze)
            banner.dismiss_requested.connect(self._scheduler.dismiss)
            if self._layout is not None:
                self._layout.insertWidget(self._index, banner)
            self._banner = banner
        return self._banner

    def shown_slot(self) -> time | None:
        """The session time the banner is showing, if any (without building the banner)."""
        banner = self._banner
        if banner is None or banner.slot is None or not banner.isVisible():
            return None
        return banner.slot

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self._tray

    def show_reminder(self, slot: time) -> None:
        banner = self.banner
        banner.set_snooze_minutes(self._scheduler.settings.snooze_minutes)
        banner.show_reminder(slot)
        if self.uses_tray:
            self._notify(slot)

    def _notify(self, slot: time) -> None:
        if self._tray is None:
            icon = self._window.windowIcon()
            if icon.isNull():
                icon = self._window.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxInformation
                )
            self._tray = QSystemTrayIcon(QIcon(icon), self)
            self._tray.setToolTip(self.tr("rehab_app: your home exercise coach"))
            self._tray.messageClicked.connect(self._bring_window_forward)
            self._tray.show()
        self._tray.showMessage(
            self.tr("Time for your exercises"),
            self.tr("It's time for your %1 exercises.").replace("%1", time_text(slot)),
            QSystemTrayIcon.MessageIcon.Information,
            15_000,
        )

    def _bring_window_forward(self) -> None:
        if self._window.isMinimized():
            self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def _start(self, slot: time) -> None:
        self.start_requested.emit(slot)

    def _withdrawn(self, slot: time) -> None:
        if self._banner is not None and self._banner.slot == slot:
            self._banner.clear()
