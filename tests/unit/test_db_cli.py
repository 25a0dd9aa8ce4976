"""`rehab-app db check|backup|restore --data-dir DIR` without a display."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from rehab_app.app import main
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.settings import SettingsService
from rehab_app.storage.backup import list_backups
from rehab_app.storage.engine import database_path
from rehab_app.ui.single_instance import DataFolderLock


def _name(data_dir: Path) -> str | None:
    uri = f"{database_path(data_dir).as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        row = connection.execute("SELECT value_json FROM setting WHERE key = 'name'").fetchone()
    return row[0] if row else None


def _set_name(data_dir: Path, clock, name: str) -> None:  # type: ignore[no-untyped-def]
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    SettingsService(opened.engine).set("name", name)
    opened.engine.dispose()


def test_check_backup_list_and_restore(data_dir: Path, clock, capsys) -> None:
    folder = str(data_dir)
    assert main(["db", "check", "--data-dir", folder]) == 1
    assert "There is no rehab_app data" in capsys.readouterr().out

    _set_name(data_dir, clock, "Ann")
    assert main(["db", "check", "--data-dir", folder]) == 0
    assert capsys.readouterr().out.strip() == "Your data is healthy."

    assert main(["db", "backup", "--data-dir", folder]) == 0
    backup = Path(capsys.readouterr().out.strip())
    assert list_backups(data_dir) == [backup]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    _set_name(data_dir, clock, "Bea")
    assert main(["db", "restore", "--data-dir", folder, "--list"]) == 0
    listed = capsys.readouterr().out
    assert "manual" in listed and str(backup) in listed

    assert main(["db", "restore", "--data-dir", folder, "--backup", backup.name]) == 0
    out = capsys.readouterr().out
    assert f"Restored {backup.name}." in out
    assert "backed up as" in out
    assert _name(data_dir) == '"Ann"'
    before = [
        path for path in list_backups(data_dir) if path.name.endswith("-before-restore.sqlite3")
    ]
    assert len(before) == 1 and str(before[0]) in out

    # --newest goes back to what was there just before the restore.
    assert main(["db", "restore", "--data-dir", folder, "--newest"]) == 0
    capsys.readouterr()
    assert _name(data_dir) == '"Bea"'


def test_check_exits_1_with_the_report_for_a_damaged_file(data_dir: Path, clock, capsys) -> None:
    _set_name(data_dir, clock, "Ann")
    with database_path(data_dir).open("r+b") as stream:
        stream.seek(4096)
        stream.write(os.urandom(4096))
    assert main(["db", "check", "--data-dir", str(data_dir)]) == 1
    report = capsys.readouterr().out
    assert report.startswith("Your data has problems.")
    assert "What to do" in report
    # A damaged file is not backed up, by command either.
    assert main(["db", "backup", "--data-dir", str(data_dir)]) == 1
    assert "failed its check" in capsys.readouterr().err
    assert list_backups(data_dir) == []


def test_backup_and_restore_wait_for_the_app_to_close(data_dir: Path, clock, capsys) -> None:
    _set_name(data_dir, clock, "Ann")
    lock = DataFolderLock(data_dir)
    assert lock.acquire()
    try:
        assert main(["db", "backup", "--data-dir", str(data_dir)]) == 1
        assert "rehab_app is open for" in capsys.readouterr().err
        assert main(["db", "restore", "--data-dir", str(data_dir), "--newest"]) == 1
        assert main(["db", "check", "--data-dir", str(data_dir)]) == 0, "a check only reads"
    finally:
        lock.release()
    assert list_backups(data_dir) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--newest"], "There is no good backup"),
        (["--backup", "nowhere.sqlite3"], "no such backup file"),
    ],
)
def test_restore_says_what_is_missing(
    data_dir: Path, clock, capsys, arguments: list[str], message: str
) -> None:
    _set_name(data_dir, clock, "Ann")
    assert main(["db", "restore", "--data-dir", str(data_dir), *arguments]) == 1
    assert message in capsys.readouterr().err
    assert _name(data_dir) == '"Ann"'
