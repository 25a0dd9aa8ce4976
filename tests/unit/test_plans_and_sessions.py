"""Plan versions and session logs through the services, on a real (temporary) database."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from rehab_app.core.adherence import DayStatus
from rehab_app.core.plan import Phase, Plan, PlanItem, Schedule, estimate_item_seconds
from rehab_app.core.session import ExerciseOutcome
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.plans import PlanError, PlanService, describe_changes
from rehab_app.services.sessions import SessionService, SlotState
from rehab_app.services.settings import SettingsService


@pytest.fixture
def services(data_dir, clock, shipped_library):
    opened = open_data_folder(data_dir, clock)
    plans = PlanService(opened.engine, shipped_library, clock)
    sessions = SessionService(opened.engine, plans, clock)
    yield plans, sessions, SettingsService(opened.engine)
    opened.engine.dispose()


def _slider(**changes: object) -> PlanItem:
    base = dict(
        exercise_id="sciatic_nerve_slider_supine",
        sets=2,
        reps=10,
        hold_s=0,
        rest_s=30,
        tempo_s=5,
        schedule=Schedule(times=[time(8), time(18)], weekdays=[1, 2, 3, 4, 5, 6, 7]),
    )
    return PlanItem(**{**base, **changes})


def _plan(start: date, *items: PlanItem) -> Plan:
    return Plan(start=start, phases=[Phase(name="Phase 1", starts_on_day=0, items=list(items))])


def test_every_save_is_a_new_version_and_history_keeps_all(services, clock) -> None:
    plans, _, _ = services
    first = _plan(clock.now().local_day, _slider())
    saved, changes = plans.save(first, describe_changes(None, first))
    assert changes.plan and saved.plan == first
    clock.advance(days=1)
    second = _plan(first.start, _slider(reps=12))
    plans.save(second, describe_changes(first, second))
    history = plans.history()
    assert [v.plan for v in history] == [second, first]
    assert history[0].summary == "Changed sciatic nerve slider supine (phase 1)."
    assert history[1].summary == "New plan 'My exercise plan' with 1 exercise entries."
    assert plans.current().plan == second


def test_doses_outside_the_exercise_ranges_are_refused_with_reasons(services, clock) -> None:
    plans, _, _ = services
    plan = _plan(clock.now().local_day, _slider(reps=40, sets=1))
    with pytest.raises(PlanError) as raised:
        plans.save(plan, "too much")
    assert raised.value.problems == [
        "Repetitions for Sciatic nerve slider (lying) must be between 5 and 15; 40 is outside"
        " that range."
    ]
    assert plans.current() is None  # nothing half-written


def test_unknown_exercises_are_refused(services, clock) -> None:
    plans, _, _ = services
    with pytest.raises(PlanError, match="'moon_walk' is not in the library"):
        plans.save(_plan(clock.now().local_day, _slider(exercise_id="moon_walk")), "x")


def test_starter_plan_is_valid_short_and_has_two_phases(services, clock, shipped_library) -> None:
    plans, _, _ = services
    starter = plans.starter_plan(clock.now().local_day)
    assert plans.problems(starter) == []
    assert [p.starts_on_day for p in starter.phases] == [0, 14]
    first_phase = starter.phases[0]
    assert len(first_phase.items) <= 6
    morning = sum(
        estimate_item_seconds(i, shipped_library.by_id(i.exercise_id))
        for i in first_phase.items
        if time(8) in i.schedule.times
    )
    assert morning / 60 <= 15


def test_a_session_logs_each_exercise_as_it_ends(services, clock) -> None:
    plans, sessions, _ = services
    today = clock.now().local_day
    plans.save(
        _plan(
            today,
            _slider(),
            _slider(exercise_id="pelvic_tilt", reps=10, hold_s=5, rest_s=5, tempo_s=3),
        ),
        "new",
    )
    due = sessions.due_on(today)
    assert [(s.slot, s.state) for s in due] == [
        (time(8), SlotState.TO_DO),
        (time(18), SlotState.TO_DO),
    ]
    session_id, _ = sessions.start_session(today, time(8))
    sessions.log_exercise(
        session_id,
        ExerciseOutcome(
            exercise_id="sciatic_nerve_slider_supine",
            sets_done=2,
            reps_done=20,
            holds_done=0,
            pain_during=2,
        ),
    )
    assert sessions.due_on(today)[0].state == SlotState.PARTLY
    sessions.log_exercise(
        session_id,
        ExerciseOutcome(exercise_id="pelvic_tilt", sets_done=1, reps_done=10, holds_done=10),
    )
    assert sessions.due_on(today)[0].state == SlotState.DONE
    stored = sessions.session(session_id)
    assert [e.outcome.exercise_id for e in stored.exercises] == [
        "sciatic_nerve_slider_supine",
        "pelvic_tilt",
    ]
    assert stored.exercises[0].outcome.pain_during == 2


def test_record_done_skip_and_undo(services, clock) -> None:
    plans, sessions, _ = services
    today = clock.now().local_day
    plans.save(_plan(today, _slider()), "new")
    done, _ = sessions.record_done(today, time(18), "with my physio")
    assert done.how == "manual" and done.exercises[0].outcome.reps_done == 20
    assert sessions.due_on(today)[1].state == SlotState.DONE
    removed, _ = sessions.delete_session(done.id)
    assert sessions.due_on(today)[1].state == SlotState.TO_DO
    restored, _ = sessions.restore_session(removed)
    assert restored.exercises == tuple(
        type(e)(id=r.id, session_id=restored.id, outcome=e.outcome)
        for e, r in zip(removed.exercises, restored.exercises, strict=True)
    )
    sessions.skip(today, time(8))
    assert sessions.due_on(today)[0].state == SlotState.SKIPPED


def test_day_statuses_follow_the_plan_in_force(services, clock) -> None:
    plans, sessions, _ = services
    start = clock.now().local_day
    plans.save(_plan(start, _slider()), "new")
    sessions.record_done(start, time(8))
    sessions.record_done(start, time(18))
    sessions.record_done(start + timedelta(days=1), time(8))
    assert sessions.day_statuses(start - timedelta(days=1), start + timedelta(days=2)) == [
        (start - timedelta(days=1), DayStatus.REST),
        (start, DayStatus.DONE),
        (start + timedelta(days=1), DayStatus.PARTLY),
        (start + timedelta(days=2), DayStatus.MISSED),
    ]


def test_settings_round_trip(services) -> None:
    _, _, settings = services
    assert settings.get("reminders", {"enabled": True}) == {"enabled": True}
    settings.set("reminders", {"enabled": False, "snooze": 15})
    assert settings.get("reminders") == {"enabled": False, "snooze": 15}
