"""The Diary screen: the list, search and filters, new, change and delete with undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from rehab_app.core.diary import (
    BodySide,
    Context,
    DiaryEntry,
    LegExtent,
    Medication,
    Quality,
)
from rehab_app.services.diary import DiaryFilter
from rehab_app.ui.bus import Bus
from rehab_app.ui.views.diary import DiaryTableModel, DiaryView

NOW = datetime(2026, 3, 29, 7, 30, tzinfo=UTC)  # the fake clock's start: 08:30 in London


def seed(services) -> None:
    """A few weeks of a diary, written at the time (and one recalled later)."""
    diary = services.diary
    diary.add(
        DiaryEntry(
            back_pain=6,
            leg_pain=7,
            context=Context.FLARE,
            leg_extent=LegExtent.FOOT,
            side=BodySide.LEFT,
            qualities=[Quality.SHOOTING, Quality.NUMBNESS],
            note="Lifted the shopping",
            at=NOW - timedelta(days=40),
        )
    )
    diary.add(
        DiaryEntry(
            back_pain=4,
            leg_pain=5,
            context=Context.EVENING,
            leg_extent=LegExtent.BELOW_KNEE,
            side=BodySide.LEFT,
            medications=[Medication(name="Ibuprofen", dose="400 mg", helped=True)],
            note="Long drive",
            at=NOW - timedelta(days=3, hours=-12),
        )
    )
    diary.add(
        DiaryEntry(
            back_pain=3,
            leg_pain=2,
            context=Context.AFTER_EXERCISE,
            leg_extent=LegExtent.THIGH,
            side=BodySide.LEFT,
            at=NOW - timedelta(days=1),
        )
    )
    diary.add(
        DiaryEntry(back_pain=2, leg_pain=1, context=Context.WAKING, leg_extent=LegExtent.BUTTOCK)
    )


@pytest.fixture
def wiring(qtbot, app_services):
    bus = Bus()
    undo = QUndoStack()
    view = DiaryView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.attach(app_services, bus, undo)
    return app_services, bus, undo, view


def click(qtbot, button) -> None:
    assert not button.isHidden(), f"{button.text()!r} is hidden"
    qtbot.waitUntil(button.isVisible)
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def column(view: DiaryView, col: int) -> list[str]:
    model = view.model
    return [model.index(row, col).data() for row in range(model.rowCount())]


def search_for(qtbot, view: DiaryView, words: str) -> None:
    """Type into the search box and wait for the pause after typing to run the search."""
    with qtbot.waitSignal(view.model.modelReset, timeout=3000):
        view.search.clear()
        qtbot.keyClicks(view.search, words)


def press(qtbot, window, *keys) -> None:
    for key in keys:
        target = window.focusWidget() or window
        if isinstance(key, str):
            qtbot.keyClicks(target, key)
        else:
            qtbot.keyClick(target, key)


def opened_dialog(qtbot, dialog):
    """The dialog is the view's child (so qtbot already owns it) and deletes itself on close."""
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_an_empty_diary_says_how_to_start(wiring) -> None:
    _, _, _, view = wiring
    assert view.model.rowCount() == 0
    assert "No entries yet" in view.empty.text() and view.empty.isVisible()
    assert not view.edit_button.isEnabled() and not view.delete_button.isEnabled()


def test_entries_are_listed_newest_first_with_what_matters(wiring) -> None:
    services, bus, _, view = wiring
    seed(services)
    from rehab_app.core.changes import Changes

    bus.changed.emit(Changes(diary=True))
    # The default range is the last 3 months: the flare 40 days ago is in it.
    assert column(view, DiaryTableModel.BACK) == ["2", "3", "4", "6"]
    assert column(view, DiaryTableModel.LEG) == ["1", "2", "5", "7"]
    assert column(view, DiaryTableModel.CONTEXT) == [
        "On waking",
        "After exercise",
        "Evening",
        "Flare-up",
    ]
    assert column(view, DiaryTableModel.EXTENT) == [
        "Buttock",
        "Thigh, left",
        "Below the knee, left",
        "Foot, left",
    ]
    assert column(view, DiaryTableModel.WHEN)[0] == "Sun 29 Mar 2026, 08:30"
    assert column(view, DiaryTableModel.NOTE)[2] == "Long drive"
    assert view.count.text() == "4 entries shown"
    header = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert header == [
        "Date and time",
        "Back pain",
        "Leg pain",
        "Occasion",
        "Leg symptoms reach",
        "Note",
    ]


def test_late_entries_are_marked_recalled_later(wiring) -> None:
    services, _, _, view = wiring
    services.diary.add(DiaryEntry(back_pain=5, leg_pain=5, at=NOW - timedelta(hours=10)))
    view.refresh()
    when = view.model.index(0, DiaryTableModel.WHEN)
    assert when.data().endswith("· recalled later")
    assert when.data(Qt.ItemDataRole.FontRole).italic()
    assert "Recalled later: written on 29 March at 08:30." in view.details.text()


def test_the_selected_entry_is_spelled_out_in_full(wiring) -> None:
    services, _, _, view = wiring
    seed(services)
    view.refresh()
    view.table.selectRow(2)
    text = view.details.text()
    assert "Back pain 4, leg pain 5 (0 = no pain, 10 = worst imaginable)." in text
    assert "Medicine: Ibuprofen 400 mg (helped)." in text
    assert "Note: Long drive" in text
    assert view.details.textFormat() == Qt.TextFormat.PlainText


def test_search_and_filters(qtbot, wiring) -> None:
    services, _, _, view = wiring
    seed(services)
    view.refresh()
    search_for(qtbot, view, "ibuprofen")
    assert column(view, DiaryTableModel.NOTE) == ["Long drive"]
    search_for(qtbot, view, "numbness")
    assert column(view, DiaryTableModel.NOTE) == ["Lifted the shopping"]
    view.search.clear()
    qtbot.keyClicks(view.search, "drive")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # Enter searches without waiting
    assert view.model.rowCount() == 1
    search_for(qtbot, view, "trampoline")
    assert view.model.rowCount() == 0 and "No entries match" in view.empty.text()
    search_for(qtbot, view, "")
    assert view.model.rowCount() == 4

    view.context.setCurrentIndex(view.context.findData(Context.WAKING.value))
    assert column(view, DiaryTableModel.CONTEXT) == ["On waking"]
    view.context.setCurrentIndex(0)

    view.period.setCurrentIndex(0)  # last 2 weeks: the flare 40 days ago is out
    assert view.model.rowCount() == 3
    view.period.setCurrentIndex(3)  # everything
    assert view.model.rowCount() == 4


def test_the_period_is_chosen_by_keyboard(qtbot, wiring) -> None:
    services, _, _, view = wiring
    seed(services)
    view.refresh()
    view.period.setFocus()
    qtbot.keyClick(view.period, Qt.Key.Key_Home)
    assert view.period.currentText() == "Last 2 weeks"
    assert view.model.rowCount() == 3


def test_the_model_keeps_the_qt_contract(qtmodeltester, wiring) -> None:
    services, _, _, view = wiring
    seed(services)
    view.refresh()
    qtmodeltester.check(view.model)


def test_new_entry_from_the_screen_appears_and_is_selected(qtbot, wiring) -> None:
    services, _, undo, view = wiring
    seed(services)
    view.refresh()
    click(qtbot, view.new_button)
    dialog = opened_dialog(qtbot, view._dialog)
    assert view.new_entry() is dialog  # a second Ctrl+L brings the same dialog forward
    saved = []
    view.entry_saved.connect(saved.append)
    press(qtbot, dialog, "5", "8", Qt.Key.Key_Return)
    assert view.model.rowCount() == 5
    assert view.selected() is not None and view.selected().id == saved[0].id
    assert (view.selected().entry.back_pain, view.selected().entry.leg_pain) == (5, 8)
    press(qtbot, dialog, Qt.Key.Key_Return)  # Enter again closes
    assert view._dialog is None
    undo.undo()
    assert view.model.rowCount() == 4


def test_neurological_signal_reaches_the_screen(qtbot, wiring) -> None:
    _, _, _, view = wiring
    dialog = opened_dialog(qtbot, view.new_entry())
    reported = []
    view.neurological_reported.connect(reported.append)
    dialog.set_details_visible(True)
    dialog.quality_boxes[Quality.WEAKNESS].setChecked(True)
    dialog.back.setFocus()
    press(qtbot, dialog, "2", "2", Qt.Key.Key_Return)
    assert reported == [["weakness"]]


def test_change_an_entry_and_undo_the_change(qtbot, wiring) -> None:
    services, _, undo, view = wiring
    seed(services)
    view.refresh()
    view.table.selectRow(2)  # the evening entry: back 4, leg 5, ibuprofen
    original = view.selected()
    click(qtbot, view.edit_button)
    dialog = opened_dialog(qtbot, view._dialog)
    assert dialog.windowTitle() == "Change a diary entry"
    assert (dialog.back.value(), dialog.leg.value()) == (4, 5)
    assert dialog.context.value() == Context.EVENING
    assert dialog.details.isVisible()  # it has details, so they are shown
    assert dialog.medication_rows[0].name.text() == "Ibuprofen"
    assert dialog.note.toPlainText() == "Long drive"
    assert dialog.back_question.text() == "Back pain at that time"
    dialog.back.setFocus()
    press(qtbot, dialog, "3", "3", Qt.Key.Key_Return)
    assert dialog.done_title.text() == "Changes saved ✓"

    changed = services.diary.get(original.id)
    assert (changed.entry.back_pain, changed.entry.leg_pain) == (3, 3)
    assert changed.entry.at == original.entry.at  # the time is kept to the second
    assert changed.entry.medications == original.entry.medications
    assert len(services.diary.entries(DiaryFilter())) == 4  # changed, not added
    assert view.selected().id == original.id
    assert view.selected().entry.back_pain == 3

    undo.undo()
    assert services.diary.get(original.id).entry == original.entry
    assert view.selected().entry.back_pain == 4
    undo.redo()
    assert services.diary.get(original.id).entry.back_pain == 3


def test_double_click_or_enter_on_a_row_opens_it(qtbot, wiring) -> None:
    services, _, _, view = wiring
    seed(services)
    view.refresh()
    view.table.setFocus()
    view.table.selectRow(1)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = opened_dialog(qtbot, view._dialog)
    assert dialog.back.value() == 3
    dialog.close()
    assert view._dialog is None


def test_delete_shows_undo_and_brings_the_entry_back(qtbot, wiring) -> None:
    services, _, undo, view = wiring
    seed(services)
    view.refresh()
    view.table.selectRow(1)
    gone = view.selected()
    click(qtbot, view.delete_button)
    assert view.model.rowCount() == 3
    assert services.diary.get(gone.id) is None
    assert view.notice.isVisible()
    # 07:30 GMT: the day before the clocks went forward.
    expected = "Deleted the entry of Saturday 28 March 2026, 07:30 (back 3, leg 2)."
    assert view.notice_label.text() == expected
    assert undo.undoText() == "Delete diary entry (back 3, leg 2)"
    click(qtbot, view.undo_button)
    assert view.model.rowCount() == 4
    assert not view.notice.isVisible()
    back = services.diary.entries(DiaryFilter())[1]
    assert back.entry == gone.entry and back.entered_utc == gone.entered_utc
    undo.redo()  # Ctrl+Shift+Z deletes it again
    assert view.model.rowCount() == 3
    undo.undo()
    assert view.model.rowCount() == 4


def test_the_delete_key_deletes_the_selected_row(qtbot, wiring) -> None:
    services, _, undo, view = wiring
    seed(services)
    view.refresh()
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert view.model.rowCount() == 3 and view.notice.isVisible()
    # Anything else done afterwards ends the notice (its Undo would undo the wrong thing).
    services_entry = services.diary.add(DiaryEntry(back_pain=1, leg_pain=1))[0]
    from rehab_app.ui.dialogs.quick_entry import DiaryEntryAdded, entry_ids

    undo.push(DiaryEntryAdded(services.diary, entry_ids(undo), services_entry, "x", print))
    assert not view.notice.isVisible()


def test_undo_and_redo_follow_an_entry_through_add_change_and_delete(qtbot, wiring) -> None:
    """The service puts a removed entry back under a new id; later steps must still find it."""
    services, _, undo, view = wiring
    dialog = opened_dialog(qtbot, view.new_entry())
    press(qtbot, dialog, "6", "6", Qt.Key.Key_Return)
    dialog.close()
    view.table.selectRow(0)
    dialog = opened_dialog(qtbot, view.edit_selected())
    dialog.back.setFocus()
    press(qtbot, dialog, "2", "2", Qt.Key.Key_Return)
    dialog.close()
    view.table.selectRow(0)
    click(qtbot, view.delete_button)

    def pains() -> list[tuple[int, int]]:
        return [(r.entry.back_pain, r.entry.leg_pain) for r in services.diary.entries()]

    assert pains() == []
    undo.undo()  # the deletion
    assert pains() == [(2, 2)]
    undo.undo()  # the change
    assert pains() == [(6, 6)]
    undo.undo()  # the entry itself
    assert pains() == []
    undo.redo()
    undo.redo()
    assert pains() == [(2, 2)]
    undo.redo()
    assert pains() == []
    undo.undo()
    undo.undo()
    assert pains() == [(6, 6)]


def test_a_failed_delete_says_why_and_keeps_the_row(qtbot, wiring, monkeypatch) -> None:
    services, _, undo, view = wiring
    seed(services)
    view.refresh()
    view.table.selectRow(0)

    def locked(entry_id):
        raise OSError("database is locked")

    monkeypatch.setattr(services.diary, "delete", locked)
    click(qtbot, view.delete_button)
    assert view.model.rowCount() == 4 and undo.count() == 0
    assert "database is locked" in view.notice_label.text()
    assert view.undo_button.isHidden()


def test_every_control_has_an_accessible_name(wiring) -> None:
    _, _, _, view = wiring
    for widget in (
        view.new_button,
        view.search,
        view.period,
        view.context,
        view.table,
        view.edit_button,
        view.delete_button,
        view.undo_button,
    ):
        assert widget.accessibleName(), widget
