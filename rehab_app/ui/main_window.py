"""The main window: navigation between the app's areas, a notice area, and a status bar.

It must paint at the speed of a bare Qt window, so it imports nothing heavy (no database, no
pydantic, not even the library screen or its SVG renderer): the Library area starts as a
"loading" page and the real view is built when `show_library` hands over the exercises.
`app.py` opens the data in the background and calls `show_data_status`; `ready` fires once
both have arrived.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING

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
from rehab_app.ui.views.placeholder import PlaceholderView

if TYPE_CHECKING:
    from rehab_app.core.changes import Changes
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.catalog import Library
    from rehab_app.services.sessions import DueSession
    from rehab_app.services.status import DataStatus
    from rehab_app.ui.backup_scheduler import BackupScheduler
    from rehab_app.ui.dialogs.data_settings import DataSettingsDialog
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


class MainWindow(QMainWindow):
    first_painted = Signal()
    library_filled = Signal()
    ready = Signal()
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
        self.library.set_library(library)
        self._library_loaded = True
        self.library_filled.emit()
        self._maybe_ready()

    def attach_services(self, services: AppServices) -> None:
        """The data is open: build the areas that work on it (after the first paint)."""
        from PySide6.QtGui import QUndoStack

        from rehab_app.ui.bus import Bus
        from rehab_app.ui.views.plan import PlanView
        from rehab_app.ui.views.today import TodayView

        self.services = services
        self.bus = Bus(self)
        self.undo_stack = QUndoStack(self)
        self._add_undo_actions()
        self.today = TodayView()
        self.plan = PlanView()
        self._replace_view("today", self.today)
        self._replace_view("plan", self.plan)
        self.today.attach(services, self.bus, self.undo_stack)
        self.plan.attach(services, self.bus, self.undo_stack)
        self.today.plan_requested.connect(self._build_own_plan)
        self.today.pack_requested.connect(lambda: self.show_view("packs"))
        self.today.start_requested.connect(self.start_session)
        self.plan.saved.connect(lambda: self.statusBar().showMessage(self.tr("Plan saved.")))
        self._start_reminders(services)
        self._start_safety(services)
        self._start_diary(services)
        self._start_progress(services)
        self._start_packs(services)
        self._start_backups(services)

    def _start_packs(self, services: AppServices) -> None:
        from rehab_app.ui.views.packs import PacksView

        self.packs = PacksView()
        self._replace_view("packs", self.packs)
        self.packs.attach(services, self.bus, self.handout_writer)
        self.packs.imported.connect(
            lambda _result: self.statusBar().showMessage(self.tr("Pack imported."))
        )
        if services.library.custom_ids:  # exercises from packs join the built-in ones
            self.show_library(services.library)
        self.bus.changed.connect(
            lambda changes: self.show_library(services.library) if changes.library else None
        )
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
        self.data_action.setEnabled(True)

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
        if self.packs is None:
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
        from rehab_app.core.diary import Context
        from rehab_app.ui.views.diary import DiaryView, MorningCheckIn

        assert self.today is not None
        self.diary = DiaryView()
        self._replace_view("diary", self.diary)
        self.diary.attach(services, self.bus, self.undo_stack)
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
            # A session done or skipped elsewhere closes its reminder.
            if changes.sessions or changes.plan:
                still_open = set(open_times())
                for slot in list(self.reminders_shown()):
                    if slot not in still_open:
                        self.reminders.mark_done(slot)

        self.bus.changed.connect(sessions_changed)
        self.reminders.start()

    def reminders_shown(self) -> list[time]:
        banner = self.reminder_presenter.banner
        return [banner.slot] if banner.slot is not None and banner.isVisible() else []

    def _start_slot(self, slot: time) -> None:
        assert self.services is not None
        due = self.services.sessions.due_on(self.services.sessions.today())
        session = next((s for s in due if s.slot == slot), None)
        if session is not None:
            self.start_session(session)

    def start_session(self, session: DueSession) -> None:
        """Run a due session in the guided player; each finished exercise is saved at once."""
        if getattr(self, "safety", None) is not None and self.safety.exercises_stopped:
            self.statusBar().showMessage(self.tr("Exercises are stopped: see the notice on Today."))
            return
        from rehab_app.ui.session_runner import SessionRunner

        assert self.services is not None
        from PySide6.QtWidgets import QFrame, QScrollArea

        runner = SessionRunner(self.services, self.bus, self.undo_stack, session, self)
        # Scrollable rather than forcing the window taller than a small screen.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(runner.view)
        self._replace_view("player", holder)
        runner.finished.connect(self._leave_player)
        self._runner = runner
        self.show_view("player")
        self.navigation.hide()  # a focused, full-window session: nothing else to click
        for bar in self.findChildren(QToolBar):
            bar.hide()
        if getattr(self, "reminders", None) is not None:
            self.reminders.mark_done(session.slot)  # its reminder has been answered
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
        self.start_session(waiting[0])
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
        return self._status is not None and self._library_loaded

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Let this paint reach the screen before slow work starts.
            QTimer.singleShot(0, self.first_painted.emit)

    # Internals -----------------------------------------------------------------------------

    def _replace_view(self, name: str, widget: QWidget) -> None:
        showing = self.stack.currentWidget() is self.views[name]
        old = self.views[name]
        self.stack.removeWidget(old)
        old.deleteLater()
        self.views[name] = widget
        self.stack.insertWidget(VIEWS.index(name), widget)
        if showing:
            self.stack.setCurrentWidget(widget)

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
        # Setting the first shortcut makes PySide build ~100 Python enums (about 70 ms):
        # do it right after the first paint, so the window appears as fast as a bare one.
        self.first_painted.connect(lambda: QTimer.singleShot(0, self._install_shortcuts))

    def _install_shortcuts(self) -> None:
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
