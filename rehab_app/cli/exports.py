"""`rehab-app export csv|fhir|bundle` and `rehab-app import diary`: the data in and out without
a display.

Every command opens the data folder the way the app does (`open_data_folder`, which may upgrade
an older database after a backup) and holds the folder's one-writer lock while it works, as
`pack import` does: opening can write, and the first export records the folder's anonymous
patient identifier. With the app open on the same folder the command says so and stops.

Exit 0 on success; 1 with each problem on its own line (`file: line N: column: message` for a
bad CSV row) otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rehab_app.services.bundle import AppServices


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export", help="write the diary, sessions and questionnaires as CSV, FHIR or a bundle"
    )
    kinds = export.add_subparsers(dest="kind", required=True)
    csv = kinds.add_parser(
        "csv", help="write diary.csv, sessions.csv and questionnaires.csv into a folder"
    )
    csv.add_argument("--out", type=Path, required=True, metavar="FOLDER")
    csv.set_defaults(handler=_export_csv)
    fhir = kinds.add_parser("fhir", help="write an HL7 FHIR R4 Bundle (JSON)")
    fhir.add_argument("--out", type=Path, required=True, metavar="FILE.json")
    fhir.set_defaults(handler=_export_fhir)
    bundle = kinds.add_parser(
        "bundle", help="write a visit bundle: the report PDF, the CSVs and the FHIR bundle"
    )
    bundle.add_argument("--out", type=Path, required=True, metavar="FILE.zip")
    bundle.add_argument(
        "--no-report", action="store_true", help="leave the report PDF out of the bundle"
    )
    bundle.set_defaults(handler=_export_bundle)
    for parser in (csv, fhir, bundle):
        parser.add_argument("--data-dir", help="the data folder to export from")

    importing = commands.add_parser("import", help="bring data back in from a file")
    what = importing.add_subparsers(dest="kind", required=True)
    diary = what.add_parser(
        "diary", help="import a diary CSV (every row is checked; nothing is imported if any is bad)"
    )
    diary.add_argument("file", type=Path, metavar="FILE.csv")
    diary.add_argument("--data-dir", help="the data folder to import into")
    diary.set_defaults(handler=_import_diary)


@contextmanager
def open_services(data_dir_option: str | None) -> Iterator[AppServices]:
    """The services on the chosen data folder, holding its lock; RehabError when not possible."""
    from rehab_app.cli import local_zone_name, resolve_data_dir
    from rehab_app.core.errors import RehabError
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder
    from rehab_app.storage.files import ensure_private_folder
    from rehab_app.ui.single_instance import DataFolderLock

    data_dir = resolve_data_dir(data_dir_option)
    ensure_private_folder(data_dir)
    lock = DataFolderLock(data_dir)
    if not lock.acquire():
        raise RehabError(
            f"rehab_app is open for {data_dir}. Close it and try again, or use the app itself."
        )
    try:
        clock = SystemClock(local_zone_name())
        opened = open_data_folder(data_dir, clock)
        if opened.engine is None:
            raise RehabError(opened.status.message)
        try:
            yield build_services(opened.engine, CatalogService().load(), clock)
        finally:
            opened.engine.dispose()
    finally:
        lock.release()


def visit_report_writer(services: AppServices) -> Callable[[Path], None] | None:
    """How the bundle's report.pdf is written: the visit report (rehab_app.reports.visit_report)
    of the report service's default period. None when this build has no visit report, and the
    bundle is then made without one."""
    try:
        from rehab_app.reports.visit_report import write_visit_report

        report = services.report
    except (ImportError, AttributeError):
        return None

    def write(path: Path) -> None:
        _ensure_gui_application()
        write_visit_report(path, report.gather())

    return write


def _ensure_gui_application() -> None:
    """QPdfWriter lays text out with fonts, which needs a QGuiApplication; a headless command
    has none, so make one on the offscreen platform (no display needed)."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _gui_application.append(QGuiApplication(["rehab-app"]))


#: Qt allows one application object per process, made once and kept until the process ends.
_gui_application: list[object] = []


def _export_csv(options: argparse.Namespace) -> int:
    def run(services: AppServices) -> str:
        paths = services.exports.write_csvs(options.out)
        return "Wrote " + ", ".join(str(path) for path in paths) + "."

    return _run(options, run)


def _export_fhir(options: argparse.Namespace) -> int:
    def run(services: AppServices) -> str:
        count = services.exports.write_fhir(options.out)
        return f"Wrote {options.out}: a FHIR R4 Bundle of {count} resources."

    return _run(options, run)


def _export_bundle(options: argparse.Namespace) -> int:
    def run(services: AppServices) -> str:
        writer = None if options.no_report else visit_report_writer(services)
        manifest = services.exports.write_visit_bundle(options.out, writer)
        period = (
            f"{manifest.first_day.isoformat()} to {manifest.last_day.isoformat()}"
            if manifest.first_day and manifest.last_day
            else "no data yet"
        )
        report = "with" if "report.pdf" in manifest.members else "without"
        return f"Wrote {options.out} ({period}), {report} the report PDF."

    return _run(options, run)


def _import_diary(options: argparse.Namespace) -> int:
    def run(services: AppServices) -> str:
        result, _ = services.exports.import_diary_csv(options.file)
        skipped = f"; {result.skipped} already in the diary were skipped" if result.skipped else ""
        return f"Imported {result.added} diary entries from {options.file.name}{skipped}."

    return _run(options, run)


def _run(options: argparse.Namespace, work: Callable[[AppServices], str]) -> int:
    from rehab_app.core.errors import ProblemsError, RehabError

    try:
        with open_services(options.data_dir) as services:
            message = work(services)
    except ProblemsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was changed.", file=sys.stderr)
        return 1
    except (RehabError, OSError) as error:
        print(str(error), file=sys.stderr)
        return 1
    print(message)
    return 0
