"""The one-table summary every benchmark can hand to run_all.py.

Each benchmark keeps its own detailed table; with `--summary FILE` it also writes its headline
rows in one shared shape, (measure, baseline, rehab_app, comparison, goal), so run_all.py can
print a single table for the README.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

Row = tuple[str, str, str, str, str]


def write_summary(path: str | None, area: str, baseline: str, rows: Sequence[Row]) -> None:
    """Write the rows for run_all.py when it asked for them (`--summary PATH`)."""
    if path:
        Path(path).write_text(
            json.dumps({"area": area, "baseline": baseline, "rows": [list(r) for r in rows]})
        )
