"""The session player's state machine: which exercise, set, repetition and phase, and the time left.

No widgets here, so every rule can be tested with a fake clock and no window.

Time comes from a monotonic deadline, never from counting timer ticks: a timer tick can be late
(a busy event loop, a sleeping laptop), and counted ticks would drift, while `deadline - clock()`
is right whenever it is asked. The ~100 ms timer only says "look at the clock now"; `update()`
then walks over every phase boundary that has passed since, possibly several at once. The next
deadline is chained from the previous one (not from "now"), so a late tick shortens the next
phase instead of stretching the whole session.

One exercise is a list of steps built up front (get ready, move, hold, rest ..., feedback), so
the flow rules live in one small function (`_steps_for`) and the machine just walks the list.

Each exercise's `ExerciseOutcome` is emitted once per play-through, the moment it is final:
after the feedback is saved, when the exercise is skipped, or when the session ends early.
Going back with `previous()` to an exercise whose outcome was already emitted and doing it again
emits a second outcome, because it was done twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from rehab_app.core.exercise import Exercise
from rehab_app.core.pain import advise
from rehab_app.core.plan import PainThresholds, PlanItem, PlanSide, sides_to_do
from rehab_app.core.session import Advice, Effort, ExerciseOutcome, NerveResponse
from rehab_app.core.vocabulary import Category, Side

#: How often the running player looks at the clock. Shown seconds change once a second, so
#: 100 ms keeps the countdown within a tenth of a second of the truth at negligible cost.
TICK_MS = 100


@dataclass(frozen=True)
class PlayerEntry:
    """One exercise of the session: what it is, the prescribed dose, and its picture."""

    exercise: Exercise
    item: PlanItem
    illustration: Path | None = None


class Phase(StrEnum):
    GET_READY = "get_ready"
    MOVE = "move"
    HOLD = "hold"
    REST = "rest"
    FEEDBACK = "feedback"
    DONE = "done"


class Cue(StrEnum):
    """Moments worth a sound and a flash: the patient may not be looking at the screen."""

    HOLD_START = "hold_start"
    HOLD_END = "hold_end"
    REST_END = "rest_end"
    GET_READY_END = "get_ready_end"


_TIMED = (Phase.GET_READY, Phase.MOVE, Phase.HOLD, Phase.REST)


@dataclass(frozen=True)
class _Step:
    """One stretch of time in an exercise. Numbers are 1-based; 0 means "not in a rep"."""

    phase: Phase
    duration_s: float
    side: str | None
    set_number: int
    rep_number: int = 0
    #: A rest that is there to change sides (its side is the side that comes next).
    side_change: bool = False


def _side_names(entry: PlayerEntry) -> list[str | None]:
    """The sides in the order they are done, or [None] when no side needs to be named."""
    item, exercise = entry.item, entry.exercise
    if sides_to_do(item, exercise) == 2:
        return ["left", "right"]
    one_sided = exercise.dosage.side != Side.BILATERAL
    if one_sided and item.side in (PlanSide.LEFT, PlanSide.RIGHT):
        return [item.side.value]
    return [None]


def _steps_for(entry: PlayerEntry, get_ready_s: int) -> list[_Step]:
    item = entry.item
    sides = _side_names(entry)
    steps: list[_Step] = []
    if get_ready_s > 0:
        steps.append(_Step(Phase.GET_READY, get_ready_s, sides[0], 1))
    for side_index, side in enumerate(sides):
        if side_index > 0:
            # Turning over or swapping legs takes a moment even when the plan has no rest.
            steps.append(
                _Step(Phase.REST, max(item.rest_s, get_ready_s, 1), side, 1, side_change=True)
            )
        for set_number in range(1, item.sets + 1):
            for rep in range(1, item.reps + 1):
                steps.append(_Step(Phase.MOVE, item.tempo_s, side, set_number, rep))
                if item.hold_s > 0:
                    steps.append(_Step(Phase.HOLD, item.hold_s, side, set_number, rep))
            if set_number < item.sets and item.rest_s > 0:
                steps.append(_Step(Phase.REST, item.rest_s, side, set_number + 1))
    steps.append(_Step(Phase.FEEDBACK, 0, sides[-1], item.sets))
    return steps


class PlayerController(QObject):
    """Runs one guided session over `entries`; the view listens to its signals."""

    changed = Signal()  # anything shown changed (phase, counters, remaining time, paused)
    cue = Signal(str)  # a Cue value
    exercise_finished = Signal(object)  # ExerciseOutcome, once per play-through of an exercise
    session_finished = Signal()

    def __init__(
        self,
        entries: list[PlayerEntry],
        thresholds: PainThresholds,
        clock: Callable[[], float] = time.monotonic,
        get_ready_s: int = 5,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._entries = list(entries)
        self._thresholds = thresholds
        self._clock = clock
        self._get_ready_s = max(0, get_ready_s)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.update)
        self._started = False
        self._paused = False
        self._done = False
        self._deadline = 0.0
        self._paused_remaining = 0.0
        self._outcomes: list[ExerciseOutcome] = []
        self._index = 0
        self._steps: list[_Step] = []
        self._step_index = 0
        self._reps_done = self._holds_done = self._sets_done = 0
        self._outcome_emitted = False
        self._last_advice: Advice | None = None
        if self._entries:
            self._load_exercise(0)

    # What the view shows -------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return Phase.DONE if self._done or not self._entries else self._step.phase

    @property
    def started(self) -> bool:
        return self._started

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def current_entry(self) -> PlayerEntry | None:
        return None if self.phase == Phase.DONE else self._entries[self._index]

    @property
    def next_entry(self) -> PlayerEntry | None:
        following = self._index + 1
        if self.phase == Phase.DONE or following >= len(self._entries):
            return None
        return self._entries[following]

    @property
    def entries(self) -> tuple[PlayerEntry, ...]:
        return tuple(self._entries)

    @property
    def exercise_index(self) -> int:
        """0-based position of the current exercise (stays on the last one when DONE)."""
        return self._index

    @property
    def exercise_count(self) -> int:
        return len(self._entries)

    @property
    def set_number(self) -> int:
        """The set being done, or during a rest the set that comes next."""
        return self._step.set_number if self._steps else 0

    @property
    def set_count(self) -> int:
        entry = self.current_entry
        return entry.item.sets if entry else 0

    @property
    def rep_number(self) -> int:
        """The repetition being done; 0 outside MOVE and HOLD."""
        return self._step.rep_number if self._steps else 0

    @property
    def rep_count(self) -> int:
        entry = self.current_entry
        return entry.item.reps if entry else 0

    @property
    def side(self) -> str | None:
        """ "left", "right" or None; during a side-change rest, the side that comes next."""
        return self._step.side if self._steps and self.phase != Phase.DONE else None

    side_label = side

    @property
    def changing_side(self) -> bool:
        return bool(self._steps) and self.phase == Phase.REST and self._step.side_change

    @property
    def remaining_s(self) -> float:
        """Seconds left in the current timed phase (0 outside timed phases)."""
        if self.phase not in _TIMED:
            return 0.0
        if not self._started:
            return float(self._step.duration_s)
        if self._paused:
            return self._paused_remaining
        return max(0.0, self._deadline - self._clock())

    @property
    def phase_duration_s(self) -> float:
        return float(self._step.duration_s) if self.phase in _TIMED else 0.0

    @property
    def reps_done(self) -> int:
        return self._reps_done

    @property
    def holds_done(self) -> int:
        return self._holds_done

    @property
    def sets_done(self) -> int:
        return self._sets_done

    @property
    def asks_nerve_response(self) -> bool:
        entry = self.current_entry
        return entry is not None and entry.exercise.category == Category.NEURAL_MOBILISATION

    @property
    def feedback_given(self) -> bool:
        """True in FEEDBACK once the answers were saved and the advice is showing."""
        return self.phase == Phase.FEEDBACK and self._last_advice is not None

    @property
    def last_advice(self) -> Advice | None:
        return self._last_advice

    @property
    def outcomes(self) -> tuple[ExerciseOutcome, ...]:
        """Every outcome emitted so far, in order."""
        return tuple(self._outcomes)

    # Controls -------------------------------------------------------------------------------

    def start(self) -> None:
        if self._started or self._done:
            return
        self._started = True
        if not self._entries:
            self._finish_session()
            return
        if self.phase in _TIMED:
            self._deadline = self._clock() + self._step.duration_s
            self._timer.start()
        self.changed.emit()

    def pause(self) -> None:
        if not self._started or self._paused or self.phase not in _TIMED:
            return
        self._paused_remaining = max(0.0, self._deadline - self._clock())
        self._paused = True
        self._timer.stop()
        self.changed.emit()

    def resume(self) -> None:
        if not self._paused:
            return
        self._paused = False
        if self.phase in _TIMED:
            self._deadline = self._clock() + self._paused_remaining
            self._timer.start()
        self.changed.emit()

    def toggle_pause(self) -> None:
        if self._paused:
            self.resume()
        else:
            self.pause()

    def update(self) -> None:
        """Catch up with the clock: cross every phase boundary that has passed."""
        if not self._started or self._paused or self.phase not in _TIMED:
            return
        now = self._clock()
        while self.phase in _TIMED and now >= self._deadline:
            self._leave_step()
            self._step_index += 1
            self._enter_step(chained=True)
        self.changed.emit()

    def next(self) -> None:
        """Skip the rest of this exercise: what was done so far is recorded as skipped."""
        if self.phase == Phase.DONE:
            return
        if self.phase == Phase.FEEDBACK:
            # Everything was done; only the questions are left unanswered.
            self._emit_outcome(skipped=False)
        else:
            self._emit_outcome(skipped=True)
        self._go_to_exercise(self._index + 1)

    def previous(self) -> None:
        """Restart this exercise, or from its get-ready go back to the one before."""
        if self.phase == Phase.DONE:
            return
        at_start = self._step.phase == Phase.GET_READY or (
            self._step_index == 0 and self._reps_done == 0
        )
        target = self._index - 1 if at_start and self._index > 0 else self._index
        self._go_to_exercise(target)

    def end_early(self) -> None:
        """Stop the session now, keeping any work done on the current exercise."""
        if self.phase == Phase.DONE:
            return
        if self.phase == Phase.FEEDBACK or self._reps_done > 0:
            self._emit_outcome(skipped=False)
        self._finish_session()

    def submit_feedback(
        self,
        pain_during: int | None,
        effort: Effort | None,
        nerve_response: NerveResponse | None,
        note: str = "",
    ) -> Advice | None:
        """Record how the exercise felt; returns the advice (None when no answers are due)."""
        if self.phase != Phase.FEEDBACK or self._outcome_emitted:
            return None
        if not self.asks_nerve_response:
            nerve_response = None  # only nerve exercises ask it; never store a stray answer
        advice = advise(pain_during, self._thresholds, nerve_response, effort)
        self._last_advice = advice
        self._emit_outcome(
            skipped=False,
            pain_during=pain_during,
            effort=effort,
            nerve_response=nerve_response,
            advice=advice,
            note=note,
        )
        self.changed.emit()
        return advice

    def continue_(self) -> None:
        """Leave the feedback (advice read) for the next exercise, or the end."""
        if self.phase != Phase.FEEDBACK:
            return
        self._emit_outcome(skipped=False)  # no-op when the feedback already emitted it
        self._go_to_exercise(self._index + 1)

    # Inside ---------------------------------------------------------------------------------

    @property
    def _step(self) -> _Step:
        return self._steps[self._step_index]

    def _load_exercise(self, index: int) -> None:
        self._index = index
        self._steps = _steps_for(self._entries[index], self._get_ready_s)
        self._step_index = 0
        self._reps_done = self._holds_done = self._sets_done = 0
        self._outcome_emitted = False
        self._last_advice = None

    def _go_to_exercise(self, index: int) -> None:
        if index >= len(self._entries):
            self._finish_session()
            return
        self._load_exercise(index)
        if self._started:
            self._enter_step(chained=False)
        self.changed.emit()

    def _enter_step(self, chained: bool) -> None:
        """Start the step at `_step_index`; `chained` continues from the last deadline."""
        step = self._step
        if step.phase not in _TIMED:
            self._timer.stop()
            return
        if self._paused:
            self._paused_remaining = float(step.duration_s)
        else:
            base = self._deadline if chained else self._clock()
            self._deadline = base + step.duration_s
            self._timer.start()
        if step.phase == Phase.HOLD:
            self.cue.emit(Cue.HOLD_START.value)

    def _leave_step(self) -> None:
        step, item = self._step, self._entries[self._index].item
        rep_finished = (step.phase == Phase.MOVE and item.hold_s == 0) or step.phase == Phase.HOLD
        if step.phase == Phase.HOLD:
            self._holds_done += 1
            self.cue.emit(Cue.HOLD_END.value)
        elif step.phase == Phase.REST:
            self.cue.emit(Cue.REST_END.value)
        elif step.phase == Phase.GET_READY:
            self.cue.emit(Cue.GET_READY_END.value)
        if rep_finished:
            self._reps_done += 1
            if step.rep_number == item.reps:
                self._sets_done += 1

    def _emit_outcome(
        self,
        skipped: bool,
        pain_during: int | None = None,
        effort: Effort | None = None,
        nerve_response: NerveResponse | None = None,
        advice: Advice | None = None,
        note: str = "",
    ) -> None:
        if self._outcome_emitted:
            return
        self._outcome_emitted = True
        outcome = ExerciseOutcome(
            exercise_id=self._entries[self._index].exercise.id,
            sets_done=self._sets_done,
            reps_done=self._reps_done,
            holds_done=self._holds_done,
            skipped=skipped,
            pain_during=pain_during,
            effort=effort,
            nerve_response=nerve_response,
            advice=advice,
            note=note,
        )
        self._outcomes.append(outcome)
        self.exercise_finished.emit(outcome)

    def _finish_session(self) -> None:
        self._timer.stop()
        self._done = True
        self._paused = False
        self.changed.emit()
        self.session_finished.emit()
