"""Today and My plan, driven as a person would, against a real temporary database."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack

from rehab_app.services.sessions import SlotState
from rehab_app.ui.bus import Bus
from rehab_app.ui.views.plan import DRAFT_KEY, PlanView
from rehab_app.ui.views.today import TodayView


@pytest.fixture
def wiring(qtbot, app_services):
    bus = Bus()
    undo = QUndoStack()
    today = TodayView()
    plan = PlanView()
    for widget in (today, plan):
        qtbot.addWidget(widget)
        widget.resize(1100, 900)
        widget.show()
    today.attach(app_services, bus, undo)
    plan.attach(app_services, bus, undo)
    return app_services, bus, undo, today, plan


def click(qtbot, button) -> None:
    """Click like a person: only what is on the screen and enabled can be clicked."""
    assert not button.isHidden(), f"{button.text()!r} is hidden"
    qtbot.waitUntil(button.isVisible)  # widgets added to a shown window appear a moment later
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_first_start_offers_the_two_ways_in(wiring) -> None:
    _, _, _, today, _ = wiring
    assert not today.welcome.isHidden()
    assert today.pack_button.text() == "Import a pack from my therapist"
    assert today.starter_button.text() == "Start the gentle sciatica plan"
    assert today.cards == []


def test_the_starter_plan_is_one_click_and_today_fills(qtbot, wiring) -> None:
    services, _, _, today, plan = wiring
    click(qtbot, today.starter_button)
    assert today.welcome.isHidden()
    assert [card.session.slot for card in today.cards] == [time(8), time(11), time(16), time(18)]
    morning = today.card_for(time(8))
    assert "08:00 — about" in morning.title.text() and "To do" in morning.title.text()
    assert "Sciatic nerve slider (lying) (2 × 10)" in morning.items_label.text()
    assert plan.draft == services.plans.current().plan  # the plan view follows the change
    assert plan.history.count() == 1


def test_record_done_undo_and_redo(qtbot, wiring) -> None:
    services, _, undo, today, _ = wiring
    click(qtbot, today.starter_button)
    click(qtbot, today.card_for(time(8)).done_button)
    assert "Done ✓" in today.card_for(time(8)).title.text()
    assert services.sessions.due_on(today.today())[0].state == SlotState.DONE
    undo.undo()
    assert "To do" in today.card_for(time(8)).title.text()
    undo.redo()
    assert "Done ✓" in today.card_for(time(8)).title.text()


def test_skip_marks_the_session_skipped(qtbot, wiring) -> None:
    _, _, _, today, _ = wiring
    click(qtbot, today.starter_button)
    click(qtbot, today.card_for(time(11)).skip_button)
    card = today.card_for(time(11))
    assert "Skipped" in card.title.text()
    assert card.skip_button.isHidden()


def test_yesterday_can_be_caught_up(qtbot, wiring, clock) -> None:
    services, _, _, today, _ = wiring
    click(qtbot, today.starter_button)
    clock.advance(days=1)
    today.refresh()
    missed = today.card_for(time(8), yesterday=True)
    assert missed.done_button.text() == "Record as done"
    assert missed.start_button.isHidden()
    click(qtbot, missed.done_button)
    yesterday = services.sessions.due_on(services.sessions.today() - timedelta(days=1))
    assert yesterday[0].state == SlotState.DONE
    assert all(card.session.slot != time(8) for card in today.catch_up_cards)


def test_build_a_plan_from_the_library_by_keyboard_and_mouse(qtbot, wiring) -> None:
    services, _, _, _, plan = wiring
    plan.start_new_plan()
    plan.editor.exercise_choice.setCurrentIndex(
        plan.editor.exercise_choice.findData("glute_bridge")
    )
    click(qtbot, plan.editor.add_button)
    assert plan.editor.items.count() == 1
    assert (
        plan.editor.sets.value() == 2 and plan.editor.reps.value() == 10
    )  # the exercise's defaults
    plan.editor.reps.selectAll()
    qtbot.keyClicks(plan.editor.reps, "40")
    assert "Repetitions for Glute bridge must be between 8 and 15; 40 is outside that range." in (
        plan.editor.problems.text()
    )
    assert not plan.save_button.isEnabled()
    plan.editor.reps.selectAll()
    qtbot.keyClicks(plan.editor.reps, "12")
    assert plan.editor.problems.text() == ""
    plan.editor.times.selectAll()
    qtbot.keyClicks(plan.editor.times, "7:30, 19:00")
    assert "07:30: about" in plan.editor.estimate.text() and "19:00" in plan.editor.estimate.text()
    click(qtbot, plan.save_button)
    assert plan.status.text().startswith("Saved at")
    saved = services.plans.current().plan
    item = saved.phases[0].items[0]
    assert (item.exercise_id, item.reps, item.schedule.times) == (
        "glute_bridge",
        12,
        [time(7, 30), time(19)],
    )


def test_a_bad_time_is_named_and_nothing_is_saved(qtbot, wiring) -> None:
    services, _, _, today, plan = wiring
    click(qtbot, today.starter_button)
    plan.editor.times.selectAll()
    qtbot.keyClicks(plan.editor.times, "8 o'clock")
    assert "'8 o'clock' is not a time like 08:00" in plan.editor.problems.text()
    assert not plan.save_button.isEnabled()
    assert len(services.plans.history()) == 1


def test_long_sessions_warn_past_the_configured_limits(qtbot, wiring) -> None:
    _, _, _, today, plan = wiring
    click(qtbot, today.starter_button)
    assert plan.editor.warning.text() == ""
    plan.editor.warn_minutes.setValue(5)
    assert "takes longer than 5 minutes" in plan.editor.warning.text()
    plan.editor.warn_exercises.setValue(1)
    assert "has more than 1 exercises" in plan.editor.warning.text()


def test_phases_and_undo_of_a_plan_edit_keep_history(qtbot, wiring) -> None:
    services, _, undo, today, plan = wiring
    click(qtbot, today.starter_button)
    assert plan.editor.phase_combo.count() == 2
    plan.editor.phase_combo.setCurrentIndex(1)
    assert plan.editor.phase_week.value() == 3
    plan.editor.phase_week.setValue(4)
    click(qtbot, plan.save_button)
    assert services.plans.current().plan.phases[1].starts_on_day == 21
    undo.undo()
    current = services.plans.current()
    assert current.plan.phases[1].starts_on_day == 14
    assert current.summary.startswith("Undone:")
    assert len(services.plans.history()) == 3  # nothing was overwritten


def test_unsaved_changes_are_kept_when_the_app_closes(qtbot, wiring, app_services) -> None:
    services, bus, undo, today, plan = wiring
    click(qtbot, today.starter_button)
    plan.editor.reps.selectAll()
    qtbot.keyClicks(plan.editor.reps, "12")
    plan.keep_unsaved()
    assert services.settings.get(DRAFT_KEY) is not None
    again = PlanView()
    qtbot.addWidget(again)
    again.attach(app_services, bus, undo)
    assert again.has_unsaved_changes()
    assert again.status.text() == "Your unsaved changes from last time were kept."
    assert again.draft.phases[0].items[0].reps == 12


def test_a_record_can_be_removed_and_the_removal_undone(qtbot, wiring) -> None:
    services, _, undo, today, _ = wiring
    click(qtbot, today.starter_button)
    assert today.card_for(time(8)).clear_button.isHidden()  # nothing recorded yet
    click(qtbot, today.card_for(time(8)).done_button)
    click(qtbot, today.card_for(time(8)).clear_button)
    assert "To do" in today.card_for(time(8)).title.text()
    assert services.sessions.sessions_on(today.today()) == []
    undo.undo()
    assert "Done ✓" in today.card_for(time(8)).title.text()
    undo.redo()
    assert "To do" in today.card_for(time(8)).title.text()


def test_an_item_can_run_between_dates(qtbot, wiring) -> None:
    services, _, _, today, plan = wiring
    click(qtbot, today.starter_button)
    start = services.sessions.today()
    plan.editor.has_until.setChecked(True)
    plan.editor.until_date.setDate(QDate(start.year, start.month, start.day).addDays(6))
    plan.editor.has_from.setChecked(True)
    plan.editor.from_date.setDate(QDate(start.year, start.month, start.day).addDays(7))
    assert "the end date is before the start date" in plan.editor.problems.text()
    assert not plan.save_button.isEnabled()
    plan.editor.has_from.setChecked(False)
    click(qtbot, plan.save_button)
    saved = services.plans.current().plan.phases[0].items[0].schedule
    assert (saved.start, saved.end) == (None, start + timedelta(days=6))
    assert len(services.sessions.due_on(start + timedelta(days=7))[0].items) == 2  # slider gone
