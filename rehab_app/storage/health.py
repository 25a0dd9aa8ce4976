"""Health checks that never write: a damaged database must not be touched (DATA-SAFETY §1.4)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def open_read_only(db_path: Path) -> sqlite3.Connection:
    """A connection that cannot modify the file (URI `mode=ro`)."""
    return sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def quick_check(db_path: Path) -> list[str]:
    """SQLite's `quick_check` on a read-only connection: an empty list means the file is sound."""
    try:
        with closing(open_read_only(db_path)) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages
