"""Exercise definitions: the domain model behind one `exercises/<id>.toml` file.

The model is strict on purpose (`extra="forbid"`, ranges, lengths): exercise files come from
this repository and, later, from therapists' packs, so every value is checked before the app
shows it. Cross-file rules (unknown links, duplicate ids, missing pictures) need the whole
library and live in `rehab_app.formats.exercise_toml`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rehab_app.core.vocabulary import BodyRegion, Category, Position, Side, Stage

#: The newest exercise file format this build understands. A file with a higher number was
#: written for a newer rehab_app and is refused rather than half-understood.
EXERCISE_FORMAT_VERSION = 1

ExerciseId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$", min_length=2, max_length=64)
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
SourceTag = Annotated[str, StringConstraints(pattern=r"^S\d+[a-z]?$", max_length=8)]


class DosageValue(BaseModel):
    """One dosage quantity: the default a plan starts from and the range it may be set to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: int = Field(ge=0, le=3600)
    min: int = Field(ge=0, le=3600)
    max: int = Field(ge=0, le=3600)
    note: ShortText | None = None

    @model_validator(mode="after")
    def _default_inside_range(self) -> DosageValue:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if not self.min <= self.default <= self.max:
            raise ValueError(f"default {self.default} is outside the range {self.min}-{self.max}")
        return self


class Dosage(BaseModel):
    """How much and how often. `hold_s = 0` means a continuous movement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sets: DosageValue
    reps: DosageValue
    hold_s: DosageValue
    rest_s: DosageValue
    per_day: DosageValue
    days_per_week: DosageValue
    #: Seconds one repetition takes when moving at the intended pace (without the hold); used
    #: to estimate how long a session lasts.
    tempo_s: int = Field(default=3, ge=1, le=60)
    side: Side
    target: LongText | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Dosage:
        problems = []
        for name in ("sets", "reps", "per_day"):
            if getattr(self, name).min < 1:
                problems.append(f"{name}: the smallest allowed value must be at least 1")
        if self.days_per_week.max > 7 or self.days_per_week.min < 1:
            problems.append("days_per_week: must stay within 1-7")
        if self.per_day.max > 12:
            problems.append("per_day: more than 12 sessions a day is not a home programme")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Exercise(BaseModel):
    """One exercise as a patient will see it, plus the metadata the library filters on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int = Field(ge=1)
    id: ExerciseId
    name: ShortText
    summary: LongText
    aliases: list[ShortText] = Field(default_factory=list, max_length=20)
    category: Category
    body_regions: list[BodyRegion] = Field(min_length=1, max_length=12)
    targets: list[ShortText] = Field(default_factory=list, max_length=12)
    equipment: list[ShortText] = Field(default_factory=list, max_length=12)
    positions: list[Position] = Field(min_length=1, max_length=6)
    stages: list[Stage] = Field(min_length=1, max_length=3)
    dosage: Dosage
    steps: list[LongText] = Field(min_length=1, max_length=12)
    cautions: list[LongText] = Field(default_factory=list, max_length=12)
    progression_to: list[ExerciseId] = Field(default_factory=list, max_length=8)
    progression_notes: list[ShortText] = Field(default_factory=list, max_length=8)
    regression_to: list[ExerciseId] = Field(default_factory=list, max_length=8)
    regression_notes: list[ShortText] = Field(default_factory=list, max_length=8)
    #: File name of the picture in the illustrations folder (or a pack's media folder).
    illustration: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]+\.(svg|png|jpe?g)$")]
    sources: list[SourceTag] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _known_version_and_links(self) -> Exercise:
        if self.format_version > EXERCISE_FORMAT_VERSION:
            raise ValueError(
                f"format_version {self.format_version} was made by a newer version of rehab_app"
                f" (this one reads up to {EXERCISE_FORMAT_VERSION})"
            )
        if self.id in self.progression_to or self.id in self.regression_to:
            raise ValueError("an exercise cannot progress or regress to itself")
        return self

    def search_text(self) -> str:
        """Lower-case text the library search matches against: name and aliases."""
        return " ".join([self.name, *self.aliases]).casefold()
