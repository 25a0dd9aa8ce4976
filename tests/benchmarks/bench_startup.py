"""Start-up benchmark: rehab_app against a bare PySide6 QMainWindow, side by side in one run.

Run:  .venv/bin/python tests/benchmarks/bench_startup.py [--runs N]

Each run starts a fresh process (offscreen) and measures, from just before the process is
spawned: the first painted main window, the library filled with exercises (rehab_app only),
and the process's peak resident memory. The table reports medians and the ratio to the bare
window, because absolute times vary 20-30 % between runs on the same machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import write_summary

ROOT = Path(__file__).resolve().parents[2]

BARE_WINDOW = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        painted = False
        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                with open(sys.argv[1], "a") as log:
                    log.write(f"first_paint {time.time():.6f}\\n")
                QTimer.singleShot(0, QApplication.quit)

    app = QApplication([])
    window = Window()
    window.resize(1280, 800)
    window.show()
    app.exec()
    """
)


def _measure(command: list[str], log: Path, extra_env: dict[str, str]) -> dict[str, float]:
    log.unlink(missing_ok=True)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra_env}
    started = time.time()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed with exit code {process.returncode}")
    result = {"peak_rss_mb": usage.ru_maxrss / 1024}
    for line in log.read_text().splitlines():
        name, moment = line.split()
        if name == "heavy_before_first_paint":
            continue  # checked by tests/ui/test_startup_imports.py
        result[name] = float(moment) - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--summary", help="also write the headline rows here (run_all.py)")
    options = parser.parse_args()
    # An installed app has its bytecode compiled at install time; a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module on every start instead.
    compileall.compile_dir(ROOT / "rehab_app", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="rehab-bench-"))
    log = work / "log.txt"
    bare: list[dict[str, float]] = []
    app: list[dict[str, float]] = []
    for run in range(options.runs):
        data_dir = work / f"data-{run}"  # a fresh data folder: includes creating the database
        bare.append(_measure([sys.executable, "-c", BARE_WINDOW, str(log)], log, {}))
        app.append(
            _measure(
                [
                    sys.executable,
                    "-m",
                    "rehab_app",
                    "--data-dir",
                    str(data_dir),
                    "--screenshot",
                    str(work / "shot.png"),
                    "--view",
                    "library",
                ],
                log,
                {"REHAB_APP_STARTUP_LOG": str(log)},
            )
        )

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    bare_paint = median(bare, "first_paint")
    rows = [
        (
            "first painted window",
            f"{bare_paint:.3f} s",
            f"{median(app, 'first_paint'):.3f} s",
            f"{median(app, 'first_paint') / bare_paint:.2f}x",
            "within 1.3x",
        ),
        ("library filled", "-", f"{median(app, 'library_filled'):.3f} s", "-", "within 1.0 s"),
        ("data opened, window ready", "-", f"{median(app, 'ready'):.3f} s", "-", "-"),
        (
            "peak memory (RSS)",
            f"{median(bare, 'peak_rss_mb'):.0f} MB",
            f"{median(app, 'peak_rss_mb'):.0f} MB",
            f"{median(app, 'peak_rss_mb') / median(bare, 'peak_rss_mb'):.2f}x",
            "-",
        ),
    ]
    print(
        f"Start-up, median of {options.runs} runs, offscreen; {platform.python_version()},"
        f" {os.cpu_count()} cores, {platform.machine()}"
    )
    print("| measure | bare PySide6 window | rehab_app | ratio | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    app_paint, ready = median(app, "first_paint"), median(app, "ready")
    bare_rss, app_rss = median(bare, "peak_rss_mb"), median(app, "peak_rss_mb")
    write_summary(
        options.summary,
        "start-up",
        "a bare PySide6 QMainWindow",
        [
            ("first paint", f"{bare_paint:.2f} s", f"{app_paint:.2f} s",
             f"{app_paint / bare_paint:.2f}x", "within 1.3x"),
            ("data shown (every screen ready)", f"{bare_paint:.2f} s", f"{ready:.2f} s",
             f"{ready / bare_paint:.2f}x", "-"),
            ("peak memory (RSS)", f"{bare_rss:.0f} MB", f"{app_rss:.0f} MB",
             f"{app_rss / bare_rss:.2f}x", "-"),
        ],
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
