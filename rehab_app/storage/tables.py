"""SQLModel table classes: one place per table.

Every moment is stored three ways (see rehab_app.core.timestamps): `at_utc` (the instant),
`tz_name` (the IANA zone it happened in) and `local_day` (the user's calendar day, indexed),
so per-day views group by the day the person lived, also after travel.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from rehab_app.core.timestamps import Stamp


class Setting(SQLModel, table=True):
    """A user preference, stored as JSON text under a stable key."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=100)
    value_json: str = Field(max_length=10_000)


class AppEvent(SQLModel, table=True):
    """Things the app did to the data that a person may later ask about (upgrades, restores)."""

    __tablename__ = "app_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    detail: str = Field(default="", max_length=2_000)
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)

    @classmethod
    def at(cls, when: Stamp, kind: str, detail: str = "") -> AppEvent:
        return cls(
            kind=kind,
            detail=detail,
            at_utc=when.at_utc,
            tz_name=when.tz_name,
            local_day=when.local_day,
        )
