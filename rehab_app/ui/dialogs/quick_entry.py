"""Quick pain entry: back and leg pain in three keystrokes, with optional details behind a toggle.

"Ctrl+L, 4, 6, Enter" records back pain 4 and leg pain 6: the dialog opens on the back-pain
scale, a digit moves on to the next scale, and Enter is the Save button wherever the focus is
(except in the note, where Enter starts a new line; Ctrl+Enter saves there). The rest has
defaults a person can see before saving: the context is guessed from the time of day, and how
far down the leg and which side are kept from the last entry, because they change slowly.

Nothing typed is lost: "Saved" appears only after the service has committed; on an error the
dialog stays open with every value and says why; closing with unsaved values asks first (inside
the dialog, never with a blocking box). Each save is one undo step (Ctrl+Z, or "Undo" right
here), following rehab_app.ui.undo: the first action runs before the command is pushed.

The service's `restore` gives a removed entry a new id, so undo commands find an entry through
`EntryIds`, kept on the undo stack, rather than by the id they saw first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QObject,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.diary import (
    RED_FLAG_TRIGGERS,
    Activity,
    BodySide,
    Context,
    DiaryEntry,
    LegExtent,
    Medication,
    Quality,
)
from rehab_app.core.errors import RehabError
from rehab_app.services.diary import DiaryFilter, DiaryRead, DiaryService
from rehab_app.ui.later import next_turn
from rehab_app.ui.undo import _AlreadyDone
from rehab_app.ui.widgets.pain_scale import ChoiceRow, PainScale, target_height
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.ui.bus import Bus

MAX_MEDICATIONS = 5
WAKING_BEFORE_HOUR = 10  # an entry before 10:00 is most likely the morning check
EVENING_FROM_HOUR = 19


# Words for the diary's codes -------------------------------------------------------------------


def _tr(text: str) -> str:
    return QCoreApplication.translate("diary", text)


def context_label(value: Context) -> str:
    return {
        Context.WAKING: _tr("On waking"),
        Context.BEFORE_EXERCISE: _tr("Before exercise"),
        Context.AFTER_EXERCISE: _tr("After exercise"),
        Context.EVENING: _tr("Evening"),
        Context.FLARE: _tr("Flare-up"),
        Context.OTHER: _tr("Other time"),
    }[value]


def extent_label(value: LegExtent) -> str:
    return {
        LegExtent.NONE: _tr("Not in the leg"),
        LegExtent.BUTTOCK: _tr("Buttock"),
        LegExtent.THIGH: _tr("Thigh"),
        LegExtent.BELOW_KNEE: _tr("Below the knee"),
        LegExtent.FOOT: _tr("Foot"),
    }[value]


def body_side_label(value: BodySide) -> str:
    return {
        BodySide.LEFT: _tr("Left"),
        BodySide.RIGHT: _tr("Right"),
        BodySide.BOTH: _tr("Both sides"),
    }[value]


def quality_label(value: Quality) -> str:
    return {
        Quality.ACHING: _tr("Aching"),
        Quality.BURNING: _tr("Burning"),
        Quality.SHOOTING: _tr("Shooting"),
        Quality.ELECTRIC: _tr("Electric shocks"),
        Quality.STABBING: _tr("Stabbing"),
        Quality.PINS_AND_NEEDLES: _tr("Pins and needles"),
        Quality.NUMBNESS: _tr("Numbness"),
        Quality.WEAKNESS: _tr("Weakness"),
        Quality.STIFFNESS: _tr("Stiffness"),
        Quality.BLADDER_BOWEL: _tr("Bladder or bowel change"),
    }[value]


def activity_label(value: Activity) -> str:
    return {
        Activity.SITTING: _tr("Sitting"),
        Activity.STANDING: _tr("Standing"),
        Activity.WALKING: _tr("Walking"),
        Activity.BENDING: _tr("Bending"),
        Activity.LIFTING: _tr("Lifting"),
        Activity.COUGHING_SNEEZING: _tr("Coughing or sneezing"),
        Activity.LYING: _tr("Lying down"),
    }[value]


def helped_label(value: bool | None) -> str:
    return {True: _tr("helped"), False: _tr("did not help"), None: _tr("not sure if it helped")}[
        value
    ]


def pain_summary(entry: DiaryEntry) -> str:
    """'back 4, leg 6' in the person's words."""
    return (
        _tr("back %1, leg %2")
        .replace("%1", str(entry.back_pain))
        .replace("%2", str(entry.leg_pain))
    )


def guess_context(local: datetime) -> Context:
    """The likely moment from the time of day; the person sees it and can change it."""
    if local.hour < WAKING_BEFORE_HOUR:
        return Context.WAKING
    if local.hour >= EVENING_FROM_HOUR:
        return Context.EVENING
    return Context.OTHER


def new_neurological(entry: DiaryEntry, earlier: Iterable[DiaryEntry]) -> list[str]:
    """Numbness or weakness recorded now that the earlier entries did not have (enum order)."""
    known = {quality for old in earlier for quality in old.qualities}
    return [
        q.value
        for q in Quality
        if q in RED_FLAG_TRIGGERS and q in entry.qualities and q not in known
    ]


# Undo ------------------------------------------------------------------------------------------


class EntryIds(QObject):
    """Where each diary entry is now. `DiaryService.restore` writes a removed entry back under
    a new id; commands pushed earlier still hold the old one and look it up here."""

    OBJECT_NAME = "diaryEntryIds"

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self._moved: dict[int, int] = {}

    def current(self, entry_id: int) -> int:
        while entry_id in self._moved:
            entry_id = self._moved[entry_id]
        return entry_id

    def moved(self, old: int, new: int) -> None:
        if old != new:
            self._moved[old] = new


def entry_ids(undo: QUndoStack) -> EntryIds:
    """The id map of this undo stack (one per stack, made on first use)."""
    found = undo.findChild(EntryIds, EntryIds.OBJECT_NAME)
    return found if found is not None else EntryIds(undo)


class DiaryEntryAdded(_AlreadyDone):
    """Undo removes the new entry; redo writes it back with its original times."""

    def __init__(
        self,
        diary: DiaryService,
        ids: EntryIds,
        added: DiaryRead,
        text: str,
        on_change: Callable[[Changes], None],
    ) -> None:
        super().__init__(text, on_change)
        self._diary, self._ids, self._current = diary, ids, added

    def _undo(self) -> Changes:
        self._current, changes = self._diary.delete(self._ids.current(self._current.id))
        return changes

    def _do(self) -> Changes:
        restored, changes = self._diary.restore(self._current)
        self._ids.moved(self._current.id, restored.id)
        self._current = restored
        return changes


class DiaryEntryDeleted(DiaryEntryAdded):
    """The mirror image of an addition: undo puts the entry back, redo removes it again."""

    def _undo(self) -> Changes:
        return super()._do()

    def _do(self) -> Changes:
        return super()._undo()


class DiaryEntryChanged(_AlreadyDone):
    """An edit: undo puts the old content back, redo the new (the entry keeps its id)."""

    def __init__(
        self,
        diary: DiaryService,
        ids: EntryIds,
        before: DiaryRead,
        after: DiaryRead,
        text: str,
        on_change: Callable[[Changes], None],
    ) -> None:
        super().__init__(text, on_change)
        self._diary, self._ids, self._before, self._after = diary, ids, before, after

    def _undo(self) -> Changes:
        return self._diary.update(self._ids.current(self._before.id), self._before.entry)[2]

    def _do(self) -> Changes:
        return self._diary.update(self._ids.current(self._after.id), self._after.entry)[2]


# The dialog ------------------------------------------------------------------------------------


def _question(text: str) -> QLabel:
    """A question above its answers, with air above it so each question reads as a group."""
    label = heading(text, level=3, own_words=True)
    label.setContentsMargins(0, 10, 0, 0)
    return label


#: Bigger tick boxes: the native ones are a small target for stiff fingers. Only sizes are
#: set, so the style still draws them in the palette's colours.
_CHECK_STYLE = "QCheckBox::indicator { width: 1.3em; height: 1.3em; } QCheckBox { spacing: 8px; }"


class _MissingAnswerError(Exception):
    """A required answer is missing; `widget` is where to put the focus."""

    def __init__(self, message: str, widget: QWidget) -> None:
        super().__init__(message)
        self.widget = widget


class MedicationRow(QWidget):
    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setPlaceholderText(self.tr("Name of the medicine"))
        self.name.setAccessibleName(self.tr("Medicine %1: name").replace("%1", str(number)))
        self.dose = QLineEdit()
        self.dose.setMaxLength(40)
        self.dose.setPlaceholderText(self.tr("Dose, for example 400 mg"))
        self.dose.setAccessibleName(self.tr("Medicine %1: dose").replace("%1", str(number)))
        self.helped = QComboBox()
        for text, value in (
            (self.tr("Did it help? Not sure"), None),
            (self.tr("Yes, it helped"), True),
            (self.tr("No, it did not help"), False),
        ):
            self.helped.addItem(text, value)
        self.helped.setAccessibleName(
            self.tr("Medicine %1: did it help?").replace("%1", str(number))
        )
        for widget in (self.name, self.dose, self.helped):
            widget.setMinimumHeight(target_height(widget) * 3 // 4)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.dose, 2)
        layout.addWidget(self.helped, 2)

    def medication(self) -> Medication | None:
        name = self.name.text().strip()
        if not name:
            return None
        return Medication(
            name=name, dose=self.dose.text().strip(), helped=self.helped.currentData()
        )

    def set_medication(self, medication: Medication) -> None:
        self.name.setText(medication.name)
        self.dose.setText(medication.dose)
        self.helped.setCurrentIndex(self.helped.findData(medication.helped))


class QuickEntryDialog(QDialog):
    """A new diary entry, or (with `entry`) a change to one. Open with `open()`, never exec()."""

    saved = Signal(object)  # the DiaryRead just stored
    neurological_reported = Signal(list)  # Quality values new since the previous entry

    def __init__(
        self,
        services: AppServices,
        bus: Bus,
        undo: QUndoStack,
        parent: QWidget | None = None,
        *,
        entry: DiaryRead | None = None,
        context: Context | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._bus, self._undo = services, bus, undo
        self._ids = entry_ids(undo)
        self._editing = entry
        # Where our save sits on the undo stack. No Python reference to the pushed command is
        # kept: the stack owns it, and a wrapper outliving it crashed Qt at garbage collection.
        self._pushed: tuple[int, str] | None = None
        self.last_saved: DiaryRead | None = None
        self._confirming_close = False
        now = services.clock.now()
        self._tz = now.tz_name
        self._now = now.local.replace(second=0, microsecond=0)
        self.setObjectName("quickEntry")
        self.setWindowTitle(
            self.tr("Change a diary entry") if entry else self.tr("New diary entry")
        )
        self.setAccessibleName(self.windowTitle())
        self.setSizeGripEnabled(True)

        self.form = QWidget()
        form = QVBoxLayout(self.form)
        form.setSpacing(4)
        title = self.tr("Change this entry") if entry else self.tr("How are your back and leg?")
        form.addWidget(heading(title, level=1, own_words=True))
        self.when_label = plain_label("", object_name="entryWhen", selectable=False)
        form.addWidget(self.when_label)

        self.back_question = _question("")
        self.back = PainScale(self.tr("Back pain"))
        self.leg_question = _question("")
        self.leg = PainScale(self.tr("Leg pain"))
        form.addWidget(self.back_question)
        form.addWidget(self.back)
        form.addWidget(self.leg_question)
        form.addWidget(self.leg)
        # The rest of the form (occasion, leg, side, details) is built by `_build_rest`.
        self._rest_built = False
        form.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.scroll.setWidget(self.form)
        # The dialog is made wide enough; a sideways scroll bar would only hide the "10".
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.status = plain_label("", object_name="entryStatus")
        self.status.setAccessibleName(self.tr("Message"))
        font = self.status.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.status.setFont(font)
        self.status.setContentsMargins(8, 4, 8, 4)  # in line with the form above it
        self.status.hide()

        self.confirm_box = QFrame()
        self.confirm_box.setFrameShape(QFrame.Shape.StyledPanel)
        confirm = QHBoxLayout(self.confirm_box)
        confirm.addWidget(own_label(self.tr("This entry is not saved yet. Close anyway?")), 1)
        self.keep_button = QPushButton(self.tr("Keep editing"))
        self.discard_button = QPushButton(self.tr("Close without saving"))
        confirm.addWidget(self.keep_button)
        confirm.addWidget(self.discard_button)
        self.confirm_box.hide()

        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo this save"))
        self.undo_button.hide()
        self.close_button = QPushButton(self.tr("Cancel"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setAccessibleName(self.tr("Save this entry"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        for button in (self.undo_button, self.close_button, self.save_button):
            button.setMinimumHeight(target_height(button))
            button.setMinimumWidth(target_height(button) * 3)
        for button in (self.keep_button, self.discard_button, self.close_button):
            button.setAccessibleName(button.accessibleName() or button.text())
        font = self.save_button.font()
        font.setBold(True)
        self.save_button.setFont(font)

        outer = QVBoxLayout(self)
        # After saving, the form gives way to a plain confirmation (a greyed-out form would
        # look broken); undoing from there brings the form back with every value.
        self.done_page = QWidget()
        done = QVBoxLayout(self.done_page)
        self.done_title = heading("", level=1, own_words=True)
        self.done_text = plain_label("", object_name="entrySavedText")
        font = self.done_text.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.done_text.setFont(font)
        self.done_hint = own_label(
            self.tr("You can close this window. Changed your mind? Press Undo.")
        )
        done.addStretch(1)
        for label in (self.done_title, self.done_text, self.done_hint):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            done.addWidget(label)
        done.insertSpacing(3, 12)
        done.addStretch(2)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.scroll)
        self.pages.addWidget(self.done_page)
        outer.addWidget(self.pages, 1)
        outer.addWidget(self.status)
        outer.addWidget(self.confirm_box)
        outer.addLayout(buttons)

        # Enter means Save wherever the focus is: no other button may take it over.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)
        self._connect()
        self._fill_with = (entry, context)
        # What "unsaved" is measured against; the rest of the form adds its part when built.
        self._initial = self._snapshot()
        if entry is not None:
            self._build_rest()  # a change shows every value at once
        else:
            # The back-pain scale first; the rest on the next turn of the event loop, long
            # before a person reaches it (or at once, when needed sooner): built together it
            # was a stall of 50 ms and more on Ctrl+L (issue 7).
            next_turn(self, self._build_rest)
            self._update_questions()
        self.back.setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit()

    def _build_rest(self) -> None:
        """The occasion, how far down the leg, the side, and the details behind their toggle."""
        if self._rest_built:
            return
        self._rest_built = True
        form = self.form.layout()
        assert isinstance(form, QVBoxLayout)
        at = form.count() - 1  # before the stretch
        self.context = ChoiceRow(self.tr("When is this?"), [(c, context_label(c)) for c in Context])
        self.extent = ChoiceRow(
            self.tr("How far down the leg do you feel it?"),
            [(e, extent_label(e)) for e in LegExtent],
        )
        self.side = ChoiceRow(self.tr("Which side?"), [(s, body_side_label(s)) for s in BodySide])
        for row in (self.context, self.extent, self.side):
            form.insertWidget(at, _question(row.accessibleName()))
            form.insertWidget(at + 1, row)
            at += 2

        self.details_button = QPushButton(self.tr("More details ▸"))
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(
            self.tr("More details: symptoms, medicines, sleep, a note, an earlier time")
        )
        self.details_button.setToolTip(self.details_button.accessibleName())
        self.details_button.setMinimumHeight(target_height(self.details_button) * 4 // 5)
        details_row = QHBoxLayout()
        details_row.setContentsMargins(0, 12, 0, 0)
        details_row.addWidget(self.details_button)
        details_row.addStretch(1)
        form.insertLayout(at, details_row)
        self.details = self._build_details()
        self.details.hide()
        form.insertWidget(at + 1, self.details)
        for button in self.details.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter means Save, as in __init__
        self.details_button.setAutoDefault(False)

        self.details_button.toggled.connect(self._details_toggled)
        self.add_medication_button.clicked.connect(self._add_medication_clicked)
        self.earlier.toggled.connect(self._earlier_toggled)
        self._tab_order()
        self._fill(*self._fill_with)
        # Unsaved means changed since the dialog opened: a change is compared with itself,
        # a new entry with its empty scales and the defaults just filled in.
        main = self._snapshot_main() if self._editing is not None else self._initial
        self._initial = main + self._snapshot_rest()
        if self.isVisible():
            # Grown to the whole form once its new rows are shown (Qt shows widgets added to
            # a visible window on the next turn, so their size counts only then).
            next_turn(self, self._fit)

    # Public API ---------------------------------------------------------------------------------

    def collect(self) -> DiaryEntry:
        """The entry as shown; raises _MissingAnswerError or pydantic's ValidationError."""
        self._build_rest()
        back, leg = self.back.value(), self.leg.value()
        if back is None:
            raise _MissingAnswerError(
                self.tr("Please choose a number for back pain (0 = no pain)."), self.back
            )
        if leg is None:
            raise _MissingAnswerError(
                self.tr("Please choose a number for leg pain (0 = no pain)."), self.leg
            )
        medications = [m for row in self.medication_rows if (m := row.medication()) is not None]
        sleep = self.sleep_hours.value()
        return DiaryEntry(
            back_pain=back,
            leg_pain=leg,
            context=self.context.value() or Context.OTHER,
            leg_extent=self.extent.value() or LegExtent.NONE,
            side=self.side.value(),
            qualities=[q for q, box in self.quality_boxes.items() if box.isChecked()],
            aggravating=[a for a, box in self.activity_boxes.items() if box.isChecked()],
            medications=medications,
            sleep_hours=None if sleep < 0 else sleep,
            woken_by_pain=self.woken.currentData(),
            note=self.note.toPlainText(),
            at=self._when(),
        )

    def save(self) -> bool:
        """Store the entry; True once the service has committed it."""
        if self.last_saved is not None:
            return False  # already saved: Enter now means Close
        try:
            entry = self.collect()
        except _MissingAnswerError as missing:
            self._tell(str(missing), problem=True)
            missing.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        except ValidationError as error:
            reasons = "; ".join(str(item["msg"]) for item in error.errors())
            self._tell(self.tr("Not saved yet: %1").replace("%1", reasons), problem=True)
            return False
        diary = self._services.diary
        editing_id = self._ids.current(self._editing.id) if self._editing else None
        try:
            previous = self._previous(entry, editing_id)
            if editing_id is not None:
                before, after, changes = diary.update(editing_id, entry)
                text = self.tr("Change diary entry (%1)").replace("%1", pain_summary(after.entry))
                command: _AlreadyDone = DiaryEntryChanged(
                    diary, self._ids, before, after, text, self._emit
                )
            else:
                after, changes = diary.add(entry)
                before = None
                text = self.tr("Diary entry (%1)").replace("%1", pain_summary(after.entry))
                command = DiaryEntryAdded(diary, self._ids, after, text, self._emit)
        except (RehabError, OSError) as error:
            self._tell(
                self.tr(
                    "Not saved: %1. Everything you entered is still here; you can try again."
                ).replace("%1", str(error)),
                problem=True,
            )
            return False
        self._undo.push(command)
        self._pushed = (self._undo.index(), command.text())
        self.last_saved = after
        self._show_saved(after)
        self._emit(changes)
        self.saved.emit(after)
        # Compared with the entry before it in time and, for an edit, with what it said before.
        earlier = [read.entry for read in (previous, before) if read is not None]
        new = new_neurological(after.entry, earlier)
        if new:
            self.neurological_reported.emit(new)
        return True

    def is_dirty(self) -> bool:
        return self.last_saved is None and self._snapshot() != self._initial

    def set_details_visible(self, visible: bool) -> None:
        self._build_rest()
        self.details_button.setChecked(visible)

    def undo_save(self) -> None:
        """Take back the save made here, if it is still the last thing done."""
        if self._pushed is None or self._undo.index() == 0:
            return
        index, text = self._pushed
        latest = self._undo.command(self._undo.index() - 1)
        if self._undo.index() != index or latest is None or latest.text() != text:
            self._tell(self.tr("Something else was done since; use Undo in the Edit menu."))
            return
        self._undo.undo()
        self._pushed = None
        self.last_saved = None
        self.pages.setCurrentWidget(self.scroll)
        self.save_button.show()
        self.undo_button.hide()
        self.close_button.setText(self.tr("Cancel"))
        self.save_button.setDefault(True)
        self._tell(
            self.tr("Taken back: that entry was removed. Change it and save again, or close.")
            if self._editing is None
            else self.tr("Taken back: the entry is as it was before.")
        )
        self.back.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: unsaved values are never dropped silently."""
        if self.is_dirty() and not self._confirming_close:
            self._confirming_close = True
            self.confirm_box.show()
            self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().reject()

    # Building -----------------------------------------------------------------------------------

    def _build_details(self) -> QFrame:
        box = QFrame()
        box.setObjectName("entryDetails")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)

        layout.addWidget(_question(self.tr("What does it feel like?")))
        grid = QGridLayout()
        self.quality_boxes: dict[Quality, QCheckBox] = {}
        for i, quality in enumerate(Quality):
            box_ = QCheckBox(quality_label(quality))
            box_.setAccessibleName(self.tr("Feels like: %1").replace("%1", box_.text()))
            self.quality_boxes[quality] = box_
            grid.addWidget(box_, i // 3, i % 3)
        layout.addLayout(grid)

        layout.addWidget(_question(self.tr("What made it worse?")))
        grid = QGridLayout()
        self.activity_boxes: dict[Activity, QCheckBox] = {}
        for i, activity in enumerate(Activity):
            box_ = QCheckBox(activity_label(activity))
            box_.setAccessibleName(self.tr("Made worse by: %1").replace("%1", box_.text()))
            self.activity_boxes[activity] = box_
            grid.addWidget(box_, i // 4, i % 4)
        layout.addLayout(grid)
        for check in (*self.quality_boxes.values(), *self.activity_boxes.values()):
            check.setMinimumHeight(target_height(check) * 2 // 3)
            check.setStyleSheet(_CHECK_STYLE)

        layout.addWidget(_question(self.tr("Medicines taken")))
        self.medication_box = QVBoxLayout()
        layout.addLayout(self.medication_box)
        self.medication_rows: list[MedicationRow] = []
        self.add_medication_button = QPushButton(self.tr("Add another medicine"))
        self.add_medication_button.setAccessibleName(self.add_medication_button.text())
        row = QHBoxLayout()
        row.addWidget(self.add_medication_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._add_medication_row()

        layout.addWidget(_question(self.tr("Sleep last night")))
        sleep_row = QHBoxLayout()
        self.sleep_hours = QDoubleSpinBox()
        self.sleep_hours.setRange(-0.5, 24)  # the lowest value means "not recorded"
        self.sleep_hours.setSingleStep(0.5)
        self.sleep_hours.setDecimals(1)
        self.sleep_hours.setValue(-0.5)
        self.sleep_hours.setSpecialValueText(self.tr("Not recorded"))
        self.sleep_hours.setSuffix(self.tr(" hours"))
        self.sleep_hours.setAccessibleName(self.tr("Hours of sleep"))
        self.woken = QComboBox()
        for text, value in (
            (self.tr("Woken by pain? Not recorded"), None),
            (self.tr("Yes, pain woke me"), True),
            (self.tr("No, pain did not wake me"), False),
        ):
            self.woken.addItem(text, value)
        self.woken.setAccessibleName(self.tr("Woken by pain"))
        for widget in (self.sleep_hours, self.woken):
            widget.setMinimumHeight(target_height(widget) * 3 // 4)
        sleep_row.addWidget(own_label(self.tr("Slept:")))
        sleep_row.addWidget(self.sleep_hours)
        sleep_row.addWidget(self.woken)
        sleep_row.addStretch(1)
        layout.addLayout(sleep_row)

        layout.addWidget(_question(self.tr("Note")))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(
            self.tr("Anything you want to remember or tell your therapist")
        )
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.note)

        when_row = QHBoxLayout()
        self.earlier = QCheckBox(self.tr("This entry is about an earlier time:"))
        self.earlier.setAccessibleName(self.tr("This entry is about an earlier time"))
        self.earlier.setStyleSheet(_CHECK_STYLE)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when_edit.setAccessibleName(self.tr("When the entry is about"))
        self.when_edit.setMinimumHeight(target_height(self.when_edit) * 3 // 4)
        now = self._qt_datetime(self._now)
        self.when_edit.setMaximumDateTime(now)
        self.when_edit.setDateTime(now)
        self.when_edit.setEnabled(False)
        self.when_caption = own_label(self.tr("When this entry is about:"))
        self.when_caption.setWordWrap(False)
        self.when_caption.hide()  # shown instead of the check box when changing an entry
        when_row.addWidget(self.earlier)
        when_row.addWidget(self.when_caption)
        when_row.addWidget(self.when_edit)
        when_row.addStretch(1)
        layout.addLayout(when_row)
        return box

    def _add_medication_row(self) -> MedicationRow:
        row = MedicationRow(len(self.medication_rows) + 1)
        self.medication_rows.append(row)
        self.medication_box.addWidget(row)
        self.add_medication_button.setEnabled(len(self.medication_rows) < MAX_MEDICATIONS)
        if hasattr(self, "earlier"):
            self._tab_order()
        return row

    def _tab_order(self) -> None:
        chain: list[QWidget] = [
            self.back,
            self.leg,
            self.context,
            self.extent,
            self.side,
            self.details_button,
            *self.quality_boxes.values(),
            *self.activity_boxes.values(),
        ]
        for row in self.medication_rows:
            chain += [row.name, row.dose, row.helped]
        chain += [
            self.add_medication_button,
            self.sleep_hours,
            self.woken,
            self.note,
            self.earlier,
            self.when_edit,
            self.undo_button,
            self.close_button,
            self.save_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self._close_clicked)
        self.undo_button.clicked.connect(self.undo_save)
        self.keep_button.clicked.connect(self._keep_editing)
        self.discard_button.clicked.connect(self._discard)
        save_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        save_key.activated.connect(self._save_or_close)
        save_key_pad = QShortcut(QKeySequence("Ctrl+Enter"), self)
        save_key_pad.activated.connect(self._save_or_close)

    def _fill(self, read: DiaryRead | None, context: Context | None) -> None:
        if read is not None:
            entry = read.entry
            self.back.set_value(entry.back_pain)
            self.leg.set_value(entry.leg_pain)
            self.context.set_value(entry.context)
            self.extent.set_value(entry.leg_extent)
            self.side.set_value(entry.side)
            for quality, box in self.quality_boxes.items():
                box.setChecked(quality in entry.qualities)
            for activity, box in self.activity_boxes.items():
                box.setChecked(activity in entry.aggravating)
            for i, medication in enumerate(entry.medications):
                row = self.medication_rows[i] if i < len(self.medication_rows) else None
                (row or self._add_medication_row()).set_medication(medication)
            self.sleep_hours.setValue(-0.5 if entry.sleep_hours is None else entry.sleep_hours)
            self.woken.setCurrentIndex(self.woken.findData(entry.woken_by_pain))
            self.note.setPlainText(entry.note)
            assert entry.at is not None
            local = entry.at.astimezone(ZoneInfo(self._tz)).replace(second=0, microsecond=0)
            self.when_edit.setMaximumDateTime(self._qt_datetime(max(local, self._now)))
            self.when_edit.setDateTime(self._qt_datetime(local))
            self.earlier.setChecked(True)
            self.earlier.hide()  # an edit always shows its own time; unchecking means nothing
            self.when_caption.show()
            has_details = bool(
                entry.qualities
                or entry.aggravating
                or entry.medications
                or entry.sleep_hours is not None
                or entry.woken_by_pain is not None
                or entry.note
            )
            self.set_details_visible(has_details or read.retrospective)
        else:
            last = self._services.diary.entries(DiaryFilter(limit=1))
            previous = last[0].entry if last else None
            self.context.set_value(context or guess_context(self._now))
            self.extent.set_value(previous.leg_extent if previous else LegExtent.NONE)
            self.side.set_value(previous.side if previous else None)
        self._update_questions()

    # Reactions ----------------------------------------------------------------------------------

    def _details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            self.tr("Fewer details ▾") if shown else self.tr("More details ▸")
        )
        self._fit()
        if shown:
            # Bring the newly shown part into view once the layout has made room for it.
            QTimer.singleShot(0, self._scroll_to_details)

    def _scroll_to_details(self) -> None:
        """The "More details" button to the top, so the new questions are on screen."""
        self.scroll.verticalScrollBar().setValue(self.details_button.y() - 8)

    def _add_medication_clicked(self) -> None:
        if len(self.medication_rows) < MAX_MEDICATIONS:
            self._add_medication_row().name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _earlier_toggled(self, checked: bool) -> None:
        self.when_edit.setEnabled(checked)
        self._update_questions()
        if checked:
            self.when_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_questions(self) -> None:
        earlier = self._rest_built and self.earlier.isChecked() and self._editing is None
        then = earlier or self._editing is not None
        self.back_question.setText(
            self.tr("Back pain at that time") if then else self.tr("Back pain right now")
        )
        self.leg_question.setText(
            self.tr("Leg pain at that time") if then else self.tr("Leg pain right now")
        )
        if self._editing is not None:
            assert self._editing.entry.at is not None
            when = self._format(self._editing.entry.at.astimezone(ZoneInfo(self._tz)))
            self.when_label.setText(self.tr("Entry of %1").replace("%1", when))
        elif earlier:
            self.when_label.setText(
                self.tr("About an earlier time (see the date and time under More details).")
            )
        else:
            self.when_label.setText(
                self.tr("%1 — the date and time are saved with the entry.").replace(
                    "%1", self._format(self._now)
                )
            )

    def _close_clicked(self) -> None:
        if self.last_saved is not None:
            self.accept()
        else:
            self.reject()

    def _save_or_close(self) -> None:
        if self.last_saved is not None:
            self.accept()
        else:
            self.save()

    def _keep_editing(self) -> None:
        self._confirming_close = False
        self.confirm_box.hide()
        self.back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _discard(self) -> None:
        self._confirming_close = True
        self.reject()

    def _show_saved(self, read: DiaryRead) -> None:
        entry = read.entry
        assert entry.at is not None
        self.done_title.setText(
            self.tr("Changes saved ✓") if self._editing is not None else self.tr("Saved ✓")
        )
        self.done_title.setAccessibleName(self.done_title.text())
        words = self.tr("Back pain %1, leg pain %2.\n%3, %4.")
        words = (
            words.replace("%1", str(entry.back_pain))
            .replace("%2", str(entry.leg_pain))
            .replace("%3", context_label(entry.context))
            .replace("%4", self._format(entry.at.astimezone(ZoneInfo(self._tz))))
        )
        if read.retrospective:
            words += "\n" + self.tr("It is marked as recalled later.")
        self.done_text.setText(words)
        self.done_text.setAccessibleName(words)
        self._tell("")
        self.confirm_box.hide()
        self._confirming_close = False
        self.pages.setCurrentWidget(self.done_page)
        self.save_button.hide()
        self.undo_button.show()
        self.close_button.setText(self.tr("Close"))
        self.save_button.setDefault(False)
        self.close_button.setDefault(True)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # Helpers ------------------------------------------------------------------------------------

    def _tell(self, text: str, problem: bool = False) -> None:
        self.status.setText(("⚠ " if problem else "") + text)
        self.status.setAccessibleDescription(self.status.text())
        self.status.setVisible(bool(text))

    def _emit(self, changes: Changes) -> None:
        self._bus.changed.emit(changes)

    def _when(self) -> datetime | None:
        if self._editing is None and not (self._rest_built and self.earlier.isChecked()):
            return None  # the service stamps "now" at the moment of saving
        value = self.when_edit.dateTime()
        day, moment = value.date(), value.time()
        chosen = datetime(
            day.year(), day.month(), day.day(), moment.hour(), moment.minute(),
            tzinfo=ZoneInfo(self._tz),
        )  # fmt: skip
        if self._editing is not None:
            original = self._editing.entry.at
            assert original is not None
            if original.astimezone(ZoneInfo(self._tz)).replace(second=0, microsecond=0) == chosen:
                return original  # unchanged: keep it to the second
        return chosen

    def _previous(self, entry: DiaryEntry, exclude: int | None) -> DiaryRead | None:
        """The entry before this one in time (what "new symptoms" are compared with)."""
        at = entry.at
        where = DiaryFilter(limit=20) if at is None else DiaryFilter(last=at.date(), limit=20)
        for read in self._services.diary.entries(where):
            if read.id == exclude:
                continue
            if at is None or (read.entry.at is not None and read.entry.at <= at):
                return read
        return None

    def _snapshot(self) -> tuple:
        return self._snapshot_main() + (self._snapshot_rest() if self._rest_built else ())

    def _snapshot_main(self) -> tuple:
        return (self.back.value(), self.leg.value())

    def _snapshot_rest(self) -> tuple:
        return (
            self.context.value(),
            self.extent.value(),
            self.side.value(),
            tuple(box.isChecked() for box in self.quality_boxes.values()),
            tuple(box.isChecked() for box in self.activity_boxes.values()),
            tuple(
                (row.name.text(), row.dose.text(), row.helped.currentIndex())
                for row in self.medication_rows
            ),
            self.sleep_hours.value(),
            self.woken.currentIndex(),
            self.note.toPlainText(),
            self.earlier.isChecked(),
            self.when_edit.dateTime(),
        )

    def _fit(self) -> None:
        """As big as the content wants, but never beyond the screen (it scrolls then)."""
        self.form.adjustSize()
        content = self.form.sizeHint()
        around = self.layout().sizeHint() - self.scroll.sizeHint()  # status, buttons, margins
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        margins = self.layout().contentsMargins()
        frame = 2 * self.scroll.frameWidth() + margins.left() + margins.right()
        width = max(content.width() + bar + frame + 8, around.width())
        height = content.height() + around.height() + 4
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() * 9 // 10)
            height = min(height, room.height() * 9 // 10)
        self.resize(max(width, self.width() if self.isVisible() else 0), height)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._fit()

    @staticmethod
    def _qt_datetime(value: datetime) -> QDateTime:
        return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))

    @staticmethod
    def _format(value: datetime) -> str:
        day = QDate(value.year, value.month, value.day)
        return f"{QLocale().toString(day, 'dddd d MMMM')}, {value:%H:%M}"


def open_quick_entry(
    services: AppServices,
    bus: Bus,
    undo: QUndoStack,
    parent: QWidget | None = None,
    *,
    entry: DiaryRead | None = None,
    context: Context | None = None,
) -> QuickEntryDialog:
    """Build the dialog, open it without blocking, and let it delete itself when closed."""
    dialog = QuickEntryDialog(services, bus, undo, parent, entry=entry, context=context)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
