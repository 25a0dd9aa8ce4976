"""The pain chart: back and leg pain per day, their 7-day averages, the first-week level with
the band of a real change, and what happened (plan changes, sessions done, red-flag answers).

Reading it:
- Daily values are thin, faint lines with a marker per day (circles for leg, squares for
  back); the 7-day averages are thick lines (solid for leg, dashed for back). A day without
  ratings is a gap: NaN with ``connect="finite"``, never a line drawn across it.
- The y axis is fixed at 0-10 (the scale's anchors are in its label); the mouse pans and zooms
  the dates only. Below 0 sit small bars for the exercise sessions done each day, and above 10
  red triangles for red-flag answers, so neither hides a pain value.
- Hovering (or the arrow keys, when the chart has the keyboard focus) puts a cursor on the
  nearest day and shows its values in a plain-text line under the chart.

Data reaches the widget as a `PainSeries` of numpy arrays made by `prepare`, which the view
runs in its background load; the widget only hands arrays to pyqtgraph. With
``setDownsampling(auto=True, mode="peak")`` and ``setClipToView(True)`` ten years of days draw in
a few tens of milliseconds, provided the detail follows the zoom (`_update_detail`): day
markers only while at most `MARKERS_UP_TO_DAYS` days are in view, antialiased averages up to
`SMOOTH_UP_TO_DAYS`, a session bar per day up to `DAILY_BARS_UP_TO_DAYS` (then one per week),
and pale daily lines beyond `FAINT_DAILY_AFTER_DAYS`, so years of daily ups and downs do not
hide the averages. Measured with ten years: markers for every day cost 120 ms to build,
antialiased thick lines about 70 ms a paint, 3,650 daily bars about 50 ms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (
    DAY_SPACING,
    MONTH_SPACING,
    YEAR_SPACING,
    TickSpec,
    ZoomLevel,
    makeMStepper,
    makeSStepper,
    makeYStepper,
)
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.meaningful import PAIN
from rehab_app.ui.charts import (
    DAY_SECONDS,
    colours_for,
    day_to_x,
    long_date,
    number,
    x_to_day,
)
from rehab_app.ui.later import StagedBuild
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.text import plain_label

# Shared with the printed visit report; imported under its old name for the Progress view.
from rehab_app.wording.change_words import safety_words as safety_words

if TYPE_CHECKING:
    from rehab_app.services.progress import Baseline, ProgressData

#: The visible y range: pain 0-10, the session bars below it, the red-flag markers above it.
Y_BOTTOM, Y_TOP = -2.1, 10.9
SESSION_FLOOR, SESSION_HEIGHT = -1.9, 1.3
MARKER_Y = 10.45
MARKERS_UP_TO_DAYS = 45
SMOOTH_UP_TO_DAYS = 400
DAILY_BARS_UP_TO_DAYS = 200
FAINT_DAILY_AFTER_DAYS = 120
MIN_VISIBLE_DAYS = 7


def _tr(text: str) -> str:
    return QCoreApplication.translate("pain_chart", text)


@dataclass(frozen=True)
class PainSeries:
    """Everything the chart draws, one array entry per day from `first` to `last`."""

    first: date
    last: date
    x: np.ndarray  # day positions (see charts.day_to_x)
    back: np.ndarray  # mean of the day's ratings; NaN on a day without ratings
    leg: np.ndarray
    back_average: np.ndarray  # 7-day rolling mean; NaN where there is too little to average
    leg_average: np.ndarray
    entries: np.ndarray  # ratings per day
    sessions: np.ndarray  # exercise sessions done per day
    plan_changes: tuple[tuple[date, str], ...] = ()
    safety_events: tuple[tuple[date, str], ...] = ()
    baseline: Baseline | None = None
    plan_days: dict[date, list[str]] = field(default_factory=dict)
    safety_days: dict[date, list[str]] = field(default_factory=dict)

    @property
    def has_entries(self) -> bool:
        return bool(self.entries.any())

    def index(self, day: date) -> int | None:
        position = (day - self.first).days
        return position if 0 <= position < len(self.x) else None


def _nan_array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def prepare(data: ProgressData) -> PainSeries:
    """Arrays for the chart from the service's read model (pure; runs off the GUI thread)."""
    count = (data.last - data.first).days + 1
    x = (np.arange(count, dtype=float) + (data.first - date(1970, 1, 1)).days) * DAY_SECONDS
    back = np.full(count, math.nan)
    leg = np.full(count, math.nan)
    entries = np.zeros(count, dtype=int)
    for day in data.daily:
        position = (day.day - data.first).days
        if 0 <= position < count:
            back[position], leg[position], entries[position] = day.back, day.leg, day.entries
    sessions = np.zeros(count, dtype=int)
    for day, done in data.sessions_per_day:
        position = (day - data.first).days
        if 0 <= position < count:
            sessions[position] = done
    plan_days: dict[date, list[str]] = {}
    for day, summary in data.plan_changes:
        plan_days.setdefault(day, []).append(summary)
    safety_days: dict[date, list[str]] = {}
    for day, kind in data.safety_events:
        safety_days.setdefault(day, []).append(kind)
    return PainSeries(
        first=data.first,
        last=data.last,
        x=x,
        back=back,
        leg=leg,
        back_average=_nan_array(data.back_average),
        leg_average=_nan_array(data.leg_average),
        entries=entries,
        sessions=sessions,
        plan_changes=data.plan_changes,
        safety_events=data.safety_events,
        baseline=data.baseline,
        plan_days=plan_days,
        safety_days=safety_days,
    )


@dataclass(frozen=True)
class _Detail:
    markers: bool  # a marker on each day's value
    smooth: bool  # antialiased average lines
    days_per_bar: int  # session bars per day, or per week when zoomed out
    faint: bool = False  # daily lines pale, so years of daily ups and downs do not hide the
    #                      averages


_NO_BARS: tuple[np.ndarray, np.ndarray, float] = (np.zeros(0), np.zeros(0), DAY_SECONDS)


def _bars(series: PainSeries, days: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Session bars: (centres, heights, width) with one bar per `days` days (weeks start on
    Mondays); a bar's height is the sessions per day in it, scaled to the busiest day."""
    sessions = series.sessions.astype(float)
    if days > 1:
        lead = series.first.weekday()  # days of the first, partial week before its Monday
        padded = np.concatenate([np.zeros(lead), sessions])
        padded = np.concatenate([padded, np.zeros(-len(padded) % days)])
        sessions = padded.reshape(-1, days).mean(axis=1)
        first_x = series.x[0] - lead * DAY_SECONDS
        centres = first_x + (np.arange(len(sessions)) * days + (days - 1) / 2) * DAY_SECONDS
    else:
        centres = series.x
    top = max(1.0, float(series.sessions.max(initial=0)))
    done = sessions > 0
    return centres[done], sessions[done] / top * SESSION_HEIGHT, days * DAY_SECONDS * 0.75


class _DayZoom(ZoomLevel):
    """A zoom level for an axis with a fixed UTC offset (ours is 0: stored local days).

    pyqtgraph moves each tick by the offset it finds through Qt's local time zone, even when
    the offset is fixed and the answer is known; those look-ups cost about 1 ms a tick (6 ms
    a repaint of the axis). With a fixed offset the move is the offset itself.
    """

    def moveTicksToLocalTimeCoords(  # noqa: N802 (pyqtgraph API)
        self,
        ticks: np.ndarray,
        spacing: int,
        skipFactor: int,  # noqa: N803 (pyqtgraph API)
    ) -> np.ndarray:
        if self.utcOffset is None or spacing < DAY_SPACING:
            return super().moveTicksToLocalTimeCoords(ticks, spacing, skipFactor)
        return ticks + self.utcOffset


class DayAxis(pg.DateAxisItem):
    """Dates along the bottom, always on the stored local day (no time-zone shift), written
    as people write them: '3 Mar' for days, 'Mar 2026' for months, '2026' for years."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom", utcOffset=0)
        day = DAY_SPACING
        days = _DayZoom(
            [TickSpec(day, makeSStepper(day), "%d %b", autoSkip=[1, 2, 7, 14])], "00 MMM"
        )
        months = _DayZoom(
            [
                TickSpec(YEAR_SPACING, makeYStepper(1), "%Y", autoSkip=[1, 2, 5, 10]),
                TickSpec(MONTH_SPACING, makeMStepper(1), "%b", autoSkip=[1, 2, 3, 6]),
            ],
            "MMM",
        )
        # Finer levels (hours) are never reached: the view never shows less than a week.
        self.zoomLevels = {float("inf"): months, 10 * day: days, 0.0: days}

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [text.lstrip("0") for text in super().tickStrings(values, scale, spacing)]


@dataclass(frozen=True)
class _Style:
    """How one series is drawn; shared by the chart and its legend swatches."""

    colour: QColor
    width: float
    dashed: bool = False
    symbol: str | None = None
    alpha: int = 255

    def pen(self) -> QPen:
        colour = QColor(self.colour)
        colour.setAlpha(self.alpha)
        pen = pg.mkPen(colour, width=self.width)
        if self.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen


class PainChart(QWidget):
    """The chart, a line of text for the day under the cursor, and a legend in words."""

    hovered = Signal(str)  # the text shown for the day under the cursor

    def __init__(self, parent: QWidget | None = None, *, staged: bool = False) -> None:
        """With `staged`, only the plot is made here; run `building_steps()` (one per turn of
        the event loop, as the Progress view does) before using the chart. Made in one go the
        chart takes 40-60 ms, too long a stall for the event loop (issue 7)."""
        super().__init__(parent)
        self.series: PainSeries | None = None
        self.band_for = "leg"
        self.cursor_day: date | None = None
        self._detail = _Detail(markers=True, smooth=True, days_per_bar=1)
        self._filling = False
        self._bars: dict[int, tuple[np.ndarray, np.ndarray, float]] = {}
        self._legend_key: tuple[str, str | None] | None = None
        self._moving = False
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._update_detail)
        self.plot = pg.PlotWidget(enableMenu=False, axisItems={"bottom": DayAxis()})
        self.plot.setObjectName("painPlot")
        self.plot.setAccessibleName(_tr("Chart of back and leg pain by day"))
        self.plot.setAccessibleDescription(
            _tr(
                "Use the left and right arrow keys to read each day's values; Page Up and"
                " Page Down move a week, plus and minus zoom."
            )
        )
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setMinimumHeight(260)
        # pyqtgraph asks for about 490 pixels of height; take what the page leaves instead,
        # so the Progress page fits a 800-pixel-high window without scrolling.
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.plot_item: pg.PlotItem = self.plot.getPlotItem()
        self.view_box: pg.ViewBox = self.plot_item.getViewBox()
        item = self.plot_item
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        # No right-click menu (enableMenu=False above): it is full of technical words.
        item.hideButtons()
        self.view_box.setMouseEnabled(x=True, y=False)
        self.view_box.setYRange(Y_BOTTOM, Y_TOP, padding=0)
        self.view_box.setLimits(yMin=Y_BOTTOM, yMax=Y_TOP)
        left = item.getAxis("left")
        left.setLabel(_tr("Pain: 0 = no pain, 10 = worst imaginable"))
        ticks = [(float(v), str(v)) for v in range(0, 11, 2)]
        ticks.append((SESSION_FLOOR + SESSION_HEIGHT / 2, _tr("Sessions")))
        left.setTicks([ticks, []])
        item.showGrid(x=False, y=True, alpha=0.18)
        self._building = StagedBuild([self._build_items, self._build_side], staged=staged)

    def building_steps(self) -> list[Callable[[], None]]:
        """What is left to build (see `staged`), in order; each step runs once."""
        return self._building.take()

    def _build_items(self) -> None:
        item = self.plot_item
        # Drawn bottom to top: the band, the averages, the daily values, then markers.
        self.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
        self.band.setZValue(-20)
        self.baseline_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            label="",
            labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)]},
        )
        self.session_bars = pg.BarGraphItem(x=[], height=[], width=DAY_SECONDS, y0=0)
        self.leg_average = pg.PlotDataItem(connect="finite", antialias=True)
        self.back_average = pg.PlotDataItem(connect="finite", antialias=True)
        self.leg_daily = pg.PlotDataItem(connect="finite")
        self.back_daily = pg.PlotDataItem(connect="finite")
        self.safety_markers = pg.ScatterPlotItem(symbol="t", size=15)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        self.plan_lines: list[pg.InfiniteLine] = []
        for z, graphic in enumerate(
            (
                self.band,
                self.baseline_line,
                self.session_bars,
                self.leg_average,
                self.back_average,
                self.back_daily,
                self.leg_daily,
                self.safety_markers,
                self.cursor,
            )
        ):
            graphic.setZValue(z - 20)
            item.addItem(graphic, ignoreBounds=graphic in (self.band, self.baseline_line))
        self.band.setVisible(False)
        self.baseline_line.setVisible(False)

    def _build_side(self) -> None:
        self.readout = plain_label("", object_name="painReadout")
        self.readout.setAccessibleName(_tr("Values for the chosen day"))
        self.legend = QWidget()
        self.legend.setObjectName("painLegend")
        self.legend.setAccessibleName(_tr("What the lines mean"))
        self._legend_layout = QGridLayout(self.legend)
        self._legend_layout.setContentsMargins(0, 0, 0, 0)
        self._legend_layout.setHorizontalSpacing(16)
        self.legend_labels: list[QLabel] = []

        # The legend sits beside the plot, so the plot keeps its height on a small screen;
        # `side_layout` also takes what the view adds under the legend. The column scrolls on
        # its own when that is long, rather than making the whole page taller than the plot.
        self._legend_layout.setColumnStretch(0, 1)
        side = QWidget()
        self.side_layout = QVBoxLayout(side)
        self.side_layout.setContentsMargins(0, 0, 4, 0)
        self.side_layout.addWidget(self.legend)
        self.side_layout.addStretch(1)
        side_scroll = scrolling(side)
        side_scroll.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 24)
        # Its height never counts towards the page's: it takes what the plot leaves it.
        side_scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 0, 0)
        layout.addWidget(side_scroll, 0, 1)
        layout.addWidget(self.readout, 1, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        layout.setRowStretch(0, 1)
        self._set_idle_readout()

        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.view_box.sigXRangeChanged.connect(self._x_range_changed)
        self.plot.installEventFilter(self)
        self._apply_colours()

    # Data ----------------------------------------------------------------------------------

    def set_series(self, series: PainSeries, first: date, last: date) -> None:
        """Draw `series`, showing the days from `first` to `last`.

        The window is set before the data goes in, and the level of detail (day markers,
        smooth lines, a bar per day or per week) is chosen for it after: the other way round,
        pyqtgraph would first build a marker for every day of the history (120 ms for ten
        years) only to throw them away.
        """
        self.series = series
        self._filling = True
        try:
            self.view_box.setLimits(
                xMin=series.x[0] - DAY_SECONDS,
                xMax=series.x[-1] + DAY_SECONDS,
                minXRange=DAY_SECONDS * MIN_VISIBLE_DAYS,
            )
            self.set_window(first, last)
            self._detail = _Detail(markers=False, smooth=False, days_per_bar=1)
            self._apply_detail()
            self.leg_daily.setData(series.x, series.leg)
            self.back_daily.setData(series.x, series.back)
            self.leg_average.setData(series.x, series.leg_average)
            self.back_average.setData(series.x, series.back_average)
            self._bars = {1: _bars(series, 1), 7: _bars(series, 7)}
        finally:
            self._filling = False
        self._update_detail(force=True)
        self.safety_markers.setData(
            x=[day_to_x(day) for day, _ in series.safety_events],
            y=[MARKER_Y] * len(series.safety_events),
        )
        for line in self.plan_lines:
            self.plot_item.removeItem(line)
        self.plan_lines = []
        for number_, (day, _) in enumerate(series.plan_changes):
            line = pg.InfiniteLine(
                pos=day_to_x(day),
                angle=90,
                movable=False,
                label=_tr("Plan changed"),
                # Alternate heights so labels of changes close together do not overlap.
                labelOpts={
                    "position": 0.93 - 0.07 * (number_ % 3),
                    "anchors": [(0, 0.5), (0, 0.5)],
                },
            )
            line.setZValue(-14)
            self._colour_plan_line(line)
            self.plot_item.addItem(line, ignoreBounds=True)
            self.plan_lines.append(line)
        self._draw_band()
        self._build_legend()
        if self.cursor_day is not None and series.index(self.cursor_day) is None:
            self.cursor_day = None
        if self.cursor_day is None:
            self.cursor.setVisible(False)
            self._set_idle_readout()
        else:
            self.show_day(self.cursor_day)

    def set_band_for(self, which: str) -> None:
        """Draw the first-week level and its real-change band for "leg" or "back" pain."""
        self.band_for = which
        self._colour_band()
        self._draw_band()
        self._build_legend()

    def band_values(self) -> tuple[float, float] | None:
        """(first-week level, half-width of the band) for the measure chosen, if known."""
        baseline = self.series.baseline if self.series else None
        level = None if baseline is None else getattr(baseline, self.band_for)
        return None if level is None else (level, PAIN.band(level))

    def _draw_band(self) -> None:
        values = self.band_values()
        self.band.setVisible(values is not None)
        self.baseline_line.setVisible(values is not None)
        if values is None:
            return
        level, width = values
        self.band.setRegion((max(0.0, level - width), min(10.0, level + width)))
        self.baseline_line.setPos(level)
        words = _tr("Leg pain") if self.band_for == "leg" else _tr("Back pain")
        self.baseline_line.label.setText(
            _tr("%1 at the start: %2").replace("%1", words).replace("%2", number(level))
        )

    # View window ---------------------------------------------------------------------------

    def set_window(self, first: date, last: date) -> None:
        """Show the days from `first` to `last` (the ends get half a day of room)."""
        self._moving = True
        try:
            self.view_box.setXRange(
                day_to_x(first) - DAY_SECONDS / 2, day_to_x(last) + DAY_SECONDS / 2, padding=0
            )
        finally:
            self._moving = False
        if not self._filling:
            self._update_detail()

    def window(self) -> tuple[date, date]:
        """The first and last whole day in view."""
        (left, right), _ = self.view_box.viewRange()
        return x_to_day(left + DAY_SECONDS / 2), x_to_day(right - DAY_SECONDS / 2)

    def markers_shown(self) -> bool:
        return self._detail.markers

    def days_per_bar(self) -> int:
        return self._detail.days_per_bar

    def _x_range_changed(self, *_: object) -> None:
        # Later, not now: the curves clip their data to the new range after this signal, and
        # markers switched on before that would be built for the old, wider range (for every
        # day of ten years when zooming in from "All"). The timer also merges a drag's steps.
        if not (self._filling or self._moving):
            self._detail_timer.start()

    def _update_detail(self, force: bool = False) -> None:
        """Markers, antialiased averages and daily bars only while few enough days are in
        view: beyond that they merge into a smear and cost most of the drawing time."""
        (left, right), _ = self.view_box.viewRange()
        # A plain float: numpy's comparisons give numpy booleans, which Qt's setRenderHint
        # refuses (the average lines were then not drawn at all).
        span = float(right - left) / DAY_SECONDS
        wanted = _Detail(
            markers=span <= MARKERS_UP_TO_DAYS,
            smooth=span <= SMOOTH_UP_TO_DAYS,
            days_per_bar=1 if span <= DAILY_BARS_UP_TO_DAYS else 7,
            faint=span > FAINT_DAILY_AFTER_DAYS,
        )
        if force or wanted != self._detail:
            self._detail = wanted
            self._apply_detail()

    def _apply_detail(self) -> None:
        self._apply_markers()
        self._apply_daily_pens()
        for curve in (self.leg_average, self.back_average):
            if curve.opts["antialias"] != self._detail.smooth:
                curve.opts["antialias"] = self._detail.smooth
                curve.updateItems(styleUpdate=True)
        x, heights, width = self._bars.get(self._detail.days_per_bar, _NO_BARS)
        self.session_bars.setOpts(x=x, height=heights, width=width, y0=SESSION_FLOOR)

    # Hover and keyboard --------------------------------------------------------------------

    def text_for_day(self, day: date) -> str:
        """What the readout says about one day, in plain words, e.g. 'Tuesday 3 March 2026:
        leg pain 5.0 (7-day average 4.6); back pain 3.0 (7-day average 3.1). 2 exercise
        sessions done.' plus a line per plan change or red-flag answer that day."""
        series = self.series
        if series is None or (position := series.index(day)) is None:
            return ""
        parts = []
        for words, daily, average in (
            (_tr("leg pain %1"), series.leg, series.leg_average),
            (_tr("back pain %1"), series.back, series.back_average),
        ):
            value = daily[position]
            part = words.replace("%1", _tr("not rated") if math.isnan(value) else number(value))
            if not math.isnan(average[position]):
                part += " " + _tr("(7-day average %1)").replace("%1", number(average[position]))
            parts.append(part)
        text = f"{long_date(day)}: " + "; ".join(parts) + "."
        ratings = int(series.entries[position])
        if ratings > 1:
            text += " " + _tr("%1 ratings that day, averaged.").replace("%1", str(ratings))
        sessions = int(series.sessions[position])
        if sessions == 0:
            text += " " + _tr("No exercise sessions.")
        elif sessions == 1:
            text += " " + _tr("1 exercise session done.")
        else:
            text += " " + _tr("%1 exercise sessions done.").replace("%1", str(sessions))
        for summary in series.plan_days.get(day, []):
            text += "\n" + _tr("Plan changed: %1").replace("%1", summary)
        for kind in series.safety_days.get(day, []):
            text += "\n" + safety_words(kind) + "."
        return text

    def show_day(self, day: date) -> None:
        """Put the cursor on `day` and show its values (clamped to the data)."""
        series = self.series
        if series is None:
            return
        day = min(max(day, series.first), series.last)
        self.cursor_day = day
        self.cursor.setPos(day_to_x(day))
        self.cursor.setVisible(True)
        text = self.text_for_day(day)
        self.readout.setText(text)
        self.hovered.emit(text)

    def hide_cursor(self) -> None:
        self.cursor_day = None
        self.cursor.setVisible(False)
        self._set_idle_readout()

    def _set_idle_readout(self) -> None:
        self.readout.setText(
            _tr(
                "Point at the chart, or click it and use the arrow keys, to see a day's values."
                " Drag or use the mouse wheel to move and zoom through the dates."
            )
        )

    def _mouse_moved(self, position: QPointF) -> None:
        if self.series is None or not self.view_box.sceneBoundingRect().contains(position):
            return
        point = self.view_box.mapSceneToView(position)
        self.show_day(x_to_day(point.x()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.plot and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        series = self.series
        if series is None:
            return False
        first, last = self.window()
        current = self.cursor_day or last
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_PageUp: -7,
            Qt.Key.Key_PageDown: 7,
        }
        key = event.key()
        if key in steps:
            day = current + timedelta(days=steps[Qt.Key(key)]) if self.cursor_day else current
        elif key == Qt.Key.Key_Home:
            day = first
        elif key == Qt.Key.Key_End:
            day = last
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            factor = 0.5 if key != Qt.Key.Key_Minus else 2.0
            self.view_box.scaleBy(x=factor, center=QPointF(day_to_x(current), 0))
            return True
        elif key == Qt.Key.Key_Escape:
            self.hide_cursor()
            return True
        else:
            return False
        self.show_day(day)
        assert self.cursor_day is not None
        if not first <= self.cursor_day <= last:  # keep the cursor in view
            span = (last - first).days
            start = (
                self.cursor_day
                if self.cursor_day < first
                else self.cursor_day - timedelta(days=span)
            )
            self.set_window(start, start + timedelta(days=span))
        return True

    # Colours, markers and legend -----------------------------------------------------------

    def styles(self) -> dict[str, _Style]:
        c = self._colours
        return {
            "leg_daily": _Style(c.leg, 1.0, symbol="o", alpha=120),
            "leg_average": _Style(c.leg, 4.0),
            "back_daily": _Style(c.back, 1.0, dashed=True, symbol="s", alpha=140),
            "back_average": _Style(c.back, 3.5, dashed=True),
        }

    def _apply_colours(self) -> None:
        c = self._colours = colours_for(self.palette())
        self.plot.setBackground(c.background)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(c.foreground))
            axis.setTextPen(pg.mkPen(c.foreground))
        styles = self.styles()
        for name in ("leg_average", "back_average"):
            getattr(self, name).setPen(styles[name].pen())
        self._apply_daily_pens()
        self._apply_markers()
        self._colour_band()
        sessions = QColor(c.sessions)
        sessions.setAlpha(120 if c.dark else 110)
        self.session_bars.setOpts(brush=pg.mkBrush(sessions), pen=pg.mkPen(None))
        self.safety_markers.setBrush(pg.mkBrush(c.safety))
        self.safety_markers.setPen(pg.mkPen(c.background, width=1))
        for line in self.plan_lines:
            self._colour_plan_line(line)
        self.cursor.setPen(pg.mkPen(c.cursor, width=1, style=Qt.PenStyle.DotLine))
        self.plot.setStyleSheet(
            "QGraphicsView { border: 2px solid transparent; }"
            " QGraphicsView:focus { border: 2px solid palette(highlight); }"
        )
        self._build_legend(force=True)

    def _apply_daily_pens(self) -> None:
        styles = self.styles()
        for name in ("leg_daily", "back_daily"):
            style = styles[name]
            if self._detail.faint:
                style = replace(style, alpha=55)
            getattr(self, name).setPen(style.pen())

    def _colour_band(self) -> None:
        c = self._colours
        band = QColor(c.leg if self.band_for == "leg" else c.back)
        band.setAlpha(60 if c.dark else 38)
        self.band.setBrush(pg.mkBrush(band))
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
        edge = QColor(band)
        edge.setAlpha(255)
        self.baseline_line.setPen(pg.mkPen(edge, width=1.5, style=Qt.PenStyle.DotLine))
        self.baseline_line.label.setColor(c.foreground)

    def _colour_plan_line(self, line: pg.InfiniteLine) -> None:
        line.setPen(pg.mkPen(self._colours.plan, width=1.5, style=Qt.PenStyle.DashLine))
        line.label.setColor(self._colours.plan)

    def _apply_markers(self) -> None:
        styles = self.styles()
        for name in ("leg_daily", "back_daily"):
            curve: pg.PlotDataItem = getattr(self, name)
            style = styles[name]
            if self._detail.markers:
                curve.setSymbol(style.symbol)
                curve.setSymbolSize(6)
                curve.setSymbolBrush(pg.mkBrush(style.colour))
                curve.setSymbolPen(pg.mkPen(style.colour))
            else:
                curve.setSymbol(None)

    def _build_legend(self, force: bool = False) -> None:
        values = self.band_values()
        key = (self.band_for, None if values is None else number(values[1]))
        if key == self._legend_key and not force:
            return  # unchanged: keep the widgets (a reload must not make the legend flicker)
        self._legend_key = key
        while (entry := self._legend_layout.takeAt(0)) is not None:
            if (widget := entry.widget()) is not None:
                widget.deleteLater()
        self.legend_labels = []
        styles = self.styles()
        c = self._colours
        which = _tr("Leg pain") if self.band_for == "leg" else _tr("Back pain")
        # Short words on the screen (the swatch shows the line's look); the full sentence is
        # the row's tooltip and accessible description.
        band_short = (
            _tr("%1 at the start ± %2").replace("%1", which).replace("%2", number(values[1]))
            if values
            else _tr("%1: no start level yet").replace("%1", which)
        )
        band_long = (
            _tr(
                "Shaded: %1 in the first week, give or take %2 points. A change that goes"
                " beyond the shading is a real change."
            )
            .replace("%1", which.lower())
            .replace("%2", number(values[1]))
            if values
            else _tr("There are no ratings in the first week to compare with yet.")
        )
        entries = [
            (
                _swatch_line(styles["leg_daily"]),
                _tr("Leg pain, each day"),
                _tr("Thin line, with a dot for each day when zoomed in."),
            ),
            (
                _swatch_line(styles["leg_average"]),
                _tr("Leg pain, 7-day average"),
                _tr("Thick line: the average of the last 7 days."),
            ),
            (
                _swatch_line(styles["back_daily"]),
                _tr("Back pain, each day"),
                _tr("Thin dashes, with a square for each day when zoomed in."),
            ),
            (
                _swatch_line(styles["back_average"]),
                _tr("Back pain, 7-day average"),
                _tr("Thick dashes: the average of the last 7 days."),
            ),
            (_swatch_band(self.band.brush.color(), c.foreground), band_short, band_long),
            (
                _swatch_line(_Style(c.plan, 1.5, dashed=True), vertical=True),
                _tr("Plan changed"),
                _tr("A dashed upright line on the day the plan changed."),
            ),
            (
                _swatch_bars(c.sessions),
                _tr("Sessions done"),
                _tr(
                    "Bars along the bottom: exercise sessions done each day (one bar per week"
                    " when zoomed out)."
                ),
            ),
            (
                _swatch_triangle(c.safety),
                _tr("Red-flag answer"),
                _tr("A triangle at the top on a day a red-flag question was answered yes."),
            ),
        ]
        for row, (pixmap, words, explanation) in enumerate(entries):
            box = QWidget()
            box.setToolTip(explanation)
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            picture = QLabel()
            picture.setPixmap(pixmap)
            picture.setAccessibleName(words)
            picture.setAccessibleDescription(explanation)
            text = QLabel(words)
            text.setWordWrap(True)
            text.setAccessibleDescription(explanation)
            line.addWidget(picture)
            line.addWidget(text, 1)
            self._legend_layout.addWidget(box, row, 0)
            self.legend_labels.append(text)

    def release(self) -> None:
        """Take the plot apart the way pyqtgraph asks (PlotWidget.close): its items and
        parentless menus then go at once, on this thread, instead of waiting for Python's
        garbage collector, which may run at any moment on any thread."""
        self._detail_timer.stop()
        self.plot.removeEventFilter(self)
        self.plot.close()
        self.series = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        # (Until built, there is nothing to colour: the last step colours everything.)
        if event.type() == QEvent.Type.PaletteChange and not self._building.pending:
            self._apply_colours()

    # Picture -------------------------------------------------------------------------------

    def picture(self, title: str, sentences: str) -> QImage:
        """The chart as a picture, laid out as on screen: a title and the sentences above,
        the plot with its legend beside it (without the hover cursor)."""
        was_visible = self.cursor.isVisible()
        self.cursor.setVisible(False)
        try:
            plot = self.plot.grab()
            legend = self.legend.grab()
        finally:
            self.cursor.setVisible(was_visible)
        ratio = plot.devicePixelRatio()
        plot_w, plot_h = round(plot.width() / ratio), round(plot.height() / ratio)
        legend_w, legend_h = round(legend.width() / ratio), round(legend.height() / ratio)
        margin = 16
        width = plot_w + legend_w + 3 * margin
        text_width = width - 2 * margin
        font = self.font()
        title_font = self.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        flags = int(Qt.TextFlag.TextWordWrap)
        title_h = QFontMetrics(title_font).boundingRect(0, 0, text_width, 10_000, flags, title)
        text_h = QFontMetrics(font).boundingRect(0, 0, text_width, 10_000, flags, sentences)
        height = 4 * margin + title_h.height() + text_h.height() + max(plot_h, legend_h)
        image = QImage(round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        # The window's colours, as around the chart on screen (the legend is grabbed on them).
        image.fill(self.palette().color(QPalette.ColorRole.Window))
        painter = QPainter(image)
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            y = margin
            painter.setFont(title_font)
            painter.drawText(QRectF(margin, y, text_width, title_h.height()), flags, title)
            y += title_h.height() + margin
            painter.setFont(font)
            painter.drawText(QRectF(margin, y, text_width, text_h.height()), flags, sentences)
            y += text_h.height() + margin
            painter.drawPixmap(margin, y, plot)
            painter.drawPixmap(2 * margin + plot_w, y, legend)
        finally:
            painter.end()
        return image


# Legend swatches ------------------------------------------------------------------------------

_SWATCH = QSize(44, 18)


def _blank() -> QPixmap:
    pixmap = QPixmap(_SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def _swatch_line(style: _Style, vertical: bool = False) -> QPixmap:
    pixmap = _blank()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = style.pen()
    pen.setCosmetic(True)
    painter.setPen(pen)
    w, h = _SWATCH.width(), _SWATCH.height()
    if vertical:
        painter.drawLine(w // 2, 1, w // 2, h - 1)
    else:
        painter.drawLine(2, h // 2, w - 2, h // 2)
    if style.symbol:
        painter.setPen(QPen(style.colour))
        painter.setBrush(style.colour)
        for cx in (w // 4, 3 * w // 4):
            if style.symbol == "o":
                painter.drawEllipse(QPointF(cx, h / 2), 3.5, 3.5)
            else:
                painter.drawRect(QRectF(cx - 3.5, h / 2 - 3.5, 7, 7))
    painter.end()
    return pixmap


def _swatch_band(colour: QColor, edge: QColor) -> QPixmap:
    pixmap = _blank()
    painter = QPainter(pixmap)
    painter.fillRect(QRectF(2, 2, _SWATCH.width() - 4, _SWATCH.height() - 4), colour)
    line = QColor(colour)
    line.setAlpha(255)
    pen = QPen(line, 1.5, Qt.PenStyle.DotLine)
    painter.setPen(pen)
    painter.drawLine(2, _SWATCH.height() // 2, _SWATCH.width() - 2, _SWATCH.height() // 2)
    painter.end()
    return pixmap


def _swatch_bars(colour: QColor) -> QPixmap:
    pixmap = _blank()
    painter = QPainter(pixmap)
    h = _SWATCH.height()
    for number_, height in enumerate((6, 12, 9)):
        painter.fillRect(QRectF(6 + number_ * 12, h - 1 - height, 8, height), colour)
    painter.end()
    return pixmap


def _swatch_triangle(colour: QColor) -> QPixmap:
    pixmap = _blank()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    w, h = _SWATCH.width(), _SWATCH.height()
    painter.drawPolygon(
        QPolygonF([QPointF(w / 2 - 7, 3), QPointF(w / 2 + 7, 3), QPointF(w / 2, h - 3)])
    )
    painter.end()
    return pixmap
