"""A full disk or a read-only database on every write path: a plain message, nothing committed
lost (DATA-SAFETY §1.7). The screens keep what was typed; tests/ui check that part.

Disk full is `PRAGMA max_page_count` pinned to the pages in use, read-only is
`PRAGMA query_only`; both are set on every new connection of the app's own engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from rehab_app.core.diary import DiaryEntry
from rehab_app.core.errors import StorageError
from rehab_app.core.session import ExerciseOutcome
from rehab_app.services.bundle import AppServices, build_services
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.status import DataState

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup(data_dir, clock, shipped_library):  # type: ignore[no-untyped-def]
    opened = open_data_folder(data_dir, clock)
    assert opened.engine is not None
    services = build_services(opened.engine, shipped_library, clock)
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    kept, _ = services.diary.add(DiaryEntry(back_pain=3, leg_pain=4, note="committed before"))
    yield services, opened.engine, kept.id
    opened.engine.dispose()


def _on_every_connection(engine: Engine, pragma: str) -> None:
    event.listen(engine, "connect", lambda connection, _record: connection.execute(pragma))
    engine.dispose()  # new connections from now on get the pragma


def _disk_full(engine: Engine) -> None:
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    _on_every_connection(engine, f"PRAGMA max_page_count = {pages}")


def _read_only(engine: Engine) -> None:
    _on_every_connection(engine, "PRAGMA query_only = ON")


def _pack(tmp_path: Path, services: AppServices) -> Path:
    from rehab_app.services.pack_authoring import build

    output = tmp_path / "strengthening.rehabpack"
    build(ROOT / "exercises" / "packs" / "strengthening", output, services.library, None)
    return output


def _import_pack(services: AppServices, tmp_path: Path) -> None:
    preview = services.packs.preview(_pack(tmp_path, services))
    services.packs.apply(preview, accepted=tuple(preview.warnings))


WRITES: dict[str, Callable[[AppServices, Path], object]] = {
    "diary": lambda s, _t: s.diary.add(DiaryEntry(back_pain=1, leg_pain=1, note="n" * 400)),
    "session": lambda s, _t: s.sessions.start_session(s.sessions.today(), time(8, 0)),
    "exercise": lambda s, _t: s.sessions.log_exercise(
        s.sessions.start_session(s.sessions.today(), None)[0],
        ExerciseOutcome(exercise_id="pelvic_tilt", sets_done=1, reps_done=10, holds_done=10),
    ),
    "plan": lambda s, _t: s.plans.save(s.plans.starter_plan(s.sessions.today()), "again"),
    "pack import": _import_pack,
}


@pytest.mark.parametrize("path", sorted(WRITES))
@pytest.mark.parametrize("fault", ["disk full", "read-only"])
def test_every_write_path_reports_in_plain_words_and_loses_nothing(
    setup, tmp_path: Path, path: str, fault: str
) -> None:
    services, engine, kept_id = setup
    plans_before = len(services.plans.history())
    (_disk_full if fault == "disk full" else _read_only)(engine)
    expected = "disk is full" if fault == "disk full" else "read-only"
    with pytest.raises(StorageError, match=expected) as caught:
        for _ in range(100):  # a full disk may still fit a row or two in free space
            WRITES[path](services, tmp_path)
    assert "not saved" in str(caught.value) or "Nothing was imported" in str(caught.value)
    assert services.diary.get(kept_id).entry.note == "committed before"
    if path != "plan":
        assert len(services.plans.history()) == plans_before
    if path == "pack import":
        assert services.library.by_id("sit_to_stand") is None
        media = services.data_dir / "media"
        assert not media.exists() or not any(media.iterdir())


def test_a_read_only_database_during_a_migration_is_explained(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up on an old database that cannot be written: a message, no crash, no change."""
    import rehab_app.services.maintenance as maintenance
    from rehab_app.storage import engine as engine_module
    from tests.unit.test_migration_faults import _at_first_revision

    data_dir = tmp_path / "data"
    db_path = _at_first_revision(data_dir)
    before = db_path.read_bytes()
    original = engine_module.open_engine

    def read_only_engine(path: Path) -> Engine:
        engine = original(path)
        _read_only(engine)
        return engine

    monkeypatch.setattr(maintenance, "open_engine", read_only_engine)
    opened = open_data_folder(data_dir, clock)
    assert opened.status.state == DataState.UNAVAILABLE
    assert "read-only" in opened.status.message
    assert db_path.read_bytes() == before


BACKUP_ON_A_FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from rehab_app.core.errors import StorageError
from rehab_app.core.timestamps import SystemClock
from rehab_app.services.bundle import build_services
from rehab_app.services.catalog import Library
from rehab_app.services.maintenance import open_data_folder

opened = open_data_folder(Path(sys.argv[1]), SystemClock("UTC"))
services = build_services(opened.engine, Library((), (), (), {}), SystemClock("UTC"))
# No file may grow past 16 KB from here on: the disk is "full" for anything new.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))
try:
    services.backups.back_up()
except StorageError as error:
    print("StorageError:", error)
"""


def test_a_backup_on_a_full_disk_says_so_and_leaves_no_partial_file(
    setup, data_dir: Path, clock
) -> None:
    import subprocess
    import sys

    from rehab_app.storage.backup import backups_folder, list_backups
    from rehab_app.storage.health import quick_check

    services, engine, _kept_id = setup
    for _ in range(40):  # a database well over the limit
        services.diary.add(DiaryEntry(back_pain=2, leg_pain=2, note="n" * 490))
    engine.dispose()
    child = subprocess.run(
        [sys.executable, "-c", BACKUP_ON_A_FULL_DISK, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("StorageError:"), child.stdout + child.stderr
    assert "disk is full" in child.stdout and "backup" in child.stdout
    assert list_backups(data_dir) == []
    assert not any(backups_folder(data_dir).glob("*.partial"))
    assert quick_check(data_dir / "rehab.sqlite3") == []
