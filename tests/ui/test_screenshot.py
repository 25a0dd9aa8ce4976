"""`rehab-app --screenshot FILE --view NAME` writes a real picture of each view and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from rehab_app.ui.main_window import VIEWS


def _screenshot(tmp_path: Path, view: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / f"{view}.png"
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rehab_app",
            "--data-dir",
            str(tmp_path / "data"),
            "--screenshot",
            str(target),
            "--view",
            view,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    return result, target


def _distinct_colours(image: QImage) -> int:
    small = image.scaled(160, 100)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


@pytest.mark.slow
def test_library_screenshot_shows_the_loaded_library(tmp_path: Path) -> None:
    result, target = _screenshot(tmp_path, "library")
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    assert _distinct_colours(image) > 50  # text, list and a coloured illustration


@pytest.mark.slow
@pytest.mark.parametrize("view", [v for v in VIEWS if v != "library"])
def test_every_view_can_be_captured(tmp_path: Path, view: str) -> None:
    result, target = _screenshot(tmp_path, view)
    assert result.returncode == 0, result.stderr
    assert not QImage(str(target)).isNull()


def _seed_plan(data_dir: Path) -> None:
    """A data folder with the starter plan, written through the services like the app does."""
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder

    clock = SystemClock("UTC")
    opened = open_data_folder(data_dir, clock)
    services = build_services(opened.engine, CatalogService().load(), clock)
    services.plans.save(services.plans.starter_plan(clock.now().local_day), "starter")
    opened.engine.dispose()


def _differs(first: QImage, second: QImage) -> float:
    """Share of pixels that differ between two same-sized screenshots (on a coarse grid)."""
    a, b = first.scaled(128, 80), second.scaled(128, 80)
    changed = sum(a.pixel(x, y) != b.pixel(x, y) for x in range(128) for y in range(80))
    return changed / (128 * 80)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["today", "player"])
def test_today_and_player_show_the_plan_when_there_is_one(tmp_path: Path, view: str) -> None:
    empty, empty_png = _screenshot(tmp_path / "empty", view)
    _seed_plan(tmp_path / "seeded" / "data")
    seeded, seeded_png = _screenshot(tmp_path / "seeded", view)
    assert empty.returncode == 0 and seeded.returncode == 0, seeded.stderr
    with_plan, without = QImage(str(seeded_png)), QImage(str(empty_png))
    assert _differs(with_plan, without) > 0.15  # not the same placeholder with a new date
    assert _distinct_colours(with_plan) > 30


@pytest.mark.slow
def test_demo_progress_screenshot_shows_the_chart_with_data(tmp_path: Path) -> None:
    target = tmp_path / "progress.png"
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rehab_app",
            "--demo",
            "--screenshot",
            str(target),
            "--view",
            "progress",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert "182 days:" in result.stdout
    image = QImage(str(target))
    assert _distinct_colours(image) > 60  # lines, band, bars and markers, not an empty plot
