"""Storage: connection settings, private file modes, backups, damaged databases at start-up."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from rehab_app.services.maintenance import open_data_folder, restore_backup
from rehab_app.services.status import DataState
from rehab_app.storage.backup import backup_database, list_backups, newest_good_backup
from rehab_app.storage.engine import database_path
from rehab_app.storage.files import atomic_write
from rehab_app.storage.health import quick_check
from rehab_app.storage.tables import AppEvent, Setting


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _modes(folder: Path) -> dict[str, int]:
    found = {folder.name: stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_every_connection_is_durable_and_checks_foreign_keys(data_dir: Path, clock) -> None:
    opened = open_data_folder(data_dir, clock)
    assert opened.status.state == DataState.READY
    assert opened.engine is not None
    with opened.engine.connect() as connection:
        pragmas = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
        }
    assert pragmas == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": 5000,
    }


def test_data_folder_is_0700_and_every_file_0600(data_dir: Path, clock) -> None:
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    with Session(opened.engine) as session:  # writing creates the -wal and -shm files
        session.add(Setting(key="units", value_json='"metric"'))
        session.commit()
        assert (data_dir / "rehab.sqlite3-wal").exists()
        backup_database(database_path(data_dir), data_dir, "manual")
        atomic_write(data_dir / "settings.json", b"{}")
        modes = _modes(data_dir)
    folders = {
        name: mode
        for name, mode in modes.items()
        if (data_dir.parent / name).is_dir() or (data_dir / name).is_dir()
    }
    files = {name: mode for name, mode in modes.items() if name not in folders}
    assert set(folders) == {"data", "backups"}
    assert set(folders.values()) == {0o700}
    assert {"rehab.sqlite3", "rehab.sqlite3-wal", "rehab.sqlite3-shm", "settings.json"} <= set(
        files
    )
    assert set(files.values()) == {0o600}, files
    opened.engine.dispose()


def test_a_committed_row_is_in_the_backup(data_dir: Path, clock) -> None:
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    with Session(opened.engine) as session:
        session.add(AppEvent.at(clock.now(), "test", "kept"))
        session.commit()
    # The row may still live only in the -wal file: a file copy could miss it, the API cannot.
    backup = backup_database(database_path(data_dir), data_dir, "manual")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT detail FROM app_event WHERE kind = 'test'").fetchall() == [
            ("kept",)
        ]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert list_backups(data_dir) == [backup]
    opened.engine.dispose()


def test_local_day_is_stored_beside_the_instant(data_dir: Path, clock) -> None:
    clock.tz_name = "Pacific/Auckland"  # 07:30 UTC is already the evening of the same day there
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    with Session(opened.engine) as session:
        session.add(AppEvent.at(clock.now(), "test"))
        session.commit()
        event = session.exec(select(AppEvent).where(AppEvent.kind == "test")).one()
    assert (event.tz_name, event.local_day.isoformat()) == ("Pacific/Auckland", "2026-03-29")
    assert event.at_utc.utcoffset() is not None and event.at_utc.hour == 7
    opened.engine.dispose()


def _damage(db_path: Path) -> None:
    """Overwrite the second page (a table's root) with noise, as a failing disk might."""
    with db_path.open("r+b") as stream:
        page_size = int.from_bytes(stream.read(18)[16:18], "big")
        stream.seek(page_size)
        stream.write(os.urandom(page_size))


def _make_database_with_backup(data_dir: Path, clock) -> Path:
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    with Session(opened.engine) as session:
        session.add(Setting(key="name", value_json='"Ann"'))
        session.commit()
    backup_database(database_path(data_dir), data_dir, "daily")
    opened.engine.dispose()  # a clean close folds the -wal into the file
    return database_path(data_dir)


def test_a_damaged_database_is_reported_and_not_written(data_dir: Path, clock) -> None:
    db_path = _make_database_with_backup(data_dir, clock)
    _damage(db_path)
    assert quick_check(db_path, untouched=True), "the damage should be detectable"
    before = _digest(db_path)
    opened = open_data_folder(data_dir, clock)
    assert opened.status.state == DataState.DAMAGED
    assert opened.engine is None
    assert str(db_path) in opened.status.message
    assert "has not changed it" in opened.status.message
    assert opened.status.newest_backup == newest_good_backup(data_dir)
    assert opened.status.newest_backup is not None
    assert _digest(db_path) == before
    assert not (data_dir / "rehab.sqlite3-wal").exists()


def test_restoring_the_newest_backup_keeps_the_damaged_file_aside(data_dir: Path, clock) -> None:
    db_path = _make_database_with_backup(data_dir, clock)
    _damage(db_path)
    damaged = _digest(db_path)
    status = open_data_folder(data_dir, clock).status
    assert status.newest_backup is not None
    restored = restore_backup(data_dir, status.newest_backup, clock)
    assert restored.status.state == DataState.READY
    assert restored.engine is not None
    with Session(restored.engine) as session:
        assert session.get(Setting, "name").value_json == '"Ann"'
        kinds = session.exec(select(AppEvent.kind)).all()
    assert "backup-restored" in kinds
    kept = list(data_dir.glob("damaged-*/rehab.sqlite3"))
    assert len(kept) == 1 and _digest(kept[0]) == damaged
    restored.engine.dispose()


def test_a_damaged_database_without_backup_says_where_the_file_is(data_dir: Path, clock) -> None:
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    opened.engine.dispose()
    db_path = database_path(data_dir)
    _damage(db_path)
    status = open_data_folder(data_dir, clock).status
    assert status.state == DataState.DAMAGED
    assert status.newest_backup is None
    assert str(db_path) in status.message and "no backup yet" in status.message


def test_a_damaged_database_is_never_backed_up(data_dir: Path, clock) -> None:
    db_path = _make_database_with_backup(data_dir, clock)
    _damage(db_path)
    try:
        backup_database(db_path, data_dir, "daily")
    except Exception as error:
        assert "failed its check" in str(error)
    else:
        raise AssertionError("a damaged database was backed up")
    assert len(list_backups(data_dir)) == 1


def test_a_file_that_is_not_a_database_is_reported_not_overwritten(data_dir: Path, clock) -> None:
    data_dir.mkdir(mode=0o700)
    db_path = database_path(data_dir)
    db_path.write_bytes(b"these are someone's notes, not a database" * 100)
    before = _digest(db_path)
    status = open_data_folder(data_dir, clock).status
    assert status.state == DataState.DAMAGED
    assert _digest(db_path) == before


def test_atomic_write_replaces_whole_files_only(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    atomic_write(target, b"first")
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
