"""`rehab-app db check|backup|restore --data-dir DIR`: the data file without a display.

- `check` runs SQLite's `integrity_check` and `foreign_key_check` read-only (safe while the
  app is open, and on a damaged file): exit 0 when healthy, 1 with the report.
- `backup` writes a backup through SQLite's backup API and prints its file.
- `restore` replaces the data with a backup, after backing up the current data (a damaged
  file is moved aside instead); `--list` shows the backups to choose from.

`backup` and `restore` take the data folder's lock, as the app does, so they refuse to run
while rehab_app has the folder open (its Your data window does the same things).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Exit codes: 0 done / healthy, 1 a problem (explained on stderr, or the check's report).
OK, PROBLEM = 0, 1


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="check, back up and restore the data file")
    actions = db.add_subparsers(dest="action", required=True)

    check = actions.add_parser(
        "check", help="check the data file for damage; exit 0 when healthy, 1 otherwise"
    )
    check.add_argument("--data-dir", help="the data folder (default: the usual one)")
    check.set_defaults(handler=_check)

    backup = actions.add_parser("backup", help="back up the data now and print the backup file")
    backup.add_argument("--data-dir", help="the data folder (default: the usual one)")
    backup.set_defaults(handler=_backup)

    restore = actions.add_parser(
        "restore", help="replace the data with a backup (the current data is backed up first)"
    )
    restore.add_argument("--data-dir", help="the data folder (default: the usual one)")
    which = restore.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--backup", type=Path, metavar="FILE", help="the backup to restore (a path or its name)"
    )
    which.add_argument("--newest", action="store_true", help="restore the newest good backup")
    which.add_argument("--list", action="store_true", help="list the backups, newest first")
    restore.set_defaults(handler=_restore)


def _check(options: argparse.Namespace) -> int:
    from rehab_app.cli import resolve_data_dir
    from rehab_app.services.backups import check_database
    from rehab_app.storage.engine import database_path

    report = check_database(database_path(resolve_data_dir(options.data_dir)))
    print(report.text())
    return OK if report.healthy else PROBLEM


def _backup(options: argparse.Namespace) -> int:
    from rehab_app.core.errors import RehabError
    from rehab_app.services.backups import MANUAL
    from rehab_app.storage.backup import backup_database
    from rehab_app.storage.engine import database_path

    data_dir = _existing_data(options.data_dir)
    if data_dir is None:
        return PROBLEM
    with _locked(data_dir) as locked:
        if not locked:
            return PROBLEM
        try:
            path = backup_database(database_path(data_dir), data_dir, MANUAL)
        except (RehabError, OSError) as error:
            print(str(error), file=sys.stderr)
            return PROBLEM
    print(path)
    return OK


def _restore(options: argparse.Namespace) -> int:
    from rehab_app.cli import local_zone_name
    from rehab_app.core.errors import RehabError
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.backups import describe_backups
    from rehab_app.services.maintenance import restore_backup
    from rehab_app.storage.backup import backups_folder, newest_good_backup
    from rehab_app.storage.files import ensure_private_folder

    data_dir = _data_dir(options.data_dir)
    zone = local_zone_name()
    if options.list:
        found = describe_backups(data_dir, zone)
        if not found:
            print(f"There are no backups in {backups_folder(data_dir)} yet.")
        for info in found:
            when = f"{info.local:%Y-%m-%d %H:%M}"
            print(f"{when}  {info.reason:<28} {info.size:>10,} bytes  {info.path}")
        return OK
    if options.newest:
        backup = newest_good_backup(data_dir)
        if backup is None:
            print(f"There is no good backup in {backups_folder(data_dir)}.", file=sys.stderr)
            return PROBLEM
    else:
        backup = options.backup
        if not backup.exists() and (backups_folder(data_dir) / backup.name).exists():
            backup = backups_folder(data_dir) / backup.name  # named as `--list` shows it
        if not backup.is_file():
            print(f"{backup}: no such backup file", file=sys.stderr)
            return PROBLEM
    ensure_private_folder(data_dir)
    with _locked(data_dir) as locked:
        if not locked:
            return PROBLEM
        try:
            opened = restore_backup(data_dir, backup.absolute(), SystemClock(zone))
        except (RehabError, OSError) as error:
            print(str(error), file=sys.stderr)
            return PROBLEM
        if opened.engine is not None:
            opened.engine.dispose()
    print(f"Restored {backup.name}.")
    if opened.before_restore is not None:
        print(f"Your data from before the restore was backed up as {opened.before_restore}.")
    if opened.damaged_kept_in is not None:
        print(f"The damaged data file was kept in {opened.damaged_kept_in}.")
    if opened.engine is None:
        print(opened.status.message, file=sys.stderr)
        return PROBLEM
    return OK


def _data_dir(explicit: str | None) -> Path:
    from rehab_app.cli import resolve_data_dir

    return resolve_data_dir(explicit)


def _existing_data(explicit: str | None) -> Path | None:
    from rehab_app.storage.engine import database_path

    data_dir = _data_dir(explicit)
    if not database_path(data_dir).exists():
        print(f"There is no rehab_app data in {data_dir}.", file=sys.stderr)
        return None
    return data_dir


@contextmanager
def _locked(data_dir: Path) -> Iterator[bool]:
    """Hold the data folder's one-writer lock (DATA-SAFETY §1.2) for a block; False if the
    app (or another command) has it."""
    from rehab_app.ui.single_instance import DataFolderLock

    lock = DataFolderLock(data_dir)
    held = lock.acquire()
    if not held:
        print(
            f"rehab_app is open for {data_dir}. Use File → Your data there, or close it and"
            " try again.",
            file=sys.stderr,
        )
    try:
        yield held
    finally:
        if held:
            lock.release()
