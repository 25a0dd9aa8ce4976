"""The main window: navigation between the app's areas, a notice area, and a status bar.

It must paint at the speed of a bare Qt window, so it imports nothing heavy (no database, no
pydantic, not even the library screen or its SVG renderer): the Library area starts as a
"loading" page and the real view is built when `show_library` hands over the exercises.
`app.py` opens the data in the background and calls `show_data_status`; `ready` fires once
both have arrived and every screen is built.

The screens are built one per turn of the event loop (Today first), never all at once: built
together they kept the window from painting or answering a key for most of a second (issue 7:
the event loop never stalls more than 50 ms). Their modules are imported beforehand on the
worker that opened the data (`import_screens`, which also runs their first queries there),
and what later flows need (the player, the charts and pyqtgraph, the dialogs) is imported on
one more worker once the last screen is built, so no first use pays for an import on the GUI
thread. Then the hidden screens are laid out once, a piece per turn, and `settled` fires.
"""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rehab_app import __version__
from rehab_app.ui.later import next_turn
from rehab_app.ui.views.placeholder import PlaceholderView

if TYPE_CHECKING:
    from rehab_app.core.changes import Changes
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.catalog import Library
    from rehab_app.services.sessions import DueSession
    from rehab_app.services.status import DataStatus
    from rehab_app.ui.backup_scheduler import BackupScheduler
    from rehab_app.ui.dialogs.data_settings import DataSettingsDialog
    from rehab_app.ui.session_runner import SessionRunner
    from rehab_app.ui.views.library import LibraryView
    from rehab_app.ui.views.pack_editor import HandoutWriter
    from rehab_app.ui.views.packs import PacksView
    from rehab_app.ui.views.plan import PlanView
    from rehab_app.ui.views.progress import ProgressView, ReportWriter
    from rehab_app.ui.views.today import TodayView
    from rehab_app.ui.widgets.data_banner import DataBanner

#: The day the morning check-in was last put off with "Later" (asked once a day at most).
CHECKIN_KEY = "checkin_put_off_on"

#: The areas in navigation order; "player" is reached from Today, not from the side bar.
NAVIGATION = ("today", "library", "plan", "diary", "progress", "packs")
VIEWS = (*NAVIGATION, "player")

#: What `attach_services` builds the screens from: imported by `import_screens` on the worker
#: that opens the data. Cold, these take about 0.3 s (PySide's import hook reads each module's
#: source), far too long for the GUI thread.
SCREEN_MODULES = (
    "rehab_app.core.adherence",
    "rehab_app.core.diary",
    "rehab_app.ui.bus",
    "rehab_app.ui.undo",
    "rehab_app.ui.widgets.adherence_calendar",
    "rehab_app.ui.dialogs.questionnaire",
    "rehab_app.ui.views.today",
    "rehab_app.ui.views.plan",
    "rehab_app.ui.widgets.reminder_settings",
    "rehab_app.ui.reminders",
    "rehab_app.ui.widgets.safety_notices",
    "rehab_app.ui.safety_flow",
    "rehab_app.ui.views.diary",
    "rehab_app.ui.views.progress",
    "rehab_app.ui.views.packs",
    "rehab_app.ui.views.pack_editor",
    "rehab_app.ui.backup_scheduler",
)
#: What later flows need at their first use: the guided session, the Progress charts (with
#: pyqtgraph and numpy, about 0.7 s cold), the safety dialogs. Imported once every screen is
#: built, on one worker (never two importers side by side: see app.py).
#: The Library's list is painted ahead in this many bands, a turn each (about 10 ms apiece).
LIST_BANDS = 3

LATER_MODULES = (
    "rehab_app.ui.session_runner",
    "rehab_app.ui.dialogs.red_flags",
    "pyqtgraph",
    "rehab_app.ui.charts.pain_chart",
    "rehab_app.ui.charts.score_chart",
)


def import_screens(names: tuple[str, ...] = SCREEN_MODULES) -> None:
    """Import the screens' modules (on a worker thread: they define classes, build nothing)."""
    import importlib

    for name in names:
        importlib.import_module(name)


def warm_up(services: AppServices) -> None:
    """Ask, on the worker that opened the data, the questions the screens ask first, and
    throw the answers away. The first time each query runs in a process it is compiled and
    its rows' models are built for the first time: 30-70 ms on the GUI thread for the diary
    alone, a few ms each time after. Read-only; nothing depends on it having run."""
    from datetime import timedelta

    from rehab_app.services.diary import DiaryFilter

    today = services.sessions.today()
    services.plans.current()
    services.plans.history()
    services.sessions.due_on(today)
    services.sessions.sessions_on(today)
    services.diary.entries(DiaryFilter(first=today - timedelta(days=90)))
    services.diary.needs_morning_checkin(today)
    services.questionnaires.due("rmdq")
    services.safety.checklist_due()
    services.safety.events(today - timedelta(days=6), today)
    services.settings.get("warn_exercises")
    services.packs.imports()


class MainWindow(QMainWindow):
    first_painted = Signal()
    library_filled = Signal()
    ready = Signal()
    settled = Signal()  # every screen built and what later flows need imported (issue 7)
    restore_requested = Signal(object)  # the backup Path the person chose to restore
    fresh_start_requested = Signal()  # "delete everything" was confirmed twice (issue 6)
    failed = Signal(str)  # a start-up step failed unexpectedly (a bug, not a data problem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("rehab_app: your home exercise coach"))
        self.resize(1280, 800)
        self._status: DataStatus | None = None
        self._library_loaded = False
        self._painted = False
        #: The steps still to run while the screens are being built (one per event-loop turn).
        self._building: list[Callable[[], None]] = []
        self._settled = False
        self._packs_ready = False
        #: The guided player's clock (monotonic seconds); tests put a fake one here.
        self.player_clock: Callable[[], float] = clock_time.monotonic
        #: A session's player, built and waiting for its turn to be shown (see start_session).
        self._player_coming: SessionRunner | None = None
        #: Set by app.py for --screenshot: no pop-up dialogs, the picture is of the window.
        self._screenshot_mode = False
        self.library: LibraryView | None = None
        self.today: TodayView | None = None
        self.plan: PlanView | None = None
        self.progress: ProgressView | None = None
        self.packs: PacksView | None = None
        self._pending_files: list[str] = []
        #: Set by the composition root: the screens may not import rehab_app.reports.
        self.handout_writer: HandoutWriter | None = None
        self.report_writer: ReportWriter | None = None
        self.setAcceptDrops(True)
        self.services: AppServices | None = None
        self._banner: DataBanner | None = None
        self.backup_scheduler: BackupScheduler | None = None  # made in attach_services
        self.views: dict[str, QWidget] = {
            "today": PlaceholderView(self.tr("Today"), self.tr("Opening your data…")),
            "library": PlaceholderView(
                self.tr("Exercise library"), self.tr("Loading the exercises…")
            ),
            "plan": PlaceholderView(self.tr("My plan"), self.tr("Opening your data…")),
            "diary": PlaceholderView(self.tr("Pain diary"), self.tr("Opening your data…")),
            "progress": PlaceholderView(self.tr("Progress"), self.tr("Opening your data…")),
            "packs": PlaceholderView(self.tr("Exercise packs"), self.tr("Opening your data…")),
            "player": PlaceholderView(
                self.tr("Guided session"),
                self.tr("Start a session from Today: it will lead you through each exercise."),
            ),
        }
        titles = {
            "today": self.tr("Today"),
            "library": self.tr("Library"),
            "plan": self.tr("My plan"),
            "diary": self.tr("Diary"),
            "progress": self.tr("Progress"),
            "packs": self.tr("Packs"),
        }

        self.navigation = QListWidget()
        self.navigation.setAccessibleName(self.tr("Areas of the app"))
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(0, 0))
        self.navigation.setSpacing(4)
        self.navigation.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 14)
        self.stack = QStackedWidget()
        for position, name in enumerate(VIEWS):
            self.stack.addWidget(self.views[name])
            if name in titles:
                item = QListWidgetItem(titles[name])
                item.setSizeHint(QSize(0, self.fontMetrics().height() * 3))
                item.setToolTip(
                    self.tr("%1 (Ctrl+%2)")
                    .replace("%1", titles[name])
                    .replace("%2", str(position + 1))
                )
                self.navigation.addItem(item)

        right = QWidget()
        self._right_layout = QVBoxLayout(right)
        self._right_layout.setContentsMargins(0, 0, 0, 0)
        self._right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.navigation.currentRowChanged.connect(self._navigate)
        self.navigation.setCurrentRow(NAVIGATION.index("today"))
        self.statusBar().showMessage(self.tr("Opening your data…"))

    # Public API used by app.py and the tests -------------------------------------------------

    def show_view(self, name: str) -> None:
        if name in NAVIGATION:
            self.navigation.setCurrentRow(NAVIGATION.index(name))
        else:
            self.navigation.clearSelection()
        # Also when the side bar's row did not change (coming back from the player).
        self.stack.setCurrentWidget(self.views[name])

    def current_view(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, view in self.views.items() if view is current)

    @property
    def banner(self) -> DataBanner:
        """The notice shown above every area when the data cannot be used; built on demand."""
        if self._banner is None:
            from rehab_app.ui.widgets.data_banner import DataBanner

            self._banner = DataBanner()
            self._banner.restore_requested.connect(self.restore_requested)
            self._right_layout.insertWidget(0, self._banner)
        return self._banner

    def show_data_status(self, status: DataStatus) -> None:
        from rehab_app.services.status import DataState

        self._status = status
        if status.state != DataState.READY or status.warning or self._banner is not None:
            self.banner.show_status(status)
        if status.state == DataState.READY:
            message = self.tr("Your data is ready. Everything you save is kept on this computer.")
            if status.upgraded_from:
                message = self.tr(
                    "Your data was updated for this version; a copy of the old data was kept."
                )
            self.statusBar().showMessage(message)
        else:
            self.statusBar().showMessage(self.tr("Your data could not be opened; see the notice."))
        self._maybe_ready()

    def show_library(self, library: Library) -> None:
        if self.library is None:
            from rehab_app.ui.views.library import LibraryView

            self.library = LibraryView()
            self._replace_view("library", self.library)
            # Filled on the next turn: made and filled together it was a stall of 40 ms.
            next_turn(self, lambda: self._fill_library(library))
            return
        self._fill_library(library)

    def _fill_library(self, library: Library) -> None:
        assert self.library is not None
        self.library.set_library(library)
        self._library_loaded = True
        self.library_filled.emit()
        self._maybe_ready()

    def attach_services(self, services: AppServices) -> None:
        """The data is open: build the areas that work on it (after the first paint), one per
        turn of the event loop, Today first; `ready` fires after the last one."""
        from PySide6.QtGui import QUndoStack

        from rehab_app.ui.bus import Bus

        self.services = services
        self.bus = Bus(self)
        self.undo_stack = QUndoStack(self)
        self._add_undo_actions()
        self._start_backups(services)  # no screen, a few milliseconds: at once
        self._building = [
            self._start_today,
            self._start_plan,
            lambda: self._start_reminders(services),
            lambda: self._start_safety(services),
            lambda: self._start_diary(services),
            lambda: self._start_morning_check_in(services),
            lambda: self._start_progress(services),
            lambda: self._start_packs(services),
        ]
        next_turn(self, self._build_next)

    def _build_next(self) -> None:
        """Run one building step; the next waits for the following turn of the event loop, so
        paints, keys and clicks are answered in between."""
        if not self._building:
            return
        step = self._building.pop(0)
        try:
            step()
        except Exception as error:  # a bug: say so (the screenshot mode waits for this)
            self._building.clear()
            self.show_failure(str(error) or type(error).__name__)
            raise
        if self._building:
            next_turn(self, self._build_next)
            return
        # "Your data" (restore, delete everything) only now: a restore replaces the database
        # under the screens, which must not be still being built on it.
        self.data_action.setEnabled(True)
        self._maybe_ready()
        self._import_later_modules()

    def _import_later_modules(self) -> None:
        from rehab_app.ui.tasks import run_in_background

        def done(_result: object = None) -> None:
            if shiboken6.isValid(self):
                next_turn(self, lambda: self._prime_screens(self._priming_steps(), settled))

        def settled() -> None:
            self._settled = True
            self.settled.emit()

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                self.show_failure(str(error) or type(error).__name__)
                done()

        run_in_background(lambda: import_screens(LATER_MODULES), done, failed)

    def _prime_screens(self, steps: list[Callable[[], None]], then: Callable[[], None]) -> None:
        """Lay out and paint the hidden screens ahead of the person's first click on them, a
        piece per turn while nothing else happens (see ui/priming.py)."""
        if not steps:
            then()
            return
        steps[0]()
        next_turn(self, lambda: self._prime_screens(steps[1:], then))

    def _priming_steps(self) -> list[Callable[[], None]]:
        """The Library first (the costliest), then Plan and Packs. Not the Diary: a hidden
        table laid out measures every row (see DiaryView)."""
        from rehab_app.ui.priming import lay_out_hidden, lay_out_part, paint_hidden

        place = self.stack.contentsRect()
        steps: list[Callable[[], None]] = []

        def hidden(widget: QWidget, work: Callable[[QWidget], None]) -> Callable[[], None]:
            # Only while hidden: once on show it has been laid out and painted for real.
            def step() -> None:
                if shiboken6.isValid(widget) and not widget.isVisible():
                    work(widget)

            return step

        library = self.views["library"]
        if self.library is not None:
            # The exercise shown, label by label first: laid out cold, its wrapped text
            # alone took 35-55 ms (fonts and text shaping met for the first time).
            body = self.library.detail.widget()
            children = [child for child in body.children() if isinstance(child, QWidget)]
            steps += [hidden(child, lay_out_part) for child in children]
            steps += [hidden(body, lay_out_part)]
            steps += [hidden(library, lambda widget: lay_out_hidden(widget, place))]
            # Then, at their places, the list's rows and each piece painted once.
            steps += [hidden(self.library.list, lay_out_part)]
            steps += [
                hidden(self.library.list, lambda widget, band=band: paint_hidden(widget, band))
                for band in ((0, LIST_BANDS), (1, LIST_BANDS), (2, LIST_BANDS))
            ]
            steps += [hidden(child, paint_hidden) for child in children]
        else:
            steps.append(hidden(library, lambda widget: lay_out_hidden(widget, place)))
        for name in ("plan", "packs"):
            steps.append(hidden(self.views[name], lambda widget: lay_out_hidden(widget, place)))
        return steps

    def is_settled(self) -> bool:
        """Ready, and the start-up work that follows it (imports for later flows, the first
        layout of the hidden screens) is over."""
        return self.is_ready() and (self.services is None or self._settled)

    def _next(self, steps: list[Callable[[], None]]) -> None:
        """Run these steps next, before the rest (a screen's own pieces, see attach_steps)."""
        self._building[0:0] = steps

    def _start_today(self) -> None:
        from rehab_app.ui.views.today import TodayView

        assert self.services is not None
        self.today = TodayView()
        self._replace_view("today", self.today)
        self.today.plan_requested.connect(self._build_own_plan)
        self.today.pack_requested.connect(lambda: self.show_view("packs"))
        self.today.start_requested.connect(self.start_session)
        self._next(self.today.attach_steps(self.services, self.bus, self.undo_stack))

    def _start_plan(self) -> None:
        from rehab_app.ui.views.plan import PlanView

        assert self.services is not None
        self.plan = PlanView()
        self._replace_view("plan", self.plan)
        self.plan.saved.connect(lambda: self.statusBar().showMessage(self.tr("Plan saved.")))
        plan = self.plan
        self._next([lambda: plan.attach(self.services, self.bus, self.undo_stack)])

    def _start_packs(self, services: AppServices) -> None:
        from rehab_app.ui.views.packs import PacksView

        self.packs = PacksView()
        self._replace_view("packs", self.packs)
        self.packs.imported.connect(
            lambda _result: self.statusBar().showMessage(self.tr("Pack imported."))
        )
        self._next(
            [
                *self.packs.attach_steps(services, self.bus, self.handout_writer),
                lambda: self._packs_attached(services),
            ]
        )

    def _packs_attached(self, services: AppServices) -> None:
        from rehab_app.ui.later import RefreshLater

        self._packs_ready = True
        if services.library.custom_ids:  # exercises from packs join the built-in ones
            self.show_library(services.library)
        later: list[RefreshLater] = []

        def library_changed(changes: Changes) -> None:
            if not changes.library:
                return
            if self.library is None:
                self.show_library(services.library)
                return
            if not later:  # hidden (a pack imported on Packs): refilled on a turn of its own
                later.append(
                    RefreshLater(self.library, lambda: self.show_library(services.library))
                )
            later[0].request()

        self.bus.changed.connect(library_changed)
        pending, self._pending_files = self._pending_files, []
        self.open_files(pending)

    # Backups and "Your data" (issue 6) ---------------------------------------------------------

    def _start_backups(self, services: AppServices) -> None:
        from rehab_app.ui.backup_scheduler import BackupScheduler

        self.backup_scheduler = BackupScheduler(services.backups, self.bus, self)
        self.backup_scheduler.failed.connect(
            lambda message: self.statusBar().showMessage(
                self.tr("The automatic backup did not work: %1").replace("%1", message)
            )
        )
        self.backup_scheduler.start()

    def open_data_settings(self) -> DataSettingsDialog | None:
        """File → Your data: backups, restore, check, export, delete everything."""
        if self.services is None:
            return None
        from PySide6.QtCore import Qt

        from rehab_app.ui.dialogs.data_settings import DataSettingsDialog

        dialog = DataSettingsDialog(self.services.backups, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Restoring and deleting replace the open data: app.py does both, then rebuilds the
        # window; a failure comes back through `failed`.
        dialog.restore_requested.connect(self.restore_requested)
        dialog.fresh_start_requested.connect(self.fresh_start_requested)
        self.failed.connect(dialog.show_problem)
        dialog.open()
        return dialog

    # -------------------------------------------------------------------------------------------

    def open_files(self, names: list[str]) -> None:
        """Files handed to the app (command line, a second launch, drag and drop)."""
        if not names:
            return  # the usual start: nothing to import (and nothing heavy before first paint)
        from rehab_app.ui.views.packs import PACK_SUFFIX

        packs = [Path(name) for name in names if name.lower().endswith(PACK_SUFFIX)]
        if not packs:
            return
        if self.packs is None or not self._packs_ready:  # opened once the screen is built
            self._pending_files.extend(str(path) for path in packs)
            return
        self.show_view("packs")
        self.packs.open_pack(packs[0])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        from rehab_app.ui.views.packs import pack_paths

        if pack_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        from rehab_app.ui.views.packs import pack_paths

        paths = pack_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.open_files([str(path) for path in paths])

    def _start_progress(self, services: AppServices) -> None:
        # Cheap to build: the view imports pyqtgraph in its background load, when first shown.
        from rehab_app.ui.views.progress import ProgressView

        self.progress = ProgressView()
        self._replace_view("progress", self.progress)
        self.progress.attach(services, self.bus, self.undo_stack, self.report_writer)

    def _start_diary(self, services: AppServices) -> None:
        from rehab_app.ui.views.diary import DiaryView

        assert self.today is not None
        self.diary = DiaryView()
        self._replace_view("diary", self.diary)
        diary = self.diary
        self._next([lambda: diary.attach(services, self.bus, self.undo_stack)])
        # New numbness or weakness brings up the red-flag checklist (clinical.md §5).
        self.diary.neurological_reported.connect(lambda _codes: self.safety.open_checklist())
        log_pain = QAction(self.tr("Log pain"), self)
        log_pain.setToolTip(self.tr("Record back and leg pain now (Ctrl+L)"))
        # Set here, not with the other shortcuts: this runs after the first paint.
        log_pain.setShortcut(QKeySequence("Ctrl+L"))
        log_pain.triggered.connect(lambda: self.diary.new_entry())
        self.addAction(log_pain)
        self._go_menu.addAction(log_pain)
        toolbar = QToolBar(self.tr("Quick actions"), self)
        toolbar.setObjectName("quickActions")
        toolbar.setMovable(False)
        toolbar.addAction(log_pain)
        self.addToolBar(toolbar)

    def _start_morning_check_in(self, services: AppServices) -> None:
        from rehab_app.core.diary import Context
        from rehab_app.ui.views.diary import MorningCheckIn

        assert self.today is not None
        today = services.sessions.today()
        if MorningCheckIn.needed(services) and services.settings.get(CHECKIN_KEY) != str(today):
            banner = MorningCheckIn()
            banner.watch(services, self.bus)
            banner.rate_requested.connect(lambda: self.diary.new_entry(Context.WAKING))
            banner.dismissed.connect(lambda: services.settings.set(CHECKIN_KEY, str(today)))
            self.today.add_notice(banner)
            banner.show()

    def _start_safety(self, services: AppServices) -> None:
        from rehab_app.ui.safety_flow import SafetyFlow

        assert self.today is not None
        self.safety = SafetyFlow(services, self.bus, self, self._stop_session)
        self.safety.stopped_changed.connect(
            lambda _: self.today.set_stopped(self.safety.stopped_since())
        )
        self.today.set_stopped(self.safety.stopped_since())
        check = QAction(self.tr("&Safety check (red flags)…"), self)
        check.triggered.connect(self.safety.open_checklist)
        self._go_menu.addSeparator()
        self._go_menu.addAction(check)
        today = services.sessions.today()
        if self.safety.trend_warning_due(today):
            self.today.show_trend_notice()
            self.safety.record_trend_warning()
        if not self._screenshot_mode:
            QTimer.singleShot(0, self.safety.at_start)

    def _stop_session(self) -> None:
        """An emergency answer: a running session ends now, keeping what was done."""
        runner = getattr(self, "_runner", None)
        if runner is not None and self.current_view() == "player":
            runner.controller.end_early()
            self._leave_player()

    def _start_reminders(self, services: AppServices) -> None:
        from rehab_app.services.sessions import SlotState
        from rehab_app.ui.reminders import ReminderPresenter, ReminderScheduler
        from rehab_app.ui.widgets.reminder_settings import (
            SETTINGS_KEY,
            ReminderSettingsBox,
            settings_from,
            settings_to,
        )

        def open_times() -> list[time]:
            due = services.sessions.due_on(services.sessions.today())
            return [s.slot for s in due if s.state in (SlotState.TO_DO, SlotState.PARTLY)]

        preferences = settings_from(services.settings.get(SETTINGS_KEY))
        self.reminders = ReminderScheduler(
            open_times, lambda: services.clock.now().local, preferences, self
        )
        self.reminder_presenter = ReminderPresenter(
            self.reminders, self, self._right_layout, 0, self
        )
        self.reminder_presenter.start_requested.connect(self._start_slot)
        box = ReminderSettingsBox(preferences)
        assert self.today is not None
        self.today.extras.addWidget(box)

        def changed(new: object) -> None:
            self.reminders.set_settings(new)
            services.settings.set(SETTINGS_KEY, settings_to(new))

        box.changed.connect(changed)

        def sessions_changed(changes: Changes) -> None:
            # A session done or skipped elsewhere closes its reminder (asked only while one is
            # shown: it is a query, at every exercise saved in a session).
            if (changes.sessions or changes.plan) and self.reminders_shown():
                still_open = set(open_times())
                for slot in list(self.reminders_shown()):
                    if slot not in still_open:
                        self.reminders.mark_done(slot)

        self.bus.changed.connect(sessions_changed)
        self.reminders.start()

    def reminders_shown(self) -> list[time]:
        slot = self.reminder_presenter.shown_slot()
        return [slot] if slot is not None else []

    def _start_slot(self, slot: time) -> None:
        assert self.services is not None
        due = self.services.sessions.due_on(self.services.sessions.today())
        session = next((s for s in due if s.slot == slot), None)
        if session is not None:
            self.start_session(session)

    def start_session(self, session: DueSession, *, at_once: bool = False) -> None:
        """Run a due session in the guided player; each finished exercise is saved at once.

        The player is built on the click's turn of the event loop and shown on the next: each
        is 20-30 ms of work (building; then laying out and painting the whole window anew),
        together long enough to be felt as a stall (issue 7). `at_once` shows it at once
        (the screenshot mode captures right after)."""
        if getattr(self, "safety", None) is not None and self.safety.exercises_stopped:
            self.statusBar().showMessage(self.tr("Exercises are stopped: see the notice on Today."))
            return
        if self._player_coming is not None:
            return  # a second click before the player is on show
        from rehab_app.ui.session_runner import SessionRunner

        assert self.services is not None
        from PySide6.QtWidgets import QFrame, QScrollArea

        runner = SessionRunner(
            self.services, self.bus, self.undo_stack, session, self, clock=self.player_clock
        )
        # Scrollable rather than forcing the window taller than a small screen.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(runner.view)
        self._replace_view("player", holder)
        runner.finished.connect(self._leave_player)
        self._runner = runner
        self._player_coming = runner
        if at_once:
            self._show_player(runner)
        else:
            next_turn(self, lambda: self._show_player(runner))

    def _show_player(self, runner: SessionRunner) -> None:
        if self._player_coming is not runner:
            return
        self._player_coming = None
        self.show_view("player")
        self.navigation.hide()  # a focused, full-window session: nothing else to click
        for bar in self.findChildren(QToolBar):
            bar.hide()
        if getattr(self, "reminders", None) is not None:
            self.reminders.mark_done(runner.due.slot)  # its reminder has been answered
        runner.start()
        runner.view.setFocus()

    def preview_player(self) -> bool:
        """Open the player on today's first open session (for `--screenshot --view player`)."""
        if self.services is None:
            return False
        from rehab_app.services.sessions import SlotState

        due = self.services.sessions.due_on(self.services.sessions.today())
        waiting = [s for s in due if s.state in (SlotState.TO_DO, SlotState.PARTLY)] or due
        if not waiting:
            return False
        self.start_session(waiting[0], at_once=True)
        return True

    def _leave_player(self) -> None:
        self.navigation.show()
        for bar in self.findChildren(QToolBar):
            bar.show()
        self.show_view("today")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.plan is not None:
            try:
                self.plan.keep_unsaved()
            except Exception as error:  # closing must never be blocked by this
                self.show_failure(str(error))
        super().closeEvent(event)

    def show_failure(self, message: str) -> None:
        self.statusBar().showMessage(
            self.tr("Something went wrong: %1. Your saved data is not affected.").replace(
                "%1", message
            )
        )
        self.failed.emit(message)

    def is_ready(self) -> bool:
        return self._status is not None and self._library_loaded and not self._building

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Let this paint reach the screen before slow work starts.
            QTimer.singleShot(0, self.first_painted.emit)

    # Internals -----------------------------------------------------------------------------

    def _replace_view(self, name: str, widget: QWidget) -> None:
        old = self.views[name]
        self.views[name] = widget
        self.stack.insertWidget(VIEWS.index(name), widget)
        # The new one first: removing the page on show would show another page for a moment
        # (laying out and polishing it, some 30 ms for nothing).
        if self.stack.currentWidget() is old:
            self.stack.setCurrentWidget(widget)
        self.stack.removeWidget(old)
        old.deleteLater()

    def _build_own_plan(self) -> None:
        self.show_view("plan")
        if self.plan is not None:
            self.plan.start_new_plan()

    def _add_undo_actions(self) -> None:
        edit = self.menuBar().insertMenu(self._go_menu.menuAction(), QMenu(self.tr("&Edit"), self))
        menu = edit.menu()
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        menu.addAction(undo)
        menu.addAction(redo)

    def _maybe_ready(self) -> None:
        if self.is_ready():
            self.ready.emit()

    def _navigate(self, row: int) -> None:
        if 0 <= row < len(NAVIGATION):
            self.stack.setCurrentWidget(self.views[NAVIGATION[row]])

    def _build_menus(self) -> None:
        self._shortcuts: list[tuple[QAction, QKeySequence | QKeySequence.StandardKey]] = []
        self._shortcuts_installed = False
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        # Backups and "Your data" (issue 6): usable once the data is open.
        self.data_action = QAction(self.tr("Your &data (backups, export)…"), self)
        self.data_action.setEnabled(False)
        self.data_action.triggered.connect(self.open_data_settings)
        file_menu.addAction(self.data_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self._shortcuts.append((quit_action, QKeySequence.StandardKey.Quit))

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self._go_menu = go_menu
        for position, name in enumerate(NAVIGATION):
            action = QAction(self.navigation.item(position).text(), self)
            action.triggered.connect(lambda _=False, n=name: self.show_view(n))
            go_menu.addAction(action)
            self.addAction(action)
            self._shortcuts.append((action, QKeySequence(f"Ctrl+{position + 1}")))

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About rehab_app"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        # Setting the first shortcut makes PySide build the Qt namespace's ~100 Python enums
        # (25-40 ms): after the first paint, so the window appears as fast as a bare one.
        # app.py installs them itself before it starts the workers (see install_shortcuts).
        self.first_painted.connect(lambda: QTimer.singleShot(0, self.install_shortcuts))

    def install_shortcuts(self) -> None:
        """Give the menu actions their keys (once). On a turn with no worker running if
        possible: a worker holding the GIL meanwhile doubles its 25-40 ms (issue 7)."""
        if self._shortcuts_installed:
            return
        self._shortcuts_installed = True
        for action, keys in self._shortcuts:
            action.setShortcut(keys)

    def show_about(self) -> QMessageBox:
        from PySide6.QtCore import Qt

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About rehab_app"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("rehab_app %1").replace("%1", __version__))
        box.setInformativeText(
            self.tr(
                "A home exercise coach and pain diary for sciatica and low back pain.\n\n"
                "It helps you follow the exercises your therapist gave you and keep track of"
                " how you feel. It does not diagnose and does not replace medical advice.\n\n"
                "Everything stays on this computer; the app needs no account and no internet."
                " Free software under the MIT licence."
            )
        )
        box.setIcon(QMessageBox.Icon.Information)
        box.open()  # not exec(): never block the event loop or the tests
        return box
