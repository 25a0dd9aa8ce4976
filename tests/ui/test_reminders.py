"""Reminders: when they fire (driven by a fake clock, never by waiting) and the in-app banner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QSystemTrayIcon, QVBoxLayout, QWidget

from rehab_app.ui import reminders
from rehab_app.ui.reminders import (
    LATE_LIMIT,
    ReminderBanner,
    ReminderPresenter,
    ReminderScheduler,
    ReminderSettings,
)

LONDON = ZoneInfo("Europe/London")
EVENING = time(18, 0)


@dataclass
class WallClock:
    """Local wall-clock time that moves only when the test says so."""

    at: datetime = field(default_factory=lambda: datetime(2026, 3, 17, 7, 0, tzinfo=LONDON))

    def __call__(self) -> datetime:
        return self.at

    def set(self, hour: int, minute: int = 0, day: date | None = None) -> None:
        day = day or self.at.date()
        self.at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Setup:
    clock: WallClock
    scheduler: ReminderScheduler
    fired: list[time]
    withdrawn: list[time]
    times: list[time]

    def at(self, hour: int, minute: int = 0, day: date | None = None) -> list[time]:
        """Move the clock, check, and return what fired at that check."""
        self.clock.set(hour, minute, day)
        before = len(self.fired)
        self.scheduler.check()
        return self.fired[before:]


def make(times: list[time], settings: ReminderSettings | None = None) -> Setup:
    clock = WallClock()
    session_times = list(times)
    scheduler = ReminderScheduler(
        lambda: list(session_times), clock, settings or ReminderSettings()
    )
    fired: list[time] = []
    withdrawn: list[time] = []
    scheduler.due.connect(fired.append)
    scheduler.withdrawn.connect(withdrawn.append)
    return Setup(clock, scheduler, fired, withdrawn, session_times)


# When a reminder fires -----------------------------------------------------------------------


def test_fires_once_when_the_session_time_comes() -> None:
    s = make([EVENING])
    assert s.at(17, 59) == []
    assert s.at(18, 0) == [EVENING]
    assert s.at(18, 1) == []
    assert s.at(19, 30) == []
    assert s.fired == [EVENING]


def test_not_before_the_session_time() -> None:
    s = make([time(10, 30)])
    for minute in range(0, 30):
        assert s.at(10, minute) == []
    assert s.at(10, 30) == [time(10, 30)]


def test_each_session_time_has_its_own_reminder() -> None:
    s = make([time(9, 0), time(13, 0), EVENING])
    assert s.at(9, 0) == [time(9, 0)]
    assert s.at(13, 0) == [time(13, 0)]
    assert s.at(18, 0) == [EVENING]


def test_never_in_quiet_hours() -> None:
    s = make([time(21, 30)])
    for hour, minute in ((21, 30), (22, 0), (23, 59)):
        assert s.at(hour, minute) == []


def test_quiet_hours_across_midnight_hold_back_an_early_session_until_they_end() -> None:
    s = make([time(6, 30)])
    assert s.at(0, 0) == []
    assert s.at(6, 30) == []
    assert s.at(7, 59) == []
    # The quiet hours are over and the session is still recent: one calm reminder.
    assert s.at(8, 0) == [time(6, 30)]
    assert s.at(8, 1) == []


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(20, 59), False),
        (time(21, 0), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_may_wrap_midnight(moment: time, quiet: bool) -> None:
    assert ReminderSettings().is_quiet(moment) is quiet


def test_quiet_hours_within_one_day_and_none() -> None:
    lunch = ReminderSettings(quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert lunch.is_quiet(time(13, 0))
    assert not lunch.is_quiet(time(14, 0))
    assert not lunch.is_quiet(time(23, 0))
    always = ReminderSettings(quiet_start=None, quiet_end=None)
    assert not any(always.is_quiet(time(hour, 0)) for hour in range(24))


def test_no_quiet_hours_means_late_sessions_are_reminded() -> None:
    s = make([time(22, 0)], ReminderSettings(quiet_start=None, quiet_end=None))
    assert s.at(22, 0) == [time(22, 0)]


def test_never_when_switched_off() -> None:
    s = make([EVENING], ReminderSettings(enabled=False))
    for hour, minute in ((18, 0), (18, 30), (20, 0)):
        assert s.at(hour, minute) == []


def test_switching_on_again_reminds_a_recent_session() -> None:
    s = make([EVENING], ReminderSettings(enabled=False))
    assert s.at(18, 0) == []
    s.scheduler.set_settings(ReminderSettings(enabled=True))
    assert s.at(18, 10) == [EVENING]


def test_switching_off_withdraws_a_showing_reminder() -> None:
    s = make([EVENING])
    s.at(18, 0)
    s.scheduler.set_settings(ReminderSettings(enabled=False))
    assert s.withdrawn == [EVENING]


def test_snooze_fires_again_after_the_snooze_time_only() -> None:
    s = make([EVENING])
    assert s.at(18, 0) == [EVENING]
    s.clock.set(18, 2)
    s.scheduler.snooze(EVENING)
    assert s.withdrawn == [EVENING]
    assert s.at(18, 10) == []
    assert s.at(18, 16) == []
    assert s.at(18, 17) == [EVENING]
    assert s.at(18, 18) == []
    assert s.at(19, 0) == []


def test_snooze_uses_the_chosen_minutes() -> None:
    s = make([EVENING], ReminderSettings(snooze_minutes=30))
    s.at(18, 0)
    s.scheduler.snooze(EVENING)
    assert s.at(18, 29) == []
    assert s.at(18, 30) == [EVENING]


def test_a_snooze_into_quiet_hours_waits_and_ends_with_the_day() -> None:
    s = make([time(20, 50)])
    assert s.at(20, 50) == [time(20, 50)]
    s.scheduler.snooze(time(20, 50))
    assert s.at(21, 5) == []
    assert s.at(23, 30) == []
    next_day = s.clock.at.date() + timedelta(days=1)
    assert s.at(8, 0, next_day) == []  # yesterday's snooze is gone
    assert s.at(20, 50) == [time(20, 50)]


def test_two_snoozes_ending_together_come_one_at_a_time() -> None:
    s = make([time(17, 0), EVENING], ReminderSettings(snooze_minutes=60))
    assert s.at(17, 0) == [time(17, 0)]
    s.scheduler.snooze(time(17, 0))
    assert s.at(18, 0) == [time(17, 0)]  # its snooze ended and it is remembered first
    s.scheduler.snooze(time(17, 0))
    assert s.at(18, 1) == [EVENING]
    s.scheduler.snooze(EVENING)
    assert s.at(19, 0) == [time(17, 0)]
    assert s.at(19, 1) == [EVENING]
    assert s.at(19, 2) == []


def test_a_snoozed_session_removed_from_the_plan_is_not_reminded() -> None:
    s = make([EVENING])
    s.at(18, 0)
    s.scheduler.snooze(EVENING)
    s.times.clear()
    assert s.at(18, 30) == []


def test_dismiss_stops_reminders_for_the_day() -> None:
    s = make([EVENING])
    s.at(18, 0)
    s.scheduler.dismiss(EVENING)
    assert s.withdrawn == [EVENING]
    for hour, minute in ((18, 15), (18, 30), (20, 0)):
        assert s.at(hour, minute) == []


def test_a_session_done_early_is_not_reminded() -> None:
    s = make([EVENING])
    s.clock.set(17, 20)
    s.scheduler.mark_done(EVENING)
    assert s.at(18, 0) == []
    assert s.withdrawn == []  # nothing was showing


def test_a_new_day_reminds_again_and_withdraws_yesterdays_reminder() -> None:
    s = make([EVENING])
    s.at(18, 0)
    s.scheduler.dismiss(EVENING)
    tomorrow = s.clock.at.date() + timedelta(days=1)
    assert s.at(17, 59, tomorrow) == []
    assert s.at(18, 0) == [EVENING]
    # Left unanswered overnight: the next day takes the stale reminder away.
    s.at(8, 0, tomorrow + timedelta(days=1))
    assert s.withdrawn == [EVENING, EVENING]


def test_a_session_long_past_when_the_app_opens_is_not_reminded() -> None:
    s = make([time(9, 0)])
    assert s.at(12, 30) == []
    assert s.at(12, 31) == []
    assert s.fired == []


def test_a_recent_session_is_reminded_when_the_app_opens_later() -> None:
    s = make([time(9, 0)])
    opened = datetime.combine(date(2026, 3, 17), time(9, 0)) + LATE_LIMIT
    assert s.at(opened.hour, opened.minute) == [time(9, 0)]


def test_several_sessions_due_at_opening_give_one_reminder() -> None:
    s = make([time(8, 0), time(10, 0), time(11, 0), EVENING])
    assert s.at(11, 20) == [time(11, 0)]
    assert s.at(11, 21) == []
    assert s.at(18, 0) == [EVENING]


def test_start_checks_at_once_and_then_every_minute(qtbot) -> None:
    s = make([EVENING])
    s.clock.set(18, 5)
    s.scheduler.start()
    try:
        assert s.fired == [EVENING]
        assert s.scheduler.is_running()
        assert s.scheduler._timer.interval() == 60_000
    finally:
        s.scheduler.stop()
    assert not s.scheduler.is_running()


def test_the_timer_drives_check(qtbot) -> None:
    s = make([EVENING])
    s.clock.set(18, 0)
    s.scheduler._timer.setInterval(1)  # the real one ticks once a minute
    with qtbot.waitSignal(s.scheduler.due, timeout=2_000) as blocker:
        s.scheduler._timer.start()
    s.scheduler.stop()
    assert blocker.args == [EVENING]


def test_wall_clock_times_hold_across_the_clock_change() -> None:
    # 29 March 2026: clocks in London go forward at 01:00; 18:00 is still 18:00.
    s = make([EVENING])
    s.at(17, 59, date(2026, 3, 29))
    assert s.fired == []
    assert s.at(18, 0) == [EVENING]


# The banner and the presenter ----------------------------------------------------------------


@pytest.fixture
def host(qtbot) -> tuple[QWidget, QVBoxLayout]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("The rest of the window"))
    window.resize(900, 500)
    window.show()
    return window, layout


@pytest.fixture
def presented(host) -> tuple[Setup, ReminderPresenter]:
    window, layout = host
    s = make([EVENING])
    presenter = ReminderPresenter(s.scheduler, window, layout, 0)
    return s, presenter


def test_offscreen_there_is_no_tray_so_the_banner_shows(qtbot, host, presented) -> None:
    _window, layout = host
    s, presenter = presented
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    assert not presenter.uses_tray
    s.at(18, 0)
    banner = presenter.banner
    assert layout.itemAt(0).widget() is banner  # placed where the caller asked
    qtbot.waitUntil(banner.isVisible)
    assert banner.message.text() == "It's time for your 18:00 exercises."
    assert banner.accessibleName() == banner.message.text()
    assert banner.message.textFormat() != Qt.TextFormat.RichText
    assert presenter.tray is None
    texts = [b.text().replace("&", "") for b in _buttons(banner)]
    assert texts == ["Start now", "Remind me in 15 minutes", "Not today"]


def _buttons(banner: ReminderBanner):  # type: ignore[no-untyped-def]
    return [banner.start_button, banner.snooze_button, banner.dismiss_button]


def test_banner_buttons_are_big_named_and_do_not_take_focus(qtbot, host, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    line = presenter.banner.fontMetrics().height()
    for button in _buttons(presenter.banner):
        assert button.accessibleName()
        assert button.height() >= 2 * line
        assert button.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert not any(button.hasFocus() for button in _buttons(presenter.banner))


def test_start_now_asks_to_start_that_session(qtbot, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    with qtbot.waitSignal(presenter.start_requested) as blocker:
        qtbot.mouseClick(presenter.banner.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [EVENING]
    assert presenter.banner.isHidden()


def test_start_now_works_from_the_keyboard(qtbot, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    presenter.banner.start_button.setFocus()
    with qtbot.waitSignal(presenter.start_requested) as blocker:
        qtbot.keyClick(presenter.banner.start_button, Qt.Key.Key_Space)
    assert blocker.args == [EVENING]


def test_remind_me_later_hides_the_banner_and_snoozes(qtbot, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    qtbot.mouseClick(presenter.banner.snooze_button, Qt.MouseButton.LeftButton)
    assert presenter.banner.isHidden()
    assert s.at(18, 14) == []
    assert s.at(18, 15) == [EVENING]
    qtbot.waitUntil(presenter.banner.isVisible)


def test_the_snooze_button_says_the_chosen_minutes(qtbot, host) -> None:
    window, layout = host
    s = make([EVENING], ReminderSettings(snooze_minutes=30))
    presenter = ReminderPresenter(s.scheduler, window, layout, 0)
    s.at(18, 0)
    assert presenter.banner.snooze_button.text().replace("&", "") == "Remind me in 30 minutes"


def test_not_today_hides_the_banner_for_the_day(qtbot, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    qtbot.mouseClick(presenter.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert presenter.banner.isHidden()
    assert s.at(18, 30) == [] and s.at(20, 0) == []


def test_a_session_done_elsewhere_takes_the_banner_away(qtbot, presented) -> None:
    s, presenter = presented
    s.at(18, 0)
    assert presenter.banner.isVisible()
    s.scheduler.mark_done(EVENING)
    assert presenter.banner.isHidden()


def test_without_a_layout_the_caller_places_the_banner(qtbot, host) -> None:
    window, layout = host
    s = make([EVENING])
    presenter = ReminderPresenter(s.scheduler, window)
    layout.addWidget(presenter.banner)
    s.at(18, 0)
    assert layout.indexOf(presenter.banner) == 1
    assert presenter.banner.isVisible()


class FakeTray(QObject):
    """Stands in for QSystemTrayIcon on a desktop that has a tray."""

    messageClicked = Signal()  # noqa: N815 (Qt's name)
    MessageIcon = QSystemTrayIcon.MessageIcon
    made: ClassVar[list[FakeTray]] = []

    def __init__(self, icon, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.icon = icon
        self.messages: list[tuple[str, str]] = []
        self.visible = False
        FakeTray.made.append(self)

    @staticmethod
    def isSystemTrayAvailable() -> bool:  # noqa: N802 (Qt's name)
        return True

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.tool_tip = text

    def show(self) -> None:
        self.visible = True

    def showMessage(self, title: str, text: str, icon: object, timeout: int) -> None:  # noqa: N802
        self.messages.append((title, text))


def test_with_a_tray_the_reminder_is_also_a_notification(qtbot, host, monkeypatch) -> None:
    window, layout = host
    FakeTray.made.clear()
    monkeypatch.setattr(reminders, "QSystemTrayIcon", FakeTray)
    s = make([EVENING])
    presenter = ReminderPresenter(s.scheduler, window, layout, 0)
    assert presenter.uses_tray
    s.at(18, 0)
    (tray,) = FakeTray.made
    assert tray.visible and not tray.icon.isNull()
    assert tray.messages == [("Time for your exercises", "It's time for your 18:00 exercises.")]
    # The notification has no buttons: the banner in the window carries them.
    assert presenter.banner.isVisible()
    window.showMinimized()
    tray.messageClicked.emit()
    qtbot.waitUntil(lambda: not window.isMinimized())
    s.scheduler.snooze(EVENING)
    s.at(18, 15)
    assert len(FakeTray.made) == 1 and len(tray.messages) == 2


def test_banner_on_its_own(qtbot) -> None:
    banner = ReminderBanner()
    qtbot.addWidget(banner)
    assert banner.isHidden() and banner.slot is None
    banner.show_reminder(time(7, 5))
    assert banner.message.text() == "It's time for your 07:05 exercises."
    assert banner.slot == time(7, 5)
    with qtbot.waitSignal(banner.dismiss_requested) as blocker:
        banner.dismiss_button.click()
    assert blocker.args == [time(7, 5)]
    assert banner.slot is None and banner.isHidden()
