"""Questionnaire scoring, worked by hand: Roland-Morris counts, PSFS means, comparisons."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from rehab_app.core.meaningful import Verdict
from rehab_app.core.questionnaires import (
    PSFS_KIND,
    RMDQ_COUNT,
    RMDQ_ITEMS,
    RMDQ_KIND,
    PsfsActivity,
    PsfsResponse,
    Since,
    carried_over_names,
    compare_scores,
    psfs_from_answers,
    rmdq_from_answers,
    rmdq_to_answers,
    score_psfs,
    score_rmdq,
)


def all_answered(ticked: set[int]) -> dict[int, bool | None]:
    return {n: n in ticked for n in range(1, 25)}


def test_the_questionnaire_has_24_statements_in_the_published_order() -> None:
    assert RMDQ_COUNT == 24
    assert RMDQ_ITEMS[0] == "I stay at home most of the time because of my back."
    assert RMDQ_ITEMS[15].startswith("I have trouble putting on my socks (or stockings)")
    assert RMDQ_ITEMS[23] == "I stay in bed most of the time because of my back."
    assert len(set(RMDQ_ITEMS)) == 24


def test_rmdq_nothing_ticked_scores_0_and_everything_24() -> None:
    assert score_rmdq(all_answered(set())).score == 0
    full = score_rmdq(all_answered(set(range(1, 25))))
    assert (full.score, full.ticked, full.answered, full.unanswered) == (24, 24, 24, 0)


def test_rmdq_score_is_the_number_ticked() -> None:
    result = score_rmdq(all_answered({1, 3, 5, 13, 18, 24}))
    assert (result.score, result.ticked, result.answered) == (6, 6, 24)


def test_rmdq_up_to_four_unanswered_count_as_no() -> None:
    answers = all_answered({2, 7, 9})
    for n in (4, 10, 20, 21):
        answers[n] = None  # left unanswered
    result = score_rmdq(answers)
    assert (result.score, result.ticked, result.answered, result.unanswered) == (3, 3, 20, 4)
    # A missing key is unanswered too.
    without_gaps = {n: v for n, v in answers.items() if v is not None}
    assert score_rmdq(without_gaps) == result


def test_rmdq_five_unanswered_is_not_enough_for_a_score() -> None:
    answers = all_answered({2, 7, 9})
    for n in (4, 10, 20, 21, 22):
        answers[n] = None
    result = score_rmdq(answers)
    assert result.score is None
    assert (result.ticked, result.answered, result.unanswered) == (3, 19, 5)
    assert score_rmdq({}).score is None


def test_rmdq_refuses_statement_numbers_that_do_not_exist() -> None:
    with pytest.raises(ValueError, match="1 to 24"):
        score_rmdq({0: True})
    with pytest.raises(ValueError):
        score_rmdq({25: False})


def test_rmdq_stored_form_round_trips_and_tolerates_bad_values() -> None:
    answers = all_answered({1, 2})
    answers[3] = None
    stored = rmdq_to_answers(answers)
    assert stored["1"] is True and stored["3"] is None and len(stored) == 24
    assert rmdq_from_answers(stored) == answers
    odd = rmdq_from_answers({"1": "yes", "2": True})
    assert odd[1] is None and odd[2] is True and odd[24] is None


def test_psfs_score_is_the_mean_of_rated_activities() -> None:
    activities = [
        PsfsActivity(name="Putting on socks", score=3),
        PsfsActivity(name="Walking to the shops", score=5),
        PsfsActivity(name="Gardening", score=8),
    ]
    result = score_psfs(activities)
    assert result.score == pytest.approx(16 / 3)
    assert (result.rated, result.named) == (3, 3)


def test_psfs_unrated_activities_are_left_out() -> None:
    activities = [
        PsfsActivity(name="Putting on socks", score=2),
        PsfsActivity(name="Gardening"),
        PsfsActivity(name="Driving", score=7),
    ]
    result = score_psfs(activities)
    assert result.score == pytest.approx(4.5)
    assert (result.rated, result.named) == (2, 3)


def test_psfs_without_any_rating_has_no_score() -> None:
    assert score_psfs([PsfsActivity(name="Gardening")]).score is None
    assert score_psfs([]).score is None


def test_psfs_validation() -> None:
    assert PsfsActivity(name="  Driving  ", score=0).name == "Driving"
    with pytest.raises(ValidationError):
        PsfsActivity(name="Driving", score=11)
    with pytest.raises(ValidationError):
        PsfsActivity(name="Driving", score=-1)
    with pytest.raises(ValidationError):
        PsfsActivity(name="   ", score=4)
    with pytest.raises(ValidationError):
        PsfsResponse(activities=[])
    with pytest.raises(ValidationError):
        PsfsResponse(activities=[PsfsActivity(name=f"A{n}", score=1) for n in range(6)])


def test_psfs_names_carry_over_from_the_stored_answers() -> None:
    response = PsfsResponse(
        activities=[PsfsActivity(name="Socks", score=2), PsfsActivity(name="Stairs")]
    )
    stored = response.to_answers()
    assert stored == {
        "activities": [{"name": "Socks", "score": 2}, {"name": "Stairs", "score": None}]
    }
    assert carried_over_names(stored) == ["Socks", "Stairs"]
    assert psfs_from_answers(stored) == response.activities
    assert carried_over_names(None) == []
    bad = {"activities": [{"name": "Socks", "score": 99}, "x", {"name": "Walking"}]}
    assert carried_over_names(bad) == ["Walking"]
    assert carried_over_names({"activities": "nonsense"}) == []


D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 29)


def test_rmdq_14_then_8_is_better_by_more_than_5_points() -> None:
    (first,) = compare_scores(RMDQ_KIND, [(D1, 14)], 8)
    assert first.since == Since.FIRST and first.day == D1
    assert first.verdict.verdict == Verdict.BETTER
    assert first.verdict.change == -6
    assert first.verdict.band == 5  # 30 % of 14 is 4.2, so the 5 points apply


def test_rmdq_band_grows_to_30_percent_of_a_high_baseline() -> None:
    (first,) = compare_scores(RMDQ_KIND, [(D1, 20)], 15)
    assert first.verdict.band == pytest.approx(6)
    assert first.verdict.verdict == Verdict.NO_CLEAR_CHANGE


def test_compares_with_the_first_and_the_previous_scored_response() -> None:
    first, previous = compare_scores(RMDQ_KIND, [(D1, 14), (D2, None), (D3, 10)], 8)
    assert (first.since, first.day, first.verdict.verdict) == (Since.FIRST, D1, Verdict.BETTER)
    assert (previous.since, previous.day) == (Since.PREVIOUS, D3)
    assert previous.verdict.verdict == Verdict.NO_CLEAR_CHANGE


def test_rmdq_rising_is_worse() -> None:
    (first,) = compare_scores(RMDQ_KIND, [(D1, 6)], 12)
    assert first.verdict.verdict == Verdict.WORSE


def test_psfs_higher_is_better_by_2_points() -> None:
    (first,) = compare_scores(PSFS_KIND, [(D1, 3.0)], 5.0)
    assert first.verdict.verdict == Verdict.BETTER
    (first,) = compare_scores(PSFS_KIND, [(D1, 5.0)], 3.5)
    assert first.verdict.verdict == Verdict.NO_CLEAR_CHANGE


def test_nothing_to_compare() -> None:
    assert compare_scores(RMDQ_KIND, [], 8) == []
    assert compare_scores(RMDQ_KIND, [(D1, None)], 8) == []
    assert compare_scores(RMDQ_KIND, [(D1, 10)], None) == []
