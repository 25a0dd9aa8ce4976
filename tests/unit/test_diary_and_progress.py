"""The diary, safety records and progress data through the services; the meaningful-change
arithmetic against hand-computed cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from rehab_app.core.diary import Context, DiaryEntry, LegExtent, Medication, Quality
from rehab_app.core.meaningful import (
    PAIN,
    PSFS,
    RMDQ,
    Verdict,
    judge,
    rising_two_weeks_running,
    rolling_mean,
)
from rehab_app.core.safety import Urgency
from rehab_app.services.bundle import build_services
from rehab_app.services.diary import DiaryFilter
from rehab_app.services.maintenance import open_data_folder


@pytest.fixture
def services(data_dir, clock, shipped_library):
    opened = open_data_folder(data_dir, clock)
    yield build_services(opened.engine, shipped_library, clock)
    opened.engine.dispose()


@pytest.mark.parametrize(
    ("baseline", "current", "threshold", "verdict", "band"),
    [
        (6.0, 4.0, PAIN, Verdict.BETTER, 2.0),  # 2 points is the band for baselines up to 6.67
        (6.0, 4.5, PAIN, Verdict.NO_CLEAR_CHANGE, 2.0),
        (8.0, 6.0, PAIN, Verdict.NO_CLEAR_CHANGE, 2.4),  # 30 % of 8 is larger than 2
        (8.0, 5.6, PAIN, Verdict.BETTER, 2.4),
        (3.0, 5.0, PAIN, Verdict.WORSE, 2.0),
        (14.0, 10.0, RMDQ, Verdict.NO_CLEAR_CHANGE, 5.0),
        (20.0, 14.0, RMDQ, Verdict.BETTER, 6.0),
        (4.0, 6.0, PSFS, Verdict.BETTER, 2.0),  # PSFS: higher is better
        (6.0, 4.0, PSFS, Verdict.WORSE, 2.0),
        (None, 4.0, PAIN, Verdict.NOT_ENOUGH_DATA, None),
    ],
)
def test_meaningful_change_against_hand_computed_cases(
    baseline, current, threshold, verdict, band
) -> None:
    result = judge(baseline, current, threshold)
    assert result.verdict == verdict
    assert result.band == (pytest.approx(band) if band is not None else None)


def test_rolling_mean_leaves_gaps_and_never_interpolates() -> None:
    start = date(2026, 3, 1)
    daily = {start: 4.0, start + timedelta(days=1): 6.0, start + timedelta(days=2): 5.0}
    days = [start + timedelta(days=n) for n in range(12)]
    averages = rolling_mean(days, daily)
    assert averages[:2] == [None, None]  # fewer than three days of data
    assert averages[2] == pytest.approx(5.0)
    assert averages[6] == pytest.approx(5.0)  # the window still holds all three entries
    assert averages[7] is None  # only two entries left in the last seven days
    assert averages[11] is None


def test_weekly_trend_rule_needs_two_rises_in_a_row() -> None:
    today = date(2026, 3, 22)
    rising = {today - timedelta(days=d): 3.0 + (21 - d) // 7 for d in range(1, 22)}
    assert rising_two_weeks_running({d: -v for d, v in rising.items()}, today) is False
    # oldest week 5, then 4, then 3 as values go: make the newest the highest
    newest_high = {d: 2.0 + (21 - (today - d).days) // 7 for d in rising}
    assert rising_two_weeks_running(newest_high, today) is True
    flat_then_up = {d: 2.0 if (today - d).days > 7 else 4.0 for d in rising}
    assert rising_two_weeks_running(flat_then_up, today) is False


def test_entries_are_stamped_and_late_ones_marked_retrospective(services, clock) -> None:
    saved, changes = services.diary.add(DiaryEntry(back_pain=4, leg_pain=6, context=Context.WAKING))
    assert changes.diary and not saved.retrospective
    assert saved.entry.at == clock.now().local and saved.local_day == clock.now().local_day
    yesterday_evening = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
    late, _ = services.diary.add(DiaryEntry(back_pain=3, leg_pain=3, at=yesterday_evening))
    assert late.retrospective and late.local_day == date(2026, 3, 28)


def test_edit_and_delete_return_what_undo_needs(services) -> None:
    saved, _ = services.diary.add(
        DiaryEntry(
            back_pain=4,
            leg_pain=6,
            leg_extent=LegExtent.THIGH,
            qualities=[Quality.BURNING],
            medications=[Medication(name="Paracetamol", dose="1 g")],
        )
    )
    before, after, _ = services.diary.update(
        saved.id, saved.entry.model_copy(update={"leg_pain": 3})
    )
    assert (before.entry.leg_pain, after.entry.leg_pain) == (6, 3)
    assert after.entry.medications[0].name == "Paracetamol"
    removed, _ = services.diary.delete(saved.id)
    assert services.diary.get(saved.id) is None
    back, _ = services.diary.restore(removed)
    assert back.entry == removed.entry and back.entered_utc == removed.entered_utc


def test_search_and_filter(services, clock) -> None:
    services.diary.add(DiaryEntry(back_pain=2, leg_pain=2, note="Long drive to Leeds"))
    services.diary.add(
        DiaryEntry(
            back_pain=5, leg_pain=7, context=Context.FLARE, qualities=[Quality.PINS_AND_NEEDLES]
        )
    )
    services.diary.add(
        DiaryEntry(back_pain=3, leg_pain=3, medications=[Medication(name="Ibuprofen")])
    )
    assert [r.entry.note for r in services.diary.entries(DiaryFilter(text="leeds"))] == [
        "Long drive to Leeds"
    ]
    assert len(services.diary.entries(DiaryFilter(text="ibuprofen"))) == 1
    assert len(services.diary.entries(DiaryFilter(text="pins and needles"))) == 1
    assert [
        r.entry.leg_pain for r in services.diary.entries(DiaryFilter(context=Context.FLARE))
    ] == [7]


def test_daily_pain_is_a_mean_per_local_day(services, clock) -> None:
    for back, leg in ((2, 4), (4, 8)):
        services.diary.add(DiaryEntry(back_pain=back, leg_pain=leg))
    clock.advance(days=2)
    services.diary.add(DiaryEntry(back_pain=1, leg_pain=1))
    days = services.diary.daily_pain()
    assert [(d.day.isoformat(), d.back, d.leg, d.entries) for d in days] == [
        ("2026-03-29", 3.0, 6.0, 2),
        ("2026-03-31", 1.0, 1.0, 1),
    ]


def test_morning_checkin_is_asked_after_an_exercise_day(services, clock) -> None:
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    services.sessions.record_done(clock.now().local_day, time(8))
    today = clock.now().local_day
    assert services.diary.needs_morning_checkin(today) is False  # no exercise yesterday
    clock.advance(days=1)
    assert services.diary.needs_morning_checkin(clock.now().local_day) is True
    services.diary.add(DiaryEntry(back_pain=2, leg_pain=3, context=Context.WAKING))
    assert services.diary.needs_morning_checkin(clock.now().local_day) is False


def test_red_flag_answers_are_recorded_and_the_checklist_is_weekly(services, clock) -> None:
    assert services.safety.checklist_due()
    level, _ = services.safety.record_checklist([])
    assert level is None and not services.safety.checklist_due()
    clock.advance(days=7)
    assert services.safety.checklist_due()
    level, _ = services.safety.record_checklist(["fever", "bladder"])
    assert level == Urgency.EMERGENCY
    kinds = [(e.kind, e.items) for e in services.safety.events()]
    assert kinds == [("checklist", ()), ("emergency", ("fever", "bladder"))]


def test_progress_data_has_baseline_verdict_and_overlays(services, clock) -> None:
    start = clock.now().local_day
    services.plans.save(services.plans.starter_plan(start), "New plan")
    for offset in range(28):
        leg = 7 if offset < 7 else (5 if offset < 21 else 3)
        services.diary.add(
            DiaryEntry(back_pain=4, leg_pain=leg, at=clock.now().at_utc.replace(tzinfo=UTC))
        )
        if offset % 2 == 0:
            services.sessions.record_done(clock.now().local_day, time(8))
        clock.advance(days=1)
    clock.advance(days=-1)
    services.safety.record_checklist(["worsening_weakness"])
    data = services.progress.load(days=None)
    assert data.baseline is not None and data.baseline.start == start
    assert (data.baseline.back, data.baseline.leg) == (4.0, 7.0)
    assert data.leg_verdict.verdict == Verdict.BETTER  # 7 -> 3 is beyond the 2.1-point band
    assert data.back_verdict.verdict == Verdict.NO_CLEAR_CHANGE
    assert len(data.daily) == 28 and data.days[0] == start
    assert data.plan_changes == ((start, "New plan"),)
    assert len(data.sessions_per_day) == 14 and all(
        count == 1 for _, count in data.sessions_per_day
    )
    assert data.safety_events == ((clock.now().local_day, "same_day"),)
    two_weeks = services.progress.load(days=14)
    assert two_weeks.first == clock.now().local_day - timedelta(days=13)
    assert len(two_weeks.back_average) == 14 and None not in two_weeks.back_average


def test_questionnaires_are_stored_with_their_score_and_due_every_two_weeks(
    services, clock
) -> None:
    assert services.questionnaires.due("rmdq")
    services.questionnaires.save("rmdq", {"1": True, "2": False}, 1.0, 2)
    assert not services.questionnaires.due("rmdq")
    clock.advance(days=14)
    assert services.questionnaires.due("rmdq")
    assert services.progress.load().questionnaires == {"rmdq": ((date(2026, 3, 29), 1.0),)}
