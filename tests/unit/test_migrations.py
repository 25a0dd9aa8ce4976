"""Migrations: new databases are created and stamped, older ones backed up and upgraded in one
transaction, newer ones refused untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import rehab_app.storage.tables  # noqa: F401
from rehab_app.core.errors import StorageError
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.status import DataState
from rehab_app.storage.backup import list_backups
from rehab_app.storage.engine import database_path, open_engine
from rehab_app.storage.migrate import (
    MIGRATIONS_FOLDER,
    NewerDatabaseError,
    prepare_database,
    stored_revision,
)
from rehab_app.storage.migrations import HEAD_REVISION

FIRST_REVISION = "0001"


def _config(folder: Path = MIGRATIONS_FOLDER) -> Config:
    config = Config()
    config.set_main_option("script_location", str(folder))
    return config


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_constant_matches_the_scripts() -> None:
    assert ScriptDirectory.from_config(_config()).get_current_head() == HEAD_REVISION


def test_a_new_database_is_created_and_stamped(data_dir: Path, clock) -> None:
    opened = open_data_folder(data_dir, clock)
    assert opened.status.state == DataState.READY
    assert stored_revision(database_path(data_dir)) == HEAD_REVISION
    assert list_backups(data_dir) == []  # nothing to protect yet


def test_the_migration_chain_builds_exactly_the_tables_the_code_expects(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "chain.sqlite3")
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def _copy_with_extra_revision(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_test.py").write_text(
        "from __future__ import annotations\n"
        "import sqlalchemy as sa\n"
        "from alembic import op\n"
        f"revision = '9001'\ndown_revision = '{HEAD_REVISION}'\n"
        "branch_labels = None\ndepends_on = None\n"
        f"def upgrade() -> None:\n{body}\n"
        "def downgrade() -> None:\n    pass\n"
    )
    return folder


def _database_at_head_with_a_setting(data_dir: Path, clock) -> Path:
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    with opened.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO setting VALUES ('name', '\"Ann\"')")
    opened.engine.dispose()
    return database_path(data_dir)


def test_an_older_database_is_backed_up_then_upgraded(
    data_dir: Path, clock, tmp_path: Path
) -> None:
    db_path = _database_at_head_with_a_setting(data_dir, clock)
    scripts = _copy_with_extra_revision(
        tmp_path,
        "    with op.batch_alter_table('setting') as batch:\n"
        "        batch.add_column(sa.Column('note', sa.String(), nullable=True))\n"
        "    op.execute(\"UPDATE setting SET note = 'upgraded'\")\n",
    )
    engine = open_engine(db_path)
    result = prepare_database(engine, db_path, data_dir, scripts, head="9001")
    engine.dispose()
    assert (result.from_revision, result.to_revision) == (HEAD_REVISION, "9001")
    assert result.backup is not None and result.backup in list_backups(data_dir)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT key, value_json, note FROM setting").fetchall() == [
            ("name", '"Ann"', "upgraded")
        ]
    with sqlite3.connect(result.backup) as connection:  # the backup is the old schema and data
        assert stored_revision(result.backup) == HEAD_REVISION
        assert connection.execute("SELECT key, value_json FROM setting").fetchall() == [
            ("name", '"Ann"')
        ]


def test_a_failing_step_leaves_the_old_revision_and_data(
    data_dir: Path, clock, tmp_path: Path
) -> None:
    db_path = _database_at_head_with_a_setting(data_dir, clock)
    scripts = _copy_with_extra_revision(
        tmp_path,
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    op.execute(\"UPDATE setting SET value_json = 'changed'\")\n"
        "    raise RuntimeError('step failed')\n",
    )
    engine = open_engine(db_path)
    with pytest.raises(RuntimeError, match="step failed"):
        prepare_database(engine, db_path, data_dir, scripts, head="9001")
    engine.dispose()
    assert stored_revision(db_path) == HEAD_REVISION
    with sqlite3.connect(db_path) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert "half_done" not in tables
        assert connection.execute("SELECT value_json FROM setting").fetchall() == [('"Ann"',)]


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path, clock) -> None:
    db_path = _database_at_head_with_a_setting(data_dir, clock)
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = _digest(db_path)
    engine = open_engine(db_path)
    with pytest.raises(NewerDatabaseError, match="newer version of rehab_app"):
        prepare_database(engine, db_path, data_dir)
    engine.dispose()
    status = open_data_folder(data_dir, clock).status
    assert status.state == DataState.NEWER
    assert "9999" in status.message and "unchanged" in status.message
    assert _digest(db_path) == before
    assert list_backups(data_dir) == []


def test_a_database_with_tables_but_no_stamp_is_refused(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(mode=0o700)
    db_path = database_path(data_dir)
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    engine = open_engine(db_path)
    with pytest.raises(StorageError, match="no rehab_app version stamp"):
        prepare_database(engine, db_path, data_dir)
    engine.dispose()


def test_a_database_at_the_first_revision_is_upgraded_with_its_data(data_dir: Path, clock) -> None:
    data_dir.mkdir(mode=0o700)
    db_path = database_path(data_dir)
    engine = open_engine(db_path)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, FIRST_REVISION)
        connection.exec_driver_sql("INSERT INTO setting VALUES ('name', '\"Ann\"')")
    engine.dispose()
    assert stored_revision(db_path) == FIRST_REVISION

    opened = open_data_folder(data_dir, clock)
    assert opened.status.state == DataState.READY
    assert opened.status.upgraded_from == FIRST_REVISION
    assert opened.status.upgrade_backup is not None
    assert stored_revision(opened.status.upgrade_backup) == FIRST_REVISION
    assert stored_revision(db_path) == HEAD_REVISION
    with opened.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT value_json FROM setting").scalar() == '"Ann"'
        kinds = connection.exec_driver_sql("SELECT kind FROM app_event").scalars().all()
    assert kinds == ["database-upgraded"]
    opened.engine.dispose()
