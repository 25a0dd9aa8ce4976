"""Opening the data folder safely at start-up, and restoring a backup.

Order matters (DATA-SAFETY §1): make the folder private, check the file read-only with
`quick_check` before anything can write to it, then migrate (which backs up first). A damaged
or newer database is reported, never written to. A restore first backs up the current data
when it is sound, and keeps a damaged file aside when it is not.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from rehab_app.core.errors import StorageError
from rehab_app.core.timestamps import Clock
from rehab_app.services.status import DataState, DataStatus
from rehab_app.services.transactions import explain
from rehab_app.storage.backup import (
    backup_database,
    backup_taken_at,
    copy_database,
    newest_good_backup,
)
from rehab_app.storage.engine import database_path, open_engine
from rehab_app.storage.files import ensure_private_folder, fsync_folder
from rehab_app.storage.health import quick_check
from rehab_app.storage.location import location_warning
from rehab_app.storage.migrate import NewerDatabaseError, prepare_database, stored_revision
from rehab_app.storage.tables import AppEvent


@dataclass
class OpenedData:
    status: DataStatus
    engine: Engine | None = field(default=None, repr=False)
    #: After a restore: the backup of the sound data it replaced, or the folder a damaged
    #: database was moved into.
    before_restore: Path | None = None
    damaged_kept_in: Path | None = None


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
    except DBAPIError as error:  # e.g. an upgrade that cannot write: rolled back, nothing changed
        engine.dispose()
        message = (
            f"rehab_app could not prepare its data in {data_dir}, and nothing was changed:"
            f" {explain(error).removeprefix('This was not saved because ')}"
        )
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
        warning=location_warning(data_dir),
    )
    return OpenedData(status, engine)


def restore_backup(data_dir: Path, backup: Path, clock: Clock) -> OpenedData:
    """Replace the database with `backup`; what it replaces is always kept.

    A sound current database is backed up first (reason "before-restore"), so a restore can
    itself be undone by restoring that backup; its files are then removed, as the backup holds
    the same data as one checked file. A damaged one cannot be backed up (a damaged file must
    never replace a good backup), so its files are moved into a `damaged-<time>` folder and
    kept for a specialist. Whoever holds an engine on the database disposes of it first.

    The damaged file is never opened for writing, and the restore goes through the backup API
    into a fresh private file. If copying fails, the old files are put back.
    """
    if quick_check(backup):
        raise StorageError(f"The backup {backup} is damaged and was not used.")
    if stored_revision(backup) is None:
        raise StorageError(f"{backup} is not a rehab_app backup, so it was not used.")
    db_path = database_path(data_dir)
    moment = clock.now().at_utc
    sound = db_path.exists() and not quick_check(db_path)
    kept_as = backup_database(db_path, data_dir, "before-restore", moment) if sound else None
    files = [
        path
        for path in (db_path.with_name(db_path.name + suffix) for suffix in ("", "-wal", "-shm"))
        if path.exists()
    ]
    aside = None
    if files:
        aside = _new_folder(
            data_dir, f"{'replaced' if sound else 'damaged'}-{moment:%Y%m%dT%H%M%S}"
        )
        for path in files:
            path.replace(aside / path.name)
        fsync_folder(data_dir)
    try:
        copy_database(backup, db_path, "restored copy of your data")
    except BaseException:
        _put_back(db_path, files, aside)
        raise
    opened = open_data_folder(data_dir, clock)
    if sound and opened.status.state != DataState.READY:
        # The backup could not be opened (written by a newer rehab_app, say): go back to the
        # sound data rather than leave the person with nothing usable.
        if opened.engine is not None:
            opened.engine.dispose()
        _put_back(db_path, files, aside)
        raise StorageError(
            f"The backup {backup.name} could not be used: {opened.status.message} Your data"
            " was left as it was."
        )
    if kept_as is not None and aside is not None:
        shutil.rmtree(aside)  # the same data is in `kept_as`, checked, in one file
    if opened.engine is not None:
        kept = (
            f"the data before is in {kept_as.name}" if kept_as else f"damaged file kept in {aside}"
        )
        _record(opened.engine, clock, "backup-restored", f"{backup.name}; {kept}")
    opened.before_restore = kept_as
    opened.damaged_kept_in = None if sound else aside
    return opened


def _put_back(db_path: Path, files: list[Path], aside: Path | None) -> None:
    """Undo a restore that failed half-way: the files moved aside go back in place."""
    for suffix in ("", "-wal", "-shm", ".partial"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    if aside is not None:
        for path in files:
            (aside / path.name).replace(path)
        aside.rmdir()
    fsync_folder(db_path.parent)


def _new_folder(data_dir: Path, name: str) -> Path:
    """A new private folder `name` (or `name-2` ...): never mixes with an earlier one's files."""
    candidate, count = data_dir / name, 1
    while candidate.exists():
        count += 1
        candidate = data_dir / f"{name}-{count}"
    return ensure_private_folder(candidate)


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
