"""The Diary screen: every pain entry, newest first, with search, filters, change and delete.

Entries come from `services.diary.entries(DiaryFilter)`, newest first, at most 500 at a time
(the date range keeps that plenty). A table suits a diary better than cards: a person scans down
one column of numbers, and keyboard users move row by row (Enter changes the entry, Delete
removes it). Entries written long after the moment they describe are marked "recalled later"
in words and in italics, because recalled pain is less reliable (clinical.md §6.3); the row
below the table spells the selected entry out in full.

Nothing is removed silently: a deletion shows "Deleted — Undo" until something else is done,
and Ctrl+Z works as well. New entries and changes go through the quick entry dialog, which
saves, pushes the undo step and emits the change; this view refreshes on `Changes.diary` (while
hidden, on a turn of the event loop of its own: issue 7, no stall over 50 ms).

`MorningCheckIn` is the banner Today shows on the first start of a day after an exercise day:
the next-morning response is what decides whether to progress (clinical.md §2.1).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.diary import Context, DiaryEntry, LegExtent
from rehab_app.core.errors import RehabError
from rehab_app.services.diary import DiaryFilter, DiaryRead
from rehab_app.ui.dialogs.quick_entry import (
    DiaryEntryDeleted,
    QuickEntryDialog,
    activity_label,
    body_side_label,
    context_label,
    entry_ids,
    extent_label,
    helped_label,
    open_quick_entry,
    pain_summary,
    quality_label,
)
from rehab_app.ui.later import RefreshLater
from rehab_app.ui.widgets.pain_scale import target_height
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.ui.bus import Bus

#: The date-range filter: (label, days back including today; None = everything).
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("Last 2 weeks", 14),
    ("Last 3 months", 91),
    ("Last year", 365),
    ("All entries", None),
)
AnyIndex = QModelIndex | QPersistentModelIndex
DEFAULT_PERIOD = 1
SEARCH_PAUSE_MS = 300  # three months: enough to see a trend, short enough to read


def _local(read: DiaryRead) -> datetime:
    assert read.entry.at is not None
    return read.entry.at.astimezone(ZoneInfo(read.tz_name))


def when_text(read: DiaryRead, long: bool = False) -> str:
    """'Sun 29 Mar 2026, 08:30' (or the day written out), in the zone it was recorded in."""
    local = _local(read)
    day = QDate(local.year, local.month, local.day)
    pattern = "dddd d MMMM yyyy" if long else "ddd d MMM yyyy"
    return f"{QLocale().toString(day, pattern)}, {local:%H:%M}"


def extent_text(entry: DiaryEntry) -> str:
    text = extent_label(entry.leg_extent)
    if entry.side is not None and entry.leg_extent != LegExtent.NONE:
        text += ", " + body_side_label(entry.side).lower()
    return text


_TEXT_ROLES = frozenset((int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)))
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_USER = int(Qt.ItemDataRole.UserRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ANSWERED = _TEXT_ROLES | {_TOOLTIP, _USER, _ALIGNMENT, _FONT}
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)


class DiaryTableModel(QAbstractTableModel):
    """Diary entries as rows, newest first; `Qt.UserRole` gives the DiaryRead."""

    WHEN, BACK, LEG, CONTEXT, EXTENT, NOTE = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[DiaryRead] = []
        # Each row's words, made when the row is first shown (a view asks for the same cell
        # many times, and only for the rows on screen).
        self._texts: list[tuple[str, ...] | None] = []
        self._bold, self._italic = QFont(), QFont()
        self._bold.setBold(True)
        self._italic.setItalic(True)
        self._headers = (
            self.tr("Date and time"),
            self.tr("Back pain"),
            self.tr("Leg pain"),
            self.tr("Occasion"),
            self.tr("Leg symptoms reach"),
            self.tr("Note"),
        )

    def set_entries(self, entries: list[DiaryRead]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._texts = [None] * len(self._entries)
        self.endResetModel()

    def entry(self, row: int) -> DiaryRead:
        return self._entries[row]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, read in enumerate(self._entries) if read.id == entry_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._headers[section]
        return None

    def data(
        self,
        index: AnyIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        # Asked thousands of times when the table is shown (every role of every cell it
        # measures): roles it does not answer leave first, and the roles are plain ints
        # compared with ints made once, not Qt enum members looked up at each call.
        if role not in _ANSWERED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._entries):
            return None
        read = self._entries[row]
        column = index.column()
        if role in _TEXT_ROLES:
            texts = self._texts[row]
            if texts is None:
                texts = tuple(self._text(read, c) for c in range(len(self._headers)))
                self._texts[row] = texts
            return texts[column]
        if role == _TOOLTIP:
            return describe(read)
        if role == _USER:
            return read
        if role == _ALIGNMENT:
            return _CENTRED if column in (self.BACK, self.LEG) else None
        if column in (self.BACK, self.LEG):  # the font
            return self._bold  # the numbers are what a person scans for
        if column == self.WHEN and read.retrospective:
            return self._italic
        return None

    def _text(self, read: DiaryRead, column: int) -> str:
        entry = read.entry
        if column == self.WHEN:
            text = when_text(read)
            if read.retrospective:
                text += " · " + self.tr("recalled later")
            return text
        if column == self.BACK:
            return str(entry.back_pain)
        if column == self.LEG:
            return str(entry.leg_pain)
        if column == self.CONTEXT:
            return context_label(entry.context)
        if column == self.EXTENT:
            return extent_text(entry)
        # One line: the table's rows stay even; the full note is below the table.
        return " ".join(entry.note.split())


def describe(read: DiaryRead) -> str:
    """Everything in one entry, in sentences (plain text)."""
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("diary", text)

    entry = read.entry
    lines = [
        f"{when_text(read, long=True)} — {context_label(entry.context).lower()}",
        tr("Back pain %1, leg pain %2 (0 = no pain, 10 = worst imaginable).")
        .replace("%1", str(entry.back_pain))
        .replace("%2", str(entry.leg_pain)),
    ]
    if entry.leg_extent == LegExtent.NONE:
        lines.append(tr("Nothing down the leg."))
    else:
        lines.append(tr("Reaches: %1.").replace("%1", extent_text(entry).lower()))
    if entry.qualities:
        words = ", ".join(quality_label(q).lower() for q in entry.qualities)
        lines.append(tr("Feels like: %1.").replace("%1", words))
    if entry.aggravating:
        words = ", ".join(activity_label(a).lower() for a in entry.aggravating)
        lines.append(tr("Made worse by: %1.").replace("%1", words))
    for medication in entry.medications:
        name = " ".join(part for part in (medication.name, medication.dose) if part)
        lines.append(
            tr("Medicine: %1 (%2).")
            .replace("%1", name)
            .replace("%2", helped_label(medication.helped))
        )
    if entry.sleep_hours is not None or entry.woken_by_pain is not None:
        parts = []
        if entry.sleep_hours is not None:
            parts.append(tr("%1 hours").replace("%1", f"{entry.sleep_hours:g}"))
        if entry.woken_by_pain is True:
            parts.append(tr("woken by pain"))
        elif entry.woken_by_pain is False:
            parts.append(tr("not woken by pain"))
        lines.append(tr("Sleep: %1.").replace("%1", ", ".join(parts)))
    if read.retrospective:
        written = read.entered_utc.astimezone(ZoneInfo(read.tz_name))
        day = QDate(written.year, written.month, written.day)
        lines.append(
            tr("Recalled later: written on %1 at %2.")
            .replace("%1", QLocale().toString(day, "d MMMM"))
            .replace("%2", f"{written:%H:%M}")
        )
    if entry.note:
        lines.append(tr("Note: %1").replace("%1", entry.note))
    return "\n".join(lines)


class DiaryView(QWidget):
    entry_saved = Signal(object)  # DiaryRead, from any quick entry opened here
    neurological_reported = Signal(list)  # new numbness/weakness (Quality values)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._undo: QUndoStack | None = None
        self._dialog: QuickEntryDialog | None = None
        self._deleted: DiaryEntryDeleted | None = None
        self._later = RefreshLater(self, self.refresh)  # changes while hidden
        self._select_next: int | None = None  # an entry id to select at the next refresh
        self._select_when_shown: int | None = None  # an entry id to select when shown

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Pain diary"), level=1, own_words=True), 1)
        self.new_button = QPushButton(self.tr("New entry"))
        self.new_button.setAccessibleName(self.tr("New diary entry"))
        self.new_button.setToolTip(self.tr("Record how your back and leg feel (Ctrl+L)"))
        font = self.new_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.new_button.setFont(font)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.intro = own_label(
            self.tr(
                "Each entry keeps your back and leg pain from 0 (no pain) to 10 (worst"
                " imaginable), with the date and time it was made."
            )
        )
        layout.addWidget(self.intro)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search notes, medicines and symptoms"))
        self.search.setAccessibleName(self.tr("Search the diary"))
        self.search.setClearButtonEnabled(True)
        self.period = QComboBox()
        for text, _ in PERIODS:
            self.period.addItem(self.tr(text))
        self.period.setCurrentIndex(DEFAULT_PERIOD)
        self.period.setAccessibleName(self.tr("Show entries from"))
        self.context = QComboBox()
        self.context.addItem(self.tr("Any occasion"), "")
        for context in Context:
            # The code, not the enum: a StrEnum comes back from Qt as a plain str.
            self.context.addItem(context_label(context), context.value)
        self.context.setAccessibleName(self.tr("Show only this occasion"))
        filters.addWidget(own_label(self.tr("Search:")))
        filters.addWidget(self.search, 2)
        filters.addWidget(own_label(self.tr("Show:")))
        filters.addWidget(self.period)
        filters.addWidget(self.context)
        for widget in (self.search, self.period, self.context, self.new_button):
            widget.setMinimumHeight(target_height(widget) * 4 // 5)
        for index in range(filters.count()):
            item = filters.itemAt(index).widget()
            if item is not None and item.inherits("QLabel"):
                item.setWordWrap(False)
        layout.addLayout(filters)

        self.notice = QFrame()
        self.notice.setObjectName("diaryNotice")
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setAutoFillBackground(True)
        palette = self.notice.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.notice.setPalette(palette)
        notice = QHBoxLayout(self.notice)
        self.notice_label = plain_label("", object_name="diaryNoticeText", selectable=False)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the deletion"))
        self.undo_button.setMinimumHeight(target_height(self.undo_button) * 4 // 5)
        notice.addWidget(self.notice_label, 1)
        notice.addWidget(self.undo_button)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.model = DiaryTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Diary entries, newest first"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 2.2))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DiaryTableModel.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # Fit the columns to the rows on screen only (0: the visible area): measuring all 500
        # rows at every refresh costs a quarter of a second, and even 40 rows (every role of
        # every cell, twice on showing the screen) some 30 ms.
        header.setResizeContentsPrecision(0)
        layout.addWidget(self.table, 1)

        self.empty = own_label("", "diaryEmpty")
        self.empty.hide()
        layout.addWidget(self.empty)

        actions = QHBoxLayout()
        self.count = plain_label("", object_name="diaryCount", selectable=False)
        self.edit_button = QPushButton(self.tr("Change entry"))
        self.edit_button.setAccessibleName(self.tr("Change the selected entry"))
        self.delete_button = QPushButton(self.tr("Delete entry"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected entry"))
        for button in (self.edit_button, self.delete_button):
            button.setMinimumHeight(target_height(button) * 4 // 5)
        actions.addWidget(self.count, 1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        layout.addLayout(actions)

        self.details = plain_label("", object_name="diaryDetails")
        self.details.setAccessibleName(self.tr("The selected entry in full"))
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setMargin(8)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)

        self.new_button.clicked.connect(lambda: self.new_entry())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self._undo_delete)
        # Typing waits for a pause: one query per word, not one per letter.
        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_pause.start)
        self.search.returnPressed.connect(self.refresh)
        self.period.currentIndexChanged.connect(self.refresh)
        self.context.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self.setEnabled(False)
        self._show_selected()

    # Public API ---------------------------------------------------------------------------------

    def attach(self, services: AppServices, bus: Bus, undo: QUndoStack) -> None:
        self._services, self._bus, self._undo = services, bus, undo
        bus.changed.connect(self._on_changed)
        undo.indexChanged.connect(self._sync_notice)
        self.setEnabled(True)
        self._later.request()  # hidden while the app starts: on a turn of its own

    def refresh(self) -> None:
        self._search_pause.stop()
        if self._services is None:
            return
        self._later.pending = False
        selected = self.selected()
        where = self.current_filter()
        self.model.set_entries(self._services.diary.entries(where))
        rows = self.model.rowCount()
        self.count.setText(
            self.tr("1 entry shown")
            if rows == 1
            else self.tr("%1 entries shown").replace("%1", str(rows))
        )
        if rows:
            self.empty.hide()
        else:
            anything = bool(self._services.diary.entries(DiaryFilter(limit=1)))
            self.empty.setText(
                self.tr("No entries match. Try other words, or show more dates.")
                if anything
                else self.tr(
                    "No entries yet. Press New entry (or Ctrl+L) to record how your back and"
                    " leg feel."
                )
            )
            self.empty.show()
        wanted = self._select_next or self._select_when_shown
        if wanted is None and selected is not None:
            wanted = selected.id
        self._select_next = self._select_when_shown = None
        row = self.model.row_of(wanted) if wanted is not None else None
        if row is None and rows:
            row = 0
        if row is not None:
            self._select_row(row)
        self._show_selected()

    def _select_row(self, row: int) -> None:
        if not self.isVisible():
            # Selecting a row of a hidden table makes it measure every row for its columns
            # (about 60 ms for 150 entries); shown, it measures only the rows on screen.
            self._select_when_shown = self.model.entry(row).id
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current_filter(self) -> DiaryFilter:
        assert self._services is not None
        days = PERIODS[max(0, self.period.currentIndex())][1]
        first = None if days is None else self._today() - timedelta(days=days - 1)
        code = self.context.currentData()
        return DiaryFilter(
            text=self.search.text(), context=Context(code) if code else None, first=first
        )

    def selected(self) -> DiaryRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def new_entry(self, context: Context | None = None) -> QuickEntryDialog | None:
        """Open the quick entry (Ctrl+L, "New entry", the morning check-in)."""
        return self._open(context=context)

    def edit_selected(self) -> QuickEntryDialog | None:
        read = self.selected()
        return self._open(entry=read) if read is not None else None

    def delete_selected(self) -> bool:
        """Delete the selected entry at once; the notice and Ctrl+Z can bring it back."""
        read = self.selected()
        if read is None or self._services is None or self._undo is None:
            return False
        diary = self._services.diary
        try:
            removed, changes = diary.delete(read.id)
        except (RehabError, OSError) as error:
            self._show_notice(self.tr("Not deleted: %1").replace("%1", str(error)), undo=False)
            return False
        text = self.tr("Delete diary entry (%1)").replace("%1", pain_summary(removed.entry))
        command = DiaryEntryDeleted(diary, entry_ids(self._undo), removed, text, self._emit)
        self._undo.push(command)
        self._deleted = command
        self._show_notice(
            self.tr("Deleted the entry of %1 (%2).")
            .replace("%1", when_text(removed, long=True))
            .replace("%2", pain_summary(removed.entry)),
            undo=True,
        )
        self._emit(changes)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # Internals ----------------------------------------------------------------------------------

    def _open(
        self, entry: DiaryRead | None = None, context: Context | None = None
    ) -> QuickEntryDialog | None:
        if self._services is None or self._bus is None or self._undo is None:
            return None
        if self._dialog is not None:
            # One entry at a time: a second Ctrl+L brings the open one forward.
            self._dialog.raise_()
            self._dialog.activateWindow()
            return self._dialog
        dialog = open_quick_entry(
            self._services, self._bus, self._undo, self, entry=entry, context=context
        )
        dialog.saved.connect(self.entry_saved)
        dialog.saved.connect(lambda read: self._remember_selection(read))
        dialog.neurological_reported.connect(self.neurological_reported)
        dialog.finished.connect(self._dialog_closed)
        self._dialog = dialog
        return dialog

    def _dialog_closed(self) -> None:
        self._dialog = None
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remember_selection(self, read: DiaryRead) -> None:
        if not self.select_entry(read.id):
            self._select_next = read.id  # not listed yet: selected by the coming refresh

    def _today(self) -> date:
        assert self._services is not None
        return self._services.clock.now().local_day

    def _show_selected(self, *_args: object) -> None:
        read = self.selected()
        self.edit_button.setEnabled(read is not None)
        self.delete_button.setEnabled(read is not None)
        self.details.setText(describe(read) if read is not None else "")
        self.details.setVisible(read is not None)

    def _show_notice(self, text: str, undo: bool) -> None:
        self.notice_label.setText(text)
        self.notice_label.setAccessibleName(text)
        self.undo_button.setVisible(undo)
        self.notice.show()

    def _sync_notice(self, index: int) -> None:
        """The "Deleted — Undo" notice lasts while that deletion is the last thing done."""
        if self._deleted is None or self._undo is None:
            return
        # Index 0 needs no look at the stack: a stack being destroyed clears itself to 0,
        # and must not be called back then.
        if index == 0 or self._undo.command(index - 1) is not self._deleted:
            self._deleted = None
            self.notice.hide()

    def _undo_delete(self) -> None:
        if self._undo is None or self._deleted is None:
            return
        if self._undo.index() and self._undo.command(self._undo.index() - 1) is self._deleted:
            self._undo.undo()  # _sync_notice hides the notice

    def _emit(self, changes: Changes) -> None:
        if self._bus is not None:
            self._bus.changed.emit(changes)

    def _on_changed(self, changes: Changes) -> None:
        if changes.diary:
            # Hidden (an entry logged from Today with Ctrl+L): not inside the save, so the
            # dialog's "Saved" page is painted at once.
            self._later.request()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._later.run()
        if self._select_when_shown is not None:  # chosen while hidden (see _select_row)
            row = self.model.row_of(self._select_when_shown)
            self._select_when_shown = None
            if row is not None:
                self._select_row(row)
                self._show_selected()


class MorningCheckIn(QFrame):
    """The morning question after an exercise day; Today shows it on the day's first start."""

    rate_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("morningCheckIn")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        self._services: AppServices | None = None
        layout = QVBoxLayout(self)
        self.message = heading(
            self.tr(
                "Good morning. How is your back and leg after yesterday's exercises?"
                " (This tells whether to progress.)"
            ),
            level=2,
            own_words=True,
        )
        self.message.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.rate_button = QPushButton(self.tr("Rate it now"))
        self.rate_button.setAccessibleName(self.tr("Rate your back and leg pain now"))
        font = self.rate_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.rate_button.setFont(font)
        self.rate_button.setMinimumHeight(target_height(self.rate_button))
        self.later_button = QPushButton(self.tr("Later"))
        self.later_button.setAccessibleName(self.tr("Ask me later"))
        self.later_button.setMinimumHeight(target_height(self.later_button) * 4 // 5)
        buttons.addWidget(self.rate_button)
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setAccessibleName(self.tr("Morning check-in"))
        self.rate_button.clicked.connect(self.rate_requested)
        self.later_button.clicked.connect(self._later)

    @staticmethod
    def needed(services: AppServices) -> bool:
        """Yesterday had exercise and there is no "on waking" entry yet today."""
        return services.diary.needs_morning_checkin(services.clock.now().local_day)

    def watch(self, services: AppServices, bus: Bus) -> None:
        """Hide by itself once the morning entry is saved (from here or anywhere else)."""
        self._services = services
        bus.changed.connect(self._on_changed)

    def _later(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _on_changed(self, changes: Changes) -> None:
        if changes.diary and self._services is not None and not self.needed(self._services):
            self.hide()
