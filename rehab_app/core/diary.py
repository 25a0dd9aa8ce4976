"""The pain and symptom diary: one entry is back and leg pain on 0-10 scales plus context.

Back and leg pain are separate scales because in sciatica they move separately, and leg pain
is the one that tells nerve irritation (clinical.md §4). How far down the leg symptoms reach
is recorded as an ordered extent, so "spreading" and "centralising" can be computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Pain = Annotated[int, Field(ge=0, le=10)]


class Context(StrEnum):
    WAKING = "waking"
    BEFORE_EXERCISE = "before_exercise"
    AFTER_EXERCISE = "after_exercise"
    EVENING = "evening"
    FLARE = "flare"
    OTHER = "other"


class LegExtent(StrEnum):
    """How far down the leg symptoms reach, nearest the spine first (order matters)."""

    NONE = "none"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    BELOW_KNEE = "below_knee"
    FOOT = "foot"

    @property
    def rank(self) -> int:
        return list(LegExtent).index(self)


class BodySide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Quality(StrEnum):
    ACHING = "aching"
    BURNING = "burning"
    SHOOTING = "shooting"
    ELECTRIC = "electric"
    STABBING = "stabbing"
    PINS_AND_NEEDLES = "pins_and_needles"
    NUMBNESS = "numbness"
    WEAKNESS = "weakness"
    STIFFNESS = "stiffness"
    BLADDER_BOWEL = "bladder_bowel"  # any change in bladder or bowel control or feeling


class Activity(StrEnum):
    SITTING = "sitting"
    STANDING = "standing"
    WALKING = "walking"
    BENDING = "bending"
    LIFTING = "lifting"
    COUGHING_SNEEZING = "coughing_sneezing"
    LYING = "lying"


#: Recording these as new symptoms brings up the red-flag checklist (clinical.md §5).
RED_FLAG_TRIGGERS = frozenset({Quality.NUMBNESS, Quality.WEAKNESS, Quality.BLADDER_BOWEL})


class Medication(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Short
    dose: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    helped: bool | None = None


class DiaryEntry(BaseModel):
    """What the person records; `at` is when it is about (defaults to now when saved)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    back_pain: Pain
    leg_pain: Pain
    context: Context = Context.OTHER
    leg_extent: LegExtent = LegExtent.NONE
    side: BodySide | None = None
    qualities: list[Quality] = Field(default_factory=list, max_length=len(Quality))
    aggravating: list[Activity] = Field(default_factory=list, max_length=len(Activity))
    medications: list[Medication] = Field(default_factory=list, max_length=5)
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    woken_by_pain: bool | None = None
    note: Note = ""
    at: datetime | None = None  # aware; None means "now"


#: An entry about a moment this long before it was written is marked as recalled later,
#: because recalled pain is less reliable than pain rated at the time (clinical.md §6).
RETROSPECTIVE_AFTER_HOURS = 2


@dataclass(frozen=True)
class DiaryRecord:
    """An entry with the times stored around it, as a file brings it back (CSV import).

    Unlike `DiaryService.add`, an import keeps the original zone, the moment the entry was
    written and whether it was recalled later, so a round trip changes nothing.
    """

    entry: DiaryEntry  # `at` set and aware
    tz_name: str
    entered_utc: datetime
    retrospective: bool
