"""Adherence: what each day's sessions add up to, a forgiving "keeping up" score, and streaks.

The input is one status per local calendar day, oldest first. How a day gets its status is
`day_status`; the score and the streak only read the statuses, so they work the same for a week
or for years of history.

The score is meant to encourage, like Loop Habit Tracker's habit strength: recent days count
most, one missed day after a good run lowers it a little, and it is never wiped out. Unlike
Loop's habit strength it does not start from zero and climb for weeks: it is a recency-weighted
average of the due days so far, so five good days in a new plan already show as 100 %, not 22 %.
(The formula is in `habit_score`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DayStatus(StrEnum):
    DONE = "done"  # every session that was due was done
    PARTLY = "partly"  # something was done, not everything
    MISSED = "missed"  # something was due, nothing was done
    REST = "rest"  # nothing was due


#: Where each due day pulls the score. REST days are not due and are absent on purpose.
_TARGET = {DayStatus.DONE: 1.0, DayStatus.PARTLY: 0.5, DayStatus.MISSED: 0.0}


def day_status(sessions_due: int, sessions_done: int, sessions_partly: int) -> DayStatus:
    """A day's status from its session counts.

    `sessions_done` are sessions finished in full, `sessions_partly` sessions started and left
    unfinished (or logged with less than prescribed). Extra sessions beyond what was due are
    fine and change nothing; sessions on a day when nothing was due leave it a REST day, so
    an extra session never counts as a due day in the score.
    """
    if min(sessions_due, sessions_done, sessions_partly) < 0:
        raise ValueError("session counts cannot be negative")
    if sessions_due == 0:
        return DayStatus.REST
    if sessions_done >= sessions_due:
        return DayStatus.DONE
    if sessions_done + sessions_partly > 0:
        return DayStatus.PARTLY
    return DayStatus.MISSED


def habit_score(statuses: Sequence[DayStatus], half_life_days: float = 14) -> float:
    """How well the plan is being kept up, from 0 to 1, recent days counting most.

    With d = 0.5 ** (1 / half_life_days) and the due days numbered so that the most recent has
    age 0 (REST days are skipped, they neither count nor age anything), each due day i has a
    target v_i (DONE 1, PARTLY 0.5, MISSED 0) and a weight d ** age_i, and

        score = sum(d ** age_i * v_i) / sum(d ** age_i)

    so a day's say halves every `half_life_days` due days. Step by step this is an exponential
    moving average that moves the score towards each new day's target,

        score_n = score_(n-1) + a_n * (v_n - score_(n-1)),   a_n = (1 - d) / (1 - d ** n)

    whose step a_n starts at 1 (the first due day sets the score) and settles at 1 - d (about
    0.048 for a half-life of 14). Dividing by the weights is the "bias correction" that spares
    a new patient a score that starts at zero and creeps up for a month; after many days it is
    the same as Loop's habit strength. Because each step is a weighted average of the old score
    and the new target, a DONE day never lowers the score, a MISSED day never raises it, and
    the score stays within 0..1. After 30 DONE days one MISSED day gives about 0.94; the next
    DONE days win it back.

    With no due day at all (empty, or only REST days) the score is 0.0: nothing to keep up yet.
    Callers that show the score should say so rather than show "0 %" (see
    `AdherenceSummary.due_days`).
    """
    if half_life_days <= 0:
        raise ValueError("the half-life must be more than 0 days")
    decay = 0.5 ** (1 / half_life_days)
    weighted = 0.0  # sum of weight x target, aged by one due day at each step
    weights = 0.0
    for status in statuses:
        target = _TARGET.get(status)
        if target is None:
            continue
        weighted = weighted * decay + target
        weights = weights * decay + 1.0
    if weights == 0.0:
        return 0.0
    # Rounding could put an all-DONE history a hair above 1.
    return min(1.0, max(0.0, weighted / weights))


def current_streak(statuses: Sequence[DayStatus]) -> int:
    """How many due days in a row, up to the most recent, had some exercise done.

    Walking back from the end: DONE and PARTLY days each add one, the first MISSED day ends the
    streak, REST days neither add nor break it. PARTLY counts because a patient in a flare who
    does half a session is pacing, which therapists want; a day with nothing done breaks it.
    """
    streak = 0
    for status in reversed(statuses):
        if status == DayStatus.MISSED:
            break
        if status in (DayStatus.DONE, DayStatus.PARTLY):
            streak += 1
    return streak


@dataclass(frozen=True)
class AdherenceSummary:
    """The score and streak with the days they came from, ready for the calendar.

    `in_progress` is the day that is not over yet (today), if it is among `days`: see
    `summarise`. The calendar shows it as "today" and does not call it missed.
    """

    score: float
    streak: int
    days: tuple[tuple[date, DayStatus], ...]
    in_progress: date | None = None

    @property
    def due_days(self) -> int:
        """How many days had anything due (0 means the score means nothing yet)."""
        return sum(1 for _day, status in self.days if status != DayStatus.REST)


def summarise(
    days: Sequence[tuple[date, DayStatus]],
    half_life_days: float = 14,
    *,
    in_progress: date | None = None,
) -> AdherenceSummary:
    """Score and streak over `days` (one entry per local day, in any order, no duplicates).

    `in_progress` names the day that is not over yet, normally today. In the morning today's
    sessions are still to come, so today counts towards the score and the streak only once it
    is DONE; until then it is left out, rather than shown as a failure before it could be kept.
    Gaps between days are not filled in: pass REST for days with nothing due.
    """
    ordered = tuple(sorted(days))
    if len({day for day, _status in ordered}) != len(ordered):
        raise ValueError("each day may appear only once")
    counted = [
        status for day, status in ordered if not (day == in_progress and status != DayStatus.DONE)
    ]
    return AdherenceSummary(
        score=habit_score(counted, half_life_days),
        streak=current_streak(counted),
        days=ordered,
        in_progress=in_progress,
    )
