"""A corpus of damaged databases opened through the real start-up path (DATA-SAFETY §1.5).

For each kind of damage: the app starts without crashing, not one byte of the damaged file
changes (and no -wal or -shm appears beside it), and the newest good backup is offered. A stray
`-wal` that does not belong to the database is not damage: SQLite ignores it and nothing that
was committed is lost.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rehab_app.app import AppContext, _open_in_background
from rehab_app.core.diary import DiaryEntry
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder
from rehab_app.services.status import DataState
from rehab_app.storage.backup import backup_database
from rehab_app.storage.engine import database_path
from rehab_app.ui.main_window import MainWindow

PAGE = 4096


def _flip_header(data: bytearray) -> None:
    data[0:16] = b"SQLite format 4\x00"


def _scribble_page_two(data: bytearray) -> None:
    data[PAGE : 2 * PAGE] = bytes((index * 37) % 251 for index in range(PAGE))


def _flip_schema_btree(data: bytearray) -> None:
    data[100] ^= 0xFF  # the page type of the schema table's root page


def _truncate_to_60_percent(data: bytearray) -> None:
    del data[int(len(data) * 0.6) // PAGE * PAGE + 123 :]


def _truncate_to_1000_bytes(data: bytearray) -> None:
    del data[1000:]


DAMAGE: dict[str, Callable[[bytearray], None]] = {
    "header": _flip_header,
    "page_two": _scribble_page_two,
    "schema_btree": _flip_schema_btree,
    "truncated_60": _truncate_to_60_percent,
    "truncated_1000": _truncate_to_1000_bytes,
}


@pytest.fixture(scope="module")
def good_folder(tmp_path_factory: pytest.TempPathFactory, shipped_library) -> Path:  # type: ignore[no-untyped-def]
    """A data folder with a few weeks of entries and one good backup."""
    from tests.conftest import FakeClock

    folder = tmp_path_factory.mktemp("good") / "data"
    clock = FakeClock()
    opened = open_data_folder(folder, clock)
    assert opened.engine is not None
    services = build_services(opened.engine, shipped_library, clock)
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    for hour in range(300):
        services.diary.add(DiaryEntry(back_pain=hour % 11, leg_pain=(hour * 7) % 11, note="n" * 50))
        clock.advance(hours=3)
    opened.engine.dispose()
    backup_database(database_path(folder), folder, "daily")
    return folder


def _start(qtbot, data_dir: Path, clock) -> tuple[MainWindow, AppContext]:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted):
        window.show()
    context = AppContext(data_dir, window, clock)
    _open_in_background(context)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    return window, context


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_file_is_left_untouched_and_a_backup_offered(
    qtbot, tmp_path: Path, good_folder: Path, clock, damage: str
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(good_folder, data_dir)
    db_path = database_path(data_dir)
    data = bytearray(db_path.read_bytes())
    DAMAGE[damage](data)
    db_path.write_bytes(bytes(data))
    before = {path.name: path.read_bytes() for path in data_dir.iterdir() if path.is_file()}

    window, context = _start(qtbot, data_dir, clock)

    assert context.opened is not None
    assert context.opened.status.state == DataState.DAMAGED, context.opened.status.message
    assert context.opened.engine is None  # nothing will be written through it
    assert db_path.read_bytes() == bytes(data)
    # Nor any byte of its -wal and -shm, and no journal appeared beside it.
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before
    assert not window.banner.isHidden()
    assert window.banner.restore_button.isVisible()
    assert "can be restored" in window.banner.message.text()


def test_a_stray_wal_is_ignored_and_nothing_committed_is_lost(
    qtbot, tmp_path: Path, good_folder: Path, clock
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(good_folder, data_dir)
    db_path = database_path(data_dir)
    # A -wal left by some other database (here: random bytes with a plausible size).
    db_path.with_name(db_path.name + "-wal").write_bytes(bytes(range(256)) * 130)

    _window, context = _start(qtbot, data_dir, clock)

    assert context.opened is not None and context.opened.status.state == DataState.READY
    assert context.opened.engine is not None
    services = build_services(context.opened.engine, _window.services.library, clock)
    assert len(services.diary.entries()) == 300
    context.opened.engine.dispose()
