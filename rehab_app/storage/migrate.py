"""Bring the database to this build's schema at start-up (DATA-SAFETY §1.5).

- A new (empty) database is created from the table classes and stamped at the head revision.
- A database at this build's head needs nothing, and Alembic is not even imported.
- An older one is backed up through the backup API, then upgraded in one transaction and
  checked; a failure at any step leaves it exactly at its old revision.
- One stamped with a revision this build does not know was written by a newer rehab_app: it is
  refused with a clear message and not touched.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from rehab_app.core.errors import StorageError
from rehab_app.storage.backup import backup_database
from rehab_app.storage.health import open_read_only, quick_check
from rehab_app.storage.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_FOLDER = Path(__file__).resolve().parent / "migrations"


class NewerDatabaseError(StorageError):
    """The database was written by a newer rehab_app; this build must not touch it."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None  # None: the database was new
    to_revision: str
    backup: Path | None = None


def stored_revision(db_path: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a database without one."""
    with closing(open_read_only(db_path)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
    return str(row[0]) if row else None


def has_tables(db_path: Path) -> bool:
    with closing(open_read_only(db_path)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
    return bool(row[0])


def prepare_database(
    engine: Engine,
    db_path: Path,
    data_dir: Path,
    script_location: Path = MIGRATIONS_FOLDER,
    head: str = HEAD_REVISION,
) -> MigrationResult:
    """Create, keep or upgrade the database at `db_path` (see the module docstring)."""
    revision = stored_revision(db_path)
    if revision == head:
        return MigrationResult(revision, head)
    if revision is None:
        if has_tables(db_path):
            raise StorageError(
                f"{db_path} holds tables but no rehab_app version stamp, so it was not made by"
                " rehab_app or was damaged. It was left unchanged."
            )
        _create_new(engine, script_location)
        return MigrationResult(None, head)

    config = _alembic_config(script_location)
    _refuse_unknown(config, revision, db_path)
    backup = backup_database(db_path, data_dir, reason=f"before-upgrade-from-{revision}")
    from alembic import command

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    _check_after_upgrade(engine, db_path, backup)
    return MigrationResult(revision, stored_revision(db_path) or head, backup)


def _create_new(engine: Engine, script_location: Path) -> None:
    from alembic import command
    from sqlmodel import SQLModel

    import rehab_app.storage.tables  # noqa: F401  (registers the tables)

    config = _alembic_config(script_location)
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
        config.attributes["connection"] = connection
        command.stamp(config, "head")


def _alembic_config(script_location: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def _refuse_unknown(config: Config, revision: str, db_path: Path) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(config)
    try:
        known = scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise NewerDatabaseError(
            f"Your data in {db_path} was saved by a newer version of rehab_app (database"
            f" revision {revision}). This version cannot read it safely, so it left the file"
            " unchanged. Please install the newer version of rehab_app again."
        )


def _check_after_upgrade(engine: Engine, db_path: Path, backup: Path) -> None:
    with engine.connect() as connection:
        broken_links = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    problems = quick_check(db_path)
    if broken_links or problems:
        detail = problems[0] if problems else f"{len(broken_links)} broken links between tables"
        raise StorageError(
            f"The upgraded database failed its check ({detail}). Your data from before the"
            f" upgrade is safe in {backup}."
        )
