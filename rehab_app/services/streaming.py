"""Every row of a table of timed records, oldest first, fetched a batch at a time.

Exports read ten years of diary entries, sessions and questionnaire answers: fetched in batches
(`yield_per`), never all at once, and in a stable order (time, then id for equal times).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar


def oldest_first(table: Any, batch: int) -> SelectOfScalar[Any]:
    """All rows of `table` (a table model with `at_utc` and `id`), oldest first."""
    return (
        select(table).order_by(col(table.at_utc), col(table.id)).execution_options(yield_per=batch)
    )
