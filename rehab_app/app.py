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
    from rehab_app.services.maintenance import OpenedData
    from rehab_app.ui.main_window import MainWindow

SCREENSHOT_TIMEOUT_MS = 60_000


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in cli.COMMANDS:
        return cli.run(arguments)
    options = _parse_gui_options(arguments)
    if options.screenshot:
        # A screenshot needs no display: render with the offscreen platform.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return _run_gui(options, arguments)


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
    parser.add_argument("--screenshot", metavar="FILE", help="save a PNG of the window and exit")
    parser.add_argument("--view", choices=VIEWS, default="today", help="area to show first")
    parser.add_argument("files", nargs="*", help="files to open (exercise packs)")
    return parser.parse_args(arguments)


@dataclass
class AppContext:
    """What the composition root owns while the GUI runs."""

    data_dir: Path
    clock: Clock
    window: MainWindow
    opened: OpenedData | None = None
    keep: list[Any] = field(default_factory=list)


def _run_gui(options: argparse.Namespace, arguments: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from rehab_app.core.timestamps import SystemClock
    from rehab_app.storage.files import ensure_private_folder
    from rehab_app.ui.single_instance import SingleInstance, forward_arguments

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(cli.APPLICATION_NAME)
    app.setApplicationDisplayName("rehab_app")
    _use_readable_font(app)

    data_dir = cli.resolve_data_dir(options.data_dir)
    try:
        ensure_private_folder(data_dir)
    except OSError as error:
        print(f"rehab_app cannot use the data folder {data_dir}: {error}", file=sys.stderr)
        return 1
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        if forward_arguments(data_dir, arguments):
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
    context = AppContext(data_dir, SystemClock(_local_zone_name()), window)
    instance.arguments_received.connect(lambda _args: _bring_to_front(window))
    window.banner.restore_requested.connect(lambda backup: _restore(context, backup))
    window.first_painted.connect(lambda: _open_in_background(context))
    window.show_view(options.view)
    exit_code = [0]
    if options.screenshot:
        _arrange_screenshot(app, window, Path(options.screenshot), options.view, exit_code)
    window.show()
    result = app.exec()
    _shut_down(context)
    instance.release()
    return exit_code[0] or result


def _use_readable_font(app: QApplication) -> None:
    """Follow the system font, but never below 11 points: many users are older."""
    font = app.font()
    if font.pointSizeF() < 11:
        font.setPointSizeF(11)
        app.setFont(font)


def _local_zone_name() -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _open_in_background(context: AppContext) -> None:
    from rehab_app.ui.tasks import run_in_background

    window = context.window

    def load_library() -> Any:
        from rehab_app.services.catalog import CatalogService

        return CatalogService().load()

    def open_data() -> OpenedData:
        from rehab_app.services.maintenance import open_data_folder

        return open_data_folder(context.data_dir, context.clock)

    def opened(result: OpenedData) -> None:
        context.opened = result
        window.show_data_status(result.status)

    run_in_background(load_library, window.show_library, lambda e: _report_failure(window, e))
    run_in_background(open_data, opened, lambda e: _report_failure(window, e))


def _restore(context: AppContext, backup: Path) -> None:
    from rehab_app.ui.tasks import run_in_background

    def restore() -> OpenedData:
        from rehab_app.services.maintenance import restore_backup

        return restore_backup(context.data_dir, backup, context.clock)

    def restored(result: OpenedData) -> None:
        context.opened = result
        context.window.show_data_status(result.status)

    run_in_background(restore, restored, lambda e: _report_failure(context.window, e))


def _report_failure(window: MainWindow, error: BaseException) -> None:
    window.statusBar().showMessage(
        window.tr("Something went wrong: %1").replace("%1", str(error) or type(error).__name__)
    )


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
        window.show_view(view)
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

    window.ready.connect(lambda: QTimer.singleShot(0, capture))
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, give_up)


def _shut_down(context: AppContext) -> None:
    if context.opened is not None and context.opened.engine is not None:
        context.opened.engine.dispose()
