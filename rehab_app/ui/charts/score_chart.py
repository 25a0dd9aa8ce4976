"""Questionnaire scores over time: Roland-Morris (0-24, lower is better) and the Patient-Specific
Functional Scale (0-10, higher is better), one small chart each with its own scale.

Each chart has a sentence that compares the latest answer with the first one against that
questionnaire's real-change threshold (core.meaningful RMDQ and PSFS, clinical.md §4); the
first answer's level and its band are drawn the way the pain chart draws the first week.
Answers come every week or two, so the points are joined by a thin line: they are separate
measurements, not daily values with gaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from rehab_app.core.meaningful import PSFS, RMDQ, Threshold, judge
from rehab_app.ui.charts import (
    DAY_SECONDS,
    change_sentence,
    colours_for,
    day_to_x,
    number,
    points,
    short_date,
)
from rehab_app.ui.charts.pain_chart import DayAxis
from rehab_app.ui.widgets.text import heading, own_label, plain_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("score_chart", text)


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    title: str
    name: str  # how the sentence names it
    axis: str  # the scale's anchors
    top: float
    threshold: Threshold
    decimals: int
    direction: str  # "Lower is better." / "Higher is better."


def questionnaires() -> tuple[Questionnaire, ...]:
    return (
        Questionnaire(
            "rmdq",
            _tr("Roland-Morris: how much your back limits everyday activities"),
            _tr("Roland-Morris score"),
            _tr("0 = no limits, 24 = most limited"),
            24,
            RMDQ,
            0,
            _tr("Lower is better."),
        ),
        Questionnaire(
            "psfs",
            _tr("Activities you find hard (Patient-Specific Functional Scale)"),
            _tr("Activities score"),
            _tr("0 = unable, 10 = as before"),
            10,
            PSFS,
            1,
            _tr("Higher is better."),
        ),
    )


def score_sentence(questionnaire: Questionnaire, answers: Sequence[tuple[date, float]]) -> str:
    """The latest answer against the first, in plain words (empty when never answered)."""
    if not answers:
        return ""
    first_day, first = answers[0]
    if len(answers) == 1:
        return (
            _tr(
                "%1: one answer so far (%2 on %3). Answer again in about two weeks to see a change."
            )
            .replace("%1", questionnaire.name)
            .replace("%2", number(first, questionnaire.decimals))
            .replace("%3", short_date(first_day))
        )
    last_day, last = answers[-1]
    verdict = judge(first, last, questionnaire.threshold)
    return change_sentence(
        questionnaire.name,
        verdict,
        _tr("at your first answer (%1)").replace("%1", short_date(first_day)),
        _tr("at your latest (%1)").replace("%1", short_date(last_day)),
        questionnaire.decimals,
    )


class ScoreChart(QWidget):
    """One chart and sentence per questionnaire answered; a plain message when none were."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.sentences: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self._boxes: dict[str, QWidget] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._bands: dict[str, tuple[pg.LinearRegionItem, pg.InfiniteLine]] = {}
        self._answers: dict[str, tuple[tuple[date, float], ...]] = {}
        self._linked: pg.ViewBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.empty_message = own_label(
            _tr(
                "No questionnaires yet. Every two weeks the app asks a few questions about"
                " everyday activities; the answers will show here."
            ),
            "noQuestionnaires",
        )
        layout.addWidget(self.empty_message)
        # Side by side, so both fit on the screen without scrolling.
        self._row = QHBoxLayout()
        layout.addLayout(self._row, 1)
        layout.addStretch(0)  # keeps the message at the top; charts take the space when shown

    def _ensure_box(self, questionnaire: Questionnaire) -> None:
        """Build a questionnaire's chart the first time it has answers (each plot costs
        about 25 ms to build, so none is made for a questionnaire never answered)."""
        if questionnaire.kind in self.plots:
            return
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(heading(questionnaire.title, level=3, own_words=True))
        sentence = plain_label("", object_name=f"{questionnaire.kind}Sentence")
        box_layout.addWidget(sentence)
        caption = own_label("", f"{questionnaire.kind}Caption")
        box_layout.addWidget(caption)
        plot = pg.PlotWidget(enableMenu=False, axisItems={"bottom": DayAxis()})
        plot.setObjectName(f"{questionnaire.kind}Plot")
        plot.setAccessibleName(questionnaire.title)
        plot.setMinimumHeight(220)
        # Take the height the page leaves, not pyqtgraph's ~490-pixel wish (see PainChart).
        plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        item = plot.getPlotItem()
        item.hideButtons()
        box_layout.addWidget(plot, 1)
        view = item.getViewBox()
        view.setMouseEnabled(x=True, y=False)
        top = questionnaire.top
        view.setYRange(-0.04 * top, top * 1.04, padding=0)
        view.setLimits(yMin=-0.04 * top, yMax=top * 1.04)
        axis = item.getAxis("left")
        axis.setLabel(questionnaire.axis)
        step = 4 if top > 10 else 2
        axis.setTicks([[(float(v), str(v)) for v in range(0, int(top) + 1, step)], []])
        item.showGrid(x=False, y=True, alpha=0.18)
        band = pg.LinearRegionItem(orientation="horizontal", movable=False)
        level = pg.InfiniteLine(angle=0, movable=False)
        curve = pg.PlotDataItem(symbol="o", symbolSize=8, antialias=True)
        for graphic in (band, level, curve):
            item.addItem(graphic, ignoreBounds=graphic is not curve)
        self.plots[questionnaire.kind] = plot
        self.sentences[questionnaire.kind] = sentence
        self.captions[questionnaire.kind] = caption
        self._boxes[questionnaire.kind] = box
        self._curves[questionnaire.kind] = curve
        self._bands[questionnaire.kind] = (band, level)
        position = [q.kind for q in questionnaires()].index(questionnaire.kind)
        self._row.insertWidget(min(position, self._row.count()), box, 1)
        self._colour(questionnaire.kind)

    def set_scores(self, answers: Mapping[str, Sequence[tuple[date, float]]]) -> None:
        self._answers = {kind: tuple(values) for kind, values in answers.items()}
        shown = 0
        for questionnaire in questionnaires():
            values = self._answers.get(questionnaire.kind, ())
            if questionnaire.kind in self._boxes:
                self._boxes[questionnaire.kind].setVisible(bool(values))
            if not values:
                continue
            self._ensure_box(questionnaire)
            shown += 1
            self.sentences[questionnaire.kind].setText(score_sentence(questionnaire, values))
            x = [day_to_x(day) for day, _ in values]
            self._curves[questionnaire.kind].setData(x, [score for _, score in values])
            band, level = self._bands[questionnaire.kind]
            first = values[0][1]
            width = questionnaire.threshold.band(first)
            band.setRegion((max(0.0, first - width), min(questionnaire.top, first + width)))
            level.setPos(first)
            self.captions[questionnaire.kind].setText(
                questionnaire.direction
                + " "
                + _tr(
                    "Dots: your answers. Dotted line and shading: your first answer, give or"
                    " take the %1 of a real change."
                ).replace("%1", points(number(width, 0)))
            )
            view = self.plots[questionnaire.kind].getPlotItem().getViewBox()
            if self._linked is None:
                view.setXRange(x[0] - 7 * DAY_SECONDS, x[-1] + 7 * DAY_SECONDS, padding=0)
        self.empty_message.setVisible(shown == 0)
        self._follow()

    def link_x(self, view: pg.ViewBox | None) -> None:
        """Follow the dates shown in another chart (None: show each questionnaire whole).

        One way, by value: pyqtgraph's own x link lines views up by screen position, which
        shifts the dates when the plots differ in width.
        """
        if self._linked is view:
            self._follow()
            return
        if self._linked is not None:
            self._linked.sigXRangeChanged.disconnect(self._follow)
        self._linked = view
        if view is None:
            self.set_scores(self._answers)
        else:
            view.sigXRangeChanged.connect(self._follow)
            self._follow()

    def _follow(self, *_: object) -> None:
        if self._linked is None:
            return
        left, right = self._linked.viewRange()[0]
        for plot in self.plots.values():
            plot.getPlotItem().getViewBox().setXRange(left, right, padding=0)

    def shown_scores(self, kind: str) -> tuple[list[float], list[float]]:
        """The plotted points (x, score) of one questionnaire."""
        x, y = self._curves[kind].getData()
        return ([] if x is None else list(x)), ([] if y is None else list(y))

    def _apply_colours(self) -> None:
        for kind in self.plots:
            self._colour(kind)

    def _colour(self, kind: str) -> None:
        c = colours_for(self.palette())
        plot = self.plots[kind]
        plot.setBackground(c.background)
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(c.foreground))
            axis.setTextPen(pg.mkPen(c.foreground))
        colour = c.leg if kind == "rmdq" else c.sessions
        self._curves[kind].setPen(pg.mkPen(colour, width=2.5))
        self._curves[kind].setSymbolBrush(pg.mkBrush(colour))
        self._curves[kind].setSymbolPen(pg.mkPen(c.background))
        band, level = self._bands[kind]
        shade = QColor(colour)
        shade.setAlpha(60 if c.dark else 38)
        band.setBrush(pg.mkBrush(shade))
        for line in band.lines:
            line.setPen(pg.mkPen(None))
        level.setPen(pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DotLine))

    def release(self) -> None:
        """Take the plots apart the way pyqtgraph asks (see PainChart.release)."""
        if self._linked is not None:
            self._linked.sigXRangeChanged.disconnect(self._follow)
            self._linked = None
        for plot in self.plots.values():
            plot.close()
        self.plots.clear()
        self._curves.clear()
        self._bands.clear()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
