"""The plan editor: phases, the exercises in each, their dose and schedule, and how long it takes.

Shared by "My plan" (the patient's plan, saved through the plan service) and "Prepare a pack"
(a therapist's pack folder), so both edit plans the same way. It works on a `Plan` draft and a
`Library` only and knows nothing of saving, services or settings: every edit that gives a valid
plan emits `changed(plan)`; an entry that is not valid yet (a time like "8 o'clock", phases on
the same day) is explained in place and the last valid draft is kept. `problem_list()` says what
would stop the host from saving (out-of-range doses, unknown exercises, a bad entry).

The title and start date of a plan are not edited here: a pack takes them from its manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from pydantic import ValidationError
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.plan import Phase, Plan, PlanItem, PlanSide, Schedule, estimate_item_seconds
from rehab_app.services.catalog import Library
from rehab_app.services.plans import DEFAULT_WARN_EXERCISES, DEFAULT_WARN_MINUTES
from rehab_app.ui.widgets.text import own_label, plain_label
from rehab_app.wording.labels import dose_summary

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SIDE_WORDS = {
    PlanSide.AFFECTED: "The painful side",
    PlanSide.LEFT: "Left",
    PlanSide.RIGHT: "Right",
    PlanSide.BOTH: "Both sides",
}
#: What stops a plan being used, in plain words; by default the exercises' allowed ranges.
Check = Callable[[Plan], list[str]]


def parse_times(text: str) -> list[time]:
    """'8:00, 18:30' -> [08:00, 18:30]; raises ValueError naming the bad value."""
    found = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            hours, minutes = part.split(":") if ":" in part else (part, "0")
            found.append(time(int(hours), int(minutes)))
        except ValueError:
            raise ValueError(f"'{part}' is not a time like 08:00") from None
    if not found:
        raise ValueError("give at least one session time, like 08:00")
    return sorted(set(found))


def library_check(library: Library) -> Check:
    """The allowed-ranges check of `library`'s exercises (what the plan service checks too)."""

    def check(plan: Plan) -> list[str]:
        found: list[str] = []
        for phase in plan.phases:
            for item in phase.items:
                exercise = library.by_id(item.exercise_id)
                if exercise is None:
                    found.append(f"The exercise '{item.exercise_id}' is not in the library.")
                else:
                    found.extend(item.dose_problems(exercise))
        return found

    return check


class PlanEditor(QWidget):
    #: The new draft (a valid Plan) after every edit made here; not emitted by `set_plan`.
    changed = Signal(object)
    #: The list of problems (plain strings) whenever it may have changed.
    problems_changed = Signal(list)
    #: The name of an exercise that was just added.
    exercise_added = Signal(str)
    #: The session limits (exercises, minutes) after the person changed them.
    limits_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, problems_heading: str = "") -> None:
        super().__init__(parent)
        self.draft: Plan | None = None
        self.library: Library | None = None
        self.today: Callable[[], date] = date.today
        self.problems_heading = problems_heading or self.tr("Not saved yet:")
        self._check: Check | None = None
        self._entry_error = ""
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        phases = QHBoxLayout()
        self.phase_combo = QComboBox()
        self.phase_combo.setAccessibleName(self.tr("Phase of the plan"))
        self.phase_week = QSpinBox()
        self.phase_week.setRange(1, 520)
        self.phase_week.setPrefix(self.tr("starts in week "))
        self.phase_week.setAccessibleName(self.tr("Week the phase starts in"))
        self.add_phase_button = QPushButton(self.tr("Add a phase"))
        self.remove_phase_button = QPushButton(self.tr("Remove this phase"))
        for widget in (
            self.phase_combo,
            self.phase_week,
            self.add_phase_button,
            self.remove_phase_button,
        ):
            phases.addWidget(widget)
        phases.addStretch(1)
        layout.addLayout(phases)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.items = QListWidget()
        self.items.setAccessibleName(self.tr("Exercises in this phase"))
        self.items.setWordWrap(True)
        self.items.setSpacing(4)
        self.items.setMinimumHeight(220)
        left_layout.addWidget(self.items, 1)
        add_row = QHBoxLayout()
        self.exercise_choice = QComboBox()
        self.exercise_choice.setAccessibleName(self.tr("Exercise to add"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setAccessibleName(self.tr("Add the chosen exercise"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected exercise"))
        add_row.addWidget(self.exercise_choice, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        left_layout.addLayout(add_row)
        splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._build_item_form())
        self.ranges = plain_label("", object_name="planRanges")
        right_layout.addWidget(self.ranges)
        right_layout.addStretch(1)
        splitter.addWidget(right)
        splitter.setSizes([420, 640])
        layout.addWidget(splitter, 1)

        self.estimate = plain_label("", object_name="planEstimate")
        self.warning = plain_label("", object_name="planWarning")
        self.problems = plain_label("", object_name="planProblems")
        self.problems.setAccessibleName(self.tr("Problems to fix"))
        for label in (self.estimate, self.warning, self.problems):
            layout.addWidget(label)
        limits, second = QHBoxLayout(), QHBoxLayout()
        self.warn_exercises = QSpinBox()
        self.warn_exercises.setRange(1, 30)
        self.warn_exercises.setValue(DEFAULT_WARN_EXERCISES)
        self.warn_exercises.setAccessibleName(self.tr("Warn above this many exercises a session"))
        self.warn_minutes = QSpinBox()
        self.warn_minutes.setRange(1, 180)
        self.warn_minutes.setValue(DEFAULT_WARN_MINUTES)
        self.warn_minutes.setAccessibleName(self.tr("Warn above this many minutes a session"))
        for row, parts in (
            (
                limits,
                (
                    self.tr("Warn me when a session has more than"),
                    self.warn_exercises,
                    self.tr("exercises"),
                ),
            ),
            (second, (self.tr("or lasts more than"), self.warn_minutes, self.tr("minutes."))),
        ):
            for part in parts:
                if isinstance(part, str):
                    part = own_label(part)
                    part.setWordWrap(False)
                row.addWidget(part)
        for row in (limits, second):
            row.addStretch(1)
            layout.addLayout(row)

        self._connect()
        self._show_phase(-1)

    # Public API ---------------------------------------------------------------------------

    def set_library(self, library: Library, check: Check | None = None) -> None:
        """The exercises to choose from; `check` replaces the allowed-ranges check."""
        self.library = library
        self._check = check
        chosen = self.exercise_choice.currentData()
        self.exercise_choice.clear()
        for exercise in library.exercises:
            self.exercise_choice.addItem(exercise.name, exercise.id)
        index = self.exercise_choice.findData(chosen)
        self.exercise_choice.setCurrentIndex(max(0, index))
        if self.draft is not None:
            self.set_plan(self.draft, self.phase_combo.currentIndex(), self.items.currentRow())

    def set_plan(self, plan: Plan | None, phase_index: int = 0, item_row: int = 0) -> None:
        """Show `plan` (None: nothing to edit yet). Does not emit `changed`."""
        self._entry_error = ""
        self._set_draft(plan, phase_index, item_row)

    def new_plan(self) -> None:
        """Begin an empty one-phase plan starting today, unless there is a draft already."""
        if self.draft is None:
            self._set_draft(
                Plan(start=self.today(), phases=[Phase(name="Phase 1", starts_on_day=0)])
            )
            self._emit_changed()
        self.exercise_choice.setFocus()

    def problem_list(self) -> list[str]:
        """Everything that would stop this draft being used, including an entry not valid yet."""
        found = [self._entry_error] if self._entry_error else []
        if self.draft is not None:
            found.extend(self._checker()(self.draft))
        return found

    def entry_problem(self) -> str:
        """Why what is typed in the form is not in the draft yet ("" when it is)."""
        return self._entry_error

    def select_item(self, row: int) -> None:
        self.items.setCurrentRow(row)

    def select_phase(self, index: int) -> None:
        self.phase_combo.setCurrentIndex(index)

    def warn_limits(self) -> tuple[int, int]:
        return self.warn_exercises.value(), self.warn_minutes.value()

    def set_warn_limits(self, exercises: int, minutes: int) -> None:
        """Show stored limits (does not emit `limits_changed`)."""
        self._loading = True
        try:
            self.warn_exercises.setValue(exercises)
            self.warn_minutes.setValue(minutes)
        finally:
            self._loading = False
        self._update_summary()

    # Building the form --------------------------------------------------------------------

    def _build_item_form(self) -> QWidget:
        box = QGroupBox(self.tr("Selected exercise"))
        form = QFormLayout(box)
        self.sets = self._spin(self.tr("Sets"))
        self.reps = self._spin(self.tr("Repetitions"))
        self.hold = self._spin(self.tr("Hold (seconds)"))
        self.rest = self._spin(self.tr("Rest between sets (seconds)"))
        self.tempo = self._spin(self.tr("Seconds per repetition"))
        self.side = QComboBox()
        for side, words in SIDE_WORDS.items():
            self.side.addItem(self.tr(words), side)
        self.side.setAccessibleName(self.tr("Side"))
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Note for this exercise"))
        self.times = QLineEdit()
        self.times.setPlaceholderText("08:00, 18:00")
        self.times.setAccessibleName(self.tr("Session times, separated by commas"))
        self.on_days = QRadioButton(self.tr("On these days"))
        self.every = QRadioButton(self.tr("Every"))
        for radio in (self.on_days, self.every):
            radio.setAccessibleName(radio.text())
        group = QButtonGroup(box)
        group.addButton(self.on_days)
        group.addButton(self.every)
        self.day_boxes = [QCheckBox(self.tr(name)) for name in WEEKDAY_NAMES]
        # The days get a line of their own so the form stays narrow with large text.
        days_row = QHBoxLayout()
        days_row.setContentsMargins(24, 0, 0, 0)
        for check in self.day_boxes:
            check.setAccessibleName(check.text())
            days_row.addWidget(check)
        days_row.addStretch(1)
        self.every_n = QSpinBox()
        self.every_n.setRange(1, 30)
        self.every_n.setSuffix(self.tr(" days"))
        self.every_n.setAccessibleName(self.tr("Every how many days"))
        every_row = QHBoxLayout()
        every_row.addWidget(self.every)
        every_row.addWidget(self.every_n)
        every_row.addStretch(1)
        form.addRow(self.tr("Sets"), self.sets)
        form.addRow(self.tr("Repetitions"), self.reps)
        form.addRow(self.tr("Hold (seconds)"), self.hold)
        form.addRow(self.tr("Rest (seconds)"), self.rest)
        form.addRow(self.tr("Seconds per repetition"), self.tempo)
        form.addRow(self.tr("Side"), self.side)
        form.addRow(self.tr("Times"), self.times)
        form.addRow(self.on_days)
        form.addRow(days_row)
        form.addRow(every_row)
        self.from_date = QDateEdit()
        self.until_date = QDateEdit()
        self.has_from = QCheckBox(self.tr("Not before"))
        self.has_until = QCheckBox(self.tr("Stop after"))
        for check, edit in ((self.has_from, self.from_date), (self.has_until, self.until_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setAccessibleName(check.text())
            check.setAccessibleName(check.text())
        for label, check, edit in (
            (self.tr("Dates"), self.has_from, self.from_date),
            ("", self.has_until, self.until_date),
        ):
            dates_row = QHBoxLayout()
            dates_row.addWidget(check)
            dates_row.addWidget(edit)
            dates_row.addStretch(1)
            form.addRow(label, dates_row)
        form.addRow(self.tr("Note"), self.note)
        self.item_form = box
        return box

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 3600)  # wide on purpose: out-of-range values get a message, not a clamp
        spin.setAccessibleName(name)
        return spin

    def _connect(self) -> None:
        for spin in (self.sets, self.reps, self.hold, self.rest, self.tempo, self.every_n):
            spin.valueChanged.connect(self._form_changed)
        for check in self.day_boxes:
            check.toggled.connect(self._form_changed)
        self.on_days.toggled.connect(self._form_changed)
        self.side.currentIndexChanged.connect(self._form_changed)
        for check, edit in ((self.has_from, self.from_date), (self.has_until, self.until_date)):
            check.toggled.connect(self._form_changed)
            edit.dateChanged.connect(self._form_changed)
        self.note.textEdited.connect(self._form_changed)
        self.times.textEdited.connect(self._form_changed)
        self.phase_week.valueChanged.connect(self._phase_week_changed)
        self.phase_combo.currentIndexChanged.connect(self._show_phase)
        self.items.currentRowChanged.connect(self._show_item)
        self.add_button.clicked.connect(self._add_item)
        self.remove_button.clicked.connect(self._remove_item)
        self.add_phase_button.clicked.connect(self._add_phase)
        self.remove_phase_button.clicked.connect(self._remove_phase)
        self.warn_exercises.valueChanged.connect(self._limits_changed)
        self.warn_minutes.valueChanged.connect(self._limits_changed)

    # Draft handling ------------------------------------------------------------------------

    def _checker(self) -> Check:
        if self._check is not None:
            return self._check
        if self.library is None:
            return lambda plan: []
        return library_check(self.library)

    def _set_draft(self, plan: Plan | None, phase_index: int = 0, item_row: int = 0) -> None:
        self.draft = plan
        self._loading = True
        try:
            self.phase_combo.clear()
            if plan is not None:
                for phase in plan.phases:
                    self.phase_combo.addItem(self._phase_text(phase))
                self.phase_combo.setCurrentIndex(max(0, min(phase_index, len(plan.phases) - 1)))
        finally:
            self._loading = False
        self._show_phase(self.phase_combo.currentIndex(), item_row)
        self._update_summary()

    def _emit_changed(self) -> None:
        if self.draft is not None:
            self.changed.emit(self.draft)

    def _phase_text(self, phase: Phase) -> str:
        return (
            self.tr("%1 (from week %2)")
            .replace("%1", phase.name)
            .replace("%2", str(phase.starts_on_day // 7 + 1))
        )

    def _current_phase(self) -> Phase | None:
        index = self.phase_combo.currentIndex()
        if self.draft is None or not 0 <= index < len(self.draft.phases):
            return None
        return self.draft.phases[index]

    def _replace_phase(self, phase: Phase, item_row: int | None = None) -> None:
        assert self.draft is not None
        index = self.phase_combo.currentIndex()
        phases = list(self.draft.phases)
        phases[index] = phase
        phases.sort(key=lambda p: p.starts_on_day)
        self._apply(
            self.draft.model_copy(update={"phases": phases}),
            phases.index(phase),
            self.items.currentRow() if item_row is None else item_row,
        )

    def _apply(self, plan: Plan, phase_index: int, item_row: int) -> None:
        """Take a changed draft if it is a valid plan; otherwise say why and keep the old one."""
        try:
            plan = Plan.model_validate(plan.model_dump())
        except ValidationError as error:
            self._tell(
                self.problems,
                "\n".join(e["msg"].removeprefix("Value error, ") for e in error.errors()),
            )
            self.problems_changed.emit(self.problem_list())
            return
        self._entry_error = ""
        self._set_draft(plan, phase_index, item_row)
        self._emit_changed()

    def _show_phase(self, index: int, item_row: int = 0) -> None:
        if self._loading:
            return
        phase = self._current_phase()
        self._loading = True
        try:
            self.items.clear()
            self.phase_week.setEnabled(phase is not None and index > 0)
            self.remove_phase_button.setEnabled(phase is not None and index > 0)
            if phase is not None:
                self.phase_week.setValue(phase.starts_on_day // 7 + 1)
                for item in phase.items:
                    self.items.addItem(self._item_text(item))
        finally:
            self._loading = False
        if phase is not None and phase.items:
            self.items.setCurrentRow(max(0, min(item_row, len(phase.items) - 1)))
        self._show_item(self.items.currentRow())

    def _item_text(self, item: PlanItem) -> str:
        exercise = self.library.by_id(item.exercise_id) if self.library else None
        name = exercise.name if exercise else item.exercise_id
        times = ", ".join(f"{t:%H:%M}" for t in item.schedule.times)
        dose = dose_summary(item.sets, item.reps, item.hold_s)
        return f"{name}\n{dose}   {times}"

    def _show_item(self, row: int) -> None:
        if self._loading:
            return
        if self._entry_error:  # the form is about to show the draft again: the entry is gone
            self._entry_error = ""
            self._update_summary()
        phase = self._current_phase()
        item = phase.items[row] if phase is not None and 0 <= row < len(phase.items) else None
        self.item_form.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)
        if item is None:
            self.ranges.setText("")
            return
        self._loading = True
        try:
            self.sets.setValue(item.sets)
            self.reps.setValue(item.reps)
            self.hold.setValue(item.hold_s)
            self.rest.setValue(item.rest_s)
            self.tempo.setValue(item.tempo_s)
            self.side.setCurrentIndex(self.side.findData(item.side))
            self.note.setText(item.note)
            self.times.setText(", ".join(f"{t:%H:%M}" for t in item.schedule.times))
            by_weekday = bool(item.schedule.weekdays)
            self.on_days.setChecked(by_weekday)
            self.every.setChecked(not by_weekday)
            for number, check in enumerate(self.day_boxes, start=1):
                check.setChecked(number in item.schedule.weekdays)
            self.every_n.setValue(item.schedule.every_n_days or 1)
            fallback = self.draft.start if self.draft else date.today()
            for check, edit, value in (
                (self.has_from, self.from_date, item.schedule.start),
                (self.has_until, self.until_date, item.schedule.end),
            ):
                check.setChecked(value is not None)
                edit.setEnabled(value is not None)
                shown = value or fallback
                edit.setDate(QDate(shown.year, shown.month, shown.day))
        finally:
            self._loading = False
        self._show_ranges(item)

    def _show_ranges(self, item: PlanItem) -> None:
        exercise = self.library.by_id(item.exercise_id) if self.library else None
        if exercise is None:
            return
        d = exercise.dosage
        self.ranges.setText(
            self.tr(
                "Allowed for %1: sets %2, repetitions %3, hold %4 s, rest %5 s, %6 sessions a day."
            )
            .replace("%1", exercise.name)
            .replace("%2", f"{d.sets.min}-{d.sets.max}")
            .replace("%3", f"{d.reps.min}-{d.reps.max}")
            .replace("%4", f"{d.hold_s.min}-{d.hold_s.max}")
            .replace("%5", f"{d.rest_s.min}-{d.rest_s.max}")
            .replace("%6", f"{d.per_day.min}-{d.per_day.max}")
        )

    def _form_changed(self) -> None:
        if self._loading:
            return
        phase = self._current_phase()
        row = self.items.currentRow()
        if phase is None or not 0 <= row < len(phase.items):
            return
        self.from_date.setEnabled(self.has_from.isChecked())
        self.until_date.setEnabled(self.has_until.isChecked())
        try:
            weekdays = [n for n, check in enumerate(self.day_boxes, start=1) if check.isChecked()]
            schedule = Schedule(
                times=parse_times(self.times.text()),
                weekdays=weekdays if self.on_days.isChecked() else [],
                every_n_days=None if self.on_days.isChecked() else self.every_n.value(),
                start=_date_of(self.from_date) if self.has_from.isChecked() else None,
                end=_date_of(self.until_date) if self.has_until.isChecked() else None,
            )
            item = PlanItem(
                exercise_id=phase.items[row].exercise_id,
                sets=self.sets.value(),
                reps=self.reps.value(),
                hold_s=self.hold.value(),
                rest_s=self.rest.value(),
                tempo_s=self.tempo.value(),
                side=self.side.currentData(),
                note=self.note.text(),
                schedule=schedule,
            )
        except (ValidationError, ValueError) as error:
            self._entry_error = _first_reason(error)
            self._tell(self.problems, self.problems_heading + "\n" + self._entry_error)
            self.problems_changed.emit(self.problem_list())
            return
        self._entry_error = ""
        items = list(phase.items)
        items[row] = item
        self._loading = True
        try:
            self.items.item(row).setText(self._item_text(item))
        finally:
            self._loading = False
        assert self.draft is not None
        phases = list(self.draft.phases)
        phases[self.phase_combo.currentIndex()] = phase.model_copy(update={"items": items})
        self.draft = self.draft.model_copy(update={"phases": phases})
        self._show_ranges(item)
        self._update_summary()
        self._emit_changed()

    def _phase_week_changed(self, week: int) -> None:
        phase = self._current_phase()
        if self._loading or phase is None or self.phase_combo.currentIndex() == 0:
            return
        self._replace_phase(phase.model_copy(update={"starts_on_day": (week - 1) * 7}))

    def _add_item(self) -> None:
        if self.draft is None:
            self.new_plan()
        phase = self._current_phase()
        exercise = self.library.by_id(self.exercise_choice.currentData()) if self.library else None
        if phase is None or exercise is None:
            return
        dose = exercise.dosage
        morning_evening = [time(8), time(18)][: max(1, min(2, dose.per_day.default))]
        item = PlanItem(
            exercise_id=exercise.id,
            sets=dose.sets.default,
            reps=dose.reps.default,
            hold_s=dose.hold_s.default,
            rest_s=dose.rest_s.default,
            tempo_s=dose.tempo_s,
            schedule=Schedule(
                times=morning_evening,
                weekdays=list(range(1, 8)) if dose.days_per_week.default == 7 else [1, 2, 3, 4, 5],
            ),
        )
        self._replace_phase(
            phase.model_copy(update={"items": [*phase.items, item]}), len(phase.items)
        )
        self.exercise_added.emit(exercise.name)

    def _remove_item(self) -> None:
        phase = self._current_phase()
        row = self.items.currentRow()
        if phase is None or not 0 <= row < len(phase.items):
            return
        items = [item for index, item in enumerate(phase.items) if index != row]
        self._replace_phase(phase.model_copy(update={"items": items}), max(0, row - 1))

    def _add_phase(self) -> None:
        if self.draft is None:
            self.new_plan()
            return
        last = self.draft.phases[-1]
        phase = Phase(
            name=self.tr("Phase %1").replace("%1", str(len(self.draft.phases) + 1)),
            starts_on_day=last.starts_on_day + 14,
            items=list(last.items),  # a new phase starts as a copy of the previous one
        )
        phases = [*self.draft.phases, phase]
        self._apply(self.draft.model_copy(update={"phases": phases}), len(phases) - 1, 0)

    def _remove_phase(self) -> None:
        index = self.phase_combo.currentIndex()
        if self.draft is None or index <= 0:
            return
        phases = [p for i, p in enumerate(self.draft.phases) if i != index]
        self._apply(self.draft.model_copy(update={"phases": phases}), index - 1, 0)

    def _limits_changed(self) -> None:
        if not self._loading:
            self.limits_changed.emit(self.warn_exercises.value(), self.warn_minutes.value())
        self._update_summary()

    def _update_summary(self) -> None:
        """Session lengths, the too-long warning and what would stop the plan being used."""
        if self.library is None or self.draft is None:
            for label in (self.estimate, self.warning, self.problems):
                self._tell(label, "")
            self.problems_changed.emit([])
            return
        phase = self._current_phase()
        per_slot: dict[time, list[float]] = {}
        for item in phase.items if phase else []:
            exercise = self.library.by_id(item.exercise_id)
            if exercise is None:
                continue
            for slot in item.schedule.times:
                per_slot.setdefault(slot, []).append(estimate_item_seconds(item, exercise) / 60)
        if per_slot:
            parts = [
                self.tr("%1: about %2 min")
                .replace("%1", f"{slot:%H:%M}")
                .replace("%2", str(max(1, round(sum(minutes)))))
                for slot, minutes in sorted(per_slot.items())
            ]
            self.estimate.setText(self.tr("Session length: ") + ";  ".join(parts))
        else:
            self.estimate.setText(self.tr("Add exercises from the library to this phase."))
        self.estimate.setVisible(True)
        too_many = [s for s, m in per_slot.items() if len(m) > self.warn_exercises.value()]
        too_long = [s for s, m in per_slot.items() if sum(m) > self.warn_minutes.value()]
        warnings = []
        if too_many:
            warnings.append(
                self.tr("The %1 session has more than %2 exercises.")
                .replace("%1", ", ".join(f"{s:%H:%M}" for s in sorted(too_many)))
                .replace("%2", str(self.warn_exercises.value()))
            )
        if too_long:
            warnings.append(
                self.tr("The %1 session takes longer than %2 minutes.")
                .replace("%1", ", ".join(f"{s:%H:%M}" for s in sorted(too_long)))
                .replace("%2", str(self.warn_minutes.value()))
            )
        if warnings:
            warnings.append(
                self.tr("Shorter sessions are easier to keep up; consider splitting it.")
            )
        self._tell(self.warning, "⚠ " + " ".join(warnings) if warnings else "")
        problems = self.problem_list()
        self._tell(
            self.problems,
            self.problems_heading + "\n" + "\n".join(problems) if problems else "",
        )
        self.problems_changed.emit(problems)

    @staticmethod
    def _tell(label: QLabel, text: str) -> None:
        """Show a message line only while it has something to say."""
        label.setText(text)
        label.setVisible(bool(text))


def _date_of(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _first_reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
    return str(error)
