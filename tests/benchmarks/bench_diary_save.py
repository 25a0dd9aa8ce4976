"""Diary save latency: `services.diary.add` against a plain sqlite3 INSERT with the same pragmas.

Run:  .venv/bin/python tests/benchmarks/bench_diary_save.py [--saves 500]

Each save is what the quick-entry dialog does before it says "Saved": validate the entry, open
a session, insert, commit with `synchronous=FULL` in WAL mode (an fsync), return the read
model. The baseline is the same row inserted with the standard library's sqlite3 on a
connection with the same pragmas, one transaction per row. Median and 99th percentile.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import write_summary  # noqa: E402


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(saves: int) -> dict[str, tuple[float, float]]:
    """(median ms, p99 ms) for the app's save and for the plain baseline."""
    from rehab_app.core.diary import DiaryEntry
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import Library
    from rehab_app.services.maintenance import open_data_folder

    folder = Path(tempfile.mkdtemp(prefix="rehab-bench-diary-"))
    clock = SystemClock("Europe/London")
    opened = open_data_folder(folder / "app", clock)
    assert opened.engine is not None
    services = build_services(opened.engine, Library((), (), (), {}), clock)
    app: list[float] = []
    for number in range(saves):
        entry = DiaryEntry(back_pain=number % 11, leg_pain=(number * 3) % 11, note="walked")
        start = time.perf_counter()
        services.diary.add(entry)
        app.append((time.perf_counter() - start) * 1000)
    opened.engine.dispose()

    connection = sqlite3.connect(folder / "plain.sqlite3", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(
        "CREATE TABLE entry (id INTEGER PRIMARY KEY, at_utc TEXT, tz_name TEXT, local_day TEXT,"
        " back_pain INTEGER, leg_pain INTEGER, note TEXT)"
    )
    plain: list[float] = []
    for number in range(saves):
        start = time.perf_counter()
        now = datetime.now(UTC)
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO entry (at_utc, tz_name, local_day, back_pain, leg_pain, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (now.isoformat(), "Europe/London", now.date().isoformat(), number % 11, 3, "walked"),
        )
        connection.execute("COMMIT")
        plain.append((time.perf_counter() - start) * 1000)
    connection.close()
    return {
        "app": (statistics.median(app), _percentile(app, 0.99)),
        "plain": (statistics.median(plain), _percentile(plain, 0.99)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--summary", help="also write the headline rows here (run_all.py)")
    options = parser.parse_args()
    result = measure(options.saves)
    app, plain = result["app"], result["plain"]
    print(f"Diary save latency, {options.saves} saves")
    print(f"{'':32} {'median':>9} {'p99':>9}")
    print(f"{'plain sqlite3 insert + commit':32} {plain[0]:7.2f}ms {plain[1]:7.2f}ms")
    print(f"{'services.diary.add':32} {app[0]:7.2f}ms {app[1]:7.2f}ms")
    print(f"{'ratio':32} {app[0] / plain[0]:8.1f}x {app[1] / plain[1]:8.1f}x")
    write_summary(
        options.summary,
        "diary save",
        "a plain sqlite3 insert and commit, same pragmas",
        [
            ("save latency, median", f"{plain[0]:.1f} ms", f"{app[0]:.1f} ms",
             f"{app[0] / plain[0]:.1f}x", "well under 16 ms"),
            ("save latency, 99th percentile", f"{plain[1]:.1f} ms", f"{app[1]:.1f} ms",
             f"{app[1] / plain[1]:.1f}x", "-"),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
