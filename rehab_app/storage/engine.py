"""The one SQLAlchemy engine and the settings every connection gets (DATA-SAFETY §1).

Each connection: foreign keys on, WAL, `synchronous=FULL` (a committed entry survives power
loss), and a busy timeout. Transactions are begun explicitly with BEGIN (SQLAlchemy's recipe
for pysqlite), so schema changes in a migration are part of the same transaction as the data
changes and roll back with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from rehab_app.storage.files import create_private_file

DATABASE_NAME = "rehab.sqlite3"
BUSY_TIMEOUT_MS = 5000


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def open_engine(db_path: Path) -> Engine:
    """Return the engine for `db_path`, creating an empty 0600 file first if there is none."""
    create_private_file(db_path)
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin_explicitly)
    return engine


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy: pysqlite's own implicit BEGIN skips DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _begin_explicitly(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
