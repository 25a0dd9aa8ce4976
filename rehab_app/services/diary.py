"""The pain diary: add, edit, delete (with what undo needs), list, search, and daily aggregates.

"Saved" follows the commit of `add`; edits keep nothing hidden: `update` returns the entry as
it was, so the undo stack can put it back. Daily means are computed in SQL by local day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, insert, or_
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.diary import (
    RETROSPECTIVE_AFTER_HOURS,
    Activity,
    BodySide,
    Context,
    DiaryEntry,
    DiaryRecord,
    LegExtent,
    Medication,
    Quality,
)
from rehab_app.core.errors import RehabError
from rehab_app.core.timestamps import Clock, Stamp, stamp
from rehab_app.services.streaming import oldest_first
from rehab_app.services.transactions import writing
from rehab_app.storage import queries
from rehab_app.storage.tables import DiaryEntryRow, ExerciseLog, SessionLog


@dataclass(frozen=True)
class DiaryRead:
    id: int
    entry: DiaryEntry  # with `at` filled in (aware, in the zone it was recorded in)
    local_day: date
    tz_name: str
    entered_utc: datetime
    retrospective: bool


@dataclass(frozen=True)
class DayPain:
    day: date
    back: float
    leg: float
    entries: int


@dataclass(frozen=True)
class DiaryFilter:
    text: str = ""
    context: Context | None = None
    first: date | None = None
    last: date | None = None
    limit: int = 500


class DiaryService:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def add(self, entry: DiaryEntry) -> tuple[DiaryRead, Changes]:
        with writing(self._engine) as session:
            row = self._row(entry)
            session.add(row)
            session.commit()
            session.refresh(row)
            return _read(row), Changes(diary=True)

    def update(self, entry_id: int, entry: DiaryEntry) -> tuple[DiaryRead, DiaryRead, Changes]:
        """Replace an entry's content; returns (before, after) so the change can be undone."""
        with writing(self._engine) as session:
            row = session.get(DiaryEntryRow, entry_id)
            if row is None:
                raise RehabError(f"Diary entry {entry_id} no longer exists.")
            before = _read(row)
            fresh = self._row(entry, entered=row.entered_utc)
            for name in DiaryEntryRow.model_fields:
                if name not in ("id", "entered_utc"):
                    setattr(row, name, getattr(fresh, name))
            row.retrospective = fresh.retrospective or before.retrospective
            session.add(row)
            session.commit()
            session.refresh(row)
            return before, _read(row), Changes(diary=True)

    def delete(self, entry_id: int) -> tuple[DiaryRead, Changes]:
        with writing(self._engine) as session:
            row = session.get(DiaryEntryRow, entry_id)
            if row is None:
                raise RehabError(f"Diary entry {entry_id} no longer exists.")
            removed = _read(row)
            session.delete(row)
            session.commit()
            return removed, Changes(diary=True)

    def restore(self, removed: DiaryRead) -> tuple[DiaryRead, Changes]:
        """Put back an entry removed by `delete`, with its original id and times."""
        with writing(self._engine) as session:
            row = self._row(removed.entry, entered=removed.entered_utc)
            row.id = removed.id
            row.retrospective = removed.retrospective
            session.add(row)
            session.commit()
            session.refresh(row)
            return _read(row), Changes(diary=True)

    def get(self, entry_id: int) -> DiaryRead | None:
        with Session(self._engine) as session:
            row = session.get(DiaryEntryRow, entry_id)
            return _read(row) if row else None

    def entries(self, where: DiaryFilter = DiaryFilter()) -> list[DiaryRead]:
        """Newest first; `text` searches the note, medication names and symptom words."""
        query = select(DiaryEntryRow)
        if where.context is not None:
            query = query.where(DiaryEntryRow.context == where.context.value)
        if where.first is not None:
            query = query.where(DiaryEntryRow.local_day >= where.first)
        if where.last is not None:
            query = query.where(DiaryEntryRow.local_day <= where.last)
        for word in where.text.split():
            pattern = f"%{word.replace('%', '').replace('_', ' ')}%"
            query = query.where(
                or_(
                    col(DiaryEntryRow.note).ilike(pattern),
                    col(DiaryEntryRow.medications_json).ilike(pattern),
                    col(DiaryEntryRow.qualities).ilike(pattern.replace(" ", "_")),
                    col(DiaryEntryRow.aggravating).ilike(pattern.replace(" ", "_")),
                )
            )
        query = query.order_by(col(DiaryEntryRow.at_utc).desc()).limit(where.limit)
        with Session(self._engine) as session:
            return [_read(row) for row in session.exec(query).all()]

    def stream(self, batch: int = 1000) -> Iterator[DiaryRead]:
        """Every entry, oldest first, fetched `batch` rows at a time (exports of ten years)."""
        query = oldest_first(DiaryEntryRow, batch)
        with Session(self._engine) as session:
            for row in session.exec(query):
                yield _read(row)

    def import_records(self, records: Sequence[DiaryRecord]) -> tuple[int, int, Changes]:
        """Add entries with their original times in one transaction; (added, skipped, changes).

        An entry identical to one already stored (same moment and the same values; the zone
        and when it was typed do not count) is skipped, so importing the same file twice, or
        a file made from this diary, adds nothing twice.
        """
        rows = [
            _table_row(r.entry, stamp(_moment(r.entry), r.tz_name), r.entered_utc, r.retrospective)
            for r in records
        ]
        if not rows:
            return 0, 0, Changes()
        first = min(row.at_utc for row in rows)
        last = max(row.at_utc for row in rows)
        with writing(self._engine) as session:
            # One query for the stored entries in the span the file covers, not one per row.
            stored = session.exec(
                select(DiaryEntryRow).where(
                    col(DiaryEntryRow.at_utc) >= first, col(DiaryEntryRow.at_utc) <= last
                )
            ).all()
            seen = {_same_entry_key(row) for row in stored}
            fresh = []
            for row in rows:
                key = _same_entry_key(row)
                if key not in seen:
                    seen.add(key)
                    fresh.append(row.model_dump(exclude={"id"}))
            if fresh:
                # Core bulk INSERT: about ten times faster than adding ORM objects one by one.
                session.execute(insert(DiaryEntryRow), fresh)
            session.commit()
        return len(fresh), len(rows) - len(fresh), Changes(diary=bool(fresh))

    def daily_pain(self, first: date | None = None, last: date | None = None) -> list[DayPain]:
        """Mean back and leg pain per local day (an SQL aggregate), oldest first."""
        with self._engine.connect() as connection:
            rows = queries.daily_pain(connection, first, last)
        return [DayPain(day, back, leg, count) for day, back, leg, count in rows]

    def needs_morning_checkin(self, today: date) -> bool:
        """Yesterday had exercise and there is no "on waking" entry yet today.

        The next-morning response is what decides whether to progress (clinical.md §2.1).
        """
        yesterday = today - timedelta(days=1)
        with Session(self._engine) as session:
            exercised = session.exec(
                select(func.count())
                .select_from(ExerciseLog)
                .join(SessionLog)
                .where(SessionLog.local_day == yesterday, col(ExerciseLog.skipped).is_(False))
            ).one()
            woke = session.exec(
                select(func.count())
                .select_from(DiaryEntryRow)
                .where(
                    DiaryEntryRow.local_day == today,
                    DiaryEntryRow.context == Context.WAKING.value,
                )
            ).one()
        return exercised > 0 and woke == 0

    def _row(self, entry: DiaryEntry, entered: datetime | None = None) -> DiaryEntryRow:
        now = self._clock.now()
        when = stamp(entry.at, now.tz_name) if entry.at is not None else now
        written = entered or now.at_utc
        late = written - when.at_utc > timedelta(hours=RETROSPECTIVE_AFTER_HOURS)
        return _table_row(entry, when, written, late)


def _moment(entry: DiaryEntry) -> datetime:
    if entry.at is None:
        raise ValueError("an imported diary entry needs its time")
    return entry.at


def _table_row(
    entry: DiaryEntry, when: Stamp, entered: datetime, retrospective: bool
) -> DiaryEntryRow:
    """The one mapping of an entry to its table row (adding, editing and importing)."""
    return DiaryEntryRow(
        at_utc=when.at_utc,
        tz_name=when.tz_name,
        local_day=when.local_day,
        entered_utc=entered,
        retrospective=retrospective,
        back_pain=entry.back_pain,
        leg_pain=entry.leg_pain,
        context=entry.context.value,
        leg_extent=entry.leg_extent.value,
        side=entry.side.value if entry.side else None,
        qualities=",".join(q.value for q in entry.qualities),
        aggravating=",".join(a.value for a in entry.aggravating),
        medications_json=json.dumps([m.model_dump() for m in entry.medications]),
        sleep_hours=entry.sleep_hours,
        woken_by_pain=entry.woken_by_pain,
        note=entry.note,
    )


def _same_entry_key(row: DiaryEntryRow) -> tuple[object, ...]:
    """What makes two rows the same entry: the moment and every value the person gave."""
    return tuple(
        getattr(row, name)
        for name in DiaryEntryRow.model_fields
        if name not in ("id", "tz_name", "local_day", "entered_utc", "retrospective")
    )


def _codes(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def _read(row: DiaryEntryRow) -> DiaryRead:
    assert row.id is not None
    when = stamp(row.at_utc, row.tz_name)
    entry = DiaryEntry(
        back_pain=row.back_pain,
        leg_pain=row.leg_pain,
        context=Context(row.context),
        leg_extent=LegExtent(row.leg_extent),
        side=BodySide(row.side) if row.side else None,
        qualities=[Quality(code) for code in _codes(row.qualities)],
        aggravating=[Activity(code) for code in _codes(row.aggravating)],
        medications=[Medication(**item) for item in json.loads(row.medications_json)],
        sleep_hours=row.sleep_hours,
        woken_by_pain=row.woken_by_pain,
        note=row.note,
        at=when.local,
    )
    return DiaryRead(row.id, entry, row.local_day, row.tz_name, row.entered_utc, row.retrospective)
