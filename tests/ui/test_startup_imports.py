"""The window paints before the heavy layers are imported (ARCHITECTURE.md: "the window appears
at the speed of a bare PySide6 window"). A real start, as a person would launch it; the start-up
log records what was imported when the first paint happened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_nothing_heavy_is_imported_before_the_first_paint(tmp_path: Path) -> None:
    log = tmp_path / "startup.log"
    done = subprocess.run(
        [sys.executable, "-m", "rehab_app", "--data-dir", str(tmp_path / "data"),
         "--screenshot", str(tmp_path / "shot.png"), "--view", "today"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "REHAB_APP_STARTUP_LOG": str(log)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in log.read_text().splitlines())
    assert lines["heavy_before_first_paint"] == "-"
    assert "ready" in lines  # and it did go on to open the data
