"""The person's data as a whole: backups, restore, a full check, export and deletion (issue 6).

DATA-SAFETY §1.3 and §3. Every copy goes through SQLite's backup API (storage.backup), never
a file copy, and only after `quick_check`.

When is there "changed" data to back up? The service listens to its own engine: every
INSERT, UPDATE or DELETE sent through it marks the data changed. This is the one process that
writes to the folder (the data-folder lock), so nothing can change the data behind the
engine's back, and no screen has to remember to report its writes. The SQLite alternatives
do not work here: `PRAGMA data_version` only moves for commits made by *other* connections
(and our pool has several), and the change counter in the file header is not updated on every
commit in WAL mode. A statement that was later rolled back costs at most one extra backup.
Callers that change files beside the database may still call `mark_changed`.

One lock serialises everything here: a timed backup on a worker thread never runs while a
restore moves the files, and nothing runs after a restore or deletion has replaced the data
(the service is then retired, and the composition root builds new services on new data).
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event

from rehab_app.core.errors import StorageError
from rehab_app.core.timestamps import Clock, Stamp
from rehab_app.services.maintenance import OpenedData, restore_backup
from rehab_app.services.pack_authoring import KEY_FILE
from rehab_app.services.packs import MEDIA_FOLDER
from rehab_app.storage.backup import (
    backup_database,
    backup_due,
    backup_reason,
    backup_taken_at,
    backups_folder,
    copy_database,
    list_backups,
    thin_backups,
)
from rehab_app.storage.engine import DATABASE_NAME, database_path
from rehab_app.storage.files import atomic_file, fsync_folder
from rehab_app.storage.health import full_check, quick_check

#: The reasons this service writes into backup names.
AUTOMATIC = "automatic"
ON_CLOSE = "on-close"
MANUAL = "manual"

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
#: Folders that hold earlier copies of the database, kept aside by a restore.
_ASIDE_PREFIXES = ("damaged-", "replaced-")
_EXPORT_PREFIX = ".export-"


class BackupKind(StrEnum):
    """Why a backup was made, for showing it in plain words."""

    AUTOMATIC = "automatic"
    ON_CLOSE = "on_close"
    MANUAL = "manual"
    BEFORE_RESTORE = "before_restore"
    BEFORE_IMPORT = "before_import"
    BEFORE_UPGRADE = "before_upgrade"
    OTHER = "other"


def _kind(reason: str) -> BackupKind:
    if reason.startswith(("before-pack", "before-import")):
        return BackupKind.BEFORE_IMPORT
    if reason.startswith("before-upgrade"):
        return BackupKind.BEFORE_UPGRADE
    known = {
        AUTOMATIC: BackupKind.AUTOMATIC,
        ON_CLOSE: BackupKind.ON_CLOSE,
        MANUAL: BackupKind.MANUAL,
        "before-restore": BackupKind.BEFORE_RESTORE,
    }
    return known.get(reason, BackupKind.OTHER)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC
    local: datetime  # the same moment in the person's time zone, for showing
    size: int  # bytes
    reason: str  # as written in the file name: "automatic", "before-pack-<id>" ...
    kind: BackupKind


def describe_backup(path: Path, tz_name: str) -> BackupInfo:
    taken = backup_taken_at(path)
    if taken is None:
        raise StorageError(f"{path.name} is not a rehab_app backup.")
    reason = backup_reason(path)
    return BackupInfo(
        path=path,
        taken_at=taken,
        local=taken.astimezone(ZoneInfo(tz_name)),
        size=path.stat().st_size,
        reason=reason,
        kind=_kind(reason),
    )


def describe_backups(data_dir: Path, tz_name: str) -> tuple[BackupInfo, ...]:
    """Every backup in the data folder, newest first (one that vanished meanwhile is left out)."""
    found = []
    for path in list_backups(data_dir):
        try:
            found.append(describe_backup(path, tz_name))
        except FileNotFoundError:  # thinned by another thread since the folder was listed
            continue
    return tuple(found)


@dataclass(frozen=True)
class CheckReport:
    """SQLite's full checks in a form a person can read."""

    database: Path
    damage: tuple[str, ...] = ()  # integrity_check messages
    broken_links: tuple[str, ...] = ()  # foreign_key_check, one line per row
    missing: bool = False  # there is no database file at all

    @property
    def healthy(self) -> bool:
        return not (self.damage or self.broken_links or self.missing)

    def text(self) -> str:
        if self.missing:
            return f"There is no rehab_app data in {self.database.parent} yet."
        if self.healthy:
            return "Your data is healthy."
        lines = ["Your data has problems."]
        if self.damage:
            lines.append(
                "Parts of the data file are damaged (this usually comes from the disk or a"
                " sudden power cut):"
            )
            lines += [f"  - {message}" for message in self.damage[:20]]
            if len(self.damage) > 20:
                lines.append(f"  ... and {len(self.damage) - 20} more")
        if self.broken_links:
            lines.append(
                f"{len(self.broken_links)} entries point to something that no longer exists:"
            )
            lines += [f"  - {message}" for message in self.broken_links[:20]]
            if len(self.broken_links) > 20:
                lines.append(f"  ... and {len(self.broken_links) - 20} more")
        lines.append(
            "What to do: restore a backup from before the problem started (every restore"
            " backs up what you have now first), or keep the file and ask for help."
            f" The data file is {self.database}."
        )
        return "\n".join(lines)


def check_database(db_path: Path) -> CheckReport:
    """`integrity_check` and `foreign_key_check`, read-only: safe on a damaged file too."""
    if not db_path.exists():
        return CheckReport(db_path, missing=True)
    damage, links = full_check(db_path)
    return CheckReport(db_path, tuple(damage), tuple(links))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    pictures: int


@dataclass(frozen=True)
class DeletionPlan:
    """What "delete everything" would remove, so the person can be told before."""

    files: tuple[Path, ...]
    has_database: bool
    backups: int
    pictures: int
    kept_aside: int  # earlier copies a restore kept (damaged files)
    signing_key: bool


@dataclass(frozen=True)
class DeletionResult:
    removed: tuple[Path, ...]
    #: Files in the data folder that are not rehab_app's, left alone (the folder stays too).
    left: tuple[Path, ...]


class BackupService:
    """Backups and the whole-data operations on one open data folder."""

    def __init__(self, engine: Engine, data_dir: Path, clock: Clock) -> None:
        self._engine = engine
        self._data_dir = data_dir
        self._db_path = database_path(data_dir)
        self._clock = clock
        self._lock = threading.RLock()
        self._changed = False  # nothing changed since this run began (see the docstring)
        self._retired = False
        event.listen(engine, "after_cursor_execute", self._saw_statement)

    # Knowing when data changed ------------------------------------------------------------

    def _saw_statement(self, *arguments: Any) -> None:
        statement = arguments[2]  # (connection, cursor, statement, parameters, context, many)
        if statement.lstrip()[:7].upper().startswith(_WRITES):
            self._changed = True

    def mark_changed(self) -> None:
        self._changed = True

    @property
    def changed(self) -> bool:
        """Whether data changed since the last backup this service took."""
        return self._changed

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    def today(self) -> date:
        """The person's calendar day (for "Today at 14:05")."""
        return self._clock.now().local_day

    # Backups ------------------------------------------------------------------------------

    def back_up(self, reason: str = MANUAL) -> BackupInfo:
        """A backup now, whatever the time or changes ("Back up now")."""
        with self._lock:
            self._refuse_if_retired()
            return self._take(reason, self._clock.now())

    def maybe_back_up(self) -> BackupInfo | None:
        """The timed backup: only if data changed and the last backup is 30 minutes old.

        Any backup counts as the last one (also one made before a pack import), as read from
        the folder, so a restart does not cause an extra backup. Thins the backups afterwards.
        """
        with self._lock:
            if self._retired:
                return None
            now = self._clock.now()
            newest = list_backups(self._data_dir)
            last = backup_taken_at(newest[0]) if newest else None
            if not backup_due(last, now.at_utc, self._changed):
                return None
            return self._take_and_thin(AUTOMATIC, now)

    def back_up_on_close(self) -> BackupInfo | None:
        """On closing: a backup if anything changed since the last one (no 30-minute wait).

        `backup_database` runs `quick_check` first and refuses a damaged file (StorageError).
        """
        with self._lock:
            if self._retired or not self._changed:
                return None
            return self._take_and_thin(ON_CLOSE, self._clock.now())

    def list(self) -> tuple[BackupInfo, ...]:
        """Every backup, newest first."""
        return describe_backups(self._data_dir, self._clock.now().tz_name)

    def _take(self, reason: str, now: Stamp) -> BackupInfo:
        # Cleared before copying: a write during the copy counts towards the next backup.
        self._changed = False
        try:
            path = backup_database(self._db_path, self._data_dir, reason, now.at_utc)
        except BaseException:
            self._changed = True
            raise
        return describe_backup(path, now.tz_name)

    def _take_and_thin(self, reason: str, now: Stamp) -> BackupInfo:
        taken = self._take(reason, now)
        thin_backups(self._data_dir, now.local)  # days are the person's days
        return taken

    # Restore, check, export, delete -------------------------------------------------------

    def restore(self, backup: Path) -> OpenedData:
        """Replace the data with `backup`; the current data is backed up first.

        Returns the newly opened data: this service (and every other one built on the old
        engine) must not be used any more; build new services on the returned engine.
        """
        with self._lock:
            self._refuse_if_retired()
            # Our connections close (WAL folded into the file) before the files are moved.
            self._engine.dispose()
            opened = restore_backup(self._data_dir, backup, self._clock)
            self._retire()
            return opened

    def check(self) -> CheckReport:
        with self._lock:
            return check_database(self._db_path)

    def export_everything(self, target: Path) -> ExportResult:
        """A zip with a consistent copy of the database and the pack pictures (0600).

        The signing key of a therapist is not included: it is a secret, and a zip of one's
        data is often sent to someone. The zip is written atomically (storage.files), so a
        failed export leaves no half-written file and never replaces a good one.
        """
        with self._lock:
            self._refuse_if_retired()
            problems = quick_check(self._db_path)
            if problems:
                raise StorageError(
                    "Your data failed its check, so it was not exported. Use 'Check my data'"
                    " to see the problem, or restore a backup first."
                )
            pictures = self._pictures()
            try:
                # The copy stays inside the private data folder, not in a shared /tmp.
                with (
                    tempfile.TemporaryDirectory(
                        dir=self._data_dir, prefix=_EXPORT_PREFIX
                    ) as temporary,
                    atomic_file(target) as stream,
                    zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive,
                ):
                    copy = Path(temporary) / DATABASE_NAME
                    copy_database(self._db_path, copy)
                    archive.writestr("README.txt", self._readme())
                    archive.write(copy, DATABASE_NAME)
                    for picture in pictures:
                        archive.write(picture, f"{MEDIA_FOLDER}/{picture.name}")
            except OSError as error:
                raise StorageError(
                    f"Your data could not be exported to {target}:"
                    f" {error.strerror or error}. Nothing was written there."
                ) from error
            return ExportResult(target, target.stat().st_size, len(pictures))

    def deletion_plan(self) -> DeletionPlan:
        files = self._deletion_targets()
        backups = backups_folder(self._data_dir)
        media = self._data_dir / MEDIA_FOLDER
        return DeletionPlan(
            files=tuple(files),
            has_database=self._db_path.exists(),
            backups=sum(1 for path in files if path.parent == backups),
            pictures=sum(1 for path in files if path.parent == media),
            kept_aside=sum(
                1
                for path in files
                if path.parent.name.startswith(_ASIDE_PREFIXES) and path.name == DATABASE_NAME
            ),
            signing_key=(self._data_dir / KEY_FILE) in files,
        )

    def delete_everything(self) -> DeletionResult:
        """Remove all of rehab_app's data from the data folder, for good.

        That is: the database (diary, plans, sessions, questionnaires, settings), every backup,
        the pictures from packs, damaged copies kept aside, half-finished exports, and a
        therapist's signing key. Files rehab_app did not make are left alone, and so are the
        folder itself and the lock file of the running app. This service is retired after;
        the caller opens the (now empty) folder afresh. Asking twice is the screen's job.
        """
        with self._lock:
            self._refuse_if_retired()
            self._engine.dispose()  # no connection may hold the file while it is deleted
            self._retire()
            removed = []
            for path in self._deletion_targets():
                path.unlink(missing_ok=True)
                removed.append(path)
            for folder in self._owned_folders():
                _remove_if_empty(folder)
            fsync_folder(self._data_dir)
            left = sorted(
                path
                for path in self._data_dir.rglob("*")
                # The running app's lock (ui.single_instance.LOCK_NAME): held, and holds no data.
                if path.is_file() and not path.name.startswith("rehab_app.lock")
            )
            return DeletionResult(tuple(removed), tuple(left))

    # Internals ----------------------------------------------------------------------------

    def _refuse_if_retired(self) -> None:
        if self._retired:
            raise StorageError(
                "This data was replaced (restored or deleted) a moment ago; please try again."
            )

    def _retire(self) -> None:
        self._retired = True
        if event.contains(self._engine, "after_cursor_execute", self._saw_statement):
            event.remove(self._engine, "after_cursor_execute", self._saw_statement)

    def _pictures(self) -> list[Path]:
        media = self._data_dir / MEDIA_FOLDER
        if not media.is_dir():
            return []
        return sorted(path for path in media.iterdir() if path.is_file())

    def _owned_folders(self) -> list[Path]:
        folders = [backups_folder(self._data_dir), self._data_dir / MEDIA_FOLDER]
        if self._data_dir.is_dir():
            folders += [
                path
                for path in self._data_dir.iterdir()
                if path.is_dir() and path.name.startswith((*_ASIDE_PREFIXES, _EXPORT_PREFIX))
            ]
        return folders

    def _deletion_targets(self) -> list[Path]:
        data_dir = self._data_dir
        names = [DATABASE_NAME + suffix for suffix in ("", "-wal", "-shm", "-journal")]
        targets = [data_dir / name for name in names]
        targets.append(data_dir / KEY_FILE)
        backups = backups_folder(data_dir)
        targets += list_backups(data_dir)
        if backups.is_dir():
            targets += backups.glob("rehab-*.partial")  # left by a backup that was cut short
        targets += self._pictures()
        for folder in self._owned_folders()[2:]:
            if folder.name.startswith(_EXPORT_PREFIX):
                targets += [path for path in folder.rglob("*") if path.is_file()]
            else:
                targets += [folder / name for name in names]
        return [path for path in targets if path.is_file()]

    def _readme(self) -> str:
        now = self._clock.now().local
        return (
            f"All of your rehab_app data, exported on {now:%d %B %Y at %H:%M}.\n\n"
            f"{DATABASE_NAME}: your diary, plans, sessions, questionnaires and settings (an"
            " SQLite database; a health professional's software or any SQLite tool can read"
            " it).\n"
            f"{MEDIA_FOLDER}/: the pictures of exercises that came in packs from your"
            " therapist.\n\n"
            "This file holds health information: keep it somewhere safe.\n"
        )


def _remove_if_empty(folder: Path) -> None:
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir():
            _remove_if_empty(child)
    with contextlib.suppress(OSError):  # something that is not ours is still in it: leave it
        folder.rmdir()
