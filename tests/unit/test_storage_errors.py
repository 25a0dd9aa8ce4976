"""A full disk or a read-only database is a message, not a crash, and loses nothing committed."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from rehab_app.core.diary import DiaryEntry
from rehab_app.core.errors import StorageError
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder


@pytest.fixture
def services_and_engine(data_dir, clock, shipped_library):
    opened = open_data_folder(data_dir, clock)
    yield build_services(opened.engine, shipped_library, clock), opened.engine
    opened.engine.dispose()


def _on_every_connection(engine, pragma: str) -> None:
    event.listen(engine, "connect", lambda connection, _record: connection.execute(pragma))
    engine.dispose()  # new connections from now on get the pragma


def test_a_full_disk_is_reported_in_plain_words(services_and_engine) -> None:
    services, engine = services_and_engine
    kept, _ = services.diary.add(DiaryEntry(back_pain=3, leg_pain=4, note="before the disk filled"))
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    _on_every_connection(engine, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="disk is full"):
        for _ in range(200):
            services.diary.add(DiaryEntry(back_pain=3, leg_pain=4, note="x" * 1900))
    assert services.diary.get(kept.id).entry.note == "before the disk filled"


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.diary.add(DiaryEntry(back_pain=1, leg_pain=1)),
        lambda s: s.plans.save(s.plans.starter_plan(s.sessions.today()), "starter"),
        lambda s: s.settings.set("units", "metric"),
        lambda s: s.safety.record_checklist([]),
        lambda s: s.questionnaires.save("rmdq", {}, 0.0, 24),
    ],
)
def test_a_read_only_database_is_reported_on_every_write(services_and_engine, write) -> None:
    services, engine = services_and_engine
    _on_every_connection(engine, "PRAGMA query_only = ON")
    with pytest.raises(StorageError, match="not saved"):
        write(services)
