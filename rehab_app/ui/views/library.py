"""The Library: find an exercise by name or alias, filter it, and read how to do it safely."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.vocabulary import BodyRegion, Category, Stage
from rehab_app.ui.widgets.illustration import IllustrationView
from rehab_app.ui.widgets.text import heading, plain_label
from rehab_app.wording import labels

if TYPE_CHECKING:
    from rehab_app.core.exercise import DosageValue, Exercise
    from rehab_app.services.catalog import Library

AnyIndex = QModelIndex | QPersistentModelIndex
EXERCISE_ROLE = Qt.ItemDataRole.UserRole + 1


class ExerciseListModel(QAbstractListModel):
    """The library's exercises, one row each, in name order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._exercises: tuple[Exercise, ...] = ()

    def set_exercises(self, exercises: tuple[Exercise, ...]) -> None:
        self.beginResetModel()
        self._exercises = exercises
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._exercises)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._exercises):
            return None
        exercise = self._exercises[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return exercise.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return exercise.summary
        if role == EXERCISE_ROLE:
            return exercise
        return None


class ExerciseFilter(QSortFilterProxyModel):
    """Search by name and aliases; filter by body region, category and stage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._region: BodyRegion | None = None
        self._category: Category | None = None
        self._stage: Stage | None = None

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filters(
        self, region: BodyRegion | None, category: Category | None, stage: Stage | None
    ) -> None:
        self.beginFilterChange()
        self._region, self._category, self._stage = region, category, stage
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(source_row, 0, source_parent)
        exercise: Exercise = index.data(EXERCISE_ROLE)
        text = exercise.search_text()
        return (
            all(word in text for word in self._words)
            and (self._region is None or self._region in exercise.body_regions)
            and (self._category is None or self._category == exercise.category)
            and (self._stage is None or self._stage in exercise.stages)
        )


class ExerciseDetail(QScrollArea):
    """Everything about one exercise, as plain text, in the order a patient reads it."""

    link_activated = Signal(str)  # an exercise id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(16, 8, 16, 16)
        self._layout.setSpacing(10)
        self.setWidget(self._body)
        self.setAccessibleName(self.tr("Exercise details"))

    def show_exercise(self, exercise: Exercise | None, library: Library | None) -> None:
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.setParent(None)  # gone from the screen (and from findChild) at once
                widget.deleteLater()
        if exercise is None or library is None:
            self._layout.addWidget(plain_label(self.tr("Choose an exercise on the left.")))
            self._layout.addStretch(1)
            return
        add = self._layout.addWidget
        add(heading(exercise.name, level=1, object_name="exerciseTitle"))
        add(plain_label(exercise.summary))
        picture = IllustrationView()
        picture.set_picture(library.illustration_for(exercise), exercise.name)
        add(picture)

        add(heading(self.tr("How to do it")))
        steps = "\n".join(f"{n}.  {step}" for n, step in enumerate(exercise.steps, start=1))
        add(plain_label(steps, object_name="exerciseSteps"))

        add(heading(self.tr("How much")))
        add(self._dosage_grid(exercise))

        if exercise.cautions:
            add(heading(self.tr("Take care")))
            cautions = "\n".join(f"•  {caution}" for caution in exercise.cautions)
            add(plain_label(cautions, object_name="exerciseCautions"))

        self._add_links(
            self.tr("When it feels easy, your therapist may move you on to"),
            exercise.progression_to,
            exercise.progression_notes,
            library,
        )
        self._add_links(
            self.tr("If it is too hard, an easier choice is"),
            exercise.regression_to,
            exercise.regression_notes,
            library,
        )

        add(heading(self.tr("Good to know")))
        facts = [
            self.tr("Position: %1").replace(
                "%1", ", ".join(labels.position_label(p) for p in exercise.positions)
            ),
            self.tr("You need: %1").replace(
                "%1", ", ".join(exercise.equipment) or self.tr("nothing special")
            ),
            self.tr("Works on: %1").replace(
                "%1", ", ".join(labels.region_label(r) for r in exercise.body_regions)
            ),
            self.tr("Suits: %1").replace(
                "%1", ", ".join(labels.stage_label(s) for s in exercise.stages)
            ),
        ]
        if exercise.aliases:
            facts.append(self.tr("Also called: %1").replace("%1", ", ".join(exercise.aliases)))
        add(plain_label("\n".join(facts)))
        self._layout.addStretch(1)

    def _dosage_grid(self, exercise: Exercise) -> QWidget:
        dosage = exercise.dosage
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        rows: list[tuple[str, DosageValue, str]] = [
            (self.tr("Sets"), dosage.sets, ""),
            (self.tr("Repetitions"), dosage.reps, ""),
            (self.tr("Hold"), dosage.hold_s, self.tr("seconds")),
            (self.tr("Rest between sets"), dosage.rest_s, self.tr("seconds")),
            (self.tr("Sessions a day"), dosage.per_day, ""),
            (self.tr("Days a week"), dosage.days_per_week, ""),
        ]
        for row, (name, value, unit) in enumerate(rows):
            grid.addWidget(plain_label(name), row, 0)
            shown = _dosage_text(value, unit, self.tr("usually"), self.tr("no hold"))
            grid.addWidget(plain_label(shown, object_name=f"dosage_{row}"), row, 1)
        grid.addWidget(plain_label(self.tr("Side")), len(rows), 0)
        grid.addWidget(plain_label(labels.side_label(dosage.side)), len(rows), 1)
        if dosage.target:
            grid.addWidget(plain_label(self.tr("Aim")), len(rows) + 1, 0)
            grid.addWidget(plain_label(dosage.target), len(rows) + 1, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _add_links(
        self,
        title: str,
        ids: list[str],
        notes: list[str],
        library: Library,
    ) -> None:
        if not ids and not notes:
            return
        self._layout.addWidget(heading(title))
        for exercise_id in ids:
            target = library.by_id(exercise_id)
            if target is None:
                continue
            button = QPushButton(f"→  {target.name}")
            button.setAccessibleName(self.tr("Open %1").replace("%1", target.name))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, i=exercise_id: self.link_activated.emit(i))
            self._layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        for note in notes:
            self._layout.addWidget(plain_label(f"•  {note}"))


def _dosage_text(value: DosageValue, unit: str, usually: str, no_hold: str) -> str:
    if unit and value.default == 0 and value.max <= 1:
        text = no_hold
    else:
        text = f"{value.default} {unit}".strip()
        if value.min != value.max:
            text += f"   ({usually} {value.min} to {value.max})"
    if value.note:
        text += f"\n{value.note}"
    return text


class LibraryView(QWidget):
    """Search box and filters above a list; the chosen exercise's details on the right."""

    filled = Signal()  # the exercises are listed and the first one is shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library: Library | None = None
        self._model = ExerciseListModel(self)
        self._filter = ExerciseFilter(self)
        self._filter.setSourceModel(self._model)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search, for example: nerve flossing"))
        self.search.setAccessibleName(self.tr("Search exercises by name"))
        self.search.setClearButtonEnabled(True)
        self.region = self._combo(
            self.tr("All body areas"), [(labels.region_label(r), r) for r in BodyRegion]
        )
        self.region.setAccessibleName(self.tr("Filter by body area"))
        self.category = self._combo(
            self.tr("All kinds"), [(labels.category_label(c), c) for c in Category]
        )
        self.category.setAccessibleName(self.tr("Filter by kind of exercise"))
        self.stage = self._combo(self.tr("Any stage"), [(labels.stage_label(s), s) for s in Stage])
        self.stage.setAccessibleName(self.tr("Filter by stage of recovery"))
        self.clear_button = QPushButton(self.tr("Show all"))
        self.clear_button.setAccessibleName(self.tr("Clear the search and filters"))

        self.list = QListView()
        self.list.setModel(self._filter)
        self.list.setAccessibleName(self.tr("Exercises"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)  # long names wrap instead of being cut off
        self.list.setSpacing(2)
        self.list.setStyleSheet("QListView::item { padding: 6px 4px; }")  # big, easy targets
        self.count = plain_label("", object_name="libraryCount")
        self.skipped_notice = plain_label("", object_name="librarySkipped")
        self.skipped_notice.hide()
        self.detail = ExerciseDetail()

        filters = QHBoxLayout()
        for widget in (self.region, self.category, self.stage, self.clear_button):
            filters.addWidget(widget)
        filters.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.list, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([420, 840])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Exercise library"), level=1))
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.skipped_notice)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._search_changed)
        for combo in (self.region, self.category, self.stage):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.detail.link_activated.connect(self.select_exercise)
        self.search.returnPressed.connect(self.list.setFocus)
        self._show_count()

    @property
    def proxy(self) -> ExerciseFilter:
        return self._filter

    def set_library(self, library: Library) -> None:
        self._library = library
        self._model.set_exercises(library.exercises)
        if library.skipped_files:
            names = ", ".join(path.name for path in library.skipped_files)
            self.skipped_notice.setText(
                self.tr(
                    "Some exercise files could not be read and were left out: %1."
                    " The other exercises are fine."
                ).replace("%1", names)
            )
        self.skipped_notice.setVisible(bool(library.skipped_files))
        self._show_count()
        if self._filter.rowCount():
            self.list.setCurrentIndex(self._filter.index(0, 0))
        self.filled.emit()

    def visible_names(self) -> list[str]:
        return [self._filter.index(row, 0).data() for row in range(self._filter.rowCount())]

    def current_exercise(self) -> Exercise | None:
        index = self.list.currentIndex()
        return index.data(EXERCISE_ROLE) if index.isValid() else None

    def select_exercise(self, exercise_id: str) -> None:
        """Show one exercise, clearing the filters first if they hide it."""
        if self._row_of(exercise_id) is None:
            self.clear_filters()
        row = self._row_of(exercise_id)
        if row is not None:
            self.list.setCurrentIndex(self._filter.index(row, 0))
            self.list.scrollTo(self._filter.index(row, 0))

    def clear_filters(self) -> None:
        self.search.clear()
        for combo in (self.region, self.category, self.stage):
            combo.setCurrentIndex(0)

    def _row_of(self, exercise_id: str) -> int | None:
        for row in range(self._filter.rowCount()):
            if self._filter.index(row, 0).data(EXERCISE_ROLE).id == exercise_id:
                return row
        return None

    def _combo(self, everything: str, choices: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _search_changed(self, text: str) -> None:
        self._filter.set_search(text)
        self._after_filtering()

    def _filters_changed(self) -> None:
        self._filter.set_filters(
            self.region.currentData(), self.category.currentData(), self.stage.currentData()
        )
        self._after_filtering()

    def _after_filtering(self) -> None:
        self._show_count()
        if not self.list.currentIndex().isValid() and self._filter.rowCount():
            self.list.setCurrentIndex(self._filter.index(0, 0))
        elif not self._filter.rowCount():
            self._current_changed(QModelIndex())

    def _show_count(self) -> None:
        shown, total = self._filter.rowCount(), self._model.rowCount()
        if self._library is None:
            text = self.tr("Loading the exercises…")
        elif total == 0:
            text = self.tr("No exercises could be loaded.")
        elif shown == total:
            text = (
                self.tr("1 exercise")
                if total == 1
                else self.tr("%1 exercises").replace("%1", str(total))
            )
        elif shown == 0:
            text = self.tr("No exercise matches. Try another word or press “Show all”.")
        else:
            text = self.tr("%1 of %2 exercises").replace("%1", str(shown)).replace("%2", str(total))
        self.count.setText(text)

    def _current_changed(self, current: AnyIndex, _previous: AnyIndex | None = None) -> None:
        exercise = current.data(EXERCISE_ROLE) if current.isValid() else None
        self.detail.show_exercise(exercise, self._library)
