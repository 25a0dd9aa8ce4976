"""Roland-Morris and PSFS dialogs and the reminder card, driven as a person would, on a real
temporary database; comparisons are checked in the words the patient reads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rehab_app.core.changes import Changes
from rehab_app.core.errors import StorageError
from rehab_app.ui.bus import Bus
from rehab_app.ui.dialogs.questionnaire import (
    DIALOGS,
    PsfsDialog,
    QuestionnaireReminder,
    RmdqDialog,
)


@pytest.fixture
def bus():
    return Bus()


def click(qtbot, widget) -> None:
    """Click like a person: only what is on the screen and enabled can be clicked."""
    assert not widget.isHidden(), f"{widget!r} is hidden"
    qtbot.waitUntil(widget.isVisible)
    assert widget.isEnabled(), f"{widget!r} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def opened(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def answer_rmdq(qtbot, services, bus, ticks: set[int]) -> RmdqDialog:
    dialog = opened(qtbot, RmdqDialog(services, bus))
    for number in sorted(ticks):
        row = dialog.rows[number - 1]
        dialog._scroll.ensureWidgetVisible(row)  # scroll to it, as a person would
        click(qtbot, row.label)
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)
    return dialog


# Roland-Morris ---------------------------------------------------------------------------------


def test_rmdq_saves_answers_and_score_through_the_service(qtbot, app_services, bus) -> None:
    changes: list[Changes] = []
    bus.changed.connect(changes.append)
    dialog = opened(qtbot, RmdqDialog(app_services, bus))
    assert len(dialog.rows) == 24
    assert dialog.rows[0].label.text() == "I stay at home most of the time because of my back."
    assert dialog.rows[0].label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.count_label.text() == "Ticked: 0 of 24"
    for number in (2, 3, 13):
        row = dialog.rows[number - 1]
        dialog._scroll.ensureWidgetVisible(row)
        click(qtbot, row.label)
    assert dialog.count_label.text() == "Ticked: 3 of 24"

    with qtbot.waitSignal(dialog.saved) as blocker:
        click(qtbot, dialog.save_button)
    (response,) = app_services.questionnaires.history("rmdq")
    assert blocker.args[0] == response
    assert (response.score, response.answered) == (3, 24)
    assert response.answers["2"] is True and response.answers["1"] is False
    assert sum(response.answers.values()) == 3
    assert changes == [Changes(diary=True)]
    assert dialog.pages.currentWidget() is dialog.result_page
    assert dialog.score_label.text() == "Your score today: 3 out of 24"
    assert "first time" in dialog.comparison_label.text()
    assert "5 points" in dialog.rule_label.text()
    assert not app_services.questionnaires.due("rmdq")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.done_button)


def test_rmdq_ticking_by_keyboard(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, RmdqDialog(app_services, bus))
    first = dialog.rows[0].checkbox
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.rows[1].checkbox
    qtbot.keyClick(dialog.rows[1].checkbox, Qt.Key.Key_Space)
    assert [row.isChecked() for row in dialog.rows[:3]] == [True, True, False]
    assert dialog.count_label.text() == "Ticked: 2 of 24"


def test_rmdq_14_then_8_is_better_by_more_than_the_5_points_that_matter(
    qtbot, app_services, bus, clock
) -> None:
    answer_rmdq(qtbot, app_services, bus, set(range(1, 15)))
    clock.advance(days=14)
    dialog = answer_rmdq(qtbot, app_services, bus, set(range(1, 9)))
    assert [r.score for r in app_services.questionnaires.history("rmdq")] == [14, 8]
    assert dialog.score_label.text() == "Your score today: 8 out of 24"
    assert dialog.comparison_label.text() == (
        "Since your first answers on 29 March 2026: better by 6 points, more than the 5 points"
        " that matter."
    )


def test_rmdq_compares_with_first_and_previous(qtbot, app_services, bus, clock) -> None:
    answer_rmdq(qtbot, app_services, bus, set(range(1, 15)))  # 14
    clock.advance(days=14)
    answer_rmdq(qtbot, app_services, bus, set(range(1, 11)))  # 10
    clock.advance(days=14)
    dialog = answer_rmdq(qtbot, app_services, bus, set(range(1, 9)))  # 8
    first, previous = dialog.comparison_label.text().split("\n\n")
    assert "better by 6 points, more than the 5 points that matter" in first
    assert previous == (
        "Since last time, on 12 April 2026: a little better (2 points), less than the 5 points"
        " that matter, so not a clear change."
    )


def test_rmdq_worse_says_so_plainly(qtbot, app_services, bus, clock) -> None:
    answer_rmdq(qtbot, app_services, bus, {1, 2, 3, 4, 5, 6})
    clock.advance(days=14)
    dialog = answer_rmdq(qtbot, app_services, bus, set(range(1, 13)))
    text = dialog.comparison_label.text()
    assert "worse by 6 points, more than the 5 points that matter" in text
    assert "talk to your therapist" in text


def test_rmdq_exactly_the_band_is_the_smallest_change_that_matters(
    qtbot, app_services, bus, clock
) -> None:
    answer_rmdq(qtbot, app_services, bus, set(range(1, 11)))  # 10
    clock.advance(days=14)
    dialog = answer_rmdq(qtbot, app_services, bus, {1, 2, 3, 4, 5})  # 5
    assert "better by 5 points, which is the smallest change that matters" in (
        dialog.comparison_label.text()
    )


def test_rmdq_a_failed_save_keeps_the_dialog_and_the_answers(
    qtbot, app_services, bus, monkeypatch
) -> None:
    dialog = opened(qtbot, RmdqDialog(app_services, bus))
    click(qtbot, dialog.rows[0].label)
    click(qtbot, dialog.rows[1].label)
    real_save = app_services.questionnaires.save

    def full_disk(*args, **kwargs):
        raise StorageError("This was not saved because the disk is full.")

    monkeypatch.setattr(app_services.questionnaires, "save", full_disk)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.pages.currentWidget() is dialog.form_page
    assert not dialog.error.isHidden()
    assert "disk is full" in dialog.error.text()
    assert "still here" in dialog.error.text()
    assert [row.isChecked() for row in dialog.rows[:3]] == [True, True, False]
    assert app_services.questionnaires.history("rmdq") == []

    monkeypatch.setattr(app_services.questionnaires, "save", real_save)
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)
    assert dialog.error.isHidden()
    assert [r.score for r in app_services.questionnaires.history("rmdq")] == [2]


# PSFS ------------------------------------------------------------------------------------------


def test_psfs_saves_named_and_rated_activities(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    assert len(dialog.shown_rows()) == 3  # three suggested, two more on request
    first, second = dialog.rows[0], dialog.rows[1]
    qtbot.waitUntil(first.name_edit.hasFocus)
    qtbot.keyClicks(first.name_edit, "Putting on my socks")
    click(qtbot, first.scale.buttons[3])
    qtbot.keyClicks(second.name_edit, "Walking to the shops")
    second.scale.tab_stop().setFocus()
    qtbot.keyClick(second.scale.tab_stop(), Qt.Key.Key_6)  # a digit chooses directly
    assert (first.score(), second.score()) == (3, 6)

    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)
    (response,) = app_services.questionnaires.history("psfs")
    assert response.answers == {
        "activities": [
            {"name": "Putting on my socks", "score": 3},
            {"name": "Walking to the shops", "score": 6},
        ]
    }
    assert (response.score, response.answered) == (4.5, 2)
    assert dialog.score_label.text() == "Your average today: 4.5 out of 10"
    assert "Putting on my socks: 3" in dialog.details_label.text()


def test_psfs_carries_activity_names_over(qtbot, app_services, bus, clock) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    dialog.rows[0].name_edit.setText("Putting on my socks")
    click(qtbot, dialog.rows[0].scale.buttons[2])
    dialog.rows[1].name_edit.setText("Gardening")
    click(qtbot, dialog.rows[1].scale.buttons[4])
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)

    clock.advance(days=14)
    again = opened(qtbot, PsfsDialog(app_services, bus))
    assert [row.name() for row in again.rows[:3]] == ["Putting on my socks", "Gardening", ""]
    assert [row.score() for row in again.rows[:2]] == [None, None]  # rated afresh
    assert "you chose last time" in again.intro.text()
    # Typing must not overwrite a carried-over name: the focus starts on its scale.
    qtbot.waitUntil(again.rows[0].scale.buttons[0].hasFocus)
    click(qtbot, again.rows[0].scale.buttons[5])
    click(qtbot, again.rows[1].scale.buttons[7])
    with qtbot.waitSignal(again.saved):
        click(qtbot, again.save_button)
    assert [r.score for r in app_services.questionnaires.history("psfs")] == [3.0, 6.0]
    assert "Putting on my socks: 5  (last time: 2)" in again.details_label.text()
    assert again.comparison_label.text() == (
        "Since your first answers on 29 March 2026: better by 3 points, more than the 2 points"
        " that matter."
    )


def test_psfs_asks_for_what_is_missing(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    click(qtbot, dialog.save_button)
    assert "at least one activity" in dialog.error.text()

    dialog.rows[0].name_edit.setText("Driving")
    click(qtbot, dialog.save_button)
    assert "choose a number for “Driving”" in dialog.error.text()
    assert dialog.rows[0].scale.buttons[0].hasFocus()

    click(qtbot, dialog.rows[0].clear_button)
    assert dialog.rows[0].is_empty()
    click(qtbot, dialog.rows[1].scale.buttons[8])
    click(qtbot, dialog.save_button)
    assert "write what activity 2 is" in dialog.error.text()
    assert dialog.rows[1].name_edit.hasFocus()
    assert app_services.questionnaires.history("psfs") == []
    assert dialog.pages.currentWidget() is dialog.form_page


def test_psfs_scale_is_one_tab_stop_with_arrows(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    row = dialog.rows[0]
    qtbot.keyClicks(row.name_edit, "Stairs")
    qtbot.keyClick(row.name_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.scale.buttons[0]
    qtbot.keyClick(row.scale.buttons[0], Qt.Key.Key_Space)
    assert row.score() == 0
    qtbot.keyClick(row.scale.buttons[0], Qt.Key.Key_Right)
    assert row.score() == 1 and row.scale.buttons[1].hasFocus()
    qtbot.keyClick(row.scale.buttons[1], Qt.Key.Key_Right)
    assert row.score() == 2
    # Tab leaves the scale at once instead of walking through eleven buttons.
    qtbot.keyClick(row.scale.buttons[2], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.rows[1].clear_button
    accessible = row.scale.buttons[7].accessibleName()
    assert accessible == "Activity 1: 7 out of 10"


def test_psfs_offers_up_to_five_activities(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    click(qtbot, dialog.add_button)
    assert len(dialog.shown_rows()) == 4
    click(qtbot, dialog.add_button)
    assert len(dialog.shown_rows()) == 5
    assert dialog.add_button.isHidden()


# Reminder card and table ------------------------------------------------------------------


def test_reminder_card_when_due(qtbot, app_services, bus, clock) -> None:
    card = QuestionnaireReminder("rmdq")
    qtbot.addWidget(card)
    assert card.isHidden()
    assert card.show_if_due(app_services.questionnaires)
    card.show()
    assert card.title.text() == "Time for your two-weekly questions (about 5 minutes)"
    with qtbot.waitSignal(card.answer_requested) as blocker:
        click(qtbot, card.answer_button)
    assert blocker.args == ["rmdq"]
    assert card.isHidden()

    answer_rmdq(qtbot, app_services, bus, {1})
    assert not card.show_if_due(app_services.questionnaires)
    assert card.isHidden()
    clock.advance(days=14)
    assert card.show_if_due(app_services.questionnaires)
    with qtbot.waitSignal(card.dismissed):
        click(qtbot, card.later_button)
    assert card.isHidden()


def test_each_kind_has_its_dialog() -> None:
    assert DIALOGS["rmdq"] is RmdqDialog and DIALOGS["psfs"] is PsfsDialog


def test_enter_on_a_sentence_never_saves_or_closes(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, RmdqDialog(app_services, bus))
    first = dialog.rows[0].checkbox
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.pages.currentWidget() is dialog.form_page
    assert app_services.questionnaires.history("rmdq") == []
    assert QApplication.focusWidget() is dialog.rows[1].checkbox  # Enter moved on instead
    assert dialog.rows[0].isChecked()


def test_enter_in_an_activity_name_moves_on(qtbot, app_services, bus) -> None:
    dialog = opened(qtbot, PsfsDialog(app_services, bus))
    name = dialog.rows[0].name_edit
    qtbot.waitUntil(name.hasFocus)
    qtbot.keyClicks(name, "Stairs")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.rows[0].scale.buttons[0]
    assert dialog.error.isHidden() and dialog.isVisible()
