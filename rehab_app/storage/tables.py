"""SQLModel table classes: one place per table.

Every moment is stored three ways (see rehab_app.core.timestamps): `at_utc` (the instant),
`tz_name` (the IANA zone it happened in) and `local_day` (the user's calendar day, indexed),
so per-day views group by the day the person lived, also after travel.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
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


class PlanVersion(SQLModel, table=True):
    """One dated version of the plan; a change adds a version, nothing is overwritten."""

    __tablename__ = "plan_version"

    id: int | None = Field(default=None, primary_key=True)
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)
    author: str = Field(max_length=20)  # "patient", "pack" or "starter"
    source: str = Field(default="", max_length=200)  # e.g. the pack's title and therapist
    summary: str = Field(default="", max_length=2_000)  # what changed, in plain words
    plan_json: str = Field(max_length=500_000)


class SessionLog(SQLModel, table=True):
    """One exercise session (guided, recorded by hand, or skipped) on a local day."""

    __tablename__ = "session_log"

    id: int | None = Field(default=None, primary_key=True)
    plan_version_id: int | None = Field(default=None, foreign_key="plan_version.id", index=True)
    local_day: date = Field(index=True)
    slot: str = Field(default="", max_length=5)  # "HH:MM" of the planned session, "" if ad hoc
    how: str = Field(max_length=10)  # "player", "manual" or "skipped"
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    note: str = Field(default="", max_length=2_000)


class ExerciseLog(SQLModel, table=True):
    """What was actually done of one exercise in a session; committed when it ends."""

    __tablename__ = "exercise_log"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="session_log.id", index=True, ondelete="CASCADE")
    exercise_id: str = Field(max_length=64, index=True)
    sets_done: int
    reps_done: int
    holds_done: int
    skipped: bool = False
    pain_during: int | None = None
    effort: str | None = Field(default=None, max_length=12)
    nerve_response: str | None = Field(default=None, max_length=12)
    advice_light: str | None = Field(default=None, max_length=6)
    advice_message: str = Field(default="", max_length=1_000)
    note: str = Field(default="", max_length=2_000)
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)


class DiaryEntryRow(SQLModel, table=True):
    """One pain diary entry. `at_utc`/`local_day` are when it is about; `entered_utc` is when
    it was written (a late entry is marked retrospective)."""

    __tablename__ = "diary_entry"
    # Covering index for the daily aggregate the charts read: SQLite answers it from the index
    # alone, in day order (about half the time of a table scan at ten years of entries).
    __table_args__ = (Index("ix_diary_entry_day_pain", "local_day", "back_pain", "leg_pain"),)

    id: int | None = Field(default=None, primary_key=True)
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)
    entered_utc: datetime
    retrospective: bool = False
    back_pain: int
    leg_pain: int
    context: str = Field(max_length=20)
    leg_extent: str = Field(max_length=12)
    side: str | None = Field(default=None, max_length=6)
    qualities: str = Field(default="", max_length=300)  # comma-separated codes
    aggravating: str = Field(default="", max_length=300)
    medications_json: str = Field(default="[]", max_length=4_000)
    sleep_hours: float | None = None
    woken_by_pain: bool | None = None
    note: str = Field(default="", max_length=2_000)


class QuestionnaireResponse(SQLModel, table=True):
    """A completed Roland-Morris or Patient-Specific Functional Scale, with its score."""

    __tablename__ = "questionnaire_response"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10, index=True)  # "rmdq" or "psfs"
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)
    answers_json: str = Field(max_length=20_000)
    score: float | None = None  # None when too few items were answered to score
    answered: int
    note: str = Field(default="", max_length=2_000)


class SafetyEvent(SQLModel, table=True):
    """A red-flag answer, a completed checklist, or a trend warning: kept for the clinician."""

    __tablename__ = "safety_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    items: str = Field(default="", max_length=2_000)  # comma-separated checklist item codes
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)


class PackExercise(SQLModel, table=True):
    """An exercise a therapist wrote, brought in by a pack; its picture is in `media/`."""

    __tablename__ = "pack_exercise"

    exercise_id: str = Field(primary_key=True, max_length=64)
    pack_id: str = Field(max_length=64, index=True)
    pack_version: int
    exercise_json: str = Field(max_length=100_000)


class TrustedSigner(SQLModel, table=True):
    """A pack-signing key the patient has accepted, pinned to the name it first came with."""

    __tablename__ = "trusted_signer"

    fingerprint: str = Field(primary_key=True, max_length=40)
    public_key: str = Field(max_length=100)
    name: str = Field(max_length=120)
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date


class PackImport(SQLModel, table=True):
    """One imported pack: which id and version, who signed it, and the plan version it made."""

    __tablename__ = "pack_import"

    id: int | None = Field(default=None, primary_key=True)
    pack_id: str = Field(max_length=64, index=True)
    version: int
    title: str = Field(max_length=80)
    author: str = Field(max_length=120)
    fingerprint: str | None = Field(default=None, max_length=40)  # None: imported unsigned
    plan_version_id: int = Field(foreign_key="plan_version.id")
    at_utc: datetime
    tz_name: str = Field(max_length=64)
    local_day: date = Field(index=True)
