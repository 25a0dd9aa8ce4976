"""Backups through SQLite's online backup API, never a file copy (DATA-SAFETY §1.3).

A file copy of a live WAL database can miss committed pages that still sit in the -wal file;
the backup API reads a consistent snapshot. A database that fails `quick_check` is never
backed up, so a damaged file can never push out a good backup.

When and how many (the policy lives here, so the service, the CLI and the tests share it):
- `backup_due`: an automatic backup at most every 30 minutes, and only while data changed;
- `backups_to_keep` / `thin_backups`: Anki's thinning rule (rslib/src/collection/backup.rs),
  with its "today and yesterday" grace period read as the last 48 hours, so that "every
  backup from the last two days is kept" holds at any time of day, not only at midnight.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import UTC, datetime, timedelta
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

#: Every backup younger than this is kept.
KEEP_ALL_FOR = timedelta(hours=48)
#: Then the newest backup of each of this many days, weeks and months (about a year in all).
KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9
#: Automatic backups are at least this far apart.
MINIMUM_INTERVAL = timedelta(minutes=30)


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
    slug = _slug(reason)
    target = folder / f"rehab-{moment:%Y%m%dT%H%M%S%fZ}-{slug}.sqlite3"
    while target.exists():
        # Two backups for the same reason in the same microsecond (a stopped test clock, or
        # a coarse system clock): a later one must never overwrite an earlier one.
        moment += timedelta(microseconds=1)
        target = folder / f"rehab-{moment:%Y%m%dT%H%M%S%fZ}-{slug}.sqlite3"
    copy_database(db_path, target, "backup")
    return target


def copy_database(source: Path, target: Path, what: str = "copy of your data") -> None:
    """Copy the database `source` to a new private file `target` through the backup API.

    The copy is written beside `target` and renamed into place only when complete and synced,
    so `target` is either absent or whole. The copy is one self-contained file (no -wal).
    """
    partial = target.with_name(target.name + ".partial")
    create_private_file(partial)
    try:
        with closing(open_read_only(source)) as reading, closing(sqlite3.connect(partial)) as copy:
            reading.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        with open(partial, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(partial, FILE_MODE)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise StorageError(
            f"The {what} ({target.name}) was not made because the disk is full or cannot be"
            f" written to ({error}). Free some space or check the disk; your data itself is"
            " unchanged."
        ) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest first."""
    folder = backups_folder(data_dir)
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if _NAME.match(path.name) and path.is_file()]
    # By time, then name: backups made in the same microsecond still come in a fixed order.
    return sorted(
        found,
        key=lambda path: (_NAME.match(path.name).group(1), path.name),  # type: ignore[union-attr]
        reverse=True,
    )


def backup_taken_at(backup: Path) -> datetime | None:
    """When a backup was made, read from its name (UTC), or None for a foreign file."""
    match = _NAME.match(backup.name)
    if match is None:
        return None
    stamp = match.group(1)
    pattern = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
    return datetime.strptime(stamp, pattern).replace(tzinfo=UTC)


def backup_reason(backup: Path) -> str:
    """Why a backup was made, as written in its name ("automatic", "before-restore" ...)."""
    match = _NAME.match(backup.name)
    return match.group(2) if match else ""


def newest_good_backup(data_dir: Path) -> Path | None:
    """The most recent backup that passes `quick_check`, or None."""
    for candidate in list_backups(data_dir):
        if not quick_check(candidate):
            return candidate
    return None


def backup_due(last: datetime | None, now: datetime, changed: bool) -> bool:
    """Whether an automatic backup should be taken now.

    Only when data changed since the last backup, and at least `MINIMUM_INTERVAL` after it. A
    last backup dated in the future (the clock was wrong, or was put back) does not hold
    backups off until that date comes.
    """
    if not changed:
        return False
    if last is None:
        return True
    since = now - last
    return since >= MINIMUM_INTERVAL or since < timedelta(0)


def backups_to_keep(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which of the backup times `taken` to keep at `now` (Anki's thinning rule).

    Walking from the newest backup to the oldest:
    - every backup taken less than 48 hours before `now` is kept;
    - then the newest backup of each calendar day, until 12 days have one kept;
    - then the newest backup of each week (Monday to Sunday), until 10 weeks have one;
    - then the newest backup of each month, until 9 months have one; the rest go.
    A day, week or month that already has a kept backup (for example the day on which the
    48-hour window starts) gets no second one.

    Edge cases, decided on purpose:
    - Days, weeks and months are those of the calendar of `now`'s time zone (pass the
      person's local time), so "one a day" follows their days, across daylight-saving changes.
    - Backups dated after `now` are kept: their age is unknown (the clock was wrong or was put
      back), and deleting on a wrong clock is the mistake that cannot be undone.
    - The newest backup is always kept, even when it is months old (it is the first one
      looked at, and nothing has been kept yet).
    - Equal times are one backup here: a caller keeps every file with a kept time.
    - Naive datetimes are refused: their instant is unknown.
    """
    times = sorted(set(taken), reverse=True)
    if now.tzinfo is None or any(moment.tzinfo is None for moment in times):
        raise ValueError("backup times must be aware datetimes")
    cutoff = now - KEEP_ALL_FOR
    budget = {"day": KEEP_DAILY, "week": KEEP_WEEKLY, "month": KEEP_MONTHLY}
    last_kept: dict[str, int] = {}  # the day, week and month of the last kept backup
    keep: set[datetime] = set()
    for moment in times:
        local = moment.astimezone(now.tzinfo).date()
        day = local.toordinal()
        periods = {
            "day": day,
            "week": (day - 1) // 7,  # ordinal 1 (1 January of year 1) was a Monday
            "month": local.year * 12 + local.month,
        }
        if moment <= cutoff:
            stage = next((name for name, left in budget.items() if left > 0), None)
            if stage is None:
                break  # every slot is used: all older backups go
            if stage in last_kept and periods[stage] >= last_kept[stage]:
                continue  # this day (week, month) already has a newer backup kept
            budget[stage] -= 1
        keep.add(moment)
        last_kept = periods
    return keep


def thin_backups(data_dir: Path, now: datetime) -> list[Path]:
    """Delete the backups `backups_to_keep` does not keep; returns the deleted files.

    Only files named like our backups are considered (anything else in the folder is the
    person's and is left alone), and the newest backup is never deleted.
    """
    backups = list_backups(data_dir)
    taken = {path: backup_taken_at(path) for path in backups}
    keep = backups_to_keep([moment for moment in taken.values() if moment is not None], now)
    removed = []
    for position, path in enumerate(backups):
        if position == 0 or taken[path] in keep:
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    if removed:
        fsync_folder(backups_folder(data_dir))
    return removed


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
