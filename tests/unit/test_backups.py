"""Backups (issue 6): the thinning rule, timed and closing backups, restore, check, export and
deleting everything."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from rehab_app.core.errors import StorageError
from rehab_app.services.backups import BackupKind, BackupService, check_database
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import restore_backup
from rehab_app.services.packs import MEDIA_FOLDER
from rehab_app.services.settings import SettingsService
from rehab_app.services.status import DataState
from rehab_app.storage.backup import (
    KEEP_ALL_FOR,
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_WEEKLY,
    MINIMUM_INTERVAL,
    backup_due,
    backups_folder,
    backups_to_keep,
    list_backups,
    thin_backups,
)
from rehab_app.storage.engine import database_path
from rehab_app.storage.tables import AppEvent

LONDON = ZoneInfo("Europe/London")  # has daylight saving: days of 23 and 25 hours
OLDER_SLOTS = KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY
THREE_YEARS = timedelta(days=3 * 365)


# The thinning rule, as a pure function ---------------------------------------------------------


def _check_rule(taken: list[datetime], now: datetime, kept: set[datetime]) -> None:
    """The promises of `backups_to_keep`, for any history."""
    cutoff = now - KEEP_ALL_FOR
    assert kept <= set(taken)
    assert {moment for moment in taken if moment > cutoff} <= kept, "the last 48 h are all kept"
    assert len([moment for moment in kept if moment <= cutoff]) <= OLDER_SLOTS
    if taken:
        assert max(taken) in kept, "the newest backup is always kept"
    # Each of the 12 most recent days (before the 48-hour window) that has a backup keeps one.
    old_days = sorted({m.astimezone(now.tzinfo).date() for m in taken if m <= cutoff})
    kept_days = {m.astimezone(now.tzinfo).date() for m in kept}
    for day in old_days[-KEEP_DAILY:]:
        assert day in kept_days, f"no backup kept for {day}"
    assert backups_to_keep(kept, now) == kept, "thinning twice keeps the same backups"


@given(
    ages=st.lists(st.integers(0, int(THREE_YEARS.total_seconds())), max_size=400),
    now=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(LONDON)
    ),
)
@settings(max_examples=300, deadline=None)
def test_thinning_keeps_what_it_promises(ages: list[int], now: datetime) -> None:
    taken = [now - timedelta(seconds=age) for age in ages]
    _check_rule(taken, now, backups_to_keep(taken, now))


def test_a_backup_a_day_for_400_days_keeps_about_a_year() -> None:
    now = datetime(2026, 3, 29, 18, 0, tzinfo=LONDON)
    taken = [datetime.combine(now.date() - timedelta(days=n), datetime.min.time(), LONDON)
             + timedelta(hours=12) for n in range(400)]  # fmt: skip
    kept = backups_to_keep(taken, now)
    # Today's and yesterday's (30 h old), then 12 daily, 10 weekly and 9 monthly ones.
    assert len(kept) == 2 + OLDER_SLOTS
    oldest = (now - min(kept)).days
    assert 330 <= oldest <= 366, oldest
    # The weekly ones are the newest of their week: Sundays.
    weekly = sorted(kept)[-(2 + KEEP_DAILY + KEEP_WEEKLY) : -(2 + KEEP_DAILY)]
    assert {moment.weekday() for moment in weekly} == {6}


def test_edge_cases_of_the_rule() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert backups_to_keep([], now) == set()
    future = now + timedelta(days=40)  # the clock was wrong, or was put back
    months_old = now - timedelta(days=200)
    assert backups_to_keep([future, months_old], now) == {future, months_old}
    with pytest.raises(ValueError):
        backups_to_keep([datetime(2026, 3, 1)], now)  # naive: its instant is unknown


def test_automatic_backups_wait_30_minutes_and_a_change() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert backup_due(None, now, changed=True)
    assert not backup_due(None, now, changed=False)
    assert not backup_due(now - timedelta(minutes=29), now, changed=True)
    assert backup_due(now - MINIMUM_INTERVAL, now, changed=True)
    assert backup_due(now + timedelta(days=3), now, changed=True), "a future backup blocks nothing"


@given(seed=st.integers(0, 2**32 - 1))
@example(seed=149)  # ended long after its last backup: checked at the last thinning instead
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_three_years_of_use_keep_the_promises(seed: int) -> None:
    """The app as it runs: sessions on most days at any hour, a check every 5 minutes, a backup
    when due (`backup_due`), one on close if anything changed, thinning after each."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=LONDON)
    kept: set[datetime] = set()
    history: list[datetime] = []
    now = start

    def back_up(moment: datetime) -> None:
        kept.add(moment)
        history.append(moment)
        kept.intersection_update(backups_to_keep(kept, moment))

    for day in range(3 * 365):
        if rng.random() < 0.15:
            continue  # a day without the app
        for _ in range(rng.randint(1, 3)):
            opened = start + timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            if opened <= now:
                continue
            changed = False
            for tick in range(rng.randint(1, 48)):  # up to four hours, in 5-minute ticks
                now = opened + timedelta(minutes=5 * tick)
                changed = changed or rng.random() < 0.3
                last = max(kept) if kept else None
                if backup_due(last, now, changed):
                    back_up(now)
                    changed = False
            now += timedelta(minutes=1)
            if changed:
                back_up(now)
    _check_rule(history, now, backups_to_keep(history, now))
    # The folder as the last thinning (right after the last backup) left it.
    thinned_at = history[-1]
    _check_rule(history, thinned_at, kept)
    assert (thinned_at - min(kept)).days >= 270, "about a year of history is kept"


def _touch_backup(data_dir: Path, moment: datetime, reason: str = "automatic") -> Path:
    folder = backups_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"rehab-{moment.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{reason}.sqlite3"
    path.write_bytes(b"")
    return path


def test_thin_backups_deletes_only_our_unkept_files(tmp_path: Path) -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=LONDON)
    moments = [now - timedelta(hours=6 * n) for n in range(400)]
    for moment in moments:
        _touch_backup(tmp_path, moment)
    folder = backups_folder(tmp_path)
    (folder / "my notes.txt").write_text("mine")
    (folder / "rehab-old-copy.sqlite3").write_text("not named like ours")
    removed = thin_backups(tmp_path, now)
    remaining = list_backups(tmp_path)
    assert len(remaining) == len(backups_to_keep(moments, now))
    assert len(removed) + len(remaining) == len(moments)
    assert (folder / "my notes.txt").exists() and (folder / "rehab-old-copy.sqlite3").exists()
    assert remaining[0].name.startswith(f"rehab-{now.astimezone(UTC):%Y%m%dT%H%M%S}")


def test_the_newest_backup_is_never_thinned_even_when_months_old(tmp_path: Path) -> None:
    old = _touch_backup(tmp_path, datetime(2025, 1, 1, tzinfo=UTC))
    assert thin_backups(tmp_path, datetime(2026, 3, 29, tzinfo=UTC)) == []
    assert list_backups(tmp_path) == [old]


# The service -------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _setting(db_path: Path, key: str) -> str | None:
    with sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True) as connection:
        row = connection.execute("SELECT value_json FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def test_back_up_now_writes_a_private_listed_copy(app_services, data_dir: Path) -> None:
    app_services.settings.set("name", "Ann")
    info = app_services.backups.back_up()
    assert info.kind == BackupKind.MANUAL and info.size > 0
    assert _mode(info.path) == 0o600 and _mode(info.path.parent) == 0o700
    assert _setting(info.path, "name") == '"Ann"'
    assert [found.path for found in app_services.backups.list()] == [info.path]
    assert info.local.tzinfo is not None and info.local.utcoffset() == timedelta(hours=1)


def test_timed_backups_need_a_change_and_30_minutes(app_services, clock) -> None:
    backups = app_services.backups
    assert backups.maybe_back_up() is None, "nothing changed yet"
    app_services.diary.entries()  # reading changes nothing
    app_services.settings.get("name")
    assert not backups.changed
    app_services.settings.set("name", "Ann")  # any write through the engine counts
    assert backups.changed
    first = backups.maybe_back_up()
    assert first is not None and first.kind == BackupKind.AUTOMATIC
    assert not backups.changed
    app_services.settings.set("name", "Bea")
    clock.advance(minutes=29)
    assert backups.maybe_back_up() is None, "too soon"
    clock.advance(minutes=1)
    second = backups.maybe_back_up()
    assert second is not None and _setting(second.path, "name") == '"Bea"'
    clock.advance(hours=2)
    assert backups.maybe_back_up() is None, "no change since"
    backups.mark_changed()  # a change beside the database, reported by a screen
    assert backups.maybe_back_up() is not None


def test_any_backup_counts_as_the_last_one(app_services, clock) -> None:
    app_services.settings.set("name", "Ann")
    app_services.backups.back_up()  # e.g. "Back up now", or the one before a pack import
    app_services.settings.set("name", "Bea")
    clock.advance(minutes=10)
    assert app_services.backups.maybe_back_up() is None


def test_closing_backs_up_changes_and_thins(app_services, data_dir: Path, clock) -> None:
    backups = app_services.backups
    assert backups.back_up_on_close() is None, "nothing changed: the last backup is current"
    for days in range(30, 400):
        _touch_backup(data_dir, clock.at - timedelta(days=days))
    app_services.settings.set("name", "Ann")
    info = backups.back_up_on_close()
    assert info is not None and info.kind == BackupKind.ON_CLOSE
    remaining = list_backups(data_dir)
    assert remaining[0] == info.path
    assert len(remaining) <= 1 + OLDER_SLOTS


def test_a_damaged_database_is_not_backed_up_on_close(app_services, data_dir: Path) -> None:
    app_services.settings.set("name", "Ann")
    app_services.backups.back_up()
    db_path = database_path(data_dir)
    _damage_open_database(app_services, db_path)
    app_services.backups.mark_changed()
    with pytest.raises(StorageError, match="failed its check"):
        app_services.backups.back_up_on_close()
    assert len(list_backups(data_dir)) == 1
    assert app_services.backups.changed, "still to be backed up once the data is sound"


def _damage(db_path: Path) -> None:
    """Overwrite the second page (a table's root) with noise, as a failing disk might."""
    with db_path.open("r+b") as stream:
        page_size = int.from_bytes(stream.read(18)[16:18], "big")
        stream.seek(page_size)
        stream.write(os.urandom(page_size))


def _damage_open_database(services, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    services.backups._engine.dispose()  # fold the -wal into the file, then break the file
    _damage(db_path)


def test_check_says_healthy_in_plain_words(app_services) -> None:
    report = app_services.backups.check()
    assert report.healthy
    assert report.text() == "Your data is healthy."


def test_check_reports_damage_and_what_to_do(app_services, data_dir: Path) -> None:
    db_path = database_path(data_dir)
    _damage_open_database(app_services, db_path)
    before = db_path.read_bytes()
    report = check_database(db_path)
    assert not report.healthy and report.damage
    text = report.text()
    assert text.startswith("Your data has problems.")
    assert "restore a backup" in text and str(db_path) in text
    assert db_path.read_bytes() == before, "a check never writes"


def test_check_reports_entries_that_point_nowhere(app_services, data_dir: Path) -> None:
    with sqlite3.connect(database_path(data_dir)) as connection:  # foreign keys off here
        connection.execute(
            "INSERT INTO session_log (plan_version_id, local_day, slot, how, at_utc, tz_name,"
            " note) VALUES (999, '2026-03-29', '', 'manual', '2026-03-29 07:30:00', 'UTC', '')"
        )
    report = app_services.backups.check()
    assert not report.healthy and not report.damage
    assert report.broken_links == (
        "row 1 of table session_log refers to a missing entry in table plan_version",
    )
    assert "1 entries point to something that no longer exists" in report.text()


def test_restore_the_newest_and_the_oldest_backup(
    app_services, data_dir: Path, clock, shipped_library
) -> None:
    services = app_services
    names = ["Ann", "Bea", "Cy"]
    taken = []
    for name in names[:2]:
        services.settings.set("name", name)
        taken.append(services.backups.back_up().path)
        clock.advance(hours=1)
    services.settings.set("name", names[2])  # the current state, in no backup yet

    newest = services.backups.list()[0].path
    assert newest == taken[-1]
    opened = services.backups.restore(newest)
    assert opened.status.state == DataState.READY and opened.engine is not None
    restored = build_services(opened.engine, shipped_library, clock)
    assert restored.settings.get("name") == "Bea"
    before = [info for info in restored.backups.list() if info.kind == BackupKind.BEFORE_RESTORE]
    assert len(before) == 1 and opened.before_restore == before[0].path
    assert _setting(before[0].path, "name") == '"Cy"', "the state before the restore is kept"
    with Session(opened.engine) as session:
        assert "backup-restored" in session.exec(select(AppEvent.kind)).all()
    assert not any(path.name.startswith(("replaced-", "damaged-")) for path in data_dir.iterdir())
    with pytest.raises(StorageError, match="replaced"):
        services.backups.back_up()  # the old services are retired with their engine

    clock.advance(hours=1)
    oldest = restored.backups.list()[-1].path
    assert oldest == taken[0]
    again = restored.backups.restore(oldest)
    assert again.engine is not None
    assert SettingsService(again.engine).get("name") == "Ann"
    again.engine.dispose()
    modes = {_mode(path) for path in data_dir.rglob("*") if path.is_file()}
    assert modes == {0o600}
    assert {_mode(path) for path in data_dir.rglob("*") if path.is_dir()} == {0o700}


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    app_services, data_dir: Path, tmp_path: Path
) -> None:
    app_services.settings.set("name", "Ann")
    stranger = tmp_path / "other.sqlite3"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (text)")
    with pytest.raises(StorageError, match="not a rehab_app backup"):
        app_services.backups.restore(stranger)
    assert app_services.settings.get("name") == "Ann"
    assert list_backups(data_dir) == []


def test_a_damaged_database_is_kept_aside_by_a_restore(data_dir: Path, clock) -> None:
    from rehab_app.services.maintenance import open_data_folder

    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    SettingsService(opened.engine).set("name", "Ann")
    backup = BackupService(opened.engine, data_dir, clock).back_up().path
    opened.engine.dispose()
    _damage(database_path(data_dir))
    damaged = database_path(data_dir).read_bytes()
    restored = restore_backup(data_dir, backup, clock)
    assert restored.engine is not None and restored.before_restore is None
    assert restored.damaged_kept_in is not None
    assert (restored.damaged_kept_in / "rehab.sqlite3").read_bytes() == damaged
    assert SettingsService(restored.engine).get("name") == "Ann"
    restored.engine.dispose()


def test_export_everything_is_one_private_zip(app_services, data_dir: Path, tmp_path: Path):
    app_services.settings.set("name", "Ann")
    media = data_dir / MEDIA_FOLDER
    media.mkdir()
    (media / "abc123.png").write_bytes(b"picture")
    target = tmp_path / "out" / "my data.zip"
    target.parent.mkdir()
    result = app_services.backups.export_everything(target)
    assert result.path == target and result.pictures == 1
    assert _mode(target) == 0o600
    assert sorted(path.name for path in target.parent.iterdir()) == ["my data.zip"]
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["README.txt", "media/abc123.png", "rehab.sqlite3"]
        archive.extract("rehab.sqlite3", tmp_path / "unpacked")
    copy = tmp_path / "unpacked" / "rehab.sqlite3"
    assert _setting(copy, "name") == '"Ann"'
    assert check_database(copy).healthy
    assert not any(path.name.startswith(".export-") for path in data_dir.iterdir())


def test_delete_everything_removes_our_files_only(app_services, data_dir: Path) -> None:
    app_services.settings.set("name", "Ann")
    app_services.backups.back_up()
    media = data_dir / MEDIA_FOLDER
    media.mkdir()
    (media / "abc123.png").write_bytes(b"picture")
    (data_dir / "signing_key.pem").write_text("key")
    (data_dir / "damaged-20260101T000000").mkdir()
    (data_dir / "damaged-20260101T000000" / "rehab.sqlite3").write_bytes(b"old")
    (data_dir / "my letter.txt").write_text("not rehab_app's")
    plan = app_services.backups.deletion_plan()
    assert (plan.has_database, plan.backups, plan.pictures, plan.kept_aside, plan.signing_key) == (
        True,
        1,
        1,
        1,
        True,
    )
    result = app_services.backups.delete_everything()
    assert not any(path.exists() for path in plan.files)
    assert database_path(data_dir) in result.removed
    assert result.left == (data_dir / "my letter.txt",)
    assert sorted(path.name for path in data_dir.iterdir()) == ["my letter.txt"]
    assert app_services.backups.maybe_back_up() is None
    with pytest.raises(StorageError):
        app_services.backups.export_everything(data_dir / "x.zip")


def test_backups_made_in_the_same_instant_never_overwrite(app_services, data_dir: Path) -> None:
    first = app_services.backups.back_up()
    second = app_services.backups.back_up()  # the fake clock has not moved
    assert first.path != second.path and len(list_backups(data_dir)) == 2


def test_today_is_the_persons_day(app_services, clock) -> None:
    clock.at = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # already the 30th in London (BST)
    assert app_services.backups.today() == date(2026, 3, 30)
