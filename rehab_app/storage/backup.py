"""Backups through SQLite's online backup API, never a file copy (DATA-SAFETY §1.3).

A file copy of a live WAL database can miss committed pages that still sit in the -wal file;
the backup API reads a consistent snapshot. A database that fails `quick_check` is never
backed up, so a damaged file can never push out a good backup.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from rehab_app.core.errors import StorageError
from rehab_app.storage.files import (
    FILE_MODE,
    create_private_file,
    ensure_private_folder,
    fsync_folder,
)
from rehab_app.storage.health import open_read_only, quick_check

BACKUP_FOLDER = "backups"
_NAME = re.compile(r"^rehab-(\d{8}T\d{6}(?:\d{6})?Z)-([a-z0-9-]+)\.sqlite3$")


def backups_folder(data_dir: Path) -> Path:
    return data_dir / BACKUP_FOLDER


def backup_database(
    db_path: Path, data_dir: Path, reason: str, now: datetime | None = None
) -> Path:
    """Write a consistent, checked copy of `db_path` into the backups folder and return it."""
    problems = quick_check(db_path)
    if problems:
        raise StorageError(
            f"The database {db_path} failed its check, so it was not backed up: {problems[0]}"
        )
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    folder = ensure_private_folder(backups_folder(data_dir))
    target = folder / f"rehab-{moment:%Y%m%dT%H%M%S%fZ}-{_slug(reason)}.sqlite3"
    partial = target.with_suffix(".partial")
    create_private_file(partial)
    try:
        with closing(open_read_only(db_path)) as source, closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        with open(partial, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(partial, FILE_MODE)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    return target


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest first."""
    folder = backups_folder(data_dir)
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if _NAME.match(path.name)]
    return sorted(found, key=lambda path: _NAME.match(path.name).group(1), reverse=True)  # type: ignore[union-attr]


def backup_taken_at(backup: Path) -> datetime | None:
    """When a backup was made, read from its name (UTC), or None for a foreign file."""
    match = _NAME.match(backup.name)
    if match is None:
        return None
    stamp = match.group(1)
    pattern = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
    return datetime.strptime(stamp, pattern).replace(tzinfo=UTC)


def newest_good_backup(data_dir: Path) -> Path | None:
    """The most recent backup that passes `quick_check`, or None."""
    for candidate in list_backups(data_dir):
        if not quick_check(candidate):
            return candidate
    return None


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
