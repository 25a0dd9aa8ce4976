"""Progress screen benchmark: an empty database against ten years of history, side by side.

Run:  .venv/bin/python tests/benchmarks/bench_progress.py [--runs N] [--days 3650]

Each column runs in a fresh child process (offscreen), so memory figures do not mix. The ten
years are written by `rehab_app.services.demo.write_demo_data` with 17 ratings a day (about
55,000 diary entries and, from the starter plan's four daily sessions, about 12,000 sessions);
writing them is not measured. Measured, medians of N runs unless noted:

- "opened and drawn after its data arrived": from the moment the background load hands its
  result to the GUI thread until the screen is drawn and painted (building the chart widgets,
  setting the data, painting). The load itself runs in a worker thread and is listed apart,
  as is the longest stall of the event loop while opening (a 1 ms timer's largest gap).
- switching range: a range button's effect plus a full repaint, over the four ranges.
- services.diary.daily_pain: the SQL daily aggregate, over the last year and over everything.
- memory: resident memory growth from opening the screen once pyqtgraph is loaded, and the
  Python heap peak while loading and drawing (tracemalloc); the first open in a process also
  imports pyqtgraph and numpy, shown on its own row.
- one full garbage collection with the screen open: Python's cyclic collector runs now and
  then on the GUI thread and accounts for the rare slow outlier in the "worst" figures.

Run-to-run noise on the project machines is 20-30 %, so compare the columns of one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import write_summary

ROOT = Path(__file__).resolve().parents[2]
RANGE_KEYS = ("two_weeks", "three_months", "one_year", "all")
TZ = "Europe/London"


def _rss_mb() -> float:
    """Current resident memory (Linux /proc; elsewhere the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class _FixedClock:
    """Time stands still at the end of the history, so every run sees the same "today"."""

    moment: datetime

    def now(self):  # type: ignore[no-untyped-def]
        from rehab_app.core.timestamps import stamp

        return stamp(self.moment, TZ)


def _child(scenario: str, runs: int, days: int) -> dict[str, Any]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder
    from rehab_app.ui.bus import Bus

    app = QApplication([])
    moment = datetime(2026, 3, 29, 20, 0, tzinfo=UTC)
    clock = _FixedClock(moment)
    today = clock.now().local_day
    folder = Path(tempfile.mkdtemp(prefix="rehab-bench-progress-")) / "data"
    opened = open_data_folder(folder, clock)
    assert opened.engine is not None, opened.status.message
    library = CatalogService().load()
    summary = None
    if scenario == "ten_years":
        from rehab_app.services.demo import write_demo_data

        summary = write_demo_data(
            opened.engine, library, TZ, days, today, seed=1, entries_per_day=17, until=moment
        )
    services = build_services(opened.engine, library, clock)
    from rehab_app.ui.views.progress import ProgressView

    def open_view() -> tuple[Any, dict[str, float]]:
        """Open a Progress screen and wait until it is drawn and painted."""
        view = ProgressView()
        view.resize(1280, 800)
        view.show()
        marks: dict[str, float] = {}
        original = view._loaded_now

        def arrived(loaded: Any, started: float) -> None:
            marks["arrived"] = time.perf_counter()
            original(loaded, started)

        view._loaded_now = arrived  # type: ignore[method-assign]
        ticks: list[int] = []
        stopwatch = QElapsedTimer()
        stopwatch.start()
        ticker = QTimer()
        ticker.setTimerType(Qt.TimerType.PreciseTimer)
        ticker.setInterval(1)
        ticker.timeout.connect(lambda: ticks.append(stopwatch.elapsed()))
        loop = QEventLoop()
        view.drawn.connect(loop.quit)
        view.load_failed.connect(lambda message: sys.exit(f"load failed: {message}"))
        QTimer.singleShot(120_000, loop.quit)
        ticker.start()
        start = time.perf_counter()
        view.attach(services, Bus(), QUndoStack())
        loop.exec()
        view.repaint()  # paint now, synchronously: part of "drawn"
        end = time.perf_counter()
        ticker.stop()
        app.processEvents()
        gaps = [b - a for a, b in pairwise(ticks)]
        marks.update(
            total_ms=(end - start) * 1000,
            after_data_ms=(end - marks["arrived"]) * 1000,
            load_ms=view.timings["load_ms"],
            build_ms=view.timings["build_ms"],
            set_data_ms=view.timings["draw_ms"],
            stall_ms=float(max(gaps, default=0)),
        )
        return view, marks

    def close(view: Any) -> None:
        view.close()
        view.deleteLater()
        app.processEvents()
        gc.collect()

    result: dict[str, Any] = {"scenario": scenario}
    if summary is not None:
        result["data"] = {
            "days": summary.days,
            "diary_entries": summary.diary_entries,
            "sessions": summary.sessions,
        }
    gc.collect()
    rss_start = _rss_mb()
    view, cold = open_view()  # the first open also imports pyqtgraph and numpy (in the worker)
    result["cold_total_ms"] = cold["total_ms"]
    result["cold_rss_mb"] = _rss_mb() - rss_start
    close(view)

    import tracemalloc

    gc.collect()
    rss_before = _rss_mb()
    tracemalloc.start()
    view, _ = open_view()
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["rss_growth_mb"] = _rss_mb() - rss_before
    result["heap_peak_mb"] = heap_peak / 2**20
    close(view)

    opens = []
    for _ in range(runs):
        view, marks = open_view()
        opens.append(marks)
        if len(opens) < runs:
            close(view)
    for key in ("total_ms", "after_data_ms", "load_ms", "build_ms", "set_data_ms"):
        result[key] = statistics.median(m[key] for m in opens)
    result["stall_ms"] = max(m["stall_ms"] for m in opens)

    if view.loaded is not None and view.loaded.series.has_entries:
        switches = []
        for _ in range(runs):
            for key in RANGE_KEYS:
                start = time.perf_counter()
                view.range_buttons[key].click()
                view.repaint()
                switches.append((time.perf_counter() - start) * 1000)
        result["switch_ms"] = statistics.median(switches)
        result["switch_worst_ms"] = max(switches)
    # A full collection of Python's cyclic garbage with the screen open: it runs now and then
    # on whichever thread allocates, and explains the occasional slow outlier above.
    start = time.perf_counter()
    gc.collect()
    result["full_gc_ms"] = (time.perf_counter() - start) * 1000
    close(view)

    for name, first in (("daily_year_ms", today - timedelta(days=364)), ("daily_all_ms", None)):
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            services.diary.daily_pain(first, today)
            timings.append((time.perf_counter() - start) * 1000)
        result[name] = statistics.median(timings)
    opened.engine.dispose()
    return result


def _run_child(scenario: str, runs: int, days: int) -> dict[str, Any]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [
        sys.executable,
        __file__,
        "--child",
        scenario,
        "--runs",
        str(runs),
        "--days",
        str(days),
    ]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{scenario} failed with exit code {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--child", choices=("empty", "ten_years"), help=argparse.SUPPRESS)
    parser.add_argument("--summary", help="also write the headline rows here (run_all.py)")
    options = parser.parse_args()
    if options.child:
        print(json.dumps(_child(options.child, options.runs, options.days)))
        return 0
    empty = _run_child("empty", options.runs, options.days)
    full = _run_child("ten_years", options.runs, options.days)

    def ms(result: dict[str, Any], key: str) -> str:
        return f"{result[key]:.0f} ms" if key in result else "n/a (no chart)"

    def mb(result: dict[str, Any], key: str) -> str:
        return f"{result[key]:.1f} MB"

    def verdict(key: str, limit: float) -> str:
        return "ok" if full.get(key, 0.0) <= limit else "over"

    rows = [
        (
            "Progress opened and drawn after its data arrived",
            ms(empty, "after_data_ms"),
            ms(full, "after_data_ms"),
            "≤ 150 ms",
            verdict("after_data_ms", 150),
        ),
        (
            "  of which building the charts / setting the data",
            f"{empty['build_ms']:.0f} / {empty['set_data_ms']:.0f} ms",
            f"{full['build_ms']:.0f} / {full['set_data_ms']:.0f} ms",
            "-",
            "",
        ),
        (
            "longest event-loop stall while opening (worst run)",
            ms(empty, "stall_ms"),
            ms(full, "stall_ms"),
            "≤ 50 ms",
            verdict("stall_ms", 50),
        ),
        (
            "data load in the worker thread (off the GUI)",
            ms(empty, "load_ms"),
            ms(full, "load_ms"),
            "-",
            "",
        ),
        (
            "opened to drawn, load included",
            ms(empty, "total_ms"),
            ms(full, "total_ms"),
            "-",
            "",
        ),
        (
            "first open in a process (also imports pyqtgraph, numpy)",
            ms(empty, "cold_total_ms"),
            ms(full, "cold_total_ms"),
            "-",
            "",
        ),
        (
            "switching range (median / worst)",
            "n/a (no chart)",
            f"{full['switch_ms']:.0f} / {full['switch_worst_ms']:.0f} ms",
            "≤ 50 ms",
            verdict("switch_worst_ms", 50),
        ),
        (
            "one full garbage collection with the screen open (for the outliers)",
            ms(empty, "full_gc_ms"),
            ms(full, "full_gc_ms"),
            "-",
            "",
        ),
        (
            "services.diary.daily_pain, last 365 days",
            ms(empty, "daily_year_ms"),
            ms(full, "daily_year_ms"),
            "≤ 20 ms",
            verdict("daily_year_ms", 20),
        ),
        (
            "services.diary.daily_pain, whole history",
            ms(empty, "daily_all_ms"),
            ms(full, "daily_all_ms"),
            "≤ 20 ms",
            verdict("daily_all_ms", 20),
        ),
        (
            "memory growth opening the screen (RSS, pyqtgraph loaded)",
            mb(empty, "rss_growth_mb"),
            mb(full, "rss_growth_mb"),
            "≤ 30 MB",
            verdict("rss_growth_mb", 30),
        ),
        (
            "Python heap peak while loading and drawing (tracemalloc)",
            mb(empty, "heap_peak_mb"),
            mb(full, "heap_peak_mb"),
            "≤ 30 MB",
            verdict("heap_peak_mb", 30),
        ),
        (
            "first open in a process, RSS growth (with the imports)",
            mb(empty, "cold_rss_mb"),
            mb(full, "cold_rss_mb"),
            "-",
            "",
        ),
    ]
    data = full.get("data", {})
    print(
        f"Progress screen, median of {options.runs} runs, offscreen 1280x800;"
        f" {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}."
        f" Ten years: {data.get('days')} days, {data.get('diary_entries')} diary entries,"
        f" {data.get('sessions')} sessions."
    )
    print("| measure | empty database | ten years | goal | ten years vs goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    span = f"{options.days / 365:.0f} years"
    headline = {
        "Progress opened and drawn after its data arrived": f"Progress drawn at {span}",
        "longest event-loop stall while opening (worst run)": f"longest stall drawing {span}",
        "switching range (median / worst)": "switching range, median / worst",
        "services.diary.daily_pain, whole history": f"daily pain aggregate, {span}",
        "memory growth opening the screen (RSS, pyqtgraph loaded)": f"memory growth, {span}",
    }
    write_summary(
        options.summary,
        "progress",
        "an empty database",
        [(headline[r[0]], r[1], r[2], r[4], r[3]) for r in rows if r[0] in headline],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
