"""What is due on a local calendar day, and when exactly, across daylight saving and travel.

Session times are wall-clock times ("08:00 and 18:00") in whatever zone the person is in on
that day. Each scheduled time happens exactly once per local day:
- a time that does not exist because clocks jump forward (for example 02:30 on the spring
  change) is moved forward by the size of the jump (03:30), the way a wall clock would read;
  where the jump is at the end of the day (Nuuk springs from 23:00 to 00:00), moving forward
  would leave the day, so such a time moves back by the jump instead (23:30 becomes 22:30);
- a time that happens twice because clocks go back is taken at its first occurrence;
- a calendar day a zone skipped entirely (Samoa moved across the date line and had no
  30 December 2011) has no sessions: nobody lived it.
tests/unit/test_schedule.py checks both with hypothesis over many zones and years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from rehab_app.core.plan import Plan, PlanItem, Schedule


@dataclass(frozen=True)
class Occurrence:
    phase_name: str
    item_index: int  # position of the item within its phase
    item: PlanItem
    slot: time  # the session time as prescribed
    starts_at: datetime  # aware, in the person's zone


def is_due_on(schedule: Schedule, day: date, anchor: date) -> bool:
    """Whether a schedule has sessions on `day`; `anchor` is where "every N days" counts from."""
    start = schedule.start or anchor
    if day < start or (schedule.end is not None and day > schedule.end):
        return False
    if schedule.weekdays:
        return day.isoweekday() in schedule.weekdays
    assert schedule.every_n_days is not None
    return (day - start).days % schedule.every_n_days == 0


def local_moment(day: date, slot: time, zone: ZoneInfo) -> datetime:
    """The instant a wall-clock `slot` on `day` refers to (see the module docstring)."""
    wall = datetime.combine(day, slot).replace(tzinfo=zone, fold=0)
    # The round trip through UTC normalises a time inside a spring-forward gap: with fold=0
    # it lands after the gap, with fold=1 before it.
    moment = wall.astimezone(UTC).astimezone(zone)
    if moment.date() != day:
        moment = wall.replace(fold=1).astimezone(UTC).astimezone(zone)
    return moment


def occurrences_on(plan: Plan, day: date, tz_name: str) -> list[Occurrence]:
    """Every scheduled session of every item on the local `day`, in time order."""
    phase = plan.phase_on(day)
    if phase is None:
        return []
    zone = ZoneInfo(tz_name)
    anchor = plan.phase_start(phase)
    found = [
        Occurrence(phase.name, index, item, slot, local_moment(day, slot, zone))
        for index, item in enumerate(phase.items)
        if is_due_on(item.schedule, day, anchor)
        for slot in item.schedule.times
    ]
    found = [occurrence for occurrence in found if occurrence.starts_at.date() == day]
    return sorted(found, key=lambda occurrence: (occurrence.slot, occurrence.item_index))


def session_times_on(plan: Plan, day: date) -> list[time]:
    """The distinct session times on `day` (what Today groups by and reminders ring at)."""
    phase = plan.phase_on(day)
    if phase is None:
        return []
    anchor = plan.phase_start(phase)
    return sorted(
        {
            slot
            for item in phase.items
            if is_due_on(item.schedule, day, anchor)
            for slot in item.schedule.times
        }
    )
