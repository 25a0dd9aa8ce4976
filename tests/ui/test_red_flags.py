"""The red-flag checklist and the screens after it, driven as a person would, on a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rehab_app.core.errors import StorageError
from rehab_app.core.safety import Urgency
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs.red_flags import (
    EmergencyScreen,
    RedFlagChecklist,
    SameDayNotice,
    safety_screen_for,
)
from rehab_app.ui.widgets.safety_notices import TrendNotice


@pytest.fixture
def checklist(qtbot, app_services):
    bus = Bus()
    dialog = RedFlagChecklist(app_services, bus)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def click(qtbot, widget) -> None:
    """Click like a person: only what is on the screen and enabled can be clicked."""
    assert not widget.isHidden(), f"{widget!r} is hidden"
    qtbot.waitUntil(widget.isVisible)
    assert widget.isEnabled(), f"{widget!r} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def release_modal(screen) -> None:
    """Teardown helper: an unacknowledged emergency screen refuses close(); hide it instead."""
    screen.hide()


def test_emergency_path_end_to_end(qtbot, checklist, app_services) -> None:
    assert app_services.safety.checklist_due()
    # The keyboard starts on the first sign; Tab goes to the next, Space ticks it.
    first = checklist.rows["saddle_numbness"].checkbox
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    bladder = checklist.rows["bladder"].checkbox
    assert QApplication.focusWidget() is bladder
    qtbot.keyClick(bladder, Qt.Key.Key_Space)
    assert checklist.ticked() == ["bladder"]
    assert not checklist.none_button.isEnabled()  # a tick can't be wiped out by "None of these"
    assert "You ticked 1 sign" in checklist.hint.text()

    with qtbot.waitSignal(checklist.finished_with) as blocker:
        click(qtbot, checklist.continue_button)
    assert blocker.args == [Urgency.EMERGENCY]
    assert not checklist.isVisible()
    event = app_services.safety.events()[-1]
    assert (event.kind, event.items) == ("emergency", ("bladder",))

    screen = safety_screen_for(blocker.args[0], checklist.ticked())
    assert isinstance(screen, EmergencyScreen)
    qtbot.addWidget(screen, before_close_func=release_modal)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.title.text() == "Call an ambulance or go to A&E now"
    assert "999 in the UK, 112 in the EU, 911 in the US" in screen.numbers.text()
    assert "cauda equina syndrome" in screen.findChild(type(screen.title), "emergencyWhy").text()
    ticked = screen.findChild(type(screen.title), "tickedSigns").text()
    assert "Difficulty starting to pee" in ticked
    assert not screen.windowFlags() & Qt.WindowType.WindowCloseButtonHint

    # Nothing dismisses it by accident: not Esc, not Enter, not closing the window.
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert screen.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.isVisible()
    assert screen.close() is False
    assert screen.isVisible()
    screen.reject()
    screen.accept()
    assert screen.isVisible()
    assert not screen.close_button.isEnabled()

    # Step 1: say help is on the way; step 2: close.
    click(qtbot, screen.confirm_row)
    assert screen.confirm.isChecked()
    assert screen.close_button.isEnabled()
    with qtbot.waitSignal(screen.acknowledged):
        click(qtbot, screen.close_button)
    assert not screen.isVisible()
    assert screen.is_acknowledged


def test_emergency_screen_two_steps_by_keyboard(qtbot) -> None:
    screen = EmergencyScreen(["both_legs"])
    qtbot.addWidget(screen, before_close_func=release_modal)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.confirm.setFocus()
    qtbot.keyClick(screen.confirm, Qt.Key.Key_Space)
    assert screen.close_button.isEnabled()
    qtbot.keyClick(screen.confirm, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.close_button
    with qtbot.waitSignal(screen.acknowledged):
        qtbot.keyClick(screen.close_button, Qt.Key.Key_Space)
    assert not screen.isVisible()


def test_unticking_the_confirmation_disables_close_again(qtbot) -> None:
    screen = EmergencyScreen(["bowel"])
    qtbot.addWidget(screen, before_close_func=release_modal)
    screen.show()
    click(qtbot, screen.confirm_row)
    click(qtbot, screen.confirm_row)
    assert not screen.close_button.isEnabled()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert screen.isVisible() and not screen.is_acknowledged


def test_same_day_path_stores_same_day_and_needs_i_understand(qtbot, checklist, app_services):
    click(qtbot, checklist.rows["fever"])
    click(qtbot, checklist.rows["not_improving"])
    with qtbot.waitSignal(checklist.finished_with) as blocker:
        click(qtbot, checklist.continue_button)
    assert blocker.args == [Urgency.SAME_DAY]
    event = app_services.safety.events()[-1]
    assert (event.kind, event.items) == ("same_day", ("fever", "not_improving"))

    notice = safety_screen_for(Urgency.SAME_DAY, checklist.ticked())
    assert isinstance(notice, SameDayNotice)
    qtbot.addWidget(notice, before_close_func=lambda w: w.hide())
    notice.show()
    qtbot.waitExposed(notice)
    assert notice.title.text() == "Get medical advice today"
    what = notice.findChild(type(notice.title), "sameDayWhat").text()
    assert "NHS 111" in what and "urgent" in what
    ticked = notice.findChild(type(notice.title), "tickedSigns").text()
    assert ticked.index("fever") < ticked.index("not improved")  # most urgent first
    assert notice.marker is not None and notice.marker.text() == "TODAY"  # colour plus a word

    qtbot.keyClick(notice, Qt.Key.Key_Escape)
    assert notice.isVisible()
    assert notice.close() is False
    with qtbot.waitSignal(notice.dismissed):
        click(qtbot, notice.understood_button)
    assert not notice.isVisible()


def test_soon_notice_is_gentle_and_closes_normally(qtbot) -> None:
    notice = SameDayNotice(["one_leg_persisting"], Urgency.SOON)
    qtbot.addWidget(notice)
    notice.show()
    qtbot.waitExposed(notice)
    assert notice.title.text() == "See your GP or physiotherapist soon"
    assert notice.marker is None
    assert "not an emergency" in notice.findChild(type(notice.title), "soonWhat").text()
    with qtbot.waitSignal(notice.dismissed):
        qtbot.keyClick(notice, Qt.Key.Key_Escape)
    assert not notice.isVisible()


def test_a_notice_is_never_used_for_an_emergency() -> None:
    with pytest.raises(ValueError, match="EmergencyScreen"):
        SameDayNotice(["bladder"], Urgency.EMERGENCY)


def test_none_of_these_stores_a_clear_checklist(qtbot, checklist, app_services) -> None:
    assert app_services.safety.checklist_due()
    assert checklist.continue_button.isEnabled()
    with qtbot.waitSignal(checklist.finished_with) as blocker:
        click(qtbot, checklist.none_button)
    assert blocker.args == [None]
    event = app_services.safety.events()[-1]
    assert (event.kind, event.items) == ("checklist", ())
    assert not app_services.safety.checklist_due()
    assert safety_screen_for(None, []) is None
    assert not checklist.isVisible()


def test_unticking_brings_none_of_these_back(qtbot, checklist) -> None:
    row = checklist.rows["trauma"]
    click(qtbot, row.label)  # a click on the words ticks the row, not only on the small box
    assert row.isChecked() and not checklist.none_button.isEnabled()
    click(qtbot, row.label)
    assert not row.isChecked() and checklist.none_button.isEnabled()


def test_help_is_shown_even_if_saving_fails(qtbot, checklist, app_services, monkeypatch):
    def broken(ticked):
        raise StorageError("This was not saved because the disk is full.")

    monkeypatch.setattr(app_services.safety, "record_checklist", broken)
    click(qtbot, checklist.rows["legs_give_way"])
    with qtbot.waitSignal(checklist.finished_with) as blocker:
        click(qtbot, checklist.continue_button)
    assert blocker.args == [Urgency.EMERGENCY]
    assert checklist.isVisible()  # still open, so the answers can be saved later
    assert "disk is full" in checklist.error.text()
    assert checklist.ticked() == ["legs_give_way"]


def test_every_sign_has_a_named_row(checklist) -> None:
    from rehab_app.core.safety import RED_FLAGS

    assert list(checklist.rows) == [f.code for f in RED_FLAGS]
    for flag in RED_FLAGS:
        row = checklist.rows[flag.code]
        assert row.checkbox.accessibleName() == flag.text
        assert row.label.textFormat() == Qt.TextFormat.PlainText


def test_trend_notice(qtbot) -> None:
    notice = TrendNotice()
    qtbot.addWidget(notice)
    assert notice.isHidden()
    notice.show()
    assert "creeping up for two weeks" in notice.message.text()
    assert "review your plan with your therapist" in notice.message.text()
    with qtbot.waitSignal(notice.dismissed):
        click(qtbot, notice.ok_button)
    assert notice.isHidden()


def test_enter_on_a_sign_never_submits_the_checklist(qtbot, checklist, app_services) -> None:
    first = checklist.rows["saddle_numbness"].checkbox
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert checklist.isVisible()
    assert app_services.safety.events() == []
    assert QApplication.focusWidget() is checklist.rows["bladder"].checkbox
