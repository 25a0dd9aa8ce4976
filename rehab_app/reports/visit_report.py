"""The visit report: what a therapist needs before the next appointment, as a PDF.

Read in a minute: page 1 holds the essentials, in the order a busy therapist asks for them:
the period; any red-flag answer, in a red box above everything else (or a calm line saying
there was none); four figures (exercises done, leg pain, back pain, Roland-Morris) with the
meaningful-change verdict in words; and one sentence each for the details behind them. The
pain charts, the adherence table, the plan and its changes, the questionnaire scores, the
flags (every red-flag answer and red exercise response, the latest amber ones) and the
patient's own notes follow.

Built on rehab_app.reports.drawing (the handout's page machinery): two passes, text through
QTextLayout (plain text: patient notes are never read as markup), fonts embedded, written
atomically, safe in a worker thread. The charts are drawn with QPainter straight into the PDF,
so they are vectors and print sharp at any size (pyqtgraph cannot render into a PDF painter,
stack-notes.md). A day without ratings is a gap in the lines, never bridged.

The figures and sentences come from the read model (services.report) and the shared wording
(wording.change_words), so the report says what the Progress screen says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from rehab_app.core.meaningful import ChangeVerdict, Verdict
from rehab_app.core.plan import Plan
from rehab_app.core.questionnaires import PSFS_KIND, RMDQ_KIND, Since
from rehab_app.reports.drawing import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    TINT,
    Block,
    Boxed,
    Composer,
    Flow,
    Frame,
    PageSize,
    Row,
    Space,
    Stack,
    Text,
    TextStyle,
    mm,
    pt,
    write_pdf,
)
from rehab_app.services.report import (
    ExerciseAdherence,
    FlagEvent,
    ScoreSeries,
    VisitReportData,
)
from rehab_app.services.safety import TREND_WARNING
from rehab_app.wording.change_words import change_sentence, number, safety_words, short_date
from rehab_app.wording.plan_words import dose_words, phase_start_words, schedule_words, side_words

__all__ = ["PageSize", "report_title", "write_visit_report"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("visit_report", text)


# --- Look --------------------------------------------------------------------------------------

RED = QColor("#b3261e")
RED_TINT = QColor("#fbe9e7")
GREEN = QColor("#2e7d32")
CALM_TINT = QColor("#edf5ee")
#: Amber exercise responses listed at most (the most recent); red ones are always all listed.
AMBER_LISTED = 40
#: The screen's light-palette colours (ui/charts colours_for), so paper and screen agree.
LEG = QColor("#0063a0")
BACK = QColor("#b35900")
PLAN = QColor("#8a3f7a")
GRID = QColor("#dde3e8")

TITLE = TextStyle(20, bold=True, colour=ACCENT)
SECTION = TextStyle(14, bold=True, colour=ACCENT)
LABEL = TextStyle(10.5, bold=True)
BODY = TextStyle(10.5)
QUIET = TextStyle(10, colour=MUTED)
CELL = TextStyle(9.5)
CELL_BOLD = TextStyle(9.5, bold=True)
FIGURE = TextStyle(22, bold=True)
WARNING_TITLE = TextStyle(12.5, bold=True, colour=RED)

_VERDICT_COLOUR = {
    Verdict.BETTER: GREEN,
    Verdict.WORSE: RED,
    Verdict.NO_CLEAR_CHANGE: MUTED,
    Verdict.NOT_ENOUGH_DATA: MUTED,
}


def _verdict_word(verdict: Verdict) -> str:
    return {
        Verdict.BETTER: _tr("better"),
        Verdict.WORSE: _tr("worse"),
        Verdict.NO_CLEAR_CHANGE: _tr("no clear change"),
        Verdict.NOT_ENOUGH_DATA: _tr("not enough ratings"),
    }[verdict]


def _light_word(light: str) -> str:
    return {"amber": _tr("amber"), "red": _tr("red")}.get(light, light)


def _nerve_word(value: str | None) -> str:
    return {
        "settled": _tr("settled at once"),
        "lingered": _tr("lingered"),
        "spread": _tr("spread down the leg"),
    }.get(value or "", "")


def _effort_word(value: str | None) -> str:
    return {
        "easy": _tr("easy"),
        "about_right": _tr("about right"),
        "too_hard": _tr("too hard"),
    }.get(value or "", "")


def _day(day: date) -> str:
    """'Tue 3 Mar': short enough for a table column, with the weekday to place it in a week."""
    return f"{day:%a} {day.day} {day:%b}"


def _span(first: date, last: date) -> str:
    """'13 to 19 February 2026', '27 February to 5 March 2026', '28 December 2025 to 3 January
    2026': each part said once."""
    if first == last:
        return short_date(first)
    if first.year != last.year:
        start = short_date(first)
    elif first.month != last.month:
        start = f"{first.day} {first:%B}"
    else:
        start = str(first.day)
    return _tr("%1 to %2").replace("%1", start).replace("%2", short_date(last))


def _percent(share: float | None) -> str:
    # A no-break space: "79" and "%" never end up on two lines.
    return "–" if share is None else f"{round(share * 100)}\u00a0%"


@dataclass(frozen=True)
class _Questionnaire:
    name: str
    scale: str
    decimals: int


def _questionnaire(kind: str) -> _Questionnaire:
    if kind == RMDQ_KIND:
        return _Questionnaire(
            _tr("Roland-Morris"), _tr("0-24, lower is better: limits in everyday activities"), 0
        )
    if kind == PSFS_KIND:
        return _Questionnaire(
            _tr("PSFS"), _tr("0-10, higher is better: activities the patient finds hard"), 1
        )
    return _Questionnaire(kind, "", 1)


# --- Blocks of this report ---------------------------------------------------------------------


class _Tile:
    """One figure of page 1: a label, a big number and a line under it (the verdict)."""

    def __init__(
        self,
        device: QPaintDevice,
        width: float,
        label: str,
        figure: str,
        under: str,
        colour: QColor,
    ) -> None:
        self._width = width
        self._padding = mm(2.5)
        inner = width - 2 * self._padding
        self.label = Text(device, label, TextStyle(9.5, bold=True, colour=MUTED), inner)
        self._figure = Text(
            device, figure, TextStyle(FIGURE.points, bold=True, colour=colour), inner
        )
        self.under = Text(device, under, TextStyle(9.5, bold=True, colour=colour), inner)
        self.fit(self.label.height, self.under.height)

    def fit(self, label_room: float, under_room: float) -> None:
        """Make room for the tallest label and line of a row, so the figures line up."""
        self._label_room = label_room
        self.height = label_room + self._figure.height + under_room + 2 * self._padding

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(QPen(RULE, pt(0.75)))
        painter.setBrush(TINT)
        painter.drawRoundedRect(QRectF(x, y, self._width, self.height), mm(1.5), mm(1.5))
        painter.restore()
        x, y = x + self._padding, y + self._padding
        self.label.paint(painter, x, y)
        y += self._label_room
        self._figure.paint(painter, x, y)
        self.under.paint(painter, x, y + self._figure.height)


class _Table:
    """Rows of plain-text cells under a header; each row is its own flow, so a long table
    breaks between rows, and the header stays with the first row."""

    def __init__(
        self,
        device: QPaintDevice,
        width: float,
        columns: Sequence[tuple[str, float, bool]],  # header, share of the width, right-aligned
    ) -> None:
        self._device, self._width = device, width
        total = sum(share for _, share, _ in columns)
        self._columns = [(header, width * share / total, right) for header, share, right in columns]
        self._gap = mm(2)

    def row(self, cells: Sequence[str], style: TextStyle = CELL, shade: bool = False) -> Block:
        placed: list[tuple[float, Block]] = []
        offset = 0.0
        for (_, column_width, right), text in zip(self._columns, cells, strict=True):
            align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            inner = column_width - self._gap
            cell = Text(self._device, text, style, inner, align=align)
            placed.append((offset, cell))
            offset += column_width
        return _TableRow(Row(placed), self._width, shade)

    def header(self) -> Block:
        return self.row([header for header, _, _ in self._columns], CELL_BOLD, shade=True)

    def flows(self, rows: Sequence[Block], space: float) -> list[Flow]:
        if not rows:
            return []
        header = self.header()
        first = Stack([header, rows[0]])
        return [Flow(first, space), *(Flow(row, repeat=header) for row in rows[1:])]


class _TableRow:
    def __init__(self, cells: Row, width: float, shade: bool) -> None:
        self._cells, self._width, self._shade = cells, width, shade
        self._padding = mm(1.1)
        self.height = cells.height + 2 * self._padding

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        if self._shade:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TINT)
            painter.drawRect(QRectF(x, y, self._width, self.height))
        painter.setPen(QPen(RULE, pt(0.5)))
        painter.drawLine(QPointF(x, y + self.height), QPointF(x + self._width, y + self.height))
        painter.restore()
        self._cells.paint(painter, x + mm(1), y + self._padding)


@dataclass(frozen=True)
class _Series:
    """What one pain chart draws, one entry per day of the period."""

    name: str
    colour: QColor
    first: date
    daily: tuple[float | None, ...]
    average: tuple[float | None, ...]
    baseline: float | None
    band: float | None
    plan_days: tuple[date, ...]
    flag_days: tuple[date, ...]


class _PainChart:
    """A 0-10 pain chart over the period, drawn with QPainter (vector): the real-change band
    around the first-week level, that level as a dashed line, the daily means as a thin line
    with dots, the 7-day average as a thick line, plan changes as dotted verticals, red-flag
    answers as triangles over the top. Gaps stay gaps."""

    def __init__(self, device: QPaintDevice, width: float, series: _Series) -> None:
        self._device, self._width, self._series = device, width, series
        self._font = TextStyle(8.5).font()
        self._metrics = QFontMetricsF(self._font, device)
        line = self._metrics.height()
        self._title = Text(
            device,
            _tr("%1 (0 = none, 10 = worst imaginable)").replace("%1", series.name),
            LABEL,
            width,
        )
        self._plot_top = self._title.height + mm(4)  # room for the red-flag triangles
        self._plot_height = mm(40)
        self._axis = line * 1.6
        self._legend_top = self._plot_top + self._plot_height + self._axis + mm(1)
        self._sample = mm(6)
        self._legend = self._lay_out_legend()
        rows = 1 + max((row for _, row, _, _ in self._legend), default=0)
        self.height = self._legend_top + rows * line * 1.3

    def _x(self, left: float, plot_width: float, index: float) -> float:
        days = len(self._series.daily)
        return left + (index + 0.5) / days * plot_width

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        series = self._series
        self._title.paint(painter, x, y)
        painter.save()
        painter.setFont(self._font)
        label_width = self._metrics.horizontalAdvance("10") + mm(2)
        left = x + label_width
        plot_width = self._width - label_width
        top = y + self._plot_top
        bottom = top + self._plot_height

        def y_of(value: float) -> float:
            return bottom - value / 10 * self._plot_height

        # The band of a real change, then the grid and the scale.
        if series.baseline is not None and series.band is not None:
            low = max(0.0, series.baseline - series.band)
            high = min(10.0, series.baseline + series.band)
            band = QColor(series.colour)
            band.setAlpha(34)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(band)
            painter.drawRect(QRectF(left, y_of(high), plot_width, y_of(low) - y_of(high)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for value in range(0, 11, 2):
            painter.setPen(QPen(GRID if value else MUTED, pt(0.5)))
            painter.drawLine(QPointF(left, y_of(value)), QPointF(left + plot_width, y_of(value)))
            painter.setPen(MUTED)
            text = str(value)
            painter.drawText(
                QPointF(
                    left - mm(1.5) - self._metrics.horizontalAdvance(text),
                    y_of(value) + self._metrics.ascent() / 2 - pt(1),
                ),
                text,
            )
        self._paint_dates(painter, left, plot_width, bottom)
        # Plan changes: dotted verticals through the plot.
        for day in series.plan_days:
            index = (day - series.first).days
            if 0 <= index < len(series.daily):
                pen = QPen(PLAN, pt(1.1), Qt.PenStyle.DotLine)
                painter.setPen(pen)
                at = self._x(left, plot_width, index)
                painter.drawLine(QPointF(at, top), QPointF(at, bottom))
        if series.baseline is not None:
            pen = QPen(series.colour, pt(1.2), Qt.PenStyle.DashLine)
            painter.setPen(pen)
            level = y_of(series.baseline)
            painter.drawLine(QPointF(left, level), QPointF(left + plot_width, level))
        # Daily means: thin, paler; dots when the days are far enough apart to see them.
        pale = QColor(series.colour)
        pale.setAlpha(150)
        painter.setPen(QPen(pale, pt(0.8)))
        self._paint_line(painter, series.daily, left, plot_width, y_of)
        if len(series.daily) <= 70:
            painter.setBrush(pale)
            painter.setPen(Qt.PenStyle.NoPen)
            for index, value in enumerate(series.daily):
                if value is not None:
                    at = QPointF(self._x(left, plot_width, index), y_of(value))
                    painter.drawEllipse(at, pt(1.5), pt(1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        # The 7-day average: the line to read.
        pen = QPen(series.colour, pt(2.4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        self._paint_line(painter, series.average, left, plot_width, y_of)
        # Red-flag answers: triangles just above the 10 line, out of the way of the values.
        for day in series.flag_days:
            index = (day - series.first).days
            if 0 <= index < len(series.daily):
                _triangle(painter, self._x(left, plot_width, index), top - mm(0.6), mm(1.6))
        painter.restore()
        self._paint_legend(painter, x, y + self._legend_top)

    def _paint_line(
        self,
        painter: QPainter,
        values: Sequence[float | None],
        left: float,
        plot_width: float,
        y_of: Callable[[float], float],
    ) -> None:
        """One path per run of days with values: a missing day breaks the line."""
        path = QPainterPath()
        drawing = False
        for index, value in enumerate(values):
            if value is None:
                drawing = False
                continue
            point = QPointF(self._x(left, plot_width, index), y_of(value))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.drawPath(path)

    def _paint_dates(
        self, painter: QPainter, left: float, plot_width: float, bottom: float
    ) -> None:
        """Dates under the plot: weekly (Mondays) or monthly ticks, labels spaced to fit."""
        series = self._series
        days = len(series.daily)
        ticks = [
            series.first + timedelta(days=n)
            for n in range(days)
            if (series.first + timedelta(days=n)).isoweekday() == 1
        ]
        if days > 120:
            ticks = [
                series.first + timedelta(days=n)
                for n in range(days)
                if (series.first + timedelta(days=n)).day == 1
            ]
        label = "%d %b" if days <= 366 else "%b %Y"
        last_end = -1e9
        baseline = bottom + self._metrics.ascent() + mm(1.2)
        for day in ticks:
            at = self._x(left, plot_width, (day - series.first).days)
            painter.setPen(QPen(MUTED, pt(0.5)))
            painter.drawLine(QPointF(at, bottom), QPointF(at, bottom + mm(1)))
            text = f"{day:{label}}".lstrip("0")
            width = self._metrics.horizontalAdvance(text)
            start = min(max(at - width / 2, left), left + plot_width - width)
            if start >= last_end:
                painter.setPen(MUTED)
                painter.drawText(QPointF(start, baseline), text)
                last_end = start + width + mm(3)

    def _legend_items(self) -> list[tuple[str, str]]:
        """(what to draw, its words), in the order they are read."""
        series = self._series
        items = [("thin", _tr("daily mean")), ("thick", _tr("7-day average"))]
        if series.baseline is not None and series.band is not None:
            items.append(("dashed", _tr("first week %1").replace("%1", number(series.baseline))))
            items.append(("band", _tr("real change ±%1").replace("%1", number(series.band, 0))))
        if series.plan_days:
            items.append(("plan", _tr("plan changed")))
        if series.flag_days:
            items.append(("flag", _tr("red-flag answer")))
        return items

    def _lay_out_legend(self) -> list[tuple[float, int, str, str]]:
        """Each legend item's offset and row: items run on to a new row rather than past the
        right margin."""
        placed = []
        at, row = 0.0, 0
        for kind, text in self._legend_items():
            width = self._sample + mm(1.5) + self._metrics.horizontalAdvance(text)
            if at and at + width > self._width:
                at, row = 0.0, row + 1
            placed.append((at, row, kind, text))
            at += width + mm(5)
        return placed

    def _paint_legend(self, painter: QPainter, x: float, y: float) -> None:
        colour = self._series.colour
        pale = QColor(colour)
        pale.setAlpha(150)
        band = QColor(colour)
        band.setAlpha(34)
        sample = self._sample
        for offset, row, kind, text in self._legend:
            painter.save()
            painter.setFont(self._font)
            top = y + row * self._metrics.height() * 1.3
            baseline = top + self._metrics.ascent()
            middle = top + self._metrics.ascent() * 0.62
            at = x + offset
            start, end = QPointF(at, middle), QPointF(at + sample, middle)
            if kind == "thin":
                painter.setPen(QPen(pale, pt(0.8)))
                painter.drawLine(start, end)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(pale)
                painter.drawEllipse(QPointF(at + sample / 2, middle), pt(1.5), pt(1.5))
            elif kind == "thick":
                painter.setPen(QPen(colour, pt(2.4)))
                painter.drawLine(start, end)
            elif kind == "dashed":
                painter.setPen(QPen(colour, pt(1.2), Qt.PenStyle.DashLine))
                painter.drawLine(start, end)
            elif kind == "band":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(band)
                painter.drawRect(QRectF(at, middle - mm(1.3), sample, mm(2.6)))
            elif kind == "plan":
                painter.setPen(QPen(PLAN, pt(1.1), Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(at + sample / 2, top), QPointF(at + sample / 2, baseline))
            elif kind == "flag":
                _triangle(painter, at + sample / 2, baseline, mm(1.4))
            painter.setPen(INK)
            painter.drawText(QPointF(at + sample + mm(1.5), baseline), text)
            painter.restore()


def _triangle(painter: QPainter, centre: float, tip: float, size: float) -> None:
    """A red triangle pointing down at `tip`: a red-flag answer (the chart and its legend)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(RED)
    painter.drawPolygon(
        QPolygonF(
            [
                QPointF(centre, tip),
                QPointF(centre - size, tip - size * 1.6),
                QPointF(centre + size, tip - size * 1.6),
            ]
        )
    )


# --- The document ------------------------------------------------------------------------------


class _Report(Composer):
    """Turns the read model into flows, measured against `device` (the PDF writer)."""

    body = BODY

    def __init__(self, device: QPaintDevice, data: VisitReportData, width: float) -> None:
        super().__init__(device, width)
        self.data = data

    def day(self, day: date) -> str:
        """A short date, with the year when the period runs over two years."""
        period = self.data.period
        return _day(day) + (f" {day:%Y}" if period.first.year != period.last.year else "")

    def bullet(self, text: str, lead: str = "", style: TextStyle = BODY) -> Text:
        return self.text(text, style, lead=lead, marker="•", indent=mm(5))

    def flows(self) -> list[Flow]:
        flows = [Flow(self.opening()), Flow(self.flag_box(), mm(5))]
        flows.append(Flow(self.tiles(), mm(5)))
        flows.append(Flow(self.essentials(), mm(4)))
        flows.extend(self.pain())
        flows.extend(self.adherence())
        flows.extend(self.plan())
        flows.extend(self.scores())
        flows.extend(self.flag_details())
        flows.extend(self.notes())
        return flows

    # Page 1 ---------------------------------------------------------------------------------

    def period_words(self) -> str:
        period = self.data.period
        text = (_tr("%1 (%2 days)").replace("%1", _span(period.first, period.last))).replace(
            "%2", str(period.days)
        )
        if period.since_last_report:
            text += _tr(", since the last visit report")
        return text

    def opening(self) -> Stack:
        data = self.data
        stack = Stack([self.text(_tr("Visit report"), TITLE), Space(pt(2))])
        stack.add(self.text(self.period_words(), LABEL, lead=_tr("Period: ")))
        plan = data.plan
        if plan is not None:
            plan_words = plan.title
            if data.phase is not None:
                plan_words += "  ·  " + data.phase.name
            stack.add(Space(pt(2)))
            stack.add(self.text(plan_words, BODY, lead=_tr("Plan: ")))
        stack.add(Space(pt(2)))
        made = _tr(
            "Made by the patient with rehab_app on %1. Scores and ratings are the patient's own;"
            " the real-change thresholds are group guides, not a diagnosis."
        )
        stack.add(self.text(made.replace("%1", short_date(data.made_on)), QUIET))
        return stack

    def flag_box(self) -> Block:
        data = self.data
        padding = mm(3.5)
        inner = Boxed.inner_width(self.width, padding)
        red_flags = data.red_flags
        if not red_flags:
            line = _tr("No red-flag answers in this period.")
            if data.checklists_clear == 1:
                line += " " + _tr("The red-flag checklist was answered once, nothing ticked.")
            elif data.checklists_clear:
                line += " " + _tr(
                    "The red-flag checklist was answered %1 times, nothing ticked each time."
                ).replace("%1", str(data.checklists_clear))
            else:
                line += " " + _tr("The red-flag checklist was not answered in this period.")
            return Boxed(self.text(line, BODY, inner), self.width, padding, CALM_TINT, GREEN)
        count = len(red_flags)
        title = (
            _tr("Red-flag answer in this period: 1")
            if count == 1
            else _tr("Red-flag answers in this period: %1").replace("%1", str(count))
        )
        stack = Stack([self.text(title, WARNING_TITLE, inner)])
        for flag in red_flags:
            stack.add(Space(pt(3)))
            stack.add(self.flag(flag, inner))
        return Boxed(stack, self.width, padding, RED_TINT, RED)

    def flag(self, flag: FlagEvent, width: float) -> Stack:
        """The day and what the answer means, then each statement ticked, in the patient's
        words (the checklist's own), one per line."""
        lead = _day(flag.day) + f" {flag.day:%Y}: "
        stack = Stack([self.text(safety_words(flag.kind) + ".", LABEL, width, lead=lead)])
        for item in flag.items:
            stack.add(Space(pt(2)))
            stack.add(self.text(item, BODY, width, marker="•", indent=mm(5)))
        return stack

    def tiles(self) -> Block:
        data = self.data
        gap = mm(3)
        width = (self.width - 3 * gap) / 4
        adherence = data.adherence
        exercises = _Tile(
            self.device,
            width,
            _tr("Exercises done"),
            _percent(adherence.share),
            _tr("%1 of %2 prescribed")
            .replace("%1", str(adherence.done))
            .replace("%2", str(adherence.prescribed)),
            INK,
        )
        tiles = [exercises]
        pain = data.pain
        for name, verdict in (
            (_tr("Leg pain now"), pain.leg_verdict),
            (_tr("Back pain now"), pain.back_verdict),
        ):
            figure = "–" if verdict.current is None else number(verdict.current)
            under = _verdict_word(verdict.verdict)
            if verdict.baseline is not None:
                under = (
                    _tr("was %1: %2").replace("%1", number(verdict.baseline)).replace("%2", under)
                )
            tiles.append(
                _Tile(self.device, width, name, figure, under, _VERDICT_COLOUR[verdict.verdict])
            )
        rmdq = next((s for s in data.scores if s.kind == RMDQ_KIND), None)
        figure, under, colour = "–", _tr("not answered in this period"), MUTED
        if rmdq is not None and rmdq.scores:
            figure = number(rmdq.scores[-1][1], 0)
            first = next((c for c in rmdq.comparisons if c.since == Since.FIRST), None)
            under = _tr("first answer")
            colour = INK
            if first is not None:
                under = (
                    _tr("was %1: %2")
                    .replace("%1", number(first.verdict.baseline or 0, 0))
                    .replace("%2", _verdict_word(first.verdict.verdict))
                )
                colour = _VERDICT_COLOUR[first.verdict.verdict]
        tiles.append(_Tile(self.device, width, _tr("Roland-Morris"), figure, under, colour))
        label_room = max(tile.label.height for tile in tiles)
        under_room = max(tile.under.height for tile in tiles)
        for tile in tiles:
            tile.fit(label_room, under_room)
        return Row([(index * (width + gap), tile) for index, tile in enumerate(tiles)])

    def essentials(self) -> Stack:
        data = self.data
        stack = Stack([self.text(_tr("In short"), SECTION), Space(pt(3))])
        lines = [
            self.adherence_sentence(),
            self.pain_sentence(_tr("Leg pain"), data.pain.leg_verdict),
            self.pain_sentence(_tr("Back pain"), data.pain.back_verdict),
            *(self.score_sentence(series) for series in data.scores),
            self.responses_sentence(),
            self.plan_sentence(),
        ]
        trend = [flag for flag in data.flags if flag.kind == TREND_WARNING]
        if trend:
            lines.append(
                _tr("%1 (%2).")
                .replace("%1", safety_words(TREND_WARNING))
                .replace("%2", ", ".join(self.day(flag.day) for flag in trend))
            )
        for index, line in enumerate(lines):
            if index:
                stack.add(Space(pt(3)))
            stack.add(self.bullet(line))
        return stack

    def adherence_sentence(self) -> str:
        adherence = self.data.adherence
        if not adherence.prescribed:
            return _tr("Exercises: nothing was prescribed in this period.")
        missed = adherence.sessions_due - adherence.sessions_done - adherence.sessions_partly
        return (
            _tr(
                "Exercises: %1 of %2 prescribed done (%3). Sessions: %4 of %5 done in full,"
                " %6 partly, %7 missed."
            )
            .replace("%1", str(adherence.done))
            .replace("%2", str(adherence.prescribed))
            .replace("%3", _percent(adherence.share))
            .replace("%4", str(adherence.sessions_done))
            .replace("%5", str(adherence.sessions_due))
            .replace("%6", str(adherence.sessions_partly))
            .replace("%7", str(missed))
        )

    def pain_sentence(self, name: str, verdict: ChangeVerdict) -> str:
        data = self.data
        baseline = data.pain.baseline
        now = (
            _tr("in the last 7 days")
            if data.period.last >= data.made_on
            else _tr("in the 7 days to %1").replace("%1", short_date(data.period.last))
        )
        if verdict.verdict == Verdict.NOT_ENOUGH_DATA or baseline is None:
            if verdict.current is None:
                return _tr("%1: no ratings %2.").replace("%1", name).replace("%2", now)
            return (
                _tr("%1: %2 %3; no ratings in the plan's first week to compare with.")
                .replace("%1", name)
                .replace("%2", number(verdict.current))
                .replace("%3", now)
            )
        then = _tr("in the first week of the plan (%1)").replace(
            "%1", _span(baseline.start, baseline.end)
        )
        return change_sentence(name, verdict, then, now, advise=False)

    def score_sentence(self, series: ScoreSeries) -> str:
        about = _questionnaire(series.kind)
        if not series.scores:
            text = _tr("%1: not answered in this period").replace("%1", about.name)
            if series.before is not None:
                text += _tr(" (last %2 on %3)")
                text = text.replace("%2", number(series.before[1], about.decimals))
                text = text.replace("%3", short_date(series.before[0]))
            return text + "."
        day, score = series.scores[-1]
        first = next((c for c in series.comparisons if c.since == Since.FIRST), None)
        if first is None:
            return (
                _tr("%1: %2 on %3, the first answer.")
                .replace("%1", about.name)
                .replace("%2", number(score, about.decimals))
                .replace("%3", short_date(day))
            )
        return change_sentence(
            about.name,
            first.verdict,
            _tr("at the first answer (%1)").replace("%1", short_date(first.day)),
            _tr("on %1").replace("%1", short_date(day)),
            about.decimals,
            advise=False,
        )

    def responses_sentence(self) -> str:
        responses = self.data.responses
        if not responses:
            return _tr("Exercise responses: none rated amber or red.")
        lights = Counter(response.light for response in responses)
        most, _ = Counter(response.name for response in responses).most_common(1)[0]
        return (
            _tr("Exercise responses: %1 amber, %2 red (most often: %3). Details on a later page.")
            .replace("%1", str(lights["amber"]))
            .replace("%2", str(lights["red"]))
            .replace("%3", most)
        )

    def plan_sentence(self) -> str:
        changes = self.data.plan_changes
        if not changes:
            return _tr("Plan: no changes in this period.")
        days = ", ".join(self.day(change.day) for change in changes)
        if len(changes) == 1:
            return _tr("Plan: changed once (%1).").replace("%1", days)
        return (
            _tr("Plan: changed %1 times (%2).").replace("%1", str(len(changes))).replace("%2", days)
        )

    # Details --------------------------------------------------------------------------------

    def section(self, title: str, first: Block, new_page: bool = False) -> Flow:
        """A heading kept with what follows it: never a heading alone at a page end."""
        heading = Stack([self.text(title, SECTION), Space(pt(4)), first])
        return Flow(heading, mm(8), new_page=new_page)

    def pain(self) -> list[Flow]:
        data = self.data
        pain = data.pain
        if not pain.daily:
            note = self.text(_tr("No pain ratings in this period."), QUIET)
            return [self.section(_tr("Pain"), note)]
        by_day = {entry.day: entry for entry in pain.daily}
        days = pain.days
        plan_days = tuple(day for day, _ in pain.plan_changes)
        flag_days = tuple(flag.day for flag in data.red_flags)
        charts = []
        for name, colour, attribute, averages, verdict in (
            (_tr("Leg pain"), LEG, "leg", pain.leg_average, pain.leg_verdict),
            (_tr("Back pain"), BACK, "back", pain.back_average, pain.back_verdict),
        ):
            series = _Series(
                name=name,
                colour=colour,
                first=pain.first,
                daily=tuple(
                    getattr(by_day[day], attribute) if day in by_day else None for day in days
                ),
                average=tuple(averages),
                baseline=verdict.baseline,
                band=verdict.band if verdict.baseline is not None else None,
                plan_days=plan_days,
                flag_days=flag_days,
            )
            charts.append(_PainChart(self.device, self.width, series))
        rated = len(pain.daily)
        intro = self.text(
            _tr("Rated on %1 of %2 days. A real change: 2 points or 30\u00a0%, whichever is more.")
            .replace("%1", str(rated))
            .replace("%2", str(len(days))),
            QUIET,
        )
        return [
            self.section(_tr("Pain"), Stack([intro, Space(mm(3)), charts[0]])),
            Flow(charts[1], mm(6)),
        ]

    def adherence(self) -> list[Flow]:
        adherence = self.data.adherence
        title = _tr("Exercises: prescribed against done")
        if not adherence.exercises:
            return [self.section(title, self.text(_tr("Nothing was prescribed."), QUIET))]
        table = _Table(
            self.device,
            self.width,
            [
                (_tr("Exercise"), 5.0, False),
                (_tr("Prescribed"), 1.6, True),
                (_tr("Done"), 1.2, True),
                (_tr("Done %"), 1.3, True),
                (_tr("Amber"), 1.2, True),
                (_tr("Red"), 1.0, True),
            ],
        )
        rows = [table.row(_adherence_cells(row)) for row in adherence.exercises]
        total = ExerciseAdherence(
            "",
            _tr("All exercises"),
            adherence.prescribed,
            adherence.done,
            sum(row.amber for row in adherence.exercises),
            sum(row.red for row in adherence.exercises),
        )
        rows.append(table.row(_adherence_cells(total), CELL_BOLD))
        explain = self.text(
            _tr(
                "Each time the schedule asked for an exercise counts once; done means it was"
                " logged in that session. Sessions still to come today are not counted."
                " Amber and red: the app's traffic-light advice after the exercise."
            ),
            QUIET,
        )
        flows = table.flows(rows, 0.0)
        flows[0] = self.section(title, Stack([explain, Space(mm(2)), flows[0].block]))
        return flows

    def plan(self) -> list[Flow]:
        data = self.data
        plan = data.plan
        title = _tr("The plan now")
        if plan is None:
            return [self.section(title, self.text(_tr("No plan yet."), QUIET))]
        head = Stack([self.text(plan.title, LABEL)])
        phase = data.phase
        if phase is not None:
            head.add(Space(pt(2)))
            head.add(self.text(phase_start_words(plan, phase), QUIET, lead=phase.name + "  ·  "))
        lines: list[Block] = []
        for item in phase.items if phase is not None else []:
            exercise = data.exercises.get(item.exercise_id)
            words = dose_words(item) + "; " + schedule_words(item.schedule)
            side = side_words(item, exercise)
            if side:
                words += "; " + side
            if item.note.strip():
                words += "\n" + _tr("Note: %1").replace("%1", item.note.strip())
            lines.append(self.bullet(words, lead=data.exercise_name(item.exercise_id) + ": "))
        if phase is not None and not lines:
            lines.append(self.text(_tr("No exercises in this phase."), QUIET))
        if lines:
            # The heading stays with the first exercise: never a heading alone at a page end.
            head.add(Space(pt(3)))
            head.add(lines[0])
        flows = [self.section(title, head), *(Flow(line, pt(3)) for line in lines[1:])]
        for other in plan.phases:
            if other is phase:
                continue
            names = ", ".join(data.exercise_name(item.exercise_id) for item in other.items)
            line = self.text(
                (phase_start_words(plan, other) + ": " + (names or _tr("no exercises"))),
                QUIET,
                lead=_tr("Other phase: %1. ").replace("%1", other.name),
            )
            flows.append(Flow(line, pt(5)))
        flows.append(Flow(self.text(_limits_words(plan), QUIET), pt(5)))
        if data.plan_changes:
            flows.append(Flow(self.text(_tr("Changes in this period"), LABEL), mm(4)))
            for change in data.plan_changes:
                words = change.changes
                if change.source.strip():
                    words += " " + _tr("(from %1)").replace("%1", change.source.strip())
                flows.append(Flow(self.bullet(words, lead=self.day(change.day) + ": "), pt(3)))
        else:
            flows.append(
                Flow(self.text(_tr("No changes to the plan in this period."), QUIET), mm(3))
            )
        return flows

    def scores(self) -> list[Flow]:
        data = self.data
        title = _tr("Questionnaires")
        answered = [series for series in data.scores if series.scores]
        if not answered:
            none = self.text(_tr("No questionnaires were answered in this period."), QUIET)
            return [self.section(title, none)]
        kinds = [series.kind for series in data.scores]
        table = _Table(
            self.device,
            self.width,
            [(_tr("Date"), 2.0, False)]
            + [(_questionnaire(kind).name, 2.0, True) for kind in kinds]
            + [("", 3.0, False)],
        )
        by_day: dict[date, dict[str, float]] = {}
        for series in data.scores:
            for day, score in series.scores:
                by_day.setdefault(day, {})[series.kind] = score
        rows = [
            table.row(
                [
                    _day(day) + f" {day:%Y}",
                    *(
                        number(values[kind], _questionnaire(kind).decimals)
                        if kind in values
                        else ""
                        for kind in kinds
                    ),
                    "",
                ]
            )
            for day, values in sorted(by_day.items())
        ]
        scales = Stack()
        for series in data.scores:
            about = _questionnaire(series.kind)
            threshold = series.threshold
            real = _tr("real change %1 points").replace("%1", number(threshold.points, 0))
            if threshold.relative:
                real += _tr(" or %1\u00a0% of the earlier score").replace(
                    "%1", str(round(threshold.relative * 100))
                )
            scales.add(self.text(f"{about.scale}; {real}.", QUIET, lead=about.name + ": "))
            scales.add(Space(pt(2)))
        flows = table.flows(rows, 0.0)
        flows[0] = self.section(title, Stack([scales, Space(mm(2)), flows[0].block]))
        for series in answered:
            about = _questionnaire(series.kind)
            previous = next((c for c in series.comparisons if c.since == Since.PREVIOUS), None)
            lines = [self.score_sentence(series)]
            if previous is not None:
                lines.append(
                    change_sentence(
                        about.name,
                        previous.verdict,
                        _tr("the time before (%1)").replace("%1", short_date(previous.day)),
                        _tr("now"),
                        about.decimals,
                        advise=False,
                    )
                )
            if series.activities:
                rated = "; ".join(
                    f"{name} {score if score is not None else '–'}"
                    for name, score in series.activities
                )
                lines.append(_tr("Activities at the latest answer: %1.").replace("%1", rated))
            for index, line in enumerate(lines):
                flows.append(Flow(self.bullet(line), mm(3) if index == 0 else pt(3)))
        return flows

    def flag_details(self) -> list[Flow]:
        data = self.data
        title = _tr("Flags")
        flows: list[Flow] = []
        if data.flags:
            first = self.text(_tr("Red-flag checklist answers and warnings"), LABEL)
            flows.append(self.section(title, first))
            for flag in data.flags:
                flows.append(Flow(self.flag(flag, self.width), pt(4)))
        else:
            none = self.text(_tr("No red-flag answers or trend warnings in this period."), QUIET)
            flows.append(self.section(title, none))
        responses = data.responses
        if not responses:
            flows.append(
                Flow(self.text(_tr("No exercise response was rated amber or red."), QUIET), mm(4))
            )
            return flows
        lead = Stack([self.text(_tr("Exercise responses rated amber or red"), LABEL)])
        # Every red response; amber ones can run to hundreds in a long period, and the table of
        # exercises already counts them all, so only the most recent are listed.
        amber = [index for index, r in enumerate(responses) if r.light != "red"]
        left_out = set(amber[:-AMBER_LISTED])
        if left_out:
            note = _tr(
                "Every red response is listed, and the %1 most recent amber ones of %2; the"
                " exercise table above counts them all."
            )
            note = note.replace("%1", str(AMBER_LISTED)).replace("%2", str(len(amber)))
            lead.add(Space(pt(3)))
            lead.add(self.text(note, QUIET))
        lead.add(Space(pt(3)))
        period = self.data.period
        date_share = 1.9 if period.first.year == period.last.year else 2.6  # with the year
        table = _Table(
            self.device,
            self.width,
            [
                (_tr("Date"), date_share, False),
                (_tr("Exercise"), 4.1, False),
                (_tr("Rating"), 1.1, False),
                (_tr("Pain"), 0.9, True),
                (_tr("Tingling, numbness"), 2.4, False),
                (_tr("Effort"), 1.7, False),
            ],
        )
        rows = [
            table.row(
                [
                    self.day(response.day),
                    response.name,
                    _light_word(response.light),
                    "" if response.pain_during is None else f"{response.pain_during}/10",
                    _nerve_word(response.nerve_response),
                    _effort_word(response.effort),
                ],
                CELL_BOLD if response.light == "red" else CELL,
            )
            for index, response in enumerate(responses)
            if index not in left_out
        ]
        # The label (and the note) stay with the table's header and first row.
        first, *rest = table.flows(rows, mm(5))
        return [*flows, Flow(Stack([lead, first.block]), first.space), *rest]

    def notes(self) -> list[Flow]:
        notes = self.data.notes
        title = _tr("In the patient's words")
        if not notes:
            return [self.section(title, self.text(_tr("No notes in this period."), QUIET))]
        flows = []
        for index, note in enumerate(notes):
            when = self.day(note.day)
            if note.at is not None:
                when += f" {note.at:%H:%M}"
            if note.about:
                when += f" ({note.about})"
            line = self.text(note.text, BODY, lead=when + ": ")
            flows.append(self.section(title, line) if index == 0 else Flow(line, pt(4)))
        return flows


def _adherence_cells(row: ExerciseAdherence) -> list[str]:
    return [
        row.name,
        str(row.prescribed),
        str(row.done),
        _percent(row.share),
        str(row.amber) if row.amber else "",
        str(row.red) if row.red else "",
    ]


def _limits_words(plan: Plan) -> str:
    limits = plan.thresholds
    return (
        _tr(
            "Pain limits during exercise: green up to %1, amber up to %2, red above; next"
            " morning at most %3 points above the usual."
        )
        .replace("%1", str(limits.green_max))
        .replace("%2", str(limits.amber_max))
        .replace("%3", str(limits.morning_rise_amber))
    )


# --- Writing -----------------------------------------------------------------------------------


def report_title(data: VisitReportData) -> str:
    period = data.period
    return (
        _tr("Visit report, %1 to %2")
        .replace("%1", short_date(period.first))
        .replace("%2", short_date(period.last))
    )


def write_visit_report(
    path: Path,
    data: VisitReportData,
    page: PageSize | str = PageSize.A4,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the visit report PDF; returns the number of pages. Safe in a worker thread.

    `progress(done, total)` is called with pages painted so far; raising from it cancels the
    write and leaves no file behind. Raises OSError when the file cannot be written.
    """
    title = report_title(data)
    return write_pdf(
        path,
        lambda device, frame: _layout(device, data, frame),
        title=title,
        footer=title,
        page=PageSize(page),
        progress=progress,
    )


def _layout(device: QPaintDevice, data: VisitReportData, frame: Frame) -> list[Flow]:
    return _Report(device, data, frame.width).flows()
