"""Progress: "am I getting better?" for the patient, "what happened since the last visit?" for
the therapist.

At the top, one sentence each for leg and back pain compares the last 7 days with the first
week (or a week from a chosen date) against the real-change band (clinical.md §4). Below, the
Pain tab holds the chart (pain_chart.py) with range buttons, the baseline choice, and a
summary of the period in view; the Questionnaires tab holds score_chart.py.

Loading: one `ProgressService.load` of the whole history per data change, in a worker
(`run_in_background`), which also imports pyqtgraph and turns the read model into numpy
arrays; the GUI thread only hands arrays to the chart. The range buttons then only move the
chart's window over data already drawn, so switching is instant however long the history
(ten years is 3,650 points; clip-to-view keeps drawing cheap). While hidden, the view does not
reload on changes; it catches up when shown, so the Progress screen costs nothing at start-up.
At most one load runs at a time: a change during a load asks for one more load after it.

Until the person picks a range, the chart opens on the shortest range that still shows the
baseline week (at most a year), so what the sentences compare is on the screen.

"Make a report for my next appointment" asks where to save (`ask_report_path`, replaceable),
then gathers the data and writes the PDF in a worker with a progress bar. The writer is handed
in by the composition root (`attach(..., report_writer)`): screens may not import reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale, QSaveFile, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rehab_app.core.changes import Changes
from rehab_app.core.meaningful import ChangeVerdict, Verdict
from rehab_app.ui.charts import change_sentence, short_date
from rehab_app.ui.later import next_turn
from rehab_app.ui.priming import lay_out_hidden, paint_hidden
from rehab_app.ui.widgets.layout import scrolling
from rehab_app.ui.widgets.text import heading, own_label, plain_label

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.progress import Baseline, ProgressData, ProgressService
    from rehab_app.services.report import VisitReportData
    from rehab_app.ui.bus import Bus
    from rehab_app.ui.charts.pain_chart import PainChart, PainSeries
    from rehab_app.ui.charts.score_chart import ScoreChart

#: Writes the visit report: (path, data, "a4" or "letter", progress(done, total)) -> pages.
ReportWriter = Callable[[Path, "VisitReportData", str, Callable[[int, int], None] | None], int]

#: (key, days shown; None = everything)
RANGES: tuple[tuple[str, int | None], ...] = (
    ("two_weeks", 14),
    ("three_months", 91),
    ("one_year", 365),
    ("all", None),
)
DEFAULT_RANGE = "three_months"
#: Events listed under the legend; older ones in the period are counted, not listed.
EVENTS_LISTED = 5
#: Plan summaries can be long (a pack's whole change list): the list shows their start; the
#: chart's readout for that day shows all of it.
SUMMARY_CHARS = 70

# A chosen range must be obvious at a glance, which the native "sunken" look is not. Only
# palette roles are used, so dark mode stays readable.
_RANGE_STYLE = """
QPushButton {
    border: 2px solid palette(mid); border-radius: 8px; padding: 4px 14px;
    background: palette(button); color: palette(button-text);
}
QPushButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
QPushButton:focus { border: 3px solid palette(text); }
"""


@dataclass(frozen=True)
class Loaded:
    """What the background load hands to the GUI thread."""

    data: ProgressData
    series: PainSeries
    seconds: float


def load_progress(progress: ProgressService, baseline_from: date | None) -> Loaded:
    """The whole history and its chart arrays. Runs in a worker thread, so the first import
    of pyqtgraph and numpy (about half a second) happens there too, not in the GUI."""
    from rehab_app.ui.charts import score_chart  # noqa: F401  (import cost paid here)
    from rehab_app.ui.charts.pain_chart import prepare

    started = time.perf_counter()
    data = progress.load(None, baseline_from)
    series = prepare(data)
    return Loaded(data, series, time.perf_counter() - started)


class ProgressView(QWidget):
    drawn = Signal()  # new data is on screen (after each load, also the empty state)
    load_failed = Signal(str)
    report_written = Signal(object)  # the visit report's Path
    report_failed = Signal(str)
    _report_progress = Signal(int, int)  # from the worker: pages painted, pages in all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._bus: Bus | None = None
        self._undo: QUndoStack | None = None
        self._loading = False
        self._again = False
        self._stale = False
        self._baseline_from: date | None = None
        self.loaded: Loaded | None = None
        #: While the chart is being built in steps: the latest load, drawn when it is built.
        self._chart_coming: tuple[Loaded, float] | None = None
        self.range_key = DEFAULT_RANGE
        self._range_chosen = False  # until the person picks one, the range follows the data
        self.pain_chart: PainChart | None = None
        self.events_title: QLabel  # made with the chart, which holds them under its legend
        self.events: QLabel
        self.score_chart: ScoreChart | None = None
        #: Load and draw times of the last refresh, in milliseconds (for the benchmark).
        self.timings: dict[str, float] = {}
        #: Asks where to save the picture; None when the person cancels. Tests replace it.
        self.ask_save_path: Callable[[], str | None] = ask_png_path
        #: Asks where to save the visit report (suggesting a path); tests replace it.
        self.ask_report_path: Callable[[Path], Path | None] = ask_pdf_path
        self.ask_bundle_path: Callable[[Path], Path | None] = ask_zip_path
        self._report_writer: ReportWriter | None = None
        self.setAccessibleName(self.tr("Progress"))

        outer = QVBoxLayout(self)
        outer.addWidget(heading(self.tr("Progress"), level=1, own_words=True))
        outer.addLayout(self._build_report_row())
        self.status = own_label(self.tr("Loading your progress…"), "progressStatus")
        outer.addWidget(self.status)
        self.summary = QWidget()
        summary = QVBoxLayout(self.summary)
        summary.setContentsMargins(0, 0, 0, 0)
        self.leg_sentence = plain_label("", object_name="legSentence")
        self.back_sentence = plain_label("", object_name="backSentence")
        for label in (self.leg_sentence, self.back_sentence):
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.1)
            label.setFont(font)
            summary.addWidget(label)
        self.guide_note = own_label(
            self.tr(
                "A real change: at least 2 points, or 30 % of your starting level if that is"
                " more. A guide, not a diagnosis."
            ),
            "guideNote",
        )
        summary.addWidget(self.guide_note)
        outer.addWidget(self.summary)
        self.summary.hide()
        self.empty_message = own_label(
            self.tr(
                "No pain ratings yet. Add your first rating in the Diary: after a few days this"
                " page shows how your back and leg pain are changing."
            ),
            "progressEmpty",
        )
        font = self.empty_message.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_message.setFont(font)
        self.empty_message.hide()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Charts"))
        outer.addWidget(self.tabs, 1)
        self.pain_page = QWidget()
        pain = QVBoxLayout(self.pain_page)
        pain.addWidget(self.empty_message, 0, Qt.AlignmentFlag.AlignTop)
        self.controls = QWidget()
        controls = QVBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addLayout(self._build_range_row())
        controls.addLayout(self._build_baseline_row())
        pain.addWidget(self.controls)
        self.pain_holder = QVBoxLayout()
        pain.addLayout(self.pain_holder, 1)
        # Scrollable, so a large system font never squeezes the chart or clips its legend.
        self.tabs.addTab(scrolling(self.pain_page), self.tr("Pain"))
        self.score_page = QWidget()
        self.score_holder = QVBoxLayout(self.score_page)
        self.score_tab = scrolling(self.score_page)
        self.tabs.addTab(self.score_tab, self.tr("Questionnaires"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.hide()

    def _build_report_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.report_button = QPushButton(self.tr("Make a report for my next appointment…"))
        self.report_button.setObjectName("makeReport")
        self.report_button.setAccessibleName(
            self.tr("Make a PDF report of your exercises, pain and notes for your therapist")
        )
        self.report_button.setMinimumHeight(40)
        self.report_button.setEnabled(False)  # until attach hands over the writer
        self.report_button.clicked.connect(self.make_report)
        row.addWidget(self.report_button)
        self.bundle_button = QPushButton(self.tr("Make a visit bundle…"))
        self.bundle_button.setObjectName("makeBundle")
        self.bundle_button.setAccessibleName(
            self.tr(
                "Make one file for your therapist with the report, your diary as a spreadsheet"
                " and the same data in the FHIR health-record format"
            )
        )
        self.bundle_button.setToolTip(self.bundle_button.accessibleName())
        self.bundle_button.setMinimumHeight(40)
        self.bundle_button.setEnabled(False)
        self.bundle_button.clicked.connect(self.make_bundle)
        row.addWidget(self.bundle_button)
        self.report_bar = QProgressBar()
        self.report_bar.setAccessibleName(self.tr("Progress of the report"))
        self.report_bar.setMaximumWidth(200)
        # Its place and two lines for the message are kept whatever is shown: a change of
        # this row's height would resize the chart above, which pyqtgraph then lays out and
        # repaints whole (30-40 ms on each click and each message, issue 7).
        keep_place = self.report_bar.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)
        self.report_bar.setSizePolicy(keep_place)
        self.report_bar.hide()
        row.addWidget(self.report_bar)
        self.report_status = plain_label("", object_name="reportStatus")
        self.report_status.setMinimumHeight(2 * self.report_status.fontMetrics().lineSpacing())
        row.addWidget(self.report_status, 1)
        self._report_progress.connect(self._show_report_progress)
        return row

    def _show_report_progress(self, done: int, total: int) -> None:
        self.report_bar.setRange(0, total)
        self.report_bar.setValue(done)

    def _report_done(self, path: Path, pages: int) -> None:
        self.report_bar.hide()
        self._enable_documents(True)
        text = (
            self.tr("Your report is saved as %1 (1 page). Take it, or send it, to your therapist.")
            if pages == 1
            else self.tr(
                "Your report is saved as %1 (%2 pages). Take it, or send it, to your therapist."
            )
        )
        self.report_status.setText(text.replace("%1", str(path)).replace("%2", str(pages)))
        self.report_written.emit(path)

    def _report_not_done(self, error: BaseException) -> None:
        self.report_bar.hide()
        self._enable_documents(True)
        message = str(error) or type(error).__name__
        self.report_status.setText(self.tr("The report was not made: %1").replace("%1", message))
        self.report_failed.emit(message)

    def _build_range_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(own_label(self.tr("Show:")))
        self.range_group = QButtonGroup(self)
        self.range_group.setExclusive(True)
        self.range_buttons: dict[str, QPushButton] = {}
        names = {
            "two_weeks": self.tr("2 weeks"),
            "three_months": self.tr("3 months"),
            "one_year": self.tr("1 year"),
            "all": self.tr("All"),
        }
        spoken = {
            "two_weeks": self.tr("Show the last 2 weeks"),
            "three_months": self.tr("Show the last 3 months"),
            "one_year": self.tr("Show the last year"),
            "all": self.tr("Show everything"),
        }
        for key, _ in RANGES:
            button = QPushButton(names[key])
            button.setCheckable(True)
            button.setAccessibleName(spoken[key])
            button.setStyleSheet(_RANGE_STYLE)
            button.setMinimumHeight(36)
            button.setObjectName(f"range_{key}")
            self.range_group.addButton(button)
            self.range_buttons[key] = button
            row.addWidget(button)
            button.clicked.connect(lambda _=False, k=key: self.set_range(k))
        self.range_buttons[self.range_key].setChecked(True)
        row.addStretch(1)
        self.reset_button = QPushButton(self.tr("Reset view"))
        self.reset_button.setAccessibleName(
            self.tr("Reset the chart to the chosen range after moving or zooming")
        )
        self.reset_button.clicked.connect(self.reset_view)
        self.save_button = QPushButton(self.tr("Save chart as picture…"))
        self.save_button.setAccessibleName(self.tr("Save the pain chart as a picture file"))
        self.save_button.clicked.connect(self.save_picture)
        for button in (self.reset_button, self.save_button):
            button.setMinimumHeight(36)
            row.addWidget(button)
        return row

    def _build_baseline_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = own_label(self.tr("Baseline from:"))
        label.setWordWrap(False)
        row.addWidget(label)
        self.baseline_edit = QDateEdit()
        self.baseline_edit.setCalendarPopup(True)
        self.baseline_edit.setDisplayFormat("d MMMM yyyy")
        self.baseline_edit.setAccessibleName(
            self.tr("Baseline from: the first day of the week your pain is compared with")
        )
        label.setBuddy(self.baseline_edit)
        self.baseline_edit.dateChanged.connect(self._baseline_chosen)
        row.addWidget(self.baseline_edit)
        self.plan_week_button = QPushButton(self.tr("Use the plan's first week"))
        self.plan_week_button.setAccessibleName(self.tr("Compare with the first week of your plan"))
        self.plan_week_button.clicked.connect(self.use_plan_week)
        self.plan_week_button.setEnabled(False)
        row.addWidget(self.plan_week_button)
        self.baseline_words = plain_label("", object_name="baselineWords")
        row.addWidget(self.baseline_words, 1)
        band_label = own_label(self.tr("Shaded band:"))
        band_label.setWordWrap(False)
        row.addWidget(band_label)
        self.band_choice = QComboBox()
        self.band_choice.addItem(self.tr("Leg pain"), "leg")
        self.band_choice.addItem(self.tr("Back pain"), "back")
        self.band_choice.setAccessibleName(
            self.tr("Which pain the shaded band of a real change is drawn for")
        )
        band_label.setBuddy(self.band_choice)
        self.band_choice.currentIndexChanged.connect(self._band_chosen)
        row.addWidget(self.band_choice)
        return row

    # Public API ----------------------------------------------------------------------------

    def attach(
        self,
        services: AppServices,
        bus: Bus,
        undo: QUndoStack,
        report_writer: ReportWriter | None = None,
    ) -> None:
        self._services, self._bus, self._undo = services, bus, undo
        self._report_writer = report_writer
        self._enable_documents(True)
        bus.changed.connect(self._on_changed)
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Load everything again in the background; `drawn` fires when it is on screen."""
        if self._services is None:
            return
        self._stale = False
        if self._loading:
            self._again = True
            return
        self._loading, self._again = True, False
        progress, baseline_from = self._services.progress, self._baseline_from
        from rehab_app.ui.tasks import run_in_background

        started = time.perf_counter()
        # run_in_background pauses garbage collection while the worker runs (see ui/tasks.py).

        def finished(loaded: Any) -> None:
            if _alive(self):
                self._loaded_now(loaded, started)

        def failed(error: BaseException) -> None:
            if _alive(self):
                self._failed(error)

        run_in_background(lambda: load_progress(progress, baseline_from), finished, failed)

    def set_range(self, key: str) -> None:
        """Show the last 2 weeks, 3 months, year, or everything ("all")."""
        self._range_chosen = True
        self.range_key = key
        self.range_buttons[key].setChecked(True)
        self.reset_view()

    def reset_view(self) -> None:
        """Back to the chosen range after panning or zooming."""
        if self.pain_chart is not None and self.loaded is not None:
            first, last = self.range_window()
            self.pain_chart.set_window(first, last)
            cursor = self.pain_chart.cursor_day
            if cursor is not None and not first <= cursor <= last:
                self.pain_chart.hide_cursor()

    def range_window(self) -> tuple[date, date]:
        """The days the chosen range shows (never before the first day there is data)."""
        assert self.loaded is not None
        series = self.loaded.series
        days = dict(RANGES)[self.range_key]
        last = series.last
        first = series.first if days is None else max(series.first, last - timedelta(days - 1))
        return first, last

    def use_plan_week(self) -> None:
        self._baseline_from = None
        self.plan_week_button.setEnabled(False)
        self.refresh()

    def choose_baseline(self, day: date) -> None:
        """Compare with the week starting on `day` (as the date field does)."""
        self.baseline_edit.setDate(QDate(day.year, day.month, day.day))

    def save_picture(self) -> Path | None:
        """Ask where, then write the pain chart with its sentences and legend as a PNG."""
        if self.pain_chart is None or self.loaded is None or not self.loaded.series.has_entries:
            return None
        answer = self.ask_save_path()
        if not answer:
            return None
        path = Path(answer)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        first, last = self.pain_chart.window()
        title = (
            self.tr("Back and leg pain, %1 to %2")
            .replace("%1", short_date(first))
            .replace("%2", short_date(last))
        )
        sentences = "\n".join((self.leg_sentence.text(), self.back_sentence.text()))
        image = self.pain_chart.picture(title, sentences)
        target = QSaveFile(str(path))  # written whole or not at all
        saved = target.open(QSaveFile.OpenModeFlag.WriteOnly) and image.save(target, "PNG")
        saved = saved and target.commit()
        if not saved:
            target.cancelWriting()
            self.status.setText(
                self.tr("The picture could not be saved: %1").replace("%1", target.errorString())
            )
            self.status.show()
            return None
        self.status.setText(self.tr("Saved the chart as %1").replace("%1", str(path)))
        self.status.show()
        return path

    def make_report(self) -> None:
        """Ask where to save, then gather the period and write the PDF in the background."""
        begun = self._begin_document(
            self.report_button,
            self.ask_report_path,
            "visit-report",
            ".pdf",
            self.tr("Making your report…"),  # the bar is busy until the pages are counted
        )
        if begun is None:
            return
        services, writer, path, page = begun
        report = services.report

        def work() -> tuple[Path, int]:
            data = report.gather()
            pages = writer(path, data, page, self._report_progress.emit)
            report.record_made(data)  # the next report starts from here
            return path, pages

        self._make_in_background(work, lambda result: self._report_done(*result))

    def make_bundle(self) -> None:
        """Ask where to save, then write the visit bundle (report, CSVs, FHIR) in the background."""
        begun = self._begin_document(
            self.bundle_button,
            self.ask_bundle_path,
            "visit-bundle",
            ".zip",
            self.tr("Making your visit bundle…"),
        )
        if begun is None:
            return
        services, writer, path, page = begun
        report, exports = services.report, services.exports

        def work() -> Path:
            data = report.gather()
            exports.write_visit_bundle(path, lambda pdf: writer(pdf, data, page, None))
            report.record_made(data)
            return path

        self._make_in_background(work, self._bundle_done)

    def _begin_document(
        self,
        button: QPushButton,
        ask: Callable[[Path], Path | None],
        stem: str,
        suffix: str,
        busy: str,
    ) -> tuple[AppServices, ReportWriter, Path, str] | None:
        """Ask where to save one of the documents (`stem`-today`suffix` suggested) and show
        that it is being made; the services, the writer, the path and the page size, or None
        when it cannot be made now or the person cancelled."""
        services, writer = self._services, self._report_writer
        if services is None or writer is None or not button.isEnabled():
            return None
        today = services.clock.now().local_day
        chosen = ask(Path.home() / f"{stem}-{today.isoformat()}{suffix}")
        if chosen is None:
            return None
        path = chosen if chosen.suffix.lower() == suffix else chosen.with_name(chosen.name + suffix)
        self._enable_documents(False)
        self.report_bar.setRange(0, 0)
        self.report_bar.show()
        self.report_status.setText(busy)
        return services, writer, path, "letter" if _uses_letter_paper() else "a4"

    def _make_in_background(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        from rehab_app.ui.tasks import run_in_background

        def finished(result: Any) -> None:
            if _alive(self):
                done(result)

        def failed(error: BaseException) -> None:
            if _alive(self):
                self._report_not_done(error)

        run_in_background(work, finished, failed)

    def _bundle_done(self, path: Path) -> None:
        self.report_bar.hide()
        self._enable_documents(True)
        self.report_status.setText(
            self.tr(
                "Your visit bundle is saved as %1. Send it to your therapist, or take it"
                " on a USB stick."
            ).replace("%1", str(path))
        )
        self.report_written.emit(path)

    def _enable_documents(self, enabled: bool) -> None:
        """Both documents need the report writer; one is made at a time."""
        ready = enabled and self._report_writer is not None and self._services is not None
        self.report_button.setEnabled(ready)
        self.bundle_button.setEnabled(ready)

    # Loading and drawing -------------------------------------------------------------------

    def _loaded_now(self, loaded: Loaded, started: float) -> None:
        self._loading = False
        if self._again:  # the data changed while loading: this result is already old
            self.refresh()
            return
        if self._chart_coming is not None:
            self._chart_coming = (loaded, started)  # drawn when the chart is built
            return
        if self.pain_chart is None and loaded.series.has_entries:
            # Building the chart widgets is the slowest step of the first draw: it is done in
            # steps of 10-20 ms (issue 7: no stall over 50 ms), and the event loop breathes
            # between them and before the data is set. A zero-delay timer is not enough: it
            # runs before timers and paints already due. (With no ratings at all there is no
            # chart to build: the message says so.)
            self._chart_coming = (loaded, started)
            self._build_chart_in_steps()
            return
        self._finish(loaded, started, 0.0)

    def _build_chart_in_steps(self) -> None:
        """Build the chart, then put the first data in, a step per event-loop turn; the
        window is shown by `_finish` (its layout and paint are the last turn's work)."""
        from rehab_app.ui.charts.pain_chart import PainChart

        charts: list[PainChart] = []
        drawn: list[Loaded] = []  # the data the steps put in (a newer load redraws it all)

        def make() -> None:
            charts.append(PainChart(staged=True))
            steps[0:0] = charts[0].building_steps()  # next, before it is adopted

        def coming() -> Loaded:
            assert self._chart_coming is not None
            return self._chart_coming[0]

        def draw_words() -> None:
            drawn[:] = [coming()]
            self._draw_words(drawn[0])
            self.status.hide()
            self.summary.setVisible(drawn[0].series.has_entries)

        def adopt() -> None:
            # Hidden until its data is in (the last step shows it), but with its place kept
            # in the layout, so it can be laid out there beforehand (see lay_out_hidden).
            policy = charts[0].sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            charts[0].setSizePolicy(policy)
            charts[0].hide()
            self._adopt_chart(charts[0])

        # Each first showing of a widget (style, layout) and the chart's first paint (its
        # text and glyphs) are 10-30 ms on their own: a turn each, the data in between.
        steps = [
            make,
            adopt,
            draw_words,
            self.tabs.show,
            lambda: self._draw_chart(drawn[0]),
            lambda: lay_out_hidden(charts[0], self.pain_holder.geometry()),
            lambda: paint_hidden(charts[0]),
        ]
        spent = [0.0]  # the building itself, not the turns in between

        def next_step() -> None:
            if not _alive(self):
                return
            step_started = time.perf_counter()
            steps.pop(0)()
            spent[0] += time.perf_counter() - step_started
            next_turn(self, next_step if steps else built)

        def built() -> None:
            if not _alive(self) or self._chart_coming is None:
                return
            (loaded, started), self._chart_coming = self._chart_coming, None
            if loaded is drawn[0]:
                self._finish(loaded, started, spent[0] * 1000, self._show_drawn)
            else:  # the data changed while the chart was built
                self._finish(loaded, started, spent[0] * 1000)

        next_turn(self, next_step)

    def _finish(
        self,
        loaded: Loaded,
        started: float,
        built_ms: float,
        draw: Callable[[Loaded], None] | None = None,
    ) -> None:
        drawing = time.perf_counter()
        (draw or self._draw)(loaded)
        now = time.perf_counter()
        self.timings = {
            "load_ms": loaded.seconds * 1000,
            "build_ms": built_ms,
            "draw_ms": (now - drawing) * 1000,
            "total_ms": (now - started) * 1000,
        }
        self.drawn.emit()

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        if self._again:
            self.refresh()
            return
        message = str(error) or type(error).__name__
        self.status.setText(self.tr("Your progress could not be loaded: %1").replace("%1", message))
        self.status.show()
        self.load_failed.emit(message)

    def _ensure_charts(self) -> None:
        if self.pain_chart is not None:
            return
        from rehab_app.ui.charts.pain_chart import PainChart

        self._adopt_chart(PainChart())

    def _adopt_chart(self, chart: PainChart) -> None:
        self.pain_chart = chart
        self.pain_holder.addWidget(self.pain_chart, 1)
        # The summary of the period sits under the legend, inside the chart's side column.
        self.events_title = heading(self.tr("In this period"), level=3, own_words=True)
        self.events = plain_label("", object_name="periodEvents")
        self.events.setAccessibleName(self.tr("What happened in the period shown"))
        self.pain_chart.side_layout.insertWidget(1, self.events_title)
        self.pain_chart.side_layout.insertWidget(2, self.events)
        self.pain_chart.set_band_for(self.band_choice.currentData())
        self.pain_chart.view_box.sigXRangeChanged.connect(self._update_period)

    def _ensure_scores(self) -> None:
        """The questionnaire charts are built when their tab is first opened."""
        if self.score_chart is None:
            from rehab_app.ui.charts.score_chart import ScoreChart

            self.score_chart = ScoreChart()
            self.score_holder.addWidget(self.score_chart, 1)
        if self.loaded is not None:
            has_entries = self.loaded.series.has_entries
            self.score_chart.set_scores(self.loaded.data.questionnaires)
            linked = self.pain_chart.view_box if self.pain_chart and has_entries else None
            self.score_chart.link_x(linked)

    def show_questionnaires(self) -> None:
        self.tabs.setCurrentWidget(self.score_tab)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.score_tab and self.loaded is not None:
            self._ensure_scores()

    def _draw(self, loaded: Loaded) -> None:
        self._draw_words(loaded)
        self._draw_chart(loaded)
        self._show_drawn(loaded)

    def _draw_words(self, loaded: Loaded) -> None:
        """The sentences and the baseline: the first of the three parts of a draw."""
        self.loaded = loaded
        data = loaded.data
        self.leg_sentence.setText(pain_sentence(self.tr("Leg pain"), data.leg_verdict, data))
        self.back_sentence.setText(pain_sentence(self.tr("Back pain"), data.back_verdict, data))
        self._show_baseline(data.baseline, data)

    def _draw_chart(self, loaded: Loaded) -> None:
        """The data into the chart (while it is still hidden on a first draw)."""
        if loaded.series.has_entries:
            self._ensure_charts()
            assert self.pain_chart is not None
            if not self._range_chosen:
                self._choose_default_range()
            self.pain_chart.set_series(loaded.series, *self.range_window())
            self.reset_view()
            self._update_period()

    def _show_drawn(self, loaded: Loaded) -> None:
        """What shows or hides with the data; the chart is painted after this."""
        has_entries = loaded.series.has_entries
        self.status.hide()
        self.tabs.show()
        self.summary.setVisible(has_entries)
        self.empty_message.setVisible(not has_entries)
        self.controls.setVisible(has_entries)
        if self.pain_chart is not None:
            self.pain_chart.setVisible(has_entries)
        if self.score_chart is not None or self.tabs.currentWidget() is self.score_tab:
            self._ensure_scores()

    def _choose_default_range(self) -> None:
        """The shortest range that still shows the baseline week, up to a year: the
        comparison in the sentences is then visible on the chart."""
        assert self.loaded is not None
        data = self.loaded.data
        start = data.baseline.start if data.baseline else data.first
        key = "one_year"
        for candidate, days in RANGES[:-1]:
            if days is not None and (data.last - start).days < days:
                key = candidate
                break
        self.range_key = key
        self.range_buttons[key].setChecked(True)

    def _show_baseline(self, baseline: Baseline | None, data: ProgressData) -> None:
        self.baseline_edit.blockSignals(True)
        try:
            self.baseline_edit.setDateRange(_qdate(data.first), _qdate(data.last))
            if baseline is not None:
                self.baseline_edit.setDate(_qdate(baseline.start))
        finally:
            self.baseline_edit.blockSignals(False)
        self.plan_week_button.setEnabled(self._baseline_from is not None)
        if baseline is None:
            self.baseline_words.setText("")
            return
        words = (
            # Read on from the date field: "Baseline from: [3 March 2026] to 9 March 2026 …"
            self.tr("to %1 (the week you chose)")
            if baseline.chosen
            else self.tr("to %1 (the plan's first week)")
        )
        self.baseline_words.setText(words.replace("%1", short_date(baseline.end)))

    def _update_period(self, *_: object) -> None:
        """The summary of the days in view: ratings, sessions, plan changes, red flags."""
        if self.pain_chart is None or self.loaded is None:
            return
        self.events.setText(period_text(self.loaded.series, *self.pain_chart.window()))

    def _baseline_chosen(self, chosen: QDate) -> None:
        self._baseline_from = chosen.toPython()
        self.plan_week_button.setEnabled(True)
        self.refresh()

    def _band_chosen(self, _index: int) -> None:
        if self.pain_chart is not None:
            self.pain_chart.set_band_for(self.band_choice.currentData())

    def _on_changed(self, changes: Changes) -> None:
        if changes.diary or changes.sessions or changes.plan:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._services is None:
            return
        new_day = (
            self.loaded is not None
            and self.loaded.data.last != self._services.clock.now().local_day
        )
        if self._stale or new_day:
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.release_charts()
        super().closeEvent(event)

    def release_charts(self) -> None:
        """Take the charts apart now (pyqtgraph's own close), rather than leaving their
        items to Python's garbage collector, which can run at any time on any thread. Called
        when the view is closed; a later refresh builds them again."""
        for chart in (self.pain_chart, self.score_chart):
            if chart is not None:
                chart.release()
                chart.setParent(None)
                chart.deleteLater()
        self.pain_chart = None
        self.score_chart = None


def ask_png_path() -> str | None:
    """Ask where to save the chart picture (a save dialog over the active window)."""
    from PySide6.QtWidgets import QApplication

    suggested = str(Path.home() / f"pain-chart-{date.today().isoformat()}.png")
    path, _ = QFileDialog.getSaveFileName(
        QApplication.activeWindow(),
        _tr("Save chart as picture"),
        suggested,
        _tr("PNG pictures (*.png)"),
    )
    return path or None


def ask_pdf_path(suggested: Path) -> Path | None:
    """Ask where to save the visit report (a save dialog over the active window)."""
    from PySide6.QtWidgets import QApplication

    path, _ = QFileDialog.getSaveFileName(
        QApplication.activeWindow(),
        _tr("Save the report for your appointment"),
        str(suggested),
        _tr("PDF documents (*.pdf)"),
    )
    return Path(path) if path else None


def ask_zip_path(suggested: Path) -> Path | None:
    """Ask where to save the visit bundle."""
    from PySide6.QtWidgets import QApplication

    path, _ = QFileDialog.getSaveFileName(
        QApplication.activeWindow(),
        _tr("Save the visit bundle for your therapist"),
        str(suggested),
        _tr("Visit bundles (*.zip)"),
    )
    return Path(path) if path else None


def _uses_letter_paper() -> bool:
    """Letter where the locale measures in US units (the US), A4 everywhere else."""
    return QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem


# Words ----------------------------------------------------------------------------------------


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("ProgressView", text)


def pain_sentence(name: str, verdict: ChangeVerdict, data: ProgressData) -> str:
    """'Leg pain: 7.0 in your first week, 3.1 in the last 7 days: better by 3.9 points. …'"""
    baseline = data.baseline
    if verdict.verdict == Verdict.NOT_ENOUGH_DATA:
        if baseline is None or (verdict.baseline is None and verdict.current is None):
            text = _tr("%1: not enough entries yet: add a few days of ratings.")
        elif verdict.baseline is None:
            text = _tr(
                "%1: no ratings in the week the comparison starts from (%2 to %3), so there is"
                " nothing to compare with yet. Choose a later \u201cBaseline from\u201d date."
            )
            text = text.replace("%2", short_date(baseline.start)).replace(
                "%3", short_date(baseline.end)
            )
        else:
            text = _tr(
                "%1: no ratings in the last 7 days. Add a rating to see how you are doing now."
            )
        return text.replace("%1", name)
    assert baseline is not None
    then = (
        _tr("in the week from %1").replace("%1", short_date(baseline.start))
        if baseline.chosen
        else _tr("in your first week")
    )
    return change_sentence(name, verdict, then, _tr("in the last 7 days"))


def period_text(series: PainSeries, first: date, last: date) -> str:
    """'3 March to 29 March 2026 (27 days): pain rated on 25 days; 31 exercise sessions on
    20 days.' then one line per plan change and red-flag answer, oldest first."""
    from rehab_app.ui.charts.pain_chart import safety_words

    start = max(first, series.first)
    end = min(last, series.last)
    if start > end:
        return ""
    lo, hi = (start - series.first).days, (end - series.first).days + 1
    rated = int((series.entries[lo:hi] > 0).sum())
    sessions = series.sessions[lo:hi]
    days = (end - start).days + 1
    lines = [
        _tr("%1 to %2 (%3 days): pain rated on %4 days; %5 exercise sessions on %6 days.")
        .replace("%1", short_date(start))
        .replace("%2", short_date(end))
        .replace("%3", str(days))
        .replace("%4", str(rated))
        .replace("%5", str(int(sessions.sum())))
        .replace("%6", str(int((sessions > 0).sum())))
    ]
    happened = sorted(
        [
            (day, 0, _tr("plan changed: %1").replace("%1", _shorten(text)))
            for day, text in series.plan_changes
        ]
        + [(day, 1, safety_words(kind)) for day, kind in series.safety_events],
        key=lambda event: (event[0], event[1]),
    )
    happened = [event for event in happened if start <= event[0] <= end]
    if not happened:
        lines.append(_tr("No plan changes or red-flag answers."))
    earlier = len(happened) - EVENTS_LISTED
    if earlier > 0:
        lines.append(_tr("%1 earlier events are not listed.").replace("%1", str(earlier)))
    lines += [f"{short_date(day)}: {words}" for day, _, words in happened[-EVENTS_LISTED:]]
    return "\n".join(lines)


# Helpers --------------------------------------------------------------------------------------


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _alive(widget: QWidget) -> bool:
    """False once Qt has deleted the widget (a load can outlive the view that started it)."""
    import shiboken6

    return shiboken6.isValid(widget)
