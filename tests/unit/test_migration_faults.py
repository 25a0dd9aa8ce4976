"""A failure, or a kill -9, inside any migration step leaves the database wholly at the old
revision with its data, and the next start upgrades it cleanly (DATA-SAFETY §1.4).

The real migration scripts are copied and one step at a time gets a last line that raises, or
that kills the process with SIGKILL, after that step's own changes were made. The upgrade
starts at the first revision with data in it, so every later step is exercised.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from rehab_app.storage.engine import database_path, open_engine
from rehab_app.storage.health import quick_check
from rehab_app.storage.migrate import MIGRATIONS_FOLDER, prepare_database, stored_revision
from rehab_app.storage.migrations import HEAD_REVISION

FIRST = "0001"
STEPS = sorted(
    path.name for path in (MIGRATIONS_FOLDER / "versions").glob("0*.py") if path.name[:4] > FIRST
)


def _at_first_revision(data_dir: Path) -> Path:
    data_dir.mkdir(mode=0o700)
    db_path = database_path(data_dir)
    engine = open_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, FIRST)
        connection.exec_driver_sql("INSERT INTO setting VALUES ('name', '\"Ann\"')")
    engine.dispose()
    return db_path


def _scripts_with(tmp_path: Path, step: str, last_line: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    script = folder / "versions" / step
    text = script.read_text()
    body_end = text.index("def downgrade")
    script.write_text(text[:body_end].rstrip() + f"\n    {last_line}\n\n\n" + text[body_end:])
    return folder


def _assert_untouched_first_revision(db_path: Path) -> None:
    assert quick_check(db_path) == []
    assert stored_revision(db_path) == FIRST
    with sqlite3.connect(db_path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert connection.execute("SELECT value_json FROM setting").fetchall() == [('"Ann"',)]
    connection.close()
    assert "plan_version" not in tables  # nothing of step 0002 or later is left behind


def _upgrades_cleanly_afterwards(db_path: Path, data_dir: Path) -> None:
    engine = open_engine(db_path)
    result = prepare_database(engine, db_path, data_dir)
    engine.dispose()
    assert result.to_revision == HEAD_REVISION
    assert stored_revision(db_path) == HEAD_REVISION


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_in_any_step_leaves_the_old_revision(
    tmp_path: Path, data_dir: Path, step: str
) -> None:
    db_path = _at_first_revision(data_dir)
    scripts = _scripts_with(tmp_path, step, "raise RuntimeError('injected failure')")
    engine = open_engine(db_path)
    with pytest.raises(RuntimeError, match="injected failure"):
        prepare_database(engine, db_path, data_dir, scripts)
    engine.dispose()
    _assert_untouched_first_revision(db_path)
    _upgrades_cleanly_afterwards(db_path, data_dir)


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_a_kill_in_any_step_leaves_the_old_revision(
    tmp_path: Path, data_dir: Path, step: str
) -> None:
    db_path = _at_first_revision(data_dir)
    scripts = _scripts_with(
        tmp_path, step, "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    )
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from pathlib import Path
                from rehab_app.storage.engine import open_engine
                from rehab_app.storage.migrate import prepare_database
                db_path, data_dir, scripts = map(Path, sys.argv[1:4])
                prepare_database(open_engine(db_path), db_path, data_dir, scripts)
                print("finished")
                """
            ),
            str(db_path),
            str(data_dir),
            str(scripts),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr
    assert "finished" not in child.stdout
    _assert_untouched_first_revision(db_path)
    _upgrades_cleanly_afterwards(db_path, data_dir)
