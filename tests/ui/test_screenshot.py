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
