"""Health checks that never write: a damaged database must not be touched (DATA-SAFETY §1.4)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def open_read_only(db_path: Path, untouched: bool = False) -> sqlite3.Connection:
    """A connection that cannot modify the database file (URI `mode=ro`).

    `untouched=True` is for a file no process has open (checked at start-up under the
    instance lock): when it has no -wal file, it is opened immutable, so SQLite does not even
    create the -wal and -shm side files next to a possibly damaged database.
    """
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    if untouched and not db_path.with_name(db_path.name + "-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=5)


def quick_check(db_path: Path, untouched: bool = False) -> list[str]:
    """SQLite's `quick_check` on a read-only connection: an empty list means the file is sound."""
    try:
        with closing(open_read_only(db_path, untouched)) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def full_check(db_path: Path) -> tuple[list[str], list[str]]:
    """SQLite's `integrity_check` and `foreign_key_check` on a read-only connection.

    Returns (damage, broken links): the messages of `integrity_check` (empty when it says
    "ok"), and one line per row that points to a missing row. Slower than `quick_check` (it
    also compares every index with its table), so it runs when the person asks for a check.
    """
    try:
        with closing(open_read_only(db_path)) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            messages = [str(row[0]) for row in rows]
            damage = [] if messages == ["ok"] else messages
            try:
                orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
            except sqlite3.DatabaseError as error:  # a damaged schema can stop this check
                return damage or [str(error)], []
    except sqlite3.DatabaseError as error:
        return [str(error)], []
    links = [
        f"row {rowid} of table {table} refers to a missing entry in table {parent}"
        for table, rowid, parent, _key in orphans
    ]
    return damage, links
