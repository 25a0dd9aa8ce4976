"""Is the change real? Meaningful-change bands, rolling averages and the weekly trend rule.

A change counts only when it is larger than the minimal important change (clinical.md §4):
pain 2 points or 30 % of the baseline, whichever is larger (Ostelo 2008); Roland-Morris 5
points or 30 %; the Patient-Specific Functional Scale 2 points. Anything smaller is said to be
within day-to-day ups and downs. These are group thresholds used as a guide, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Threshold:
    points: float
    relative: float = 0.0  # share of the baseline, e.g. 0.3 for 30 %
    lower_is_better: bool = True

    def band(self, baseline: float) -> float:
        return max(self.points, self.relative * abs(baseline))


PAIN = Threshold(points=2, relative=0.3)
RMDQ = Threshold(points=5, relative=0.3)
PSFS = Threshold(points=2, relative=0.0, lower_is_better=False)


class Verdict(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NO_CLEAR_CHANGE = "no_clear_change"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class ChangeVerdict:
    verdict: Verdict
    baseline: float | None
    current: float | None
    band: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


def judge(baseline: float | None, current: float | None, threshold: Threshold) -> ChangeVerdict:
    """Compare the current level with the baseline against the meaningful-change band."""
    if baseline is None or current is None:
        return ChangeVerdict(Verdict.NOT_ENOUGH_DATA, baseline, current, None)
    band = threshold.band(baseline)
    change = current - baseline
    # A float tolerance: 6.0 - 4.0 must count as a 2-point change.
    if abs(change) + 1e-9 < band:
        verdict = Verdict.NO_CLEAR_CHANGE
    elif (change < 0) == threshold.lower_is_better:
        verdict = Verdict.BETTER
    else:
        verdict = Verdict.WORSE
    return ChangeVerdict(verdict, baseline, current, band)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def rolling_mean(
    days: Sequence[date], daily: Mapping[date, float], window: int = 7, min_days: int = 3
) -> list[float | None]:
    """For each day, the mean of the days with entries among the last `window` days.

    Days without entries are left out, never filled in; with fewer than `min_days` entries in
    the window the average is None (a gap), because two numbers are not a trend.
    """
    result: list[float | None] = []
    for day in days:
        values = [
            daily[day - timedelta(days=back)]
            for back in range(window)
            if day - timedelta(days=back) in daily
        ]
        result.append(mean(values) if len(values) >= min_days else None)
    return result


def weekly_means(daily: Mapping[date, float], today: date, weeks: int = 3) -> list[float | None]:
    """Means of the last `weeks` whole 7-day blocks ending yesterday, oldest first."""
    means: list[float | None] = []
    for block in range(weeks, 0, -1):
        end = today - timedelta(days=1 + 7 * (block - 1))
        values = [
            daily[end - timedelta(days=d)] for d in range(7) if end - timedelta(days=d) in daily
        ]
        means.append(mean(values) if len(values) >= 3 else None)
    return means


def rising_two_weeks_running(daily: Mapping[date, float], today: date) -> bool:
    """clinical.md §2.1: the 7-day average rose two weeks running -> "review your plan"."""
    first, second, third = weekly_means(daily, today, 3)
    if first is None or second is None or third is None:
        return False
    return second > first and third > second
