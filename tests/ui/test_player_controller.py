"""The session player's state machine, driven by a fake monotonic clock (no waiting, no window).

Each test plays real exercises from the shipped library with a small dose, so the expected
phase sequences can be written out in full: sets=2, reps=2, hold=3 s, rest=5 s, tempo=2 s and
a 5 s get-ready make one exercise last exactly 5 + 2 x 2 x (2 + 3) + 5 = 30 seconds.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from rehab_app.core.plan import PainThresholds, PlanItem, PlanSide, Schedule
from rehab_app.core.session import Effort, ExerciseOutcome, Light, NerveResponse
from rehab_app.services.catalog import Library
from rehab_app.ui.player.controller import Phase, PlayerController, PlayerEntry

G, M, H, R, F, D = (
    Phase.GET_READY,
    Phase.MOVE,
    Phase.HOLD,
    Phase.REST,
    Phase.FEEDBACK,
    Phase.DONE,
)
SMALL = {"sets": 2, "reps": 2, "hold_s": 3, "rest_s": 5, "tempo_s": 2}


class FakeClock:
    """A monotonic clock (seconds as a float) that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def entry(library: Library, exercise_id: str, **dose: Any) -> PlayerEntry:
    exercise = library.by_id(exercise_id)
    assert exercise is not None, exercise_id
    item = PlanItem(
        exercise_id=exercise_id,
        schedule=Schedule(times=[time(9, 0)], every_n_days=1),
        **{**SMALL, **dose},
    )
    return PlayerEntry(exercise, item, library.illustration_for(exercise))


class Recorder:
    """Everything the controller said, in order."""

    def __init__(self, controller: PlayerController) -> None:
        self.cues: list[str] = []
        self.outcomes: list[ExerciseOutcome] = []
        self.finished = 0
        self.changes = 0
        controller.cue.connect(self.cues.append)
        controller.exercise_finished.connect(self.outcomes.append)
        controller.session_finished.connect(self._finished)
        controller.changed.connect(self._changed)

    def _finished(self) -> None:
        self.finished += 1

    def _changed(self) -> None:
        self.changes += 1


def make(
    qtbot, entries: list[PlayerEntry], thresholds: PainThresholds | None = None
) -> tuple[PlayerController, FakeClock, Recorder]:
    clock = FakeClock()
    controller = PlayerController(entries, thresholds or PainThresholds(), clock=clock)
    recorder = Recorder(controller)
    return controller, clock, recorder


def where(controller: PlayerController) -> tuple[Phase, str | None, int, int]:
    return (controller.phase, controller.side, controller.set_number, controller.rep_number)


def walk(controller: PlayerController, clock: FakeClock, step: float = 0.5) -> list[tuple]:
    """Advance in small steps until the exercise waits for feedback; each state once."""
    seen = [where(controller)]
    for _ in range(10_000):
        if controller.phase in (F, D):
            return seen
        clock.advance(step)
        controller.update()
        if where(controller) != seen[-1]:
            seen.append(where(controller))
    raise AssertionError("the exercise never reached its feedback")


def test_one_exercise_runs_through_every_phase_in_order(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    assert controller.phase == G and not controller.started
    controller.start()
    assert walk(controller, clock) == [
        (G, None, 1, 0),
        (M, None, 1, 1),
        (H, None, 1, 1),
        (M, None, 1, 2),
        (H, None, 1, 2),
        (R, None, 2, 0),  # during a rest the set shown is the next one
        (M, None, 2, 1),
        (H, None, 2, 1),
        (M, None, 2, 2),
        (H, None, 2, 2),
        (F, None, 2, 0),
    ]
    assert record.cues == [
        "get_ready_end",
        *["hold_start", "hold_end"] * 2,
        "rest_end",
        *["hold_start", "hold_end"] * 2,
    ]
    assert (controller.sets_done, controller.reps_done, controller.holds_done) == (2, 4, 4)
    assert record.outcomes == []  # final only once the feedback is in


def test_phase_boundaries_are_exact_to_the_second(qtbot, shipped_library: Library) -> None:
    controller, clock, _ = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    assert controller.remaining_s == 5
    clock.advance(4.99)
    controller.update()
    assert controller.phase == G
    assert controller.remaining_s == pytest.approx(0.01)
    clock.advance(0.01)
    controller.update()
    assert controller.phase == M and controller.remaining_s == pytest.approx(2)
    clock.advance(24.99)  # 29.99 s in: the last hold still has a hundredth to go
    controller.update()
    assert where(controller) == (H, None, 2, 2)
    clock.advance(0.01)
    controller.update()
    assert controller.phase == F and controller.remaining_s == 0


def test_without_hold_or_rest_a_rep_is_one_movement(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(
        qtbot, [entry(shipped_library, "cat_camel", hold_s=0, rest_s=0, tempo_s=3)]
    )
    controller.start()
    assert walk(controller, clock) == [
        (G, None, 1, 0),
        (M, None, 1, 1),
        (M, None, 1, 2),
        (M, None, 2, 1),
        (M, None, 2, 2),
        (F, None, 2, 0),
    ]
    assert record.cues == ["get_ready_end"]
    assert (controller.sets_done, controller.reps_done, controller.holds_done) == (2, 4, 0)


def test_pause_freezes_the_time_left_and_resume_goes_on(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    clock.advance(2)
    controller.update()
    controller.pause()
    assert controller.paused and controller.remaining_s == pytest.approx(3)
    clock.advance(600)  # ten minutes answering the door
    controller.update()
    assert controller.phase == G and controller.remaining_s == pytest.approx(3)
    assert record.cues == []
    controller.toggle_pause()
    assert not controller.paused
    clock.advance(2.9)
    controller.update()
    assert controller.phase == G and controller.remaining_s == pytest.approx(0.1)
    clock.advance(0.1)
    controller.update()
    assert controller.phase == M and record.cues == ["get_ready_end"]


def test_pausing_stops_the_ticking_timer(qtbot, shipped_library: Library) -> None:
    controller, _, _ = make(qtbot, [entry(shipped_library, "glute_bridge")])
    timer = controller.findChild(QTimer)
    assert timer is not None and not timer.isActive()
    controller.start()
    assert timer.isActive()
    controller.pause()
    assert not timer.isActive()
    controller.resume()
    assert timer.isActive()


def test_the_controllers_own_timer_moves_it_on(qtbot, shipped_library: Library) -> None:
    controller, clock, _ = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    clock.advance(5)
    with qtbot.waitSignal(controller.cue, timeout=2000) as blocker:
        pass  # no update() call here: the ~100 ms timer has to notice the time itself
    assert blocker.args == ["get_ready_end"]
    assert controller.phase == M


def test_one_late_update_crosses_several_phases(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    changes = record.changes
    clock.advance(12.5)  # get ready 5 + move 2 + hold 3 + move 2, then half a second of hold
    controller.update()
    assert where(controller) == (H, None, 1, 2)
    # The next deadline is chained from the last one, not from the late update.
    assert controller.remaining_s == pytest.approx(2.5)
    assert record.cues == ["get_ready_end", "hold_start", "hold_end", "hold_start"]
    assert (controller.reps_done, controller.holds_done) == (1, 1)
    assert record.changes == changes + 1
    clock.advance(3600)
    controller.update()
    assert controller.phase == F and controller.reps_done == 4


def test_skip_records_what_was_done_as_skipped(qtbot, shipped_library: Library) -> None:
    first, second = entry(shipped_library, "glute_bridge"), entry(shipped_library, "pelvic_tilt")
    controller, clock, record = make(qtbot, [first, second])
    controller.start()
    clock.advance(5 + 5 + 5 + 5 + 1)  # set 1 done, rest over, first move of set 2 under way
    controller.update()
    assert where(controller) == (M, None, 2, 1)
    controller.next()
    assert record.outcomes == [
        ExerciseOutcome(
            exercise_id="glute_bridge", sets_done=1, reps_done=2, holds_done=2, skipped=True
        )
    ]
    assert controller.current_entry == second
    assert controller.exercise_index == 1 and controller.next_entry is None
    assert controller.phase == G and controller.remaining_s == 5
    assert controller.reps_done == 0


def test_a_rep_counts_only_when_its_hold_is_finished(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    clock.advance(5 + 2 + 2.9)  # first hold nearly over
    controller.update()
    controller.next()
    (outcome,) = record.outcomes
    assert (outcome.sets_done, outcome.reps_done, outcome.holds_done) == (0, 0, 0)
    assert outcome.skipped and controller.phase == D and record.finished == 1


def test_previous_restarts_the_exercise_then_goes_back(qtbot, shipped_library: Library) -> None:
    first, second = entry(shipped_library, "glute_bridge"), entry(shipped_library, "pelvic_tilt")
    controller, clock, record = make(qtbot, [first, second])
    controller.start()
    controller.next()
    clock.advance(8)
    controller.update()
    assert where(controller) == (H, None, 1, 1)
    controller.previous()  # past its get-ready: the same exercise starts again
    assert controller.current_entry == second
    assert controller.phase == G and controller.remaining_s == 5 and controller.reps_done == 0
    controller.previous()  # still in its get-ready: back to the exercise before
    assert controller.current_entry == first and controller.phase == G
    controller.previous()  # the first exercise has nothing before it
    assert controller.current_entry == first and controller.phase == G
    assert len(record.outcomes) == 1  # only the skip; going back records nothing
    clock.advance(5)
    controller.update()
    assert controller.phase == M  # and the restarted exercise runs on its own clock


def test_end_early_keeps_the_partial_work(qtbot, shipped_library: Library) -> None:
    first, second = entry(shipped_library, "glute_bridge"), entry(shipped_library, "pelvic_tilt")
    controller, clock, record = make(qtbot, [first, second])
    controller.start()
    clock.advance(5 + 5 + 5 + 1)  # set 1 done, resting
    controller.update()
    assert controller.phase == R
    controller.end_early()
    assert record.outcomes == [
        ExerciseOutcome(
            exercise_id="glute_bridge", sets_done=1, reps_done=2, holds_done=2, skipped=False
        )
    ]
    assert controller.phase == D and record.finished == 1
    assert controller.current_entry is None and controller.remaining_s == 0
    controller.end_early()
    controller.next()
    assert record.finished == 1 and len(record.outcomes) == 1


def test_end_early_before_any_rep_records_nothing(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    clock.advance(6)  # moving, but the first rep is not finished
    controller.update()
    controller.end_early()
    assert record.outcomes == [] and record.finished == 1 and controller.phase == D


def test_both_sides_do_every_set_on_the_left_then_the_right(
    qtbot, shipped_library: Library
) -> None:
    clamshell = entry(shipped_library, "clamshell", side=PlanSide.BOTH, reps=1, hold_s=0)
    controller, clock, record = make(qtbot, [clamshell])
    controller.start()
    assert walk(controller, clock) == [
        (G, "left", 1, 0),
        (M, "left", 1, 1),
        (R, "left", 2, 0),
        (M, "left", 2, 1),
        (R, "right", 1, 0),  # the rest between the sides
        (M, "right", 1, 1),
        (R, "right", 2, 0),
        (M, "right", 2, 1),
        (F, "right", 2, 0),
    ]
    assert record.cues == ["get_ready_end", "rest_end", "rest_end", "rest_end"]
    controller.submit_feedback(2, Effort.ABOUT_RIGHT, None)
    (outcome,) = record.outcomes
    assert (outcome.sets_done, outcome.reps_done, outcome.holds_done) == (4, 4, 0)


def test_the_side_change_rest_is_flagged(qtbot, shipped_library: Library) -> None:
    clamshell = entry(shipped_library, "clamshell", side=PlanSide.BOTH, sets=1, reps=1, hold_s=0)
    controller, clock, _ = make(qtbot, [clamshell])
    controller.start()
    clock.advance(5 + 2 + 1)
    controller.update()
    assert controller.phase == R and controller.changing_side and controller.side == "right"
    # One set a side, so this rest is there only for turning over.
    assert controller.remaining_s == pytest.approx(4)


@pytest.mark.parametrize(
    ("exercise_id", "side", "expected"),
    [
        ("clamshell", PlanSide.LEFT, "left"),  # one-sided, prescribed for one named side
        ("clamshell", PlanSide.AFFECTED, None),
        ("glute_bridge", PlanSide.BOTH, None),  # both legs at once: no side to name
    ],
)
def test_one_pass_exercises_name_a_side_only_when_there_is_one(
    qtbot, shipped_library: Library, exercise_id: str, side: PlanSide, expected: str | None
) -> None:
    controller, clock, _ = make(qtbot, [entry(shipped_library, exercise_id, side=side)])
    controller.start()
    assert {state[1] for state in walk(controller, clock)} == {expected}
    assert controller.phase == F and controller.sets_done == 2  # one pass, not two


@pytest.mark.parametrize(
    ("pain", "nerve", "light"),
    [
        (2, None, Light.GREEN),
        (4, None, Light.AMBER),
        (6, None, Light.RED),  # above the default amber limit of 5
        (1, NerveResponse.SETTLED, Light.GREEN),
        (1, NerveResponse.LINGERED, Light.AMBER),
        (1, NerveResponse.SPREAD, Light.RED),
    ],
)
def test_feedback_gives_traffic_light_advice(
    qtbot, shipped_library: Library, pain: int, nerve: NerveResponse | None, light: Light
) -> None:
    slider = entry(shipped_library, "sciatic_nerve_slider_seated")
    controller, clock, record = make(qtbot, [slider, entry(shipped_library, "glute_bridge")])
    controller.start()
    walk(controller, clock)
    assert controller.asks_nerve_response
    advice = controller.submit_feedback(pain, Effort.EASY, nerve, note="felt fine")
    assert advice is not None and advice.light == light
    assert controller.last_advice == advice and controller.feedback_given
    (outcome,) = record.outcomes
    assert outcome.advice == advice and outcome.pain_during == pain
    assert outcome.nerve_response == nerve and outcome.effort == Effort.EASY
    assert outcome.note == "felt fine" and not outcome.skipped
    # The advice stays on screen until the person moves on.
    clock.advance(60)
    controller.update()
    assert controller.phase == F and controller.current_entry == slider
    controller.continue_()
    assert controller.phase == G and controller.exercise_index == 1
    assert controller.last_advice is None and len(record.outcomes) == 1


def test_thresholds_come_from_the_plan(qtbot, shipped_library: Library) -> None:
    strict = PainThresholds(green_max=1, amber_max=2)
    controller, clock, _ = make(qtbot, [entry(shipped_library, "glute_bridge")], strict)
    controller.start()
    walk(controller, clock)
    advice = controller.submit_feedback(3, None, None)
    assert advice is not None and advice.light == Light.RED


def test_the_nerve_question_belongs_to_nerve_exercises_only(
    qtbot, shipped_library: Library
) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    walk(controller, clock)
    assert not controller.asks_nerve_response
    advice = controller.submit_feedback(1, None, NerveResponse.SPREAD)
    assert advice is not None and advice.light == Light.GREEN
    assert record.outcomes[0].nerve_response is None


def test_feedback_is_taken_once(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    assert controller.submit_feedback(1, None, None) is None  # not asked yet
    walk(controller, clock)
    assert controller.submit_feedback(1, None, None) is not None
    assert controller.submit_feedback(9, None, None) is None  # a double press changes nothing
    assert [o.pain_during for o in record.outcomes] == [1]


def test_skipping_the_questions_still_records_the_work(qtbot, shipped_library: Library) -> None:
    controller, clock, record = make(qtbot, [entry(shipped_library, "glute_bridge")])
    controller.start()
    walk(controller, clock)
    controller.next()
    assert record.outcomes == [
        ExerciseOutcome(exercise_id="glute_bridge", sets_done=2, reps_done=4, holds_done=4)
    ]
    assert controller.phase == D and record.finished == 1


def test_a_whole_session_reports_each_exercise_exactly_once(
    qtbot, shipped_library: Library
) -> None:
    entries = [
        entry(shipped_library, "glute_bridge"),
        entry(shipped_library, "cat_camel", hold_s=0, rest_s=0),
        entry(shipped_library, "sciatic_nerve_slider_seated", sets=1, reps=3, hold_s=0),
    ]
    controller, clock, record = make(qtbot, entries)
    controller.start()
    answers = [(2, None), (4, None), (1, NerveResponse.LINGERED)]
    for index, (pain, nerve) in enumerate(answers):
        assert controller.exercise_index == index
        walk(controller, clock)
        controller.submit_feedback(pain, Effort.ABOUT_RIGHT, nerve)
        assert len(record.outcomes) == index + 1  # emitted the moment it is final
        controller.continue_()
    assert controller.phase == D and record.finished == 1
    assert [(o.exercise_id, o.sets_done, o.reps_done, o.holds_done) for o in record.outcomes] == [
        ("glute_bridge", 2, 4, 4),
        ("cat_camel", 2, 4, 0),
        ("sciatic_nerve_slider_seated", 1, 3, 0),
    ]
    assert [o.advice.light for o in record.outcomes if o.advice] == [
        Light.GREEN,
        Light.AMBER,
        Light.AMBER,
    ]
    assert controller.outcomes == tuple(record.outcomes)


def test_skip_while_paused_stays_paused(qtbot, shipped_library: Library) -> None:
    entries = [entry(shipped_library, "glute_bridge"), entry(shipped_library, "pelvic_tilt")]
    controller, clock, _ = make(qtbot, entries)
    controller.start()
    controller.pause()
    controller.next()
    clock.advance(30)
    controller.update()
    assert controller.paused and controller.phase == G and controller.remaining_s == 5
    controller.resume()
    clock.advance(5)
    controller.update()
    assert controller.phase == M


def test_an_empty_session_finishes_at_once(qtbot) -> None:
    controller, _, record = make(qtbot, [])
    assert controller.exercise_count == 0 and controller.current_entry is None
    controller.start()
    assert controller.phase == D and record.finished == 1 and record.outcomes == []


def test_without_get_ready_the_first_move_starts_at_once(qtbot, shipped_library: Library) -> None:
    clock = FakeClock()
    controller = PlayerController(
        [entry(shipped_library, "glute_bridge")], PainThresholds(), clock=clock, get_ready_s=0
    )
    controller.start()
    assert where(controller) == (M, None, 1, 1) and controller.remaining_s == 2
