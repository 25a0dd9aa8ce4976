"""Outcome questionnaires: the Roland-Morris Disability Questionnaire and the PSFS, and scoring.

Both are free to use (clinical.md §4); the Oswestry index and PROMIS are not, so they are not
here. Answers are stored with their score (services.questionnaires), so the history survives
any later change to this code.

Roland-Morris (RMDQ-24): the 24 statements and the instructions are the original English
wording (Roland & Morris 1983, as reproduced in Roland & Fairbank 2000, whose forms may be
used without permission). Do not reword them: the questionnaire is only valid as published.
The score is the number of statements ticked, 0-24 (higher means more disability). On paper a
statement left blank counts as "no", and so does one marked "not applicable" (Roland &
Fairbank 2000). The app keeps one extra rule for answers that arrive with gaps (an import, an
older file, a form filled by someone else): up to `RMDQ_MAX_UNANSWERED` (4 of 24, about 15 %)
unanswered statements count as "no" as published; with more gaps the score would mostly
measure the gaps, so it is None ("not enough answers") instead of a number that looks better
than the truth. The app's own form records every statement (ticked or not), as paper does.

Patient-Specific Functional Scale (PSFS; Stratford et al. 1995): the person names up to five
activities they find hard (three are usual) and rates each from 0 ("unable to do it") to 10
("able to do it as well as before the problem"). The score is the mean of the rated
activities; unrated ones are left out, and with none rated the score is None. The activity
names carry over to the next time, because the scale measures change in the same activities.

Meaningful change comes from core.meaningful (RMDQ: 5 points or 30 %; PSFS: 2 points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rehab_app.core.meaningful import PSFS, RMDQ, ChangeVerdict, Threshold, judge

RMDQ_KIND = "rmdq"
PSFS_KIND = "psfs"

# Roland-Morris -------------------------------------------------------------------------------

RMDQ_SOURCE = (
    "Roland M, Morris R. A study of the natural history of back pain. Part I: development of"
    " a reliable and sensitive measure of disability in low-back pain. Spine 1983;8(2):141-144."
)

RMDQ_INSTRUCTIONS = (
    "When your back hurts, you may find it difficult to do some of the things you normally do."
    " This list contains some sentences that people have used to describe themselves when they"
    " have back pain. When you read them, you may find that some stand out because they"
    " describe you today. As you read the list, think of yourself today. When you read a"
    " sentence that describes you today, put a tick against it. If the sentence does not"
    " describe you, then leave the space blank and go on to the next one. Remember, only tick"
    " the sentence if you are sure it describes you today."
)

#: The 24 statements, in the published order (item n is RMDQ_ITEMS[n - 1]).
RMDQ_ITEMS: tuple[str, ...] = (
    "I stay at home most of the time because of my back.",
    "I change position frequently to try and get my back comfortable.",
    "I walk more slowly than usual because of my back.",
    "Because of my back I am not doing any of the jobs that I usually do around the house.",
    "Because of my back, I use a handrail to get upstairs.",
    "Because of my back, I lie down to rest more often.",
    "Because of my back, I have to hold on to something to get out of an easy chair.",
    "Because of my back, I try to get other people to do things for me.",
    "I get dressed more slowly than usual because of my back.",
    "I only stand for short periods of time because of my back.",
    "Because of my back, I try not to bend or kneel down.",
    "I find it difficult to get out of a chair because of my back.",
    "My back is painful almost all the time.",
    "I find it difficult to turn over in bed because of my back.",
    "My appetite is not very good because of my back pain.",
    "I have trouble putting on my socks (or stockings) because of the pain in my back.",
    "I only walk short distances because of my back.",
    "I sleep less well because of my back.",
    "Because of my back pain, I get dressed with help from someone else.",
    "I sit down for most of the day because of my back.",
    "I avoid heavy jobs around the house because of my back.",
    "Because of my back pain, I am more irritable and bad tempered with people than usual.",
    "Because of my back, I go upstairs more slowly than usual.",
    "I stay in bed most of the time because of my back.",
)
RMDQ_COUNT = len(RMDQ_ITEMS)
RMDQ_NUMBERS = range(1, RMDQ_COUNT + 1)

#: More unanswered statements than this and there is no score (see the module docstring).
RMDQ_MAX_UNANSWERED = 4


@dataclass(frozen=True)
class RmdqScore:
    score: int | None  # 0..24, None when too many statements were left unanswered
    ticked: int
    answered: int

    @property
    def unanswered(self) -> int:
        return RMDQ_COUNT - self.answered


def score_rmdq(answers: Mapping[int, bool | None]) -> RmdqScore:
    """Count the ticks. Keys are statement numbers 1..24; a missing key is unanswered."""
    unknown = sorted(set(answers) - set(RMDQ_NUMBERS))
    if unknown:
        raise ValueError(f"Roland-Morris has statements 1 to {RMDQ_COUNT}, not {unknown}")
    ticked = sum(1 for n in RMDQ_NUMBERS if answers.get(n) is True)
    answered = sum(1 for n in RMDQ_NUMBERS if answers.get(n) is not None)
    enough = RMDQ_COUNT - answered <= RMDQ_MAX_UNANSWERED
    return RmdqScore(score=ticked if enough else None, ticked=ticked, answered=answered)


def rmdq_to_answers(answers: Mapping[int, bool | None]) -> dict[str, bool | None]:
    """The stored form: every statement number as text ("1".."24"), None when unanswered."""
    return {str(n): answers.get(n) for n in RMDQ_NUMBERS}


def rmdq_from_answers(stored: Mapping[str, Any]) -> dict[int, bool | None]:
    """Read the stored form back; anything that is not true or false counts as unanswered."""
    result: dict[int, bool | None] = {}
    for n in RMDQ_NUMBERS:
        value = stored.get(str(n))
        result[n] = value if isinstance(value, bool) else None
    return result


# Patient-Specific Functional Scale ----------------------------------------------------------

PSFS_SOURCE = (
    "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual"
    " patients: a report of a patient specific measure. Physiotherapy Canada 1995;47:258-263."
)
PSFS_MAX_ACTIVITIES = 5
PSFS_SUGGESTED_ACTIVITIES = 3
PSFS_NAME_LENGTH = 80

ActivityName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PSFS_NAME_LENGTH)
]
Rating = Annotated[int, Field(ge=0, le=10)]


class PsfsActivity(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: ActivityName
    score: Rating | None = None  # None: named but not rated this time


class PsfsResponse(BaseModel):
    model_config = ConfigDict(frozen=True)

    activities: list[PsfsActivity] = Field(min_length=1, max_length=PSFS_MAX_ACTIVITIES)

    def to_answers(self) -> dict[str, Any]:
        return {"activities": [a.model_dump() for a in self.activities]}


@dataclass(frozen=True)
class PsfsScore:
    score: float | None  # mean of the rated activities, 0..10; None when none was rated
    rated: int
    named: int


def score_psfs(activities: Sequence[PsfsActivity]) -> PsfsScore:
    ratings = [a.score for a in activities if a.score is not None]
    mean = sum(ratings) / len(ratings) if ratings else None
    return PsfsScore(score=mean, rated=len(ratings), named=len(activities))


def psfs_from_answers(stored: Mapping[str, Any]) -> list[PsfsActivity]:
    """The activities of a stored response; entries that do not fit are skipped, not fatal."""
    raw = stored.get("activities")
    activities: list[PsfsActivity] = []
    if not isinstance(raw, list):
        return activities
    for item in raw[:PSFS_MAX_ACTIVITIES]:
        if not isinstance(item, dict):
            continue
        try:
            activities.append(PsfsActivity.model_validate(item))
        except ValueError:
            continue
    return activities


def carried_over_names(stored: Mapping[str, Any] | None) -> list[str]:
    """The activity names to offer again, from the previous response's stored answers."""
    return [a.name for a in psfs_from_answers(stored)] if stored else []


# Records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireRecord:
    """A completed questionnaire with its stored score, as a file brings it back (CSV import).

    The score is kept as it was stored, not recomputed: the history must survive any later
    change to the scoring above.
    """

    kind: str
    at_utc: datetime  # aware
    tz_name: str
    answers: dict[str, Any]
    score: float | None
    answered: int
    note: str = ""


# Comparing with earlier answers --------------------------------------------------------------

THRESHOLDS: dict[str, Threshold] = {RMDQ_KIND: RMDQ, PSFS_KIND: PSFS}


class Since(StrEnum):
    FIRST = "first"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class Comparison:
    since: Since
    day: date  # the day of the earlier response
    verdict: ChangeVerdict


def compare_scores(
    kind: str, earlier: Sequence[tuple[date, float | None]], current: float | None
) -> list[Comparison]:
    """The current score against the first and the previous scored response (oldest first).

    Responses without a score are passed over. When the first is also the previous one, only
    one comparison is returned; with no earlier score (or no current one), none.
    """
    threshold = THRESHOLDS[kind]
    scored = [(day, score) for day, score in earlier if score is not None]
    if current is None or not scored:
        return []
    first_day, first = scored[0]
    result = [Comparison(Since.FIRST, first_day, judge(first, current, threshold))]
    if len(scored) > 1:
        last_day, last = scored[-1]
        result.append(Comparison(Since.PREVIOUS, last_day, judge(last, current, threshold)))
    return result
