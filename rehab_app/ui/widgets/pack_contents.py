"""What a pack holds, laid out as the patient will meet it: the message, the pain rule, then each
phase with its exercises (picture, dose, when, and the therapist's note).

Every string here may come from an untrusted pack, so all of it goes through `plain_label`.

A pack can hold many exercises, each a card of wrapped text and a picture; building and laying
out a dozen at once took about 60 ms, so the cards are added one per turn of the event loop
(issue 7: no stall over 50 ms). `filled` fires when the last one is in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import PlanItem
from rehab_app.formats.pack.reader import PackContents
from rehab_app.services.catalog import Library
from rehab_app.ui.later import next_turn
from rehab_app.ui.widgets.illustration import IllustrationView
from rehab_app.ui.widgets.text import heading, own_label, plain_label
from rehab_app.wording.plan_words import (
    dose_words,
    pain_rule_lines,
    phase_start_words,
    schedule_words,
    side_words,
)

#: Exercise cards added per turn of the event loop (each card is about 10 ms to build, show
#: and lay out, and the whole page is laid out again after each turn).
CARDS_PER_TURN = 1


class PackContentsView(QWidget):
    """Read-only: shows one pack's plan; built once per pack, so it holds no state to refresh."""

    filled = Signal()  # every phase and exercise card is in

    def __init__(
        self, contents: PackContents, library: Library, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("packContents")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        manifest = contents.manifest
        custom = {exercise.id: exercise for exercise in contents.exercises}
        pictures = {
            exercise.id: picture.staged
            for exercise in contents.exercises
            if (picture := contents.picture_for(exercise)) is not None
        }

        if manifest.message:
            layout.addWidget(heading(self.tr("A message from your therapist"), 3, own_words=True))
            message = plain_label(manifest.message, "packMessage")
            layout.addWidget(message)

        layout.addWidget(heading(self.tr("How much pain is all right"), 3, own_words=True))
        for _zone, sentence in pain_rule_lines(manifest.thresholds):
            layout.addWidget(own_label(f"• {sentence}"))

        plan = contents.plan
        self._layout = layout
        self._steps: list[Callable[[], None]] = []
        for phase in plan.phases:
            self._steps.append(
                lambda phase=phase: self._add(
                    heading(phase.name, 2), own_label(phase_start_words(plan, phase))
                )
            )
            for item in phase.items:
                exercise = custom.get(item.exercise_id) or library.by_id(item.exercise_id)
                picture = pictures.get(item.exercise_id)
                if picture is None and exercise is not None:
                    picture = library.illustration_for(exercise)
                self._steps.append(
                    lambda item=item, exercise=exercise, picture=picture: self._add(
                        _ItemCard(item, exercise, picture)
                    )
                )
        layout.addStretch(1)
        next_turn(self, self._fill_some)

    def is_filled(self) -> bool:
        return not self._steps

    def _fill_some(self) -> None:
        cards = 0
        while self._steps and cards < CARDS_PER_TURN:
            self._steps.pop(0)()
            cards += 1
        if self._steps:
            next_turn(self, self._fill_some)
        else:
            self.filled.emit()

    def _add(self, *widgets: QWidget) -> None:
        for widget in widgets:  # before the stretch, which stays last
            self._layout.insertWidget(self._layout.count() - 1, widget)


class _ItemCard(QFrame):
    def __init__(self, item: PlanItem, exercise: Exercise | None, picture: Path | None) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        text = QVBoxLayout()
        name = exercise.name if exercise else item.exercise_id
        text.addWidget(heading(name, 3))
        words = [dose_words(item)]
        side = side_words(item, exercise)
        if side:
            words.append(side)
        text.addWidget(plain_label("; ".join(words)))
        text.addWidget(plain_label(schedule_words(item.schedule)))
        if item.note:
            text.addWidget(plain_label(item.note, "itemNote"))
        text.addStretch(1)
        row.addLayout(text, 3)
        if picture is not None:
            view = IllustrationView()
            view.setMinimumSize(180, 90)
            view.set_picture(picture, name)
            row.addWidget(view, 2)
        self.setAccessibleName(name)
