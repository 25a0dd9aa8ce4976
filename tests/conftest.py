"""Shared fixtures. Qt must run offscreen: set before any test imports PySide6."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("REHAB_APP_DATA_DIR", None)

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rehab_app.core.timestamps import Stamp, stamp

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"


@dataclass
class FakeClock:
    """A clock that only moves when a test says so."""

    at: datetime = field(default_factory=lambda: datetime(2026, 3, 29, 7, 30, tzinfo=UTC))
    tz_name: str = "Europe/London"

    def now(self) -> Stamp:
        return stamp(self.at, self.tz_name)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder


@pytest.fixture(scope="session")
def shipped_library():  # type: ignore[no-untyped-def]
    from rehab_app.services.catalog import CatalogService

    return CatalogService().load()


@pytest.fixture
def app_services(data_dir, clock, shipped_library):  # type: ignore[no-untyped-def]
    """Every service on a real temporary database, as the app builds them."""
    from rehab_app.services.bundle import build_services
    from rehab_app.services.maintenance import open_data_folder

    opened = open_data_folder(data_dir, clock)
    yield build_services(opened.engine, shipped_library, clock)
    opened.engine.dispose()
