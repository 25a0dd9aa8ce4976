"""The visit report's read model (services.report) from a hand-built week of history.

The week: a plan from Monday 16 March 2026 with pelvic tilts at 08:00 and 18:00 every day and
glute bridges at 18:00 on Monday, Wednesday and Friday; some sessions done, one skipped, one
done in part; an amber and a red response; a red-flag answer; notes; questionnaires; a plan
change on Thursday. Every number below is counted by hand from that story.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rehab_app.core.diary import Context, DiaryEntry
from rehab_app.core.errors import RehabError
from rehab_app.core.meaningful import PSFS, RMDQ, Verdict
from rehab_app.core.plan import Phase, Plan, PlanItem, Schedule
from rehab_app.core.questionnaires import Since
from rehab_app.core.session import Advice, ExerciseOutcome, Light
from rehab_app.services.plans import describe_changes
from rehab_app.services.report import DEFAULT_WEEKS, LAST_REPORT_SETTING

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 16)
SUNDAY = date(2026, 3, 22)
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def at(clock, day: date, hour: int, minute: int = 0) -> None:
    """Move the fake clock to a local London time."""
    clock.at = datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def tilt(reps: int = 10) -> PlanItem:
    return PlanItem(
        exercise_id="pelvic_tilt",
        sets=1,
        reps=reps,
        hold_s=5,
        rest_s=5,
        schedule=Schedule(times=[time(8), time(18)], weekdays=EVERY_DAY),
    )


def bridge() -> PlanItem:
    return PlanItem(
        exercise_id="glute_bridge",
        sets=2,
        reps=10,
        hold_s=3,
        rest_s=60,
        schedule=Schedule(times=[time(18)], weekdays=[1, 3, 5]),
    )


def plan(reps: int = 10) -> Plan:
    return Plan(
        title="Week one",
        start=MONDAY,
        phases=[Phase(name="Only phase", starts_on_day=0, items=[tilt(reps), bridge()])],
    )


def outcome(exercise_id: str, light: Light = Light.GREEN, **changes: object) -> ExerciseOutcome:
    values: dict[str, object] = {
        "exercise_id": exercise_id,
        "sets_done": 1,
        "reps_done": 10,
        "holds_done": 10,
        "pain_during": {Light.GREEN: 2, Light.AMBER: 4, Light.RED: 7}[light],
        "advice": Advice(light=light, message=f"{light.value} advice"),
    }
    values.update(changes)
    return ExerciseOutcome.model_validate(values)


def session(services, clock, day: date, slot: int, *outcomes: ExerciseOutcome) -> None:
    at(clock, day, slot, 30)
    session_id, _ = services.sessions.start_session(day, time(slot))
    for done in outcomes:
        services.sessions.log_exercise(session_id, done)


@pytest.fixture
def week(app_services, clock):
    """The story of the module docstring; the clock ends on Sunday 29 March, 09:00."""
    services = app_services
    at(clock, MONDAY, 7)
    first = plan()
    services.plans.save(first, describe_changes(None, first))
    services.safety.record_checklist([])  # all clear
    services.questionnaires.save("rmdq", {}, 12, 24)
    session(services, clock, MONDAY, 8, outcome("pelvic_tilt"))
    session(
        services,
        clock,
        MONDAY,
        18,
        outcome("pelvic_tilt", Light.AMBER),
        outcome("glute_bridge", Light.RED, note="Felt a pull <b>here</b>"),
    )
    tuesday = MONDAY + timedelta(days=1)
    at(clock, tuesday, 8)
    services.sessions.skip(tuesday, time(8), note="Too tired")
    at(clock, tuesday, 20)
    services.diary.add(
        DiaryEntry(back_pain=5, leg_pain=6, context=Context.EVENING, note="Sore after gardening")
    )
    wednesday = MONDAY + timedelta(days=2)
    session(
        services,
        clock,
        wednesday,
        18,
        outcome("pelvic_tilt"),
        outcome("glute_bridge", skipped=True, sets_done=0, reps_done=0, holds_done=0),
    )
    at(clock, wednesday, 21)
    services.safety.record_checklist(["worsening_weakness"])
    thursday = MONDAY + timedelta(days=3)
    at(clock, thursday, 12)
    changed = plan(reps=12)
    services.plans.save(changed, describe_changes(first, changed))
    friday = MONDAY + timedelta(days=4)
    at(clock, friday, 19)
    services.sessions.record_done(friday, time(18))
    services.questionnaires.save(
        "psfs", {"activities": [{"name": "Walking", "score": 4}, {"name": "Sitting"}]}, 4.0, 1
    )
    at(clock, SUNDAY, 20)
    services.questionnaires.save("rmdq", {}, 6, 24)
    services.diary.add(DiaryEntry(back_pain=3, leg_pain=3, context=Context.EVENING))
    # After the week: must not show in a report on it.
    at(clock, SUNDAY + timedelta(days=3), 9)
    services.safety.record_checklist(["bladder"])
    services.diary.add(DiaryEntry(back_pain=2, leg_pain=2, note="Much better"))
    at(clock, date(2026, 3, 29), 9)
    return services


def test_adherence_counts_each_prescribed_time_against_what_was_logged(week) -> None:
    data = week.report.gather(MONDAY, SUNDAY)

    by_id = {row.exercise_id: row for row in data.adherence.exercises}
    # Pelvic tilt: twice a day for 7 days; done Monday twice, Wednesday and Friday evenings.
    assert (by_id["pelvic_tilt"].prescribed, by_id["pelvic_tilt"].done) == (14, 4)
    # Bridges: Monday, Wednesday, Friday; Wednesday's was skipped.
    assert (by_id["glute_bridge"].prescribed, by_id["glute_bridge"].done) == (3, 2)
    assert by_id["glute_bridge"].share == pytest.approx(2 / 3)
    assert (data.adherence.prescribed, data.adherence.done) == (17, 6)
    # 14 session times; Monday's two and Friday's evening in full, Wednesday's evening in part.
    adherence = data.adherence
    assert (adherence.sessions_due, adherence.sessions_done, adherence.sessions_partly) == (
        14,
        3,
        1,
    )
    assert (by_id["pelvic_tilt"].amber, by_id["pelvic_tilt"].red) == (1, 0)
    assert (by_id["glute_bridge"].amber, by_id["glute_bridge"].red) == (0, 1)
    assert [row.name for row in adherence.exercises] == ["Glute bridge", "Pelvic tilt (lying)"]


def test_flags_notes_plan_changes_and_scores_are_those_of_the_period(week) -> None:
    data = week.report.gather(MONDAY, SUNDAY)

    assert [(f.day, f.kind) for f in data.flags] == [(MONDAY + timedelta(days=2), "same_day")]
    assert data.flags[0].items[0].startswith("Weakness in your leg or foot is getting worse")
    assert data.red_flags == data.flags
    assert data.checklists_clear == 1
    assert [(r.day, r.name, r.light, r.pain_during) for r in data.responses] == [
        (MONDAY, "Pelvic tilt (lying)", "amber", 4),
        (MONDAY, "Glute bridge", "red", 7),
    ]
    assert [(n.day, n.at, n.about, n.text) for n in data.notes] == [
        (MONDAY, time(18, 30), "Glute bridge", "Felt a pull <b>here</b>"),
        (MONDAY + timedelta(days=1), time(8, 0), "session 08:00", "Too tired"),
        (MONDAY + timedelta(days=1), time(20, 0), "", "Sore after gardening"),
    ]
    # The plan was made in the period too; each version is described against the one before.
    assert [(change.day, change.changes) for change in data.plan_changes] == [
        (MONDAY, "New plan 'Week one' with 2 exercise entries."),
        (MONDAY + timedelta(days=3), "Changed pelvic tilt (only phase)."),
    ]
    assert data.plan is not None and data.plan.phases[0].items[0].reps == 12
    assert data.phase is not None and data.phase.name == "Only phase"
    assert data.exercise_name("glute_bridge") == "Glute bridge"
    assert data.exercise_name("gone_from_library") == "gone from library"

    rmdq, psfs = data.scores
    assert rmdq.kind == "rmdq" and rmdq.threshold == RMDQ
    assert rmdq.scores == ((MONDAY, 12.0), (SUNDAY, 6.0))
    (first,) = rmdq.comparisons  # the first answer is also the previous one
    assert first.since == Since.FIRST and first.verdict.verdict == Verdict.BETTER
    assert psfs.threshold == PSFS and psfs.scores == ((MONDAY + timedelta(days=4), 4.0),)
    assert psfs.comparisons == ()  # nothing earlier to compare with
    assert psfs.activities == (("Walking", 4), ("Sitting", None))


def test_pain_is_what_the_progress_screen_computes_for_the_period(week) -> None:
    data = week.report.gather(MONDAY, SUNDAY)

    assert data.pain == week.progress.load(days=7, last=SUNDAY)
    assert (data.pain.first, data.pain.last) == (MONDAY, SUNDAY)
    assert [(d.day, d.leg) for d in data.pain.daily] == [
        (MONDAY + timedelta(days=1), 6.0),
        (SUNDAY, 3.0),
    ]
    # "Now" is the 7 days up to the end of the period: Thursday's "Much better" is not in it.
    assert data.pain.leg_verdict.current == pytest.approx(4.5)


def test_the_default_period_is_six_weeks_but_never_before_the_first_data(
    app_services, clock
) -> None:
    report = app_services.report
    today = clock.now().local_day
    # No data at all: the last six weeks.
    assert report.default_period().first == today - timedelta(weeks=DEFAULT_WEEKS, days=-1)
    at(clock, today - timedelta(days=10), 9)
    app_services.diary.add(DiaryEntry(back_pain=3, leg_pain=4))
    at(clock, today, 9)
    period = report.default_period()
    assert (period.first, period.last, period.days) == (today - timedelta(days=10), today, 11)
    assert not period.since_last_report


def test_a_report_made_today_starts_the_next_default_period(week, clock) -> None:
    report = week.report
    today = clock.now().local_day
    data = report.gather()
    assert data.period.first == MONDAY  # six weeks back is before the first plan
    report.record_made(data)
    assert week.settings.get(LAST_REPORT_SETTING) == {
        "made": today.isoformat(),
        "from": MONDAY.isoformat(),
        "to": today.isoformat(),
    }
    # Made again the same day (on Letter paper, say): the same period.
    assert report.default_period().first == MONDAY
    clock.advance(days=2)
    later = report.default_period()
    assert (later.first, later.last, later.since_last_report) == (
        today,
        today + timedelta(days=2),
        True,
    )
    # A look back at an earlier period is not a report for a visit: it changes nothing.
    report.record_made(report.gather(MONDAY, SUNDAY))
    assert report.default_period().first == today


def test_a_damaged_setting_falls_back_to_the_default(week) -> None:
    week.settings.set(LAST_REPORT_SETTING, {"made": "yesterday"})
    period = week.report.default_period()
    assert (period.first, period.since_last_report) == (MONDAY, False)


def test_the_period_is_checked_and_never_ends_after_today(week, clock) -> None:
    today = clock.now().local_day
    with pytest.raises(RehabError, match="starts on 2026-03-22, after it ends on 2026-03-16"):
        week.report.gather(SUNDAY, MONDAY)
    future = week.report.period(MONDAY, today + timedelta(days=30))
    assert (future.first, future.last) == (MONDAY, today)
    only_end = week.report.period(None, SUNDAY)
    assert (only_end.first, only_end.last) == (SUNDAY - timedelta(days=41), SUNDAY)


def test_today_counts_what_is_done_not_what_is_still_to_come(week, clock) -> None:
    today = clock.now().local_day  # Sunday 29 March, 09:00: 08:00 is past, 18:00 to come
    nothing_yet = week.report.gather(today, today).adherence
    assert (nothing_yet.prescribed, nothing_yet.sessions_due) == (0, 0)

    session(week, clock, today, 8, outcome("pelvic_tilt"))
    done = week.report.gather(today, today).adherence
    assert (done.prescribed, done.done, done.sessions_due, done.sessions_done) == (1, 1, 1, 1)
