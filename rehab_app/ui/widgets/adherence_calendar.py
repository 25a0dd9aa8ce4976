"""The adherence calendar: the last few weeks at a glance, the "keeping up" score and the streak.

Built as a table view over a small model rather than painted on one canvas, so that every day
is a real cell: arrow keys move between days (one Tab stop for the whole grid), screen readers
read each cell ("Tuesday 3 March: done"), and the tooltips come for free. A delegate paints the
cells: the day number, a large marker that says the status without colour (✓ done, ◐ partly,
✗ not done, – rest day, nothing for days to come) and a muted fill mixed from the widget's own
palette, so it stays calm and readable in light and dark themes. Sizes follow the font.

Missed days are called "not done" and drawn in grey, not red: the calendar is there to show
progress, not to scold. Today is outlined and is never shown as missed while it is still going.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.adherence import AdherenceSummary, DayStatus
from rehab_app.ui.widgets.text import heading, own_label

AnyIndex = QModelIndex | QPersistentModelIndex

#: Roles the delegate and tests read.
DAY_ROLE = Qt.ItemDataRole.UserRole + 1  # the cell's date
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # DayStatus value (a str), or None: no record
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # a CellState

MARKERS = {
    DayStatus.DONE: "✓",
    DayStatus.PARTLY: "◐",
    DayStatus.MISSED: "✗",
    DayStatus.REST: "–",
}

# Hues mixed into the palette's base colour: enough to tell the days apart at a glance, little
# enough that the marker and day number keep their contrast in light and dark themes.
_GREEN = QColor(46, 160, 90)
_AMBER = QColor(225, 170, 40)


class CellState:
    PAST = "past"  # a finished day with a record
    TODAY = "today"  # the day still going on
    FUTURE = "future"  # still to come
    UNKNOWN = "unknown"  # no record (before the plan, or not passed in)


def _mix(base: QColor, other: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        base.redF() + (other.redF() - base.redF()) * amount,
        base.greenF() + (other.greenF() - base.greenF()) * amount,
        base.blueF() + (other.blueF() - base.blueF()) * amount,
    )


def status_fill(palette: QPalette, status: DayStatus | None) -> QColor:
    """The calm fill behind a day: from the palette, so it follows light and dark themes."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    if status == DayStatus.DONE:
        return _mix(base, _GREEN, 0.32)
    if status == DayStatus.PARTLY:
        return _mix(base, _AMBER, 0.32)
    if status == DayStatus.MISSED:
        return _mix(base, text, 0.10)
    return base


def _border(palette: QPalette) -> QColor:
    return _mix(
        palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.25
    )


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AdherenceCalendarModel(QAbstractTableModel):
    """Rows are weeks (oldest first), columns Monday to Sunday."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first_monday = date(2000, 1, 3)
        self._weeks = 0
        self._statuses: dict[date, DayStatus] = {}
        self._today: date | None = None
        self._last_known: date | None = None

    def set_days(
        self,
        statuses: dict[date, DayStatus],
        end: date,
        weeks: int,
        today: date | None,
    ) -> None:
        """Show `weeks` weeks ending with the week that holds `end`."""
        self.beginResetModel()
        self._statuses = dict(statuses)
        self._today = today
        self._last_known = end
        last_monday = end - timedelta(days=end.weekday())
        self._first_monday = last_monday - timedelta(weeks=weeks - 1)
        self._weeks = weeks
        self.endResetModel()

    def day_at(self, index: AnyIndex) -> date:
        return self._first_monday + timedelta(days=index.row() * 7 + index.column())

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - self._first_monday).days
        if not 0 <= offset < self._weeks * 7:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._weeks

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 7

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802 (Qt API)
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            if role == Qt.ItemDataRole.DisplayRole:
                return QLocale().dayName(section + 1, QLocale.FormatType.ShortFormat)
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return QLocale().dayName(section + 1, QLocale.FormatType.LongFormat)
        vertical = orientation == Qt.Orientation.Vertical and 0 <= section < self._weeks
        if vertical and role == Qt.ItemDataRole.DisplayRole:
            monday = self._first_monday + timedelta(weeks=section)
            return QLocale().toString(_qdate(monday), "d MMM")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.day_at(index)
        if role == DAY_ROLE:
            return day
        if role == STATUS_ROLE:
            return self._statuses.get(day)
        if role == STATE_ROLE:
            return self._state(day)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._number_text(day, index)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(day)
        return None

    def describe(self, day: date) -> str:
        """The words for one day, e.g. "Tuesday 3 March: done"."""
        name = QLocale().toString(_qdate(day), "dddd d MMMM")
        status = self._statuses.get(day)
        state = self._state(day)
        if state == CellState.FUTURE:
            what = self.tr("still to come")
        elif state == CellState.TODAY:
            name = self.tr("Today, %1").replace("%1", name)
            what = {
                DayStatus.DONE: self.tr("done"),
                DayStatus.PARTLY: self.tr("partly done so far"),
                DayStatus.REST: self.tr("rest day, nothing planned"),
            }.get(status, self.tr("not done yet"))  # type: ignore[arg-type]
        elif status is None:
            what = self.tr("nothing recorded")
        else:
            what = {
                DayStatus.DONE: self.tr("done"),
                DayStatus.PARTLY: self.tr("partly done"),
                DayStatus.MISSED: self.tr("not done"),
                DayStatus.REST: self.tr("rest day, nothing planned"),
            }[status]
        return self.tr("%1: %2").replace("%1", name).replace("%2", what)

    def _state(self, day: date) -> str:
        if self._today is not None and day == self._today:
            return CellState.TODAY
        if self._last_known is not None and day > self._last_known:
            return CellState.FUTURE
        if day not in self._statuses:
            return CellState.UNKNOWN
        return CellState.PAST

    def _number_text(self, day: date, index: AnyIndex) -> str:
        if day == self._today:
            return self.tr("Today")
        # The month's name on the first cell and on each 1st, so two months never blur.
        if day.day == 1 or (index.row() == 0 and index.column() == 0):
            return QLocale().toString(_qdate(day), "d MMM")
        return str(day.day)


class _DayDelegate(QStyledItemDelegate):
    """Paints one day: muted fill, day number at the top, the status marker in the middle."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        palette = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect  # type: ignore[attr-defined]
        font: QFont = option.font  # type: ignore[attr-defined]
        raw = index.data(STATUS_ROLE)  # Qt hands the StrEnum back as a plain str
        status = None if raw is None else DayStatus(raw)
        state: str = index.data(STATE_ROLE)
        if state == CellState.TODAY and status == DayStatus.MISSED:
            status = None  # not over yet: nothing to mark
        shown = None if state == CellState.FUTURE else status
        gap = max(3, rect.height() // 16)
        cell = QRectF(rect.adjusted(gap, gap, -gap, -gap))
        radius = cell.height() / 8
        text = palette.color(QPalette.ColorRole.Text)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(_border(palette), 1))
        painter.setBrush(status_fill(palette, shown))
        if state in (CellState.FUTURE, CellState.UNKNOWN):
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(cell, radius, radius)
        if state == CellState.TODAY:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), max(2, gap)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), radius, radius)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)  # type: ignore[attr-defined]
        if focused:
            # The keyboard's place in the grid: a dashed line around the cell, in the gap
            # between cells, so it never covers the day number or the marker.
            painter.setPen(QPen(text, 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            around = QRectF(rect).adjusted(1, 1, -1, -1)
            painter.drawRoundedRect(around, radius + gap, radius + gap)

        inner = cell.adjusted(gap * 2, gap * 2, -gap * 2, -gap * 2)
        number = QFont(font)
        number.setBold(state == CellState.TODAY)  # the cell reads "Today" instead of its number
        painter.setFont(number)
        painter.setPen(quiet if state in (CellState.FUTURE, CellState.UNKNOWN) else text)
        painter.drawText(
            inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, index.data()
        )
        if shown is not None:
            big = QFont(font)
            big.setPointSizeF(font.pointSizeF() * 1.7)
            big.setBold(True)
            painter.setFont(big)
            painter.setPen(text)
            marker_area = QRectF(inner)
            marker_area.setTop(inner.top() + painter.fontMetrics().height() * 0.35)
            painter.drawText(marker_area, Qt.AlignmentFlag.AlignCenter, MARKERS[shown])
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        return _cell_size(option.fontMetrics.height())  # type: ignore[attr-defined]


def _cell_size(line: int) -> QSize:
    return QSize(round(line * 4.2), round(line * 3.6))


class _CalendarTable(QTableView):
    """The grid: fixed cell sizes from the font, no scroll bars, one Tab stop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_DayDelegate(self))
        self.setShowGrid(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the grid; arrow keys move inside it
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.verticalHeader().hide()  # the week's dates are in the cells
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_to_font()

    def _fit_to_font(self) -> None:
        size = _cell_size(self.fontMetrics().height())
        self.horizontalHeader().setDefaultSectionSize(size.width())
        self.verticalHeader().setDefaultSectionSize(size.height())
        self.horizontalHeader().setMinimumSectionSize(size.width())
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        size = _cell_size(self.fontMetrics().height())
        rows = self.model().rowCount() if self.model() is not None else 0
        header = self.horizontalHeader().sizeHint().height()
        frame = 2 * self.frameWidth()
        return QSize(size.width() * 7 + frame, header + size.height() * rows + frame)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()


class _Swatch(QWidget):
    """A legend sample: the same fill and marker as a day in the grid."""

    def __init__(self, status: DayStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status = status

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        line = self.fontMetrics().height()
        return QSize(round(line * 1.8), round(line * 1.6))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cell = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(_border(palette), 1))
        painter.setBrush(status_fill(palette, self._status))
        painter.drawRoundedRect(cell, 4, 4)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, MARKERS[self._status])
        painter.end()


class AdherenceCalendar(QWidget):
    """Recent weeks, one cell per day, with the score, the streak and a legend."""

    def __init__(self, weeks: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks = max(1, weeks)
        self._summary: AdherenceSummary | None = None
        self.model = AdherenceCalendarModel(self)
        self.table = _CalendarTable()
        self.table.setModel(self.model)
        self.table.setObjectName("adherenceGrid")
        self.table.setAccessibleName(
            self.tr("Exercise calendar for the last %1 weeks").replace("%1", str(self._weeks))
        )
        self.table.setAccessibleDescription(self.tr("Use the arrow keys to move from day to day."))

        self.title = heading(
            self.tr("Your last %1 weeks").replace("%1", str(self._weeks)), level=2, own_words=True
        )
        self.score_label = heading("", level=1, object_name="adherenceScore", own_words=True)
        self.streak_label = own_label("", "adherenceStreak")
        streak_font = self.streak_label.font()
        streak_font.setPointSizeF(streak_font.pointSizeF() * 1.2)
        self.streak_label.setFont(streak_font)
        self.hint_label = own_label(
            self.tr(
                "Recent days count the most. A missed day lowers this only a little, and"
                " it climbs again with your next sessions."
            ),
            "adherenceHint",
        )

        legend = QHBoxLayout()
        legend.setSpacing(6)
        words = {
            DayStatus.DONE: self.tr("Done"),
            DayStatus.PARTLY: self.tr("Partly done"),
            DayStatus.MISSED: self.tr("Not done"),
            DayStatus.REST: self.tr("Rest day"),
        }
        for status, word in words.items():
            swatch = _Swatch(status)
            swatch.setAccessibleName(word)
            legend.addWidget(swatch)
            legend.addWidget(own_label(word, f"legend_{status.value}"))
            legend.addSpacing(self.fontMetrics().horizontalAdvance("M") * 2)
        legend.addStretch(1)
        self.legend = QWidget()
        self.legend.setObjectName("adherenceLegend")
        self.legend.setLayout(legend)
        self.legend.setAccessibleName(
            self.tr("Key: %1").replace(
                "%1",
                ", ".join(f"{MARKERS[status]} {word}" for status, word in words.items()),
            )
        )
        legend.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.score_label)
        layout.addWidget(self.streak_label)
        layout.addWidget(self.hint_label)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.table, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        self.set_summary(AdherenceSummary(score=0.0, streak=0, days=()))

    @property
    def weeks(self) -> int:
        return self._weeks

    @property
    def summary(self) -> AdherenceSummary | None:
        return self._summary

    def set_summary(self, summary: AdherenceSummary, today: date | None = None) -> None:
        """Show `summary`. The grid ends with the week of `today` (by default the summary's
        day in progress, else its last day); days after that day are "still to come"."""
        self._summary = summary
        if today is None:
            today = summary.in_progress
        end = today or (summary.days[-1][0] if summary.days else date.today())
        self.model.set_days(dict(summary.days), end, self._weeks, today)
        current = self.model.index_of(end)
        if current.isValid():
            self.table.setCurrentIndex(current)
        self.table.updateGeometry()

        if summary.due_days:
            percent = QLocale().toString(round(summary.score * 100))
            score = self.tr("Keeping up: %1 %").replace("%1", percent)
        else:
            score = self.tr("Keeping up: nothing was due yet")
        self.score_label.setText(score)
        self.score_label.setAccessibleName(score)
        if summary.streak == 0:
            streak = self.tr("Current streak: it starts with your next session")
        elif summary.streak == 1:
            streak = self.tr("Current streak: 1 day")
        else:
            streak = self.tr("Current streak: %1 days").replace("%1", str(summary.streak))
        self.streak_label.setText(streak)
        self.streak_label.setAccessibleName(streak)

    def describe_day(self, day: date) -> str:
        """The words shown and read out for `day` (its tooltip and accessible text)."""
        return self.model.describe(day)
