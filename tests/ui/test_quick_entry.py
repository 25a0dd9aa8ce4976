"""The quick pain entry, driven by keyboard and mouse against a real temporary database."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from rehab_app.core.diary import (
    Activity,
    BodySide,
    Context,
    DiaryEntry,
    LegExtent,
    Medication,
    Quality,
)
from rehab_app.services.diary import DiaryFilter
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs.quick_entry import QuickEntryDialog, guess_context
from rehab_app.ui.views.diary import MorningCheckIn
from rehab_app.ui.widgets.pain_scale import ChoiceRow, PainScale

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def wiring(app_services):
    bus = Bus()
    undo = QUndoStack()
    changes = []
    bus.changed.connect(changes.append)
    return app_services, bus, undo, changes


def open_dialog(qtbot, wiring, **options) -> QuickEntryDialog:
    services, bus, undo, _ = wiring
    dialog = QuickEntryDialog(services, bus, undo, **options)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    return dialog


def press(qtbot, dialog: QWidget, *keys: str | Qt.Key) -> None:
    """Type like a person: each key goes to whatever has the focus at that moment."""
    for key in keys:
        target = dialog.focusWidget() or dialog
        if isinstance(key, str):
            qtbot.keyClicks(target, key)
        else:
            qtbot.keyClick(target, key)


def click(qtbot, button) -> None:
    assert not button.isHidden(), f"{button.text()!r} is hidden"
    qtbot.waitUntil(button.isVisible)
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(qtbot, box) -> None:
    """Click a check box on its tick, where a person aims (not the middle of a wide cell)."""
    assert box.isVisible() and box.isEnabled()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(10, box.height() // 2))


def stored(services) -> list:
    return services.diary.entries(DiaryFilter())


# The three-keystroke path -------------------------------------------------------------------------


def test_keyboard_only_entry_saves_back_and_leg_and_can_be_undone(qtbot, wiring) -> None:
    services, _, undo, changes = wiring
    dialog = open_dialog(qtbot, wiring)
    assert dialog.focusWidget() is dialog.back
    with qtbot.waitSignal(dialog.saved) as saved:
        press(qtbot, dialog, "4", "6", Qt.Key.Key_Return)
    [read] = stored(services)
    assert (read.entry.back_pain, read.entry.leg_pain) == (4, 6)
    assert read.entry.context == Context.WAKING  # the fake clock says 08:30 in London
    assert read.entry.leg_extent == LegExtent.NONE and read.entry.side is None
    assert not read.retrospective
    assert saved.args[0] == read
    assert dialog.done_title.text() == "Saved ✓" and dialog.done_page.isVisible()
    assert dialog.done_text.text() == "Back pain 4, leg pain 6.\nOn waking, Sunday 29 March, 08:30."
    assert changes and changes[-1].diary
    assert undo.count() == 1 and undo.undoText() == "Diary entry (back 4, leg 6)"

    undo.undo()
    assert stored(services) == []
    undo.redo()
    [again] = stored(services)
    assert again.entry == read.entry and again.entered_utc == read.entered_utc


def test_enter_after_saving_closes_the_dialog(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "3", "0", Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.close_button.text() == "Close"
    with qtbot.waitSignal(dialog.finished):
        press(qtbot, dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def test_ten_can_be_typed_as_one_then_zero(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "1")
    assert dialog.back.value() == 1 and dialog.back.waiting_for_ten()
    assert dialog.focusWidget() is dialog.back
    press(qtbot, dialog, "0")
    assert dialog.back.value() == 10
    assert dialog.focusWidget() is dialog.leg
    press(qtbot, dialog, "1", "7")  # "1" then another digit: leg is 1, the 7 goes on
    assert dialog.leg.value() == 1
    assert dialog.focusWidget() is dialog.context
    press(qtbot, dialog, Qt.Key.Key_Return)
    [read] = stored(services)
    assert (read.entry.back_pain, read.entry.leg_pain) == (10, 1)


def test_a_lone_one_settles_after_a_second_and_enter_saves_it(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "1")
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.leg, timeout=3000)
    assert dialog.back.value() == 1 and not dialog.back.waiting_for_ten()
    press(qtbot, dialog, "1", Qt.Key.Key_Return)  # Enter right after a "1" keeps the 1
    [read] = stored(services)
    assert (read.entry.back_pain, read.entry.leg_pain) == (1, 1)


def test_arrows_plus_minus_home_and_end_move_along_the_scale(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    values = []
    dialog.back.changed.connect(values.append)
    press(qtbot, dialog, Qt.Key.Key_End)
    assert dialog.back.value() == 10
    press(qtbot, dialog, Qt.Key.Key_Left, Qt.Key.Key_Minus)
    assert dialog.back.value() == 8
    press(qtbot, dialog, Qt.Key.Key_Plus, Qt.Key.Key_Up, Qt.Key.Key_Right)
    assert dialog.back.value() == 10  # stops at the end
    press(qtbot, dialog, Qt.Key.Key_Home)
    assert values == [10, 9, 8, 9, 10, 0]
    assert dialog.focusWidget() is dialog.back  # arrows never move on


def test_mouse_clicks_choose_values(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    click(qtbot, dialog.back.buttons[7])
    click(qtbot, dialog.leg.buttons[2])
    click(qtbot, dialog.context.buttons[list(Context).index(Context.FLARE)])
    click(qtbot, dialog.extent.buttons[list(LegExtent).index(LegExtent.THIGH)])
    click(qtbot, dialog.side.buttons[list(BodySide).index(BodySide.LEFT)])
    click(qtbot, dialog.save_button)
    [read] = stored(services)
    entry = read.entry
    assert (entry.back_pain, entry.leg_pain, entry.context) == (7, 2, Context.FLARE)
    assert (entry.leg_extent, entry.side) == (LegExtent.THIGH, BodySide.LEFT)


def test_a_missing_number_is_asked_for_not_guessed(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "5", Qt.Key.Key_Return)
    assert stored(services) == []
    assert "Please choose a number for leg pain" in dialog.status.text()
    assert dialog.focusWidget() is dialog.leg
    press(qtbot, dialog, "0", Qt.Key.Key_Return)
    assert [r.entry.leg_pain for r in stored(services)] == [0]


# Defaults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(6, Context.WAKING), (9, Context.WAKING), (10, Context.OTHER), (18, Context.OTHER),
     (19, Context.EVENING), (23, Context.EVENING)],
)  # fmt: skip
def test_the_context_is_guessed_from_the_time_of_day(hour, expected) -> None:
    assert guess_context(datetime(2026, 3, 29, hour, 30, tzinfo=LONDON)) == expected


def test_the_guess_follows_the_clock_and_leg_extent_and_side_are_kept(qtbot, wiring, clock) -> None:
    services, *_ = wiring
    services.diary.add(
        DiaryEntry(back_pain=3, leg_pain=5, leg_extent=LegExtent.BELOW_KNEE, side=BodySide.RIGHT)
    )
    clock.at = datetime(2026, 3, 29, 19, 15, tzinfo=UTC)  # 20:15 in London
    dialog = open_dialog(qtbot, wiring)
    assert dialog.context.value() == Context.EVENING
    assert dialog.extent.value() == LegExtent.BELOW_KNEE
    assert dialog.side.value() == BodySide.RIGHT
    press(qtbot, dialog, "2", "4", Qt.Key.Key_Return)
    newest = stored(services)[0].entry
    assert (newest.context, newest.leg_extent, newest.side) == (
        Context.EVENING,
        LegExtent.BELOW_KNEE,
        BodySide.RIGHT,
    )


def test_a_context_can_be_asked_for(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring, context=Context.AFTER_EXERCISE)
    assert dialog.context.value() == Context.AFTER_EXERCISE


# Details ---------------------------------------------------------------------------------------


def test_details_are_hidden_until_asked_for_and_round_trip(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    assert dialog.details.isHidden()
    press(qtbot, dialog, "3", "6")
    click(qtbot, dialog.details_button)
    assert dialog.details.isVisible() and dialog.details_button.text() == "Fewer details ▾"
    tick(qtbot, dialog.quality_boxes[Quality.SHOOTING])
    tick(qtbot, dialog.quality_boxes[Quality.PINS_AND_NEEDLES])
    tick(qtbot, dialog.activity_boxes[Activity.SITTING])
    first = dialog.medication_rows[0]
    qtbot.keyClicks(first.name, "Ibuprofen")
    qtbot.keyClicks(first.dose, "400 mg")
    first.helped.setCurrentIndex(first.helped.findData(True))
    click(qtbot, dialog.add_medication_button)
    assert len(dialog.medication_rows) == 2
    second = dialog.medication_rows[1]
    assert dialog.focusWidget() is second.name
    qtbot.keyClicks(second.name, "Paracetamol")
    second.helped.setCurrentIndex(second.helped.findData(False))
    dialog.sleep_hours.setFocus()
    dialog.sleep_hours.selectAll()
    qtbot.keyClicks(dialog.sleep_hours, "6.5")
    dialog.woken.setCurrentIndex(dialog.woken.findData(True))
    qtbot.keyClicks(dialog.note, "Bad night after gardening.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    [read] = stored(services)
    entry = services.diary.get(read.id).entry
    assert entry.qualities == [Quality.SHOOTING, Quality.PINS_AND_NEEDLES]
    assert entry.aggravating == [Activity.SITTING]
    assert entry.medications == [
        Medication(name="Ibuprofen", dose="400 mg", helped=True),
        Medication(name="Paracetamol", dose="", helped=False),
    ]
    assert entry.sleep_hours == 6.5 and entry.woken_by_pain is True
    assert entry.note == "Bad night after gardening."


def test_at_most_five_medicines(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    dialog.set_details_visible(True)
    for _ in range(4):
        click(qtbot, dialog.add_medication_button)
    assert len(dialog.medication_rows) == 5
    assert not dialog.add_medication_button.isEnabled()


def test_an_entry_about_an_earlier_time_is_marked_recalled_later(qtbot, wiring, clock) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "6", "7")
    dialog.set_details_visible(True)
    assert dialog.back_question.text() == "Back pain right now"
    tick(qtbot, dialog.earlier)
    assert dialog.when_edit.isEnabled()
    assert dialog.back_question.text() == "Back pain at that time"
    dialog.when_edit.setDateTime(QDateTime(QDate(2026, 3, 28), QTime(21, 0)))  # last night
    click(qtbot, dialog.save_button)
    [read] = stored(services)
    assert read.retrospective
    assert read.entry.at == datetime(2026, 3, 28, 21, 0, tzinfo=LONDON)
    assert read.local_day.isoformat() == "2026-03-28"
    assert "It is marked as recalled later." in dialog.done_text.text()


def test_the_earlier_time_cannot_be_in_the_future(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    dialog.set_details_visible(True)
    tick(qtbot, dialog.earlier)
    dialog.when_edit.setDateTime(QDateTime(QDate(2026, 4, 2), QTime(9, 0)))
    assert dialog.when_edit.dateTime() == QDateTime(QDate(2026, 3, 29), QTime(8, 30))


# Safety of what was typed ----------------------------------------------------------------------


def test_a_failed_save_keeps_the_dialog_open_with_every_value(qtbot, wiring, monkeypatch) -> None:
    services, _, undo, changes = wiring
    dialog = open_dialog(qtbot, wiring)

    def full_disk(entry):
        raise OSError("disk full")

    monkeypatch.setattr(services.diary, "add", full_disk)
    dialog.set_details_visible(True)
    qtbot.keyClicks(dialog.note, "Keep me")
    dialog.back.setFocus()
    press(qtbot, dialog, "4", "6", Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "disk full" in dialog.status.text() and "Everything you entered" in dialog.status.text()
    assert dialog.pages.currentWidget() is dialog.scroll
    assert (dialog.back.value(), dialog.leg.value()) == (4, 6)
    assert dialog.note.toPlainText() == "Keep me"
    assert dialog.save_button.isVisible()
    assert undo.count() == 0 and changes == []
    monkeypatch.undo()
    click(qtbot, dialog.save_button)
    [read] = stored(services)
    assert read.entry.note == "Keep me"
    assert dialog.done_title.text() == "Saved ✓" and dialog.status.isHidden()


def test_closing_with_unsaved_values_asks_first(qtbot, wiring) -> None:
    services, *_ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "4")
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.confirm_box.isVisible()
    click(qtbot, dialog.keep_button)
    assert dialog.confirm_box.isHidden() and dialog.back.value() == 4
    press(qtbot, dialog, Qt.Key.Key_Escape)
    with qtbot.waitSignal(dialog.rejected):
        click(qtbot, dialog.discard_button)
    assert stored(services) == []


def test_closing_an_untouched_dialog_needs_no_question(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    with qtbot.waitSignal(dialog.rejected):
        press(qtbot, dialog, Qt.Key.Key_Escape)


def test_undo_from_the_dialog_takes_the_entry_back_and_keeps_the_values(qtbot, wiring) -> None:
    services, _, undo, _ = wiring
    dialog = open_dialog(qtbot, wiring)
    press(qtbot, dialog, "5", "5", Qt.Key.Key_Return)
    assert len(stored(services)) == 1
    click(qtbot, dialog.undo_button)
    assert stored(services) == []
    assert "Taken back" in dialog.status.text()
    assert dialog.pages.currentWidget() is dialog.scroll and dialog.back.value() == 5
    assert undo.index() == 0
    press(qtbot, dialog, "4", "5", Qt.Key.Key_Return)
    assert [(r.entry.back_pain, r.entry.leg_pain) for r in stored(services)] == [(4, 5)]


# New nerve symptoms ------------------------------------------------------------------------------


def test_new_numbness_is_reported_once(qtbot, wiring, clock) -> None:
    reported = []

    def save_with(qualities: list[Quality]) -> None:
        dialog = open_dialog(qtbot, wiring)
        dialog.neurological_reported.connect(reported.append)
        dialog.set_details_visible(True)
        for quality in qualities:
            tick(qtbot, dialog.quality_boxes[quality])
        dialog.back.setFocus()
        press(qtbot, dialog, "3", "5", Qt.Key.Key_Return)
        assert dialog.last_saved is not None
        dialog.close()
        clock.advance(hours=3)

    save_with([Quality.ACHING])
    assert reported == []
    save_with([Quality.NUMBNESS, Quality.ACHING])
    assert reported == [["numbness"]]
    save_with([Quality.NUMBNESS])  # the previous entry had it already
    assert reported == [["numbness"]]
    save_with([Quality.NUMBNESS, Quality.WEAKNESS])
    assert reported == [["numbness"], ["weakness"]]


# The widgets -------------------------------------------------------------------------------------


def test_pain_scale_shows_fixed_anchors_and_names_every_control(qtbot) -> None:
    scale = PainScale("Back pain")
    qtbot.addWidget(scale)
    assert scale.low_anchor.text() == "0 = No pain"
    assert scale.high_anchor.text() == "10 = Worst imaginable"
    assert [b.text() for b in scale.buttons] == [str(n) for n in range(11)]
    assert scale.buttons[4].accessibleName() == "Back pain: 4 out of 10"
    assert scale.accessibleName() == "Back pain"
    assert scale.value() is None
    assert "not chosen yet" in scale.accessibleDescription()
    scale.set_value(8)
    assert scale.value() == 8 and "Chosen: 8" in scale.accessibleDescription()
    scale.set_value(None)
    assert scale.value() is None
    with pytest.raises(ValueError):
        scale.set_value(11)
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in scale.buttons)
    assert scale.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_choice_row_keys(qtbot) -> None:
    row = ChoiceRow("Side", [(side, side.value) for side in BodySide])
    qtbot.addWidget(row)
    seen = []
    row.changed.connect(seen.append)
    qtbot.keyClick(row, Qt.Key.Key_Right)
    qtbot.keyClick(row, Qt.Key.Key_Right)
    qtbot.keyClick(row, Qt.Key.Key_End)
    qtbot.keyClick(row, Qt.Key.Key_Left)
    assert seen == [BodySide.LEFT, BodySide.RIGHT, BodySide.BOTH, BodySide.RIGHT]
    assert row.value() == BodySide.RIGHT


def test_every_control_in_the_dialog_has_an_accessible_name(qtbot, wiring) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    dialog = open_dialog(qtbot, wiring)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit)
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    controls += [dialog.back, dialog.leg, dialog.context, dialog.extent, dialog.side]
    unnamed = [
        w for w in controls if not w.accessibleName() and w.objectName() != "qt_spinbox_lineedit"
    ]
    assert unnamed == []


def test_tab_reaches_the_quick_controls_in_reading_order(qtbot, wiring) -> None:
    dialog = open_dialog(qtbot, wiring)
    seen = []
    for _ in range(6):
        seen.append(dialog.focusWidget())
        press(qtbot, dialog, Qt.Key.Key_Tab)
    assert seen == [
        dialog.back,
        dialog.leg,
        dialog.context,
        dialog.extent,
        dialog.side,
        dialog.details_button,
    ]


# Morning check-in --------------------------------------------------------------------------------


def test_morning_check_in_after_an_exercise_day(qtbot, app_services, clock) -> None:
    services = app_services
    bus = Bus()
    assert MorningCheckIn.needed(services) is False
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    services.sessions.record_done(clock.now().local_day, time(8))
    clock.advance(days=1)
    assert MorningCheckIn.needed(services) is True

    banner = MorningCheckIn()
    qtbot.addWidget(banner)
    banner.watch(services, bus)
    banner.show()
    assert "How is your back and leg after yesterday's exercises?" in banner.message.text()
    with qtbot.waitSignal(banner.rate_requested):
        click(qtbot, banner.rate_button)
    assert banner.isVisible()  # still there until the morning entry is saved

    undo = QUndoStack()
    dialog = QuickEntryDialog(services, bus, undo, context=Context.WAKING)
    qtbot.addWidget(dialog)
    dialog.open()
    clock.at += timedelta(hours=4)  # even if the person waited until after 10:00
    press(qtbot, dialog, "2", "3", Qt.Key.Key_Return)
    assert services.diary.entries(DiaryFilter())[0].entry.context == Context.WAKING
    assert not banner.isVisible()
    assert MorningCheckIn.needed(services) is False


def test_morning_check_in_can_wait(qtbot) -> None:
    banner = MorningCheckIn()
    qtbot.addWidget(banner)
    banner.show()
    with qtbot.waitSignal(banner.dismissed):
        click(qtbot, banner.later_button)
    assert not banner.isVisible()
