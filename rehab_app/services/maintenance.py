"""Opening the data folder safely at start-up, and restoring a backup when the file is damaged.

Order matters (DATA-SAFETY §1): make the folder private, check the file read-only with
`quick_check` before anything can write to it, then migrate (which backs up first). A damaged
or newer database is reported, never written to.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from rehab_app.core.errors import StorageError
from rehab_app.core.timestamps import Clock
from rehab_app.services.status import DataState, DataStatus
from rehab_app.storage.backup import backup_taken_at, newest_good_backup
from rehab_app.storage.engine import database_path, open_engine
from rehab_app.storage.files import create_private_file, ensure_private_folder, fsync_folder
from rehab_app.storage.health import open_read_only, quick_check
from rehab_app.storage.migrate import NewerDatabaseError, prepare_database
from rehab_app.storage.tables import AppEvent


@dataclass
class OpenedData:
    status: DataStatus
    engine: Engine | None = field(default=None, repr=False)


def open_data_folder(data_dir: Path, clock: Clock) -> OpenedData:
    """Prepare the data folder and its database; never raises for a problem with the data."""
    db_path = database_path(data_dir)
    try:
        ensure_private_folder(data_dir)
        if db_path.exists():
            problems = quick_check(db_path, untouched=True)
            if problems:
                return OpenedData(_damaged(data_dir, db_path, problems))
        engine = open_engine(db_path)
        result = prepare_database(engine, db_path, data_dir)
    except NewerDatabaseError as error:
        return OpenedData(DataStatus(DataState.NEWER, data_dir, db_path, str(error)))
    except (StorageError, OSError, sqlite3.Error) as error:
        message = (
            f"rehab_app could not open its data folder {data_dir}: {error}. Nothing was"
            " changed. Check that the folder exists, is yours and has free space."
        )
        if isinstance(error, StorageError):
            message = str(error)
        return OpenedData(DataStatus(DataState.UNAVAILABLE, data_dir, db_path, message))

    if result.backup is not None:
        _record(
            engine, clock, "database-upgraded", f"{result.from_revision} -> {result.to_revision}"
        )
    status = DataStatus(
        DataState.READY,
        data_dir,
        db_path,
        upgraded_from=result.from_revision if result.backup else None,
        upgrade_backup=result.backup,
    )
    return OpenedData(status, engine)


def restore_backup(data_dir: Path, backup: Path, clock: Clock) -> OpenedData:
    """Replace a damaged database with `backup`; the damaged files are kept, moved aside.

    Only for the damaged state: the damaged file is never opened for writing, and the
    restore goes through the backup API into a fresh private file.
    """
    if quick_check(backup):
        raise StorageError(f"The backup {backup} is damaged too and was not used.")
    db_path = database_path(data_dir)
    moment = clock.now().at_utc
    aside = ensure_private_folder(data_dir / f"damaged-{moment:%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        damaged = db_path.with_name(db_path.name + suffix)
        if damaged.exists():
            damaged.replace(aside / damaged.name)
    fsync_folder(data_dir)
    create_private_file(db_path)
    with closing(open_read_only(backup)) as source, closing(sqlite3.connect(db_path)) as target:
        source.backup(target)
    opened = open_data_folder(data_dir, clock)
    if opened.engine is not None:
        _record(
            opened.engine, clock, "backup-restored", f"{backup.name}; damaged file kept in {aside}"
        )
    return opened


def _damaged(data_dir: Path, db_path: Path, problems: list[str]) -> DataStatus:
    backup = newest_good_backup(data_dir)
    if backup is not None:
        taken = backup_taken_at(backup)
        when = f"{taken.astimezone():%d %B %Y at %H:%M}" if taken else backup.name
        offer = f"The newest good backup is from {when} and can be restored."
    else:
        offer = "There is no backup yet. Please keep the file; a specialist may recover it."
    message = (
        "Your rehab_app data file looks damaged, so the app has not changed it and will not"
        f" save anything until this is sorted out. The file is {db_path}. {offer}"
    )
    return DataStatus(DataState.DAMAGED, data_dir, db_path, message, tuple(problems[:5]), backup)


def _record(engine: Engine, clock: Clock, kind: str, detail: str) -> None:
    from sqlmodel import Session

    with Session(engine) as session:
        session.add(AppEvent.at(clock.now(), kind, detail))
        session.commit()
