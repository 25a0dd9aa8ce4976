"""The form a therapist fills in to write an exercise of their own for a pack.

It produces an `Exercise` checked by the same pydantic model as every exercise file, so what
the form accepts is what a pack may hold; the photo is chosen separately and stored by
`services.pack_authoring.add_custom_exercise`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.exercise import EXERCISE_FORMAT_VERSION, Exercise
from rehab_app.core.vocabulary import BodyRegion, Category, Position, Side, Stage
from rehab_app.ui.widgets.text import heading, own_label, plain_label
from rehab_app.wording.labels import (
    category_label,
    position_label,
    region_label,
    side_label,
    stage_label,
)

# -- the therapist's own exercise ----------------------------------------------------------------

#: (field, plain words, default, min, max) for the dosage grid of a new exercise.
_DOSAGE_ROWS = (
    ("sets", "Sets", 2, 1, 3),
    ("reps", "Repetitions", 10, 5, 15),
    ("hold_s", "Hold (seconds)", 0, 0, 10),
    ("rest_s", "Rest between sets (seconds)", 30, 0, 60),
    ("per_day", "Sessions a day", 1, 1, 2),
    ("days_per_week", "Days a week", 5, 3, 7),
)


class CustomExerciseForm(QGroupBox):
    """Write an exercise of your own: the words, the dose it allows, and a photo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photo: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Write an exercise"), 3, own_words=True))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.name.setAccessibleName(self.tr("Name of the exercise"))
        self.summary = self._text(self.tr("What the exercise is for, in a sentence or two"), 3)
        self.steps = self._text(self.tr("Steps, one per line"), 5)
        self.steps.setPlaceholderText(
            self.tr("Lie on your back with your knees bent.\nBreathe out and …")
        )
        self.cautions = self._text(self.tr("Cautions, one per line (optional)"), 3)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("What it is for"), self.summary)
        form.addRow(self.tr("Steps (one per line)"), self.steps)
        form.addRow(self.tr("Cautions (one per line)"), self.cautions)

        self.category = self._combo(
            self.tr("Kind of exercise"), [(category_label(c), c) for c in Category]
        )
        self.region = self._combo(
            self.tr("Part of the body"), [(region_label(r), r) for r in BodyRegion]
        )
        self.position = self._combo(
            self.tr("Position"), [(position_label(p).capitalize(), p) for p in Position]
        )
        self.stage = self._combo(self.tr("Stage"), [(stage_label(s), s) for s in Stage])
        self.side = self._combo(self.tr("Side"), [(side_label(s).capitalize(), s) for s in Side])
        self.side.setCurrentIndex(self.side.findData(Side.BILATERAL))
        self.region.setCurrentIndex(self.region.findData(BodyRegion.LUMBAR_SPINE))
        form.addRow(self.tr("Kind"), self.category)
        form.addRow(self.tr("Part of the body"), self.region)
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("Stage"), self.stage)
        form.addRow(self.tr("Side"), self.side)
        layout.addLayout(form)

        layout.addWidget(
            own_label(
                self.tr(
                    "How much: the usual amount, and the smallest and largest amount a plan may"
                    " set."
                )
            )
        )
        grid = QGridLayout()
        for column, words in enumerate(
            (self.tr("Usual"), self.tr("Smallest"), self.tr("Largest")), start=1
        ):
            grid.addWidget(own_label(words), 0, column)
        self.dosage: dict[str, tuple[QSpinBox, QSpinBox, QSpinBox]] = {}
        for row, (key, words, default, low, high) in enumerate(_DOSAGE_ROWS, start=1):
            grid.addWidget(own_label(self.tr(words)), row, 0)
            spins = []
            for column, (kind, value) in enumerate(
                (("usual", default), ("smallest", low), ("largest", high)), start=1
            ):
                spin = QSpinBox()
                spin.setRange(0, 3600)
                spin.setValue(value)
                spin.setAccessibleName(
                    self.tr("%1, %2").replace("%1", self.tr(words)).replace("%2", self.tr(kind))
                )
                grid.addWidget(spin, row, column)
                spins.append(spin)
            self.dosage[key] = (spins[0], spins[1], spins[2])
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)

        photo_row = QHBoxLayout()
        self.photo_button = QPushButton(self.tr("Choose photo…"))
        self.photo_button.setAccessibleName(self.tr("Choose a photo or drawing of the exercise"))
        self.photo_button.setMinimumHeight(40)
        self.thumbnail = QLabel()
        self.thumbnail.setFixedSize(QSize(120, 90))
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setAccessibleName(self.tr("The chosen photo"))
        self.photo_name = plain_label(self.tr("No photo chosen yet."), "customPhotoName")
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.thumbnail)
        photo_row.addWidget(self.photo_name, 1)
        layout.addLayout(photo_row)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add to the pack"))
        self.add_button.setAccessibleName(self.tr("Add this exercise to the pack"))
        self.add_button.setMinimumHeight(40)
        self.clear_button = QPushButton(self.tr("Clear the form"))
        self.clear_button.setAccessibleName(self.tr("Clear the form for a new exercise"))
        self.clear_button.setMinimumHeight(40)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.feedback = plain_label("", "customFeedback")
        self.feedback.setVisible(False)
        layout.addWidget(self.feedback)
        self.editing_id: str | None = None
        self.clear_button.clicked.connect(self.clear)

    def _text(self, name: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 16)
        return edit

    def _combo(self, name: str, choices: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for words, value in choices:
            combo.addItem(words, value)
        return combo

    def clear(self) -> None:
        self.editing_id = None
        for edit in (self.name,):
            edit.clear()
        for text in (self.summary, self.steps, self.cautions):
            text.clear()
        for key, _words, default, low, high in _DOSAGE_ROWS:
            for spin, value in zip(self.dosage[key], (default, low, high), strict=True):
                spin.setValue(value)
        self.set_photo(None)
        self.add_button.setText(self.tr("Add to the pack"))
        self.tell("")

    def show_exercise(self, exercise: Exercise, picture: Path | None) -> None:
        """Fill the form from one of the pack's exercises, to change it."""
        self.editing_id = exercise.id
        self.name.setText(exercise.name)
        self.summary.setPlainText(exercise.summary)
        self.steps.setPlainText("\n".join(exercise.steps))
        self.cautions.setPlainText("\n".join(exercise.cautions))
        for combo, value in (
            (self.category, exercise.category),
            (self.region, exercise.body_regions[0]),
            (self.position, exercise.positions[0]),
            (self.stage, exercise.stages[0]),
            (self.side, exercise.dosage.side),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        for key, *_ in _DOSAGE_ROWS:
            value = getattr(exercise.dosage, key)
            for spin, number in zip(
                self.dosage[key], (value.default, value.min, value.max), strict=True
            ):
                spin.setValue(number)
        self.set_photo(None)
        self._show_thumbnail(picture)
        self.photo_name.setText(self.tr("Keeps its photo unless you choose another."))
        self.add_button.setText(self.tr("Save changes to this exercise"))
        self.tell("")

    def set_photo(self, path: Path | None) -> None:
        self.photo = path
        self.photo_name.setText(path.name if path else self.tr("No photo chosen yet."))
        self._show_thumbnail(path)

    def _show_thumbnail(self, path: Path | None) -> None:
        self.thumbnail.clear()
        self.thumbnail.setVisible(path is not None)
        if path is None:
            return
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and size.width() > 0:
            reader.setScaledSize(
                size.scaled(self.thumbnail.size(), Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if not image.isNull():
            self.thumbnail.setPixmap(QPixmap.fromImage(image))

    def exercise(self, exercise_id: str, illustration: str) -> Exercise:
        """The form as an exercise; `ValidationError` says what is missing or wrong."""

        def lines(edit: QPlainTextEdit) -> list[str]:
            return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]

        dosage: dict[str, Any] = {
            key: {
                "default": spins[0].value(),
                "min": spins[1].value(),
                "max": spins[2].value(),
            }
            for key, spins in self.dosage.items()
        }
        dosage["side"] = self.side.currentData()
        return Exercise.model_validate(
            {
                "format_version": EXERCISE_FORMAT_VERSION,
                "id": exercise_id,
                "name": self.name.text(),
                "summary": self.summary.toPlainText().strip(),
                "category": self.category.currentData(),
                "body_regions": [self.region.currentData()],
                "positions": [self.position.currentData()],
                "stages": [self.stage.currentData()],
                "dosage": dosage,
                "steps": lines(self.steps),
                "cautions": lines(self.cautions),
                "illustration": illustration,
            }
        )

    def tell(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))


# -- the editor ---------------------------------------------------------------------------------
