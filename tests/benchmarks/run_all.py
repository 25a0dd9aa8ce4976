"""Run every benchmark and print one table (the one in the README).

Run:  .venv/bin/python tests/benchmarks/run_all.py [--quick]

Each benchmark runs in its own process, one after the other (they would disturb each other's
timings otherwise), with its usual number of runs; `--quick` uses fewer runs and a smaller
history for a fast look. Every row compares rehab_app with a baseline measured in the same run
on the same machine: a bare PySide6 window, an empty database, plain `zipfile`, plain sqlite3.
Run-to-run noise on the project machines is 20-30 %, so read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = {
    "bench_startup.py": (["--runs", "7"], ["--runs", "3"]),
    "bench_progress.py": (["--runs", "7"], ["--runs", "2", "--days", "730"]),
    "bench_pack_import.py": (["--runs", "7"], ["--runs", "2"]),
    "bench_diary_save.py": (["--saves", "500"], ["--saves", "100"]),
}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    return (
        f"{system}, Python {platform.python_version()}, {os.cpu_count()} cores ({cpu}),"
        f" {platform.machine()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, two years of history")
    options = parser.parse_args()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    summaries = []
    with tempfile.TemporaryDirectory(prefix="rehab-bench-all-") as folder:
        for script, (full, quick) in BENCHMARKS.items():
            target = Path(folder) / f"{script}.json"
            arguments = quick if options.quick else full
            started = time.perf_counter()
            print(f"running {script} {' '.join(arguments)} …", file=sys.stderr, flush=True)
            subprocess.run(
                [sys.executable, str(HERE / script), *arguments, "--summary", str(target)],
                check=True,
                env=environment,
                stdout=subprocess.DEVNULL,
            )
            print(f"  {time.perf_counter() - started:.0f} s", file=sys.stderr)
            summaries.append(json.loads(target.read_text()))
    print(f"Machine: {machine()}." + (" Quick run." if options.quick else ""))
    print()
    print("| area | measure | baseline | rehab_app | compared | goal |")
    print("|---|---|---|---|---|---|")
    for summary in summaries:
        for number, row in enumerate(summary["rows"]):
            area = f"{summary['area']} (vs {summary['baseline']})" if number == 0 else ""
            print("| " + " | ".join([area, *row]) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
