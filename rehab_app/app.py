"""Composition root: parse the command line, choose the data folder, start the GUI.

Start-up order is chosen for speed and safety:
1. headless commands go to `rehab_app.cli` and never create a window;
2. the data folder is claimed for this process (a second launch hands over its arguments);
3. the window is shown before anything heavy is imported (sqlmodel, alembic, pydantic);
4. after the first paint, the library and the database are opened on worker threads; the
   window fills in as their results arrive.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehab_app import cli

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from rehab_app.core.timestamps import Clock
    from rehab_app.services.bundle import AppServices
    from rehab_app.services.catalog import Library
    from rehab_app.services.maintenance import OpenedData
    from rehab_app.ui.main_window import MainWindow

SCREENSHOT_TIMEOUT_MS = 60_000
DEMO_DAYS = 182  # about six months
#: When set, start-up milestones are appended to this file as "name unix-time" lines; the
#: start-up benchmark (tests/benchmarks) reads them.
STARTUP_LOG_VARIABLE = "REHAB_APP_STARTUP_LOG"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in cli.COMMANDS:
        return cli.run(arguments)
    options = _parse_gui_options(arguments)
    if options.screenshot:
        # A screenshot needs no display: render with the offscreen platform.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return _run_gui(options)


def _parse_gui_options(arguments: list[str]) -> argparse.Namespace:
    from rehab_app.ui.main_window import VIEWS

    parser = argparse.ArgumentParser(
        prog="rehab-app",
        description="rehab_app: a home exercise coach and pain diary for sciatica and back pain."
        " Commands: 'rehab-app exercises validate [PATH ...]'.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder for your data (default: ${cli.DATA_DIR_VARIABLE} or the per-user folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on a throw-away folder with six months of made-up history, to look around",
    )
    parser.add_argument("--screenshot", metavar="FILE", help="save a PNG of the window and exit")
    parser.add_argument("--view", choices=VIEWS, default="today", help="area to show first")
    parser.add_argument("files", nargs="*", help="files to open (exercise packs)")
    return parser.parse_args(arguments)


@dataclass(frozen=True)
class _Opened:
    """What the worker that opens the data hands back: the data, and the services built on it
    (or why they could not be)."""

    data: OpenedData
    services: AppServices | None = None
    error: BaseException | None = None


@dataclass
class AppContext:
    """What the composition root owns while the GUI runs."""

    data_dir: Path
    window: MainWindow
    clock: Clock | None = None  # made after the first paint: time zones take a while to load
    opened: OpenedData | None = None
    library: Library | None = None
    keep: list[Any] = field(default_factory=list)


def _run_gui(options: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from rehab_app.storage.files import ensure_private_folder
    from rehab_app.ui.single_instance import SingleInstance, forward_arguments

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(cli.APPLICATION_NAME)
    app.setApplicationDisplayName("rehab_app")
    _use_readable_font(app)

    if options.demo:
        import tempfile

        data_dir = Path(tempfile.mkdtemp(prefix="rehab-app-demo-"))
        print(cli.fill_with_demo_data(data_dir, DEMO_DAYS))
    else:
        data_dir = cli.resolve_data_dir(options.data_dir)
    try:
        ensure_private_folder(data_dir)
    except OSError as error:
        print(f"rehab_app cannot use the data folder {data_dir}: {error}", file=sys.stderr)
        return 1
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        # Absolute paths: the running instance may have another working folder.
        files = [str(Path(name).absolute()) for name in options.files]
        if forward_arguments(data_dir, files):
            print(f"rehab_app is already open for {data_dir}; your request was passed to it.")
            return 0
        print(
            f"rehab_app is already open for {data_dir} but did not answer. Close it (or wait"
            " for it to finish) and try again.",
            file=sys.stderr,
        )
        return 1

    from rehab_app.ui.main_window import MainWindow

    window = MainWindow()
    window._screenshot_mode = bool(options.screenshot)
    window.handout_writer = _write_handout
    window.report_writer = _write_report
    context = AppContext(data_dir, window)
    # context.window, not window: a restore replaces the window (issue 6, _replace_window).
    instance.arguments_received.connect(lambda _args: _bring_to_front(context.window))
    instance.arguments_received.connect(lambda args: context.window.open_files(args))
    # Packs named on the command line open once the data is (queued until then).
    window.open_files([str(Path(name).absolute()) for name in options.files])
    _connect_data_requests(context, window)
    _log_milestones(window)
    window.first_painted.connect(instance.listen)
    window.first_painted.connect(lambda: _open_in_background(context))
    window.show_view(options.view)
    exit_code = [0]
    if options.screenshot:
        _arrange_screenshot(app, window, Path(options.screenshot), options.view, exit_code)
    window.show()
    result = app.exec()
    _shut_down(context)
    instance.release()
    if options.demo:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)  # demo data is thrown away
    return exit_code[0] or result


#: Imported only after the first paint (ARCHITECTURE.md): the start-up log names any that were not.
HEAVY_MODULES = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "pyqtgraph", "numpy", "PIL")


def _log_milestones(window: MainWindow) -> None:
    log_file = os.environ.get(STARTUP_LOG_VARIABLE)
    if not log_file:
        return
    import time

    def write(name: str) -> None:
        with open(log_file, "a", encoding="utf-8") as stream:
            stream.write(f"{name} {time.time():.6f}\n")

    def first_paint() -> None:
        write("first_paint")
        # What was imported before the window could paint: the heavy layers must not be.
        heavy = [name for name in HEAVY_MODULES if name in sys.modules]
        with open(log_file, "a", encoding="utf-8") as stream:
            stream.write(f"heavy_before_first_paint {','.join(heavy) or '-'}\n")

    window.first_painted.connect(first_paint)
    window.library_filled.connect(lambda: write("library_filled"))
    window.ready.connect(lambda: write("ready"))


def _use_readable_font(app: QApplication) -> None:
    """Follow the system font, but never below 11 points: many users are older."""
    font = app.font()
    if font.pointSizeF() < 11:
        font.setPointSizeF(11)
        app.setFont(font)


def _freeze_start_up_objects() -> None:
    """Keep what start-up made (modules, screens, the library) out of later garbage
    collections. A full collection scans every object: with the app started that is about
    140,000 objects and 80-110 ms, a stall a person feels whenever Python decides to run one
    (issue 7). Frozen objects are never scanned again; what is made later still is. The few
    cycles of start-up garbage not yet collected are kept, which costs little."""
    import gc

    if gc.get_freeze_count() == 0:  # once: a window made later (a restore) adds little
        gc.freeze()


def _open_in_background(context: AppContext) -> None:
    from rehab_app.ui.tasks import run_in_background

    window = context.window
    # Its one-off cost (PySide's enums) now, while no worker competes for the GIL.
    window.install_shortcuts()
    window.settled.connect(_freeze_start_up_objects)
    if context.clock is None:
        from rehab_app.core.timestamps import SystemClock

        context.clock = SystemClock(cli.local_zone_name())
    clock = context.clock

    def load_library() -> Any:
        from rehab_app.services.catalog import CatalogService

        return CatalogService().load()

    def open_data() -> _Opened:
        from rehab_app.services.maintenance import open_data_folder

        result = open_data_folder(context.data_dir, clock)
        # Set on the GUI thread before this task started (or None: it failed to load).
        library = context.library
        if result.engine is None or library is None:
            return _Opened(result)
        # Still on this worker: importing the services and the screens' modules, building the
        # services and running their first queries takes about half a second cold, which
        # would stall the window.
        from rehab_app.services.bundle import build_services
        from rehab_app.ui.main_window import import_screens, warm_up

        try:
            services = build_services(result.engine, library, clock)
            import_screens()
            warm_up(services)
        except Exception as error:  # reported on the GUI thread, with the engine kept
            return _Opened(result, error=error)
        return _Opened(result, services)

    def opened(result: _Opened) -> None:
        context.opened = result.data
        if result.error is not None:
            _report_failure(window, result.error)
            return
        if result.services is not None:
            window.attach_services(result.services)
        window.show_data_status(result.data.status)

    def library_loaded(library: Any) -> None:
        context.library = library
        window.show_library(library)
        run_in_background(open_data, opened, lambda e: _report_failure(window, e))

    # One after the other, not side by side: two threads importing pydantic at once can trip
    # PySide's import hook into a circular-import error (seen about once in twenty starts).
    def library_failed(error: BaseException) -> None:
        _report_failure(window, error)
        run_in_background(open_data, opened, lambda e: _report_failure(window, e))

    run_in_background(load_library, library_loaded, library_failed)


# Restore, delete everything, and the backup on close (issue 6) -------------------------------


def _connect_data_requests(context: AppContext, window: MainWindow) -> None:
    window.restore_requested.connect(lambda backup: _restore(context, backup))
    window.fresh_start_requested.connect(lambda: _start_fresh(context))


def _restore(context: AppContext, backup: Path) -> None:
    """Restore `backup`: from the damaged-data notice, or from File → Your data.

    With the data open, the backup service restores it (backing up the current data first,
    and closing the engine before the files move) and the window is rebuilt on the restored
    data. Without open data (it was damaged) the damaged file is moved aside and the services
    are built for the first time, on the same window.
    """
    from rehab_app.ui.tasks import run_in_background

    clock = context.clock
    assert clock is not None, "a restore is only offered after the data was opened"
    window = context.window
    services = window.services

    def restore() -> OpenedData:
        if services is not None:
            return services.backups.restore(backup)
        from rehab_app.services.maintenance import restore_backup

        return restore_backup(context.data_dir, backup, clock)

    def restored(result: OpenedData) -> None:
        context.opened = result
        if services is not None:
            _replace_window(context, result, _restored_message(backup, clock))
            return
        if result.engine is not None and context.library is not None:
            from rehab_app.services.bundle import build_services

            window.attach_services(build_services(result.engine, context.library, clock))
        window.show_data_status(result.status)

    run_in_background(restore, restored, lambda e: _report_failure(window, e))


def _restored_message(backup: Path, clock: Clock) -> str:
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QCoreApplication

    from rehab_app.storage.backup import backup_taken_at
    from rehab_app.ui.dialogs.data_settings import when_words

    now = clock.now()
    taken = backup_taken_at(backup)
    when = when_words(taken.astimezone(ZoneInfo(now.tz_name)), now.local_day) if taken else ""
    return QCoreApplication.translate(
        "app",
        "Your data is back as it was: %1. What you had just before was backed up first.",
    ).replace("%1", when or backup.name)


def _start_fresh(context: AppContext) -> None:
    """The person confirmed "delete everything" twice: delete, then start on an empty folder."""
    from rehab_app.ui.tasks import run_in_background

    clock = context.clock
    window = context.window
    services = window.services
    if clock is None or services is None:
        return

    def delete() -> OpenedData:
        from rehab_app.services.maintenance import open_data_folder

        services.backups.delete_everything()
        return open_data_folder(context.data_dir, clock)

    def deleted(result: OpenedData) -> None:
        from PySide6.QtCore import QCoreApplication

        context.opened = result
        message = QCoreApplication.translate(
            "app", "Everything was deleted. rehab_app starts afresh, as on the first day."
        )
        _replace_window(context, result, message)

    run_in_background(delete, deleted, lambda e: _report_failure(window, e))


def _replace_window(context: AppContext, result: OpenedData, message: str) -> None:
    """Show newly opened data in a new window, and close the old one.

    Everything the old window built on the data (screens, undo history, reminder and backup
    timers, menus added by attach_services) belongs to data that is gone; attach_services
    builds those once per window, so a new window is the one clean way to drop them all.
    """
    from rehab_app.ui.main_window import MainWindow

    old = context.window
    if old.backup_scheduler is not None:
        old.backup_scheduler.stop()
    window = MainWindow()
    window._screenshot_mode = old._screenshot_mode
    window.handout_writer = old.handout_writer
    window.report_writer = old.report_writer
    window.setGeometry(old.geometry())
    _connect_data_requests(context, window)
    context.window = window
    if context.library is not None:
        window.show_library(context.library)
    if result.engine is not None and context.library is not None and context.clock is not None:
        from rehab_app.services.bundle import build_services

        window.attach_services(build_services(result.engine, context.library, context.clock))
    window.show_data_status(result.status)
    if result.engine is not None:
        window.statusBar().showMessage(message)
    window.show_view("today")
    if old.isMaximized():
        window.showMaximized()
    else:
        window.show()
    old.close()
    old.deleteLater()


# ----------------------------------------------------------------------------------------------


def _report_failure(window: MainWindow, error: BaseException) -> None:
    import traceback

    traceback.print_exception(error, file=sys.stderr)  # for a bug report; holds no health data
    window.show_failure(str(error) or type(error).__name__)


def _bring_to_front(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
    window.statusBar().showMessage(window.tr("rehab_app is already open: here it is."))


def _arrange_screenshot(
    app: QApplication, window: MainWindow, target: Path, view: str, exit_code: list[int]
) -> None:
    from PySide6.QtCore import QTimer

    def capture() -> None:
        if not (view == "player" and window.preview_player()):
            window.show_view(view)
        if view == "progress" and window.progress is not None:
            # The charts load in the background: wait until they are drawn.
            window.progress.drawn.connect(lambda: QTimer.singleShot(0, save))
            window.progress.load_failed.connect(failed)
            window.progress.refresh()
            return
        save()

    def save() -> None:
        app.processEvents()
        saved = window.grab().save(str(target), "PNG")
        if not saved:
            print(f"could not write the screenshot to {target}", file=sys.stderr)
            exit_code[0] = 1
        app.quit()

    def give_up() -> None:
        print("the window did not finish loading; no screenshot was taken", file=sys.stderr)
        exit_code[0] = 1
        app.quit()

    def failed(message: str) -> None:
        print(f"start-up failed, no screenshot was taken: {message}", file=sys.stderr)
        exit_code[0] = 1
        app.quit()

    window.ready.connect(lambda: QTimer.singleShot(0, capture))
    window.failed.connect(failed)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, give_up)


#: How long quitting waits for work still running on worker threads (an import, a report).
SHUT_DOWN_WAIT_MS = 60_000


def _shut_down(context: AppContext) -> None:
    from PySide6.QtCore import QThreadPool

    # Workers first: one may still be writing through the engine, or finishing the imports
    # made after start-up (quitting at once, as --screenshot does, would cut them off and
    # leave their results to objects already gone).
    QThreadPool.globalInstance().waitForDone(SHUT_DOWN_WAIT_MS)
    # Issue 6: a last backup if anything changed (after quick_check), before the engine goes.
    if context.window.backup_scheduler is not None:
        context.window.backup_scheduler.shut_down()
    if context.opened is not None and context.opened.engine is not None:
        context.opened.engine.dispose()


def _write_handout(*arguments: Any) -> int:
    """The screens print through this; reports are imported on first use, not at start-up."""
    from rehab_app.reports.handout import write_plan_handout

    return write_plan_handout(*arguments)


def _write_report(*arguments: Any) -> int:
    """The Progress screen writes the visit report through this (reports load on first use)."""
    from rehab_app.reports.visit_report import write_visit_report

    return write_visit_report(*arguments)
