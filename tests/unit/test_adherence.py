"""Adherence: day statuses, the forgiving score, the streak and the summary (no Qt)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab_app.core.adherence import (
    AdherenceSummary,
    DayStatus,
    current_streak,
    day_status,
    habit_score,
    summarise,
)

D, P, M, R = DayStatus.DONE, DayStatus.PARTLY, DayStatus.MISSED, DayStatus.REST

statuses = st.lists(st.sampled_from(list(DayStatus)), max_size=120)
half_lives = st.floats(min_value=0.5, max_value=60, allow_nan=False)


# day_status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "partly", "expected"),
    [
        (0, 0, 0, R),
        (0, 2, 0, R),  # an extra session on a free day is welcome but not a due day
        (2, 2, 0, D),
        (2, 3, 0, D),
        (2, 1, 0, P),
        (2, 0, 1, P),
        (2, 1, 1, P),
        (1, 0, 0, M),
    ],
)
def test_day_status_from_session_counts(due: int, done: int, partly: int, expected) -> None:
    assert day_status(due, done, partly) is expected


def test_day_status_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        day_status(1, -1, 0)


# habit_score --------------------------------------------------------------------------------


def test_no_due_days_score_zero() -> None:
    assert habit_score([]) == 0.0
    assert habit_score([R, R, R]) == 0.0


def test_the_first_due_day_sets_the_score() -> None:
    assert habit_score([D]) == 1.0
    assert habit_score([P]) == 0.5
    assert habit_score([M]) == 0.0
    assert habit_score([R, D, R]) == 1.0


def test_hand_computed_values_with_half_life_one() -> None:
    # d = 0.5: weights 1, 0.5, 0.25 from the newest back.
    assert habit_score([D, M], half_life_days=1) == pytest.approx(0.5 / 1.5)
    assert habit_score([M, D], half_life_days=1) == pytest.approx(1 / 1.5)
    assert habit_score([D, P, M], half_life_days=1) == pytest.approx((0.25 + 0.25) / 1.75)
    # REST days do not age the older days.
    assert habit_score([D, R, R, M], half_life_days=1) == habit_score([D, M], half_life_days=1)


def test_all_done_is_full_marks() -> None:
    assert habit_score([D] * 400) == 1.0


def test_one_miss_after_a_month_lowers_the_score_only_a_little() -> None:
    before = habit_score([D] * 30)
    after = habit_score([D] * 30 + [M])
    decay = 0.5 ** (1 / 14)
    expected = sum(decay**age for age in range(1, 31)) / sum(decay**age for age in range(31))
    assert after == pytest.approx(expected)
    assert 0.8 < after < before == 1.0
    assert after == pytest.approx(0.9385, abs=1e-4)


def test_rest_days_leave_the_score_alone() -> None:
    history = [D, D, P, M, D]
    assert habit_score([*history, R, R]) == habit_score(history)


def test_the_score_recovers_over_time() -> None:
    history = [D] * 30 + [M] * 3
    low = habit_score(history)
    scores = [habit_score(history + [D] * n) for n in range(1, 60)]
    assert all(a < b for a, b in zip([low, *scores], scores, strict=False))
    assert low == pytest.approx(0.8285, abs=1e-4)
    assert scores[13] > 0.92  # two weeks of sessions later most of the dip has healed
    assert scores[27] > 0.96


def test_a_week_away_does_not_wipe_out_a_long_habit() -> None:
    assert habit_score([D] * 60 + [M] * 7) > 0.6


def test_partly_done_counts_half() -> None:
    assert habit_score([P] * 50) == pytest.approx(0.5)


def test_half_life_must_be_positive() -> None:
    with pytest.raises(ValueError, match="half-life"):
        habit_score([D], half_life_days=0)


@given(statuses, half_lives)
def test_score_stays_within_zero_and_one(history: list[DayStatus], half_life: float) -> None:
    assert 0.0 <= habit_score(history, half_life) <= 1.0


@given(statuses, half_lives)
def test_a_done_day_never_lowers_the_score(history: list[DayStatus], half_life: float) -> None:
    before = habit_score(history, half_life)
    assert habit_score([*history, D], half_life) >= before - 1e-12


@given(statuses, half_lives)
def test_a_missed_day_never_raises_the_score(history: list[DayStatus], half_life: float) -> None:
    before = habit_score(history, half_life)
    assert habit_score([*history, M], half_life) <= before + 1e-12


@given(statuses)
def test_a_missed_day_after_any_done_day_never_reaches_zero(history: list[DayStatus]) -> None:
    assert habit_score([*history, D, M]) > 0.0


# current_streak -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], 0),
        ([R, R], 0),
        ([D], 1),
        ([M], 0),
        ([D, D, M], 0),
        ([D, M, D, D], 2),
        ([D, D, R, D], 3),  # rest days neither break nor add
        ([M, D, R, R], 1),
        ([D, P, D], 3),  # partly done keeps the streak going and counts
        ([D, M, P], 1),
    ],
)
def test_current_streak(history: list[DayStatus], expected: int) -> None:
    assert current_streak(history) == expected


# summarise ----------------------------------------------------------------------------------


def _days(start: date, history: list[DayStatus]) -> list[tuple[date, DayStatus]]:
    return [(start + timedelta(days=n), status) for n, status in enumerate(history)]


def test_summary_sorts_the_days_and_scores_them() -> None:
    days = _days(date(2026, 3, 1), [D, D, R, M, D])
    summary = summarise(list(reversed(days)))
    assert summary == AdherenceSummary(
        score=habit_score([D, D, R, M, D]), streak=1, days=tuple(days)
    )
    assert summary.due_days == 4


def test_summary_of_nothing() -> None:
    summary = summarise([])
    assert (summary.score, summary.streak, summary.days, summary.due_days) == (0.0, 0, (), 0)


def test_today_counts_only_once_it_is_done() -> None:
    start = date(2026, 3, 1)
    today = start + timedelta(days=3)
    morning = summarise(_days(start, [D, D, D, M]), in_progress=today)
    assert (morning.score, morning.streak) == (1.0, 3)
    midday = summarise(_days(start, [D, D, D, P]), in_progress=today)
    assert (midday.score, midday.streak) == (1.0, 3)
    evening = summarise(_days(start, [D, D, D, D]), in_progress=today)
    assert (evening.score, evening.streak) == (1.0, 4)
    assert evening.in_progress == today
    # Yesterday is over: a miss then does count.
    assert summarise(_days(start, [D, D, D, M])).streak == 0


def test_a_day_may_appear_only_once() -> None:
    with pytest.raises(ValueError, match="once"):
        summarise([(date(2026, 3, 1), D), (date(2026, 3, 1), M)])
