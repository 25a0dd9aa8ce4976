"""Scheduling by local calendar day: exactly the scheduled occurrences per day, none doubled or
lost, across daylight-saving transitions in many zones and years, and after moving zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from rehab_app.core.plan import Phase, Plan, PlanItem, Schedule
from rehab_app.core.schedule import is_due_on, local_moment, occurrences_on, session_times_on

ZONES = sorted(
    zone
    for zone in available_timezones()
    if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/"))
)


def _item(exercise_id: str, times: list[time], **schedule: object) -> PlanItem:
    if "weekdays" not in schedule and "every_n_days" not in schedule:
        schedule["weekdays"] = [1, 2, 3, 4, 5, 6, 7]
    return PlanItem(
        exercise_id=exercise_id,
        sets=1,
        reps=1,
        hold_s=0,
        rest_s=0,
        schedule=Schedule(times=times, **schedule),
    )


def _plan(items: list[PlanItem], start: date = date(1970, 1, 1)) -> Plan:
    return Plan(start=start, phases=[Phase(name="one", starts_on_day=0, items=items)])


@cache
def _transition_days(zone_name: str, year: int) -> tuple[date, ...]:
    """Local days on which the zone's UTC offset changes (DST starts or ends)."""
    zone = ZoneInfo(zone_name)
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        start = local_moment(day, time(0, 0), zone).utcoffset()
        end = local_moment(day, time(23, 59), zone).utcoffset()
        if start != end:
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


# Every minute of the clock that DST changes commonly touch, plus ordinary session times.
SLOTS = st.lists(
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59])),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), year=st.integers(1996, 2037), slots=SLOTS, data=st.data())
def test_each_slot_happens_once_on_transition_days(zone, year, slots, data) -> None:
    days = _transition_days(zone, year)
    day = data.draw(st.sampled_from(days)) if days else date(year, 6, 15)
    occurrences = occurrences_on(_plan([_item("aa", slots)]), day, zone)
    if local_moment(day, time(12), ZoneInfo(zone)).date() != day:
        assert occurrences == []  # a day the zone skipped (date line moves) has no sessions
        return
    assert sorted(o.slot for o in occurrences) == sorted(slots)  # each slot exactly once
    for occurrence in occurrences:
        local = occurrence.starts_at
        assert local.date() == day  # on its own local day, never pushed into the next
        wall = datetime.combine(day, occurrence.slot)
        exists = (
            wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).astimezone(ZoneInfo(zone))
        ).replace(tzinfo=None) == wall
        if exists:
            assert local.replace(tzinfo=None) == wall
        else:  # inside a spring-forward gap: moved by no more than the jump, same day
            assert abs(local.replace(tzinfo=None) - wall) <= timedelta(hours=3)
            assert local.replace(tzinfo=None) != wall


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(date(2000, 1, 1), date(2035, 12, 1)),
    length=st.integers(1, 30),
    every=st.integers(1, 5),
    slots=SLOTS,
)
def test_consecutive_days_lose_and_double_nothing(zone, first, length, every, slots) -> None:
    plan = _plan([_item("aa", slots, every_n_days=every, start=first)], start=first)
    seen = []
    for offset in range(length):
        day = first + timedelta(days=offset)
        found = occurrences_on(plan, day, zone)
        expected = len(slots) if offset % every == 0 else 0
        assert len(found) == expected
        seen.extend(o.starts_at for o in found)
    assert len(set(seen)) == len(seen)


@settings(max_examples=100, deadline=None)
@given(
    home=st.sampled_from(ZONES),
    away=st.sampled_from(ZONES),
    day=st.dates(date(2000, 1, 1)),
    slots=SLOTS,
)
def test_after_moving_zones_the_same_wall_clock_sessions_are_due(home, away, day, slots) -> None:
    plan = _plan([_item("aa", slots)])
    at_home = occurrences_on(plan, day, home)
    abroad = occurrences_on(plan, day, away)
    assert [o.slot for o in at_home] == [o.slot for o in abroad]
    assert all(o.starts_at.date() == day for o in at_home + abroad)


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    london = ZoneInfo("Europe/London")
    moment = local_moment(date(2026, 3, 29), time(1, 30), london)  # 01:00 -> 02:00 that night
    assert (moment.hour, moment.minute, moment.utcoffset()) == (2, 30, timedelta(hours=1))


def test_a_gap_at_the_end_of_the_day_keeps_the_session_on_that_day() -> None:
    nuuk = ZoneInfo("America/Nuuk")  # springs from 23:00 to 00:00 on the last Saturday of March
    moment = local_moment(date(2026, 3, 28), time(23, 30), nuuk)
    assert (moment.date(), moment.hour, moment.minute) == (date(2026, 3, 28), 22, 30)


def test_a_day_skipped_by_the_zone_has_no_sessions_and_its_neighbours_do() -> None:
    plan = _plan([_item("aa", [time(8), time(20)])])
    assert occurrences_on(plan, date(2011, 12, 30), "Pacific/Apia") == []
    assert len(occurrences_on(plan, date(2011, 12, 29), "Pacific/Apia")) == 2
    assert len(occurrences_on(plan, date(2011, 12, 31), "Pacific/Apia")) == 2


def test_a_time_that_happens_twice_in_autumn_is_taken_once_the_first_time() -> None:
    london = ZoneInfo("Europe/London")
    moment = local_moment(date(2026, 10, 25), time(1, 30), london)
    assert moment.utcoffset() == timedelta(hours=1)  # the first 01:30, still summer time
    plan = _plan([_item("aa", [time(1, 30), time(8, 0)])])
    assert len(occurrences_on(plan, date(2026, 10, 25), "Europe/London")) == 2


def test_weekdays_every_n_days_and_date_bounds() -> None:
    weekly = Schedule(times=[time(8)], weekdays=[1, 3, 5], end=date(2026, 3, 20))
    monday = date(2026, 3, 2)
    assert [is_due_on(weekly, monday + timedelta(d), monday) for d in range(7)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert not is_due_on(weekly, date(2026, 3, 23), monday)  # after the end date
    every_third = Schedule(times=[time(8)], every_n_days=3, start=date(2026, 3, 3))
    assert [is_due_on(every_third, date(2026, 3, d), monday) for d in range(1, 8)] == [
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]


def test_phases_switch_on_their_day_and_group_times() -> None:
    slider = _item("slider", [time(8), time(18)])
    tensioner = _item("tensioner", [time(8)])
    plan = Plan(
        start=date(2026, 3, 2),
        phases=[
            Phase(name="Weeks 1-2", starts_on_day=0, items=[slider]),
            Phase(name="From week 3", starts_on_day=14, items=[slider, tensioner]),
        ],
    )
    assert occurrences_on(plan, date(2026, 3, 1), "UTC") == []  # before the plan
    week_two = occurrences_on(plan, date(2026, 3, 15), "UTC")
    assert [(o.phase_name, o.item.exercise_id) for o in week_two] == [
        ("Weeks 1-2", "slider"),
        ("Weeks 1-2", "slider"),
    ]
    week_three = occurrences_on(plan, date(2026, 3, 16), "UTC")
    assert [(o.slot, o.item.exercise_id) for o in week_three] == [
        (time(8), "slider"),
        (time(8), "tensioner"),
        (time(18), "slider"),
    ]
    assert session_times_on(plan, date(2026, 3, 16)) == [time(8), time(18)]
