"""`rehab-app report --out FILE.pdf`: the visit report without opening the app.

Exit 0 with the file's path and page count; exit 1 with one clear line when the data folder
cannot be opened, the dates are wrong, or the file cannot be written. The period defaults to
the one the app's button uses (since the last visit report, else the last 6 weeks); a report
whose period ends today is remembered as made, so the next one starts here.

No display is needed: QPdfWriter needs a QGuiApplication for its fonts, and one is made on
the offscreen platform when the environment does not say otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

#: The application made for writing, kept so it outlives the writing.
_APPLICATION: list[Any] = []


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="write the visit report (PDF) for the next appointment",
        description="Write the visit report for the next appointment as a PDF.",
    )
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument(
        "--from",
        dest="first",
        metavar="YYYY-MM-DD",
        help="first day of the period (default: the day the last report was made, or 6 weeks ago)",
    )
    report.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: today)")
    report.add_argument("--page", choices=("a4", "letter"), default="a4", help="paper size")
    report.add_argument("--data-dir", help="the patient's data folder")
    report.set_defaults(handler=_report)


def _day(text: str | None, option: str) -> date | None:
    """The date given, None when not given; ValueError with a plain message when wrong.
    (Checked here rather than by argparse, which would exit with 2 instead of 1.)"""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} {text}: give a date like 2026-04-13.") from None


def _report(options: argparse.Namespace) -> int:
    from rehab_app.cli import local_zone_name, resolve_data_dir
    from rehab_app.core.errors import RehabError
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder
    from rehab_app.storage.engine import database_path

    try:
        first, last = _day(options.first, "--from"), _day(options.last, "--to")
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 1
    data_dir = resolve_data_dir(options.data_dir)
    out: Path = options.out
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    if not database_path(data_dir).exists():
        # Opening would create an empty folder: say plainly that there is nothing to report.
        print(f"There is no rehab_app data in {data_dir}.", file=sys.stderr)
        return 1
    if not out.parent.is_dir():
        print(f"Cannot write {out}: the folder {out.parent} does not exist.", file=sys.stderr)
        return 1
    clock = SystemClock(local_zone_name())
    opened = open_data_folder(data_dir, clock)
    if opened.engine is None:
        print(opened.status.message, file=sys.stderr)
        return 1
    _gui_application()
    from rehab_app.reports.visit_report import write_visit_report

    try:
        services = build_services(opened.engine, CatalogService().load(), clock)
        data = services.report.gather(first, last)
        pages = write_visit_report(out, data, options.page)
        services.report.record_made(data)
    except (RehabError, OSError) as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        opened.engine.dispose()
    period = data.period
    print(
        f"Wrote {out} ({pages} page{'s' if pages != 1 else ''}): the visit report for"
        f" {period.first.isoformat()} to {period.last.isoformat()}."
    )
    return 0


def _gui_application() -> None:
    """QPdfWriter lays out text with the fonts a QGuiApplication provides."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APPLICATION.append(QGuiApplication([sys.argv[0]]))
