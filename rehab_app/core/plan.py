"""The prescription: which exercises, how much, when, in which phase, and the pain thresholds.

A plan is a document. Every change is stored as a new dated version (storage keeps them all),
so the history of what was prescribed when survives every edit and feeds the progress charts.

Phases plan progression ahead: each phase is a complete list of items that applies from its
`starts_on_day` (days after the plan's start) until the next phase starts, e.g. phase 1 on
day 0 with sliders only, phase 2 on day 14 with sliders and tensioners.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rehab_app.core.exercise import Exercise, ExerciseId
from rehab_app.core.vocabulary import Side

PLAN_FORMAT_VERSION = 1

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class PlanSide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    AFFECTED = "affected"  # the painful side, whichever it is


class Schedule(BaseModel):
    """When an item is due: at named local times, on chosen weekdays or every N days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    times: list[time] = Field(min_length=1, max_length=8)
    #: ISO weekdays, 1 = Monday ... 7 = Sunday. Empty means "every `every_n_days` days".
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(default_factory=list, max_length=7)
    every_n_days: int | None = Field(default=None, ge=1, le=30)
    start: date | None = None  # defaults to the start of the phase the item is in
    end: date | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Schedule:
        if bool(self.weekdays) == (self.every_n_days is not None):
            raise ValueError("choose either weekdays or every N days")
        if len(set(self.times)) != len(self.times):
            raise ValueError("the same session time is listed twice")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("the same weekday is listed twice")
        if self.start and self.end and self.end < self.start:
            raise ValueError("the end date is before the start date")
        return self

    @property
    def sessions_per_day(self) -> int:
        return len(self.times)


class PlanItem(BaseModel):
    """One prescribed exercise with its dose and schedule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise_id: ExerciseId
    sets: int = Field(ge=1, le=20)
    reps: int = Field(ge=1, le=100)
    hold_s: int = Field(ge=0, le=3600)
    rest_s: int = Field(ge=0, le=600)
    tempo_s: int = Field(default=3, ge=1, le=60)
    side: PlanSide = PlanSide.AFFECTED
    note: Note = ""
    schedule: Schedule

    def dose_problems(self, exercise: Exercise) -> list[str]:
        """Where this dose leaves the ranges the exercise file allows, in plain words."""
        problems = []
        for name, label in (
            ("sets", "Sets"),
            ("reps", "Repetitions"),
            ("hold_s", "Hold (seconds)"),
            ("rest_s", "Rest (seconds)"),
        ):
            allowed = getattr(exercise.dosage, name)
            value = getattr(self, name)
            if not allowed.min <= value <= allowed.max:
                problems.append(
                    f"{label} for {exercise.name} must be between {allowed.min} and"
                    f" {allowed.max}; {value} is outside that range."
                )
        per_day = exercise.dosage.per_day
        if not per_day.min <= self.schedule.sessions_per_day <= per_day.max:
            problems.append(
                f"{exercise.name} is meant for {per_day.min} to {per_day.max} sessions a day;"
                f" {self.schedule.sessions_per_day} were chosen."
            )
        return problems


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    starts_on_day: int = Field(ge=0, le=3650)  # days after the plan's start
    items: list[PlanItem] = Field(default_factory=list, max_length=30)


class PainThresholds(BaseModel):
    """The traffic-light limits (clinical.md §2.1), data carried by the plan, not constants."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Pain during the exercise (0-10): up to green_max is green, up to amber_max amber, above red.
    green_max: int = Field(default=3, ge=0, le=10)
    amber_max: int = Field(default=5, ge=0, le=10)
    #: Next morning: points above the usual morning pain that are still acceptable (amber).
    morning_rise_amber: int = Field(default=2, ge=0, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> PainThresholds:
        if self.green_max > self.amber_max:
            raise ValueError("green_max must not be above amber_max")
        return self


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int = Field(default=PLAN_FORMAT_VERSION, ge=1)
    title: Name = "My exercise plan"
    start: date
    phases: list[Phase] = Field(min_length=1, max_length=12)
    thresholds: PainThresholds = Field(default_factory=PainThresholds)
    message: Note = ""  # from the therapist, shown on Today

    @model_validator(mode="after")
    def _phases_in_order(self) -> Plan:
        if self.format_version > PLAN_FORMAT_VERSION:
            raise ValueError(
                f"format_version {self.format_version} was made by a newer version of rehab_app"
            )
        starts = [phase.starts_on_day for phase in self.phases]
        if starts[0] != 0:
            raise ValueError("the first phase must start on day 0, the plan's start")
        if starts != sorted(set(starts)):
            raise ValueError("phases must start on different days, in order")
        return self

    def phase_on(self, day: date) -> Phase | None:
        """The phase that applies on `day`, or None before the plan starts."""
        offset = (day - self.start).days
        if offset < 0:
            return None
        current = None
        for phase in self.phases:
            if phase.starts_on_day <= offset:
                current = phase
        return current

    def phase_start(self, phase: Phase) -> date:
        from datetime import timedelta

        return self.start + timedelta(days=phase.starts_on_day)


def sides_to_do(item: PlanItem, exercise: Exercise) -> int:
    """2 when a one-sided exercise is prescribed for both sides (each side gets the full dose)."""
    one_sided = exercise.dosage.side in (Side.EACH, Side.ALTERNATE)
    return 2 if one_sided and item.side == PlanSide.BOTH else 1


def estimate_item_seconds(item: PlanItem, exercise: Exercise, setup_s: int = 20) -> int:
    """How long one session of this item takes: sets x reps x (tempo + hold) + rests + set-up."""
    per_rep = item.tempo_s + item.hold_s
    one_side = item.sets * item.reps * per_rep + max(0, item.sets - 1) * item.rest_s
    return setup_s + one_side * sides_to_do(item, exercise)
