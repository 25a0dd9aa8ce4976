"""Headless commands (`rehab-app exercises validate ...`) and the data-folder choice.

These run without a display and without creating any window. `rehab_app.app.main` hands a
command line to `run` when its first word is one of `COMMANDS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

DATA_DIR_VARIABLE = "REHAB_APP_DATA_DIR"
APPLICATION_NAME = "rehab_app"
COMMANDS = frozenset({"exercises", "demo-data", "pack", "db", "export", "import", "report"})


def default_data_dir() -> Path:
    """The per-user application data folder (QStandardPaths.AppDataLocation)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName("")
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location)


def resolve_data_dir(explicit: str | None) -> Path:
    """`--data-dir` wins, then $REHAB_APP_DATA_DIR, then the per-user default."""
    chosen = explicit or os.environ.get(DATA_DIR_VARIABLE)
    return Path(chosen).expanduser().absolute() if chosen else default_data_dir()


def local_zone_name() -> str:
    """The system's IANA time zone, or UTC when Qt reports one Python does not know."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def run(argv: Sequence[str]) -> int:
    parser = _parser()
    options = parser.parse_args(list(argv))
    return int(options.handler(options))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rehab-app", description="rehab_app commands")
    commands = parser.add_subparsers(dest="command", required=True)
    exercises = commands.add_parser("exercises", help="work with exercise definition files")
    exercise_commands = exercises.add_subparsers(dest="action", required=True)
    validate = exercise_commands.add_parser(
        "validate",
        help="check exercise files or folders; exit 0 when all are valid, 1 otherwise",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the built-in library)"
    )
    validate.add_argument(
        "--illustrations",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="another folder to look for pictures in (may be repeated)",
    )
    validate.set_defaults(handler=_validate_exercises)

    demo = commands.add_parser(
        "demo-data",
        help="write synthetic history into a data folder (for trying out and benchmarks)",
    )
    demo.add_argument("--days", type=int, default=180, help="days of history (default 180)")
    demo.add_argument("--data-dir", required=True, help="the data folder to fill (must be new)")
    demo.add_argument(
        "--entries-per-day", type=int, default=2, help="diary entries a day (default 2)"
    )
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(handler=_demo_data)

    from rehab_app.cli import db, exports, packs, report

    for module in (packs, report, exports, db):
        module.add_commands(commands)
    return parser


def _validate_exercises(options: argparse.Namespace) -> int:
    from rehab_app.formats import bundled
    from rehab_app.formats.exercise_toml import collect_files, load_exercises

    paths: list[Path] = options.paths or [bundled.exercises_dir()]
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        print(f"{path}: no such file or folder", file=sys.stderr)
    paths = [path for path in paths if path.exists()]
    folders = [path if path.is_dir() else path.parent for path in paths]
    picture_folders = [
        *options.illustrations,
        *folders,
        *(folder / "media" for folder in folders),
        bundled.illustrations_dir(),
    ]
    built_in = load_exercises([bundled.exercises_dir()], [bundled.illustrations_dir()])
    known_ids = {exercise.id for exercise in built_in.exercises}
    result = load_exercises(paths, picture_folders, known_ids)
    for problem in result.problems:
        print(problem)
    checked = len(collect_files(paths))
    if result.problems or missing:
        print(
            f"{len(result.problems)} problem(s) in {len(result.skipped)} of {checked} file(s).",
            file=sys.stderr,
        )
        return 1
    print(f"{checked} exercise file(s) checked: all valid.")
    return 0


def fill_with_demo_data(data_dir: Path, days: int, entries_per_day: int = 2, seed: int = 1) -> str:
    """Create `data_dir` with `days` of synthetic history; returns a one-line summary."""
    from datetime import UTC, datetime

    from rehab_app.core.errors import RehabError
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.demo import write_demo_data
    from rehab_app.services.maintenance import open_data_folder

    if (data_dir / "rehab.sqlite3").exists():
        raise RehabError(f"{data_dir} already holds data; demo data only goes into a new folder.")
    clock = SystemClock("UTC")
    opened = open_data_folder(data_dir, clock)
    if opened.engine is None:
        raise RehabError(opened.status.message)
    try:
        summary = write_demo_data(
            opened.engine,
            CatalogService().load(),
            "UTC",
            days,
            datetime.now(UTC).date(),
            seed=seed,
            entries_per_day=entries_per_day,
            until=datetime.now(UTC),
        )
    finally:
        opened.engine.dispose()
    return (
        f"{summary.days} days: {summary.diary_entries} diary entries, {summary.sessions}"
        f" sessions ({summary.exercise_logs} exercises), {summary.plan_versions} plan versions"
        f" written to {data_dir}."
    )


def _demo_data(options: argparse.Namespace) -> int:
    from rehab_app.core.errors import RehabError

    if not 1 <= options.days <= 36_500:
        print("--days must be between 1 and 36500", file=sys.stderr)
        return 1
    try:
        print(
            fill_with_demo_data(
                Path(options.data_dir), options.days, options.entries_per_day, options.seed
            )
        )
    except (RehabError, OSError) as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0
