"""What happened in a session: one outcome per exercise, as the patient reported it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from rehab_app.core.exercise import ExerciseId
from rehab_app.core.plan import Note


class Effort(StrEnum):
    EASY = "easy"
    ABOUT_RIGHT = "about_right"
    TOO_HARD = "too_hard"


class NerveResponse(StrEnum):
    """For nerve exercises: what tingling or numbness did after the movement."""

    SETTLED = "settled"  # settled at once: fine
    LINGERED = "lingered"  # lasted minutes after the set: ease off
    SPREAD = "spread"  # spread further down the leg: stop this exercise


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Advice(BaseModel):
    model_config = ConfigDict(frozen=True)

    light: Light
    message: str


class ExerciseOutcome(BaseModel):
    """What was actually done of one prescribed exercise, and how it felt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise_id: ExerciseId
    sets_done: int = Field(ge=0, le=40)
    reps_done: int = Field(ge=0, le=4000)  # over all sets (and both sides)
    holds_done: int = Field(ge=0, le=4000)
    skipped: bool = False
    pain_during: int | None = Field(default=None, ge=0, le=10)
    effort: Effort | None = None
    nerve_response: NerveResponse | None = None
    advice: Advice | None = None
    note: Note = ""
