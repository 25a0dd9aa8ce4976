"""Moments as the app stores them: UTC instant, IANA zone name, and the local calendar day.

Everything shown "per day" groups by `local_day`, the day on the user's wall calendar when the
thing happened, so a diary entry made at 23:30 in Lisbon stays on that day after a move to
Berlin, and a UTC-midnight boundary never splits an evening in two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Stamp:
    at_utc: datetime
    tz_name: str
    local_day: date

    @property
    def local(self) -> datetime:
        return self.at_utc.astimezone(ZoneInfo(self.tz_name))


def stamp(at_utc: datetime, tz_name: str) -> Stamp:
    """Stamp an aware instant in the given IANA zone. Naive datetimes are refused."""
    if at_utc.tzinfo is None:
        raise ValueError("a naive datetime cannot be stamped: its instant is unknown")
    utc = at_utc.astimezone(UTC)
    return Stamp(at_utc=utc, tz_name=tz_name, local_day=utc.astimezone(ZoneInfo(tz_name)).date())


def iso_local(at: datetime, tz_name: str) -> str:
    """`2026-03-29T08:30:00+01:00`: the local time in the zone with its offset at that moment
    (ISO 8601, as exports write it; fractions of a second only when there are some)."""
    return stamp(at, tz_name).local.isoformat()


class Clock(Protocol):
    """Where services get "now" from; tests pass a fake one."""

    def now(self) -> Stamp: ...


@dataclass
class SystemClock:
    tz_name: str

    def now(self) -> Stamp:
        return stamp(datetime.now(UTC), self.tz_name)


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one moment: for history written after the fact (demo data) and for
    looking at someone else's data "as of" the day it was exported (visit bundles)."""

    at_utc: datetime
    tz_name: str

    def now(self) -> Stamp:
        return stamp(self.at_utc, self.tz_name)
