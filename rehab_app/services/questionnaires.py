"""Completed questionnaires (Roland-Morris, Patient-Specific Functional Scale): save and list.

Scoring lives in rehab_app.core.questionnaires; this stores the answers with the score so the
history survives any later change to the scoring code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, insert
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.questionnaires import QuestionnaireRecord
from rehab_app.core.timestamps import Clock, stamp
from rehab_app.services.streaming import oldest_first
from rehab_app.services.transactions import writing
from rehab_app.storage.tables import QuestionnaireResponse

#: Both are meant every one or two weeks (clinical.md §4): remind after 14 days.
REMIND_AFTER_DAYS = 14


@dataclass(frozen=True)
class ResponseRead:
    id: int
    kind: str
    at_utc: datetime
    local_day: date
    answers: dict[str, Any]
    score: float | None
    answered: int
    note: str
    tz_name: str  # the zone it was answered in


class QuestionnaireService:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def save(
        self, kind: str, answers: dict[str, Any], score: float | None, answered: int, note: str = ""
    ) -> tuple[ResponseRead, Changes]:
        now = self._clock.now()
        row = QuestionnaireResponse(
            kind=kind,
            at_utc=now.at_utc,
            tz_name=now.tz_name,
            local_day=now.local_day,
            answers_json=json.dumps(answers, sort_keys=True),
            score=score,
            answered=answered,
            note=note[:2000],
        )
        with writing(self._engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            return _read(row), Changes(diary=True)

    def delete(self, response_id: int) -> Changes:
        with writing(self._engine) as session:
            row = session.get(QuestionnaireResponse, response_id)
            if row is not None:
                session.delete(row)
                session.commit()
        return Changes(diary=True)

    def history(self, kind: str) -> list[ResponseRead]:
        """Oldest first."""
        with Session(self._engine) as session:
            rows = session.exec(
                select(QuestionnaireResponse)
                .where(QuestionnaireResponse.kind == kind)
                .order_by(col(QuestionnaireResponse.at_utc))
            ).all()
            return [_read(row) for row in rows]

    def stream(self, batch: int = 1000) -> Iterator[ResponseRead]:
        """Every response of every kind, oldest first, fetched `batch` rows at a time."""
        query = oldest_first(QuestionnaireResponse, batch)
        with Session(self._engine) as session:
            for row in session.exec(query):
                yield _read(row)

    def import_records(self, records: Sequence[QuestionnaireRecord]) -> tuple[int, int, Changes]:
        """Add responses with their original times and stored scores in one transaction;
        (added, skipped, changes). One already stored (same kind and moment) is skipped."""
        with writing(self._engine) as session:
            seen = {
                (kind, moment)
                for kind, moment in session.exec(
                    select(QuestionnaireResponse.kind, QuestionnaireResponse.at_utc)
                ).all()
            }
            fresh = []
            for record in records:
                when = stamp(record.at_utc, record.tz_name)
                if (record.kind, when.at_utc) in seen:
                    continue
                seen.add((record.kind, when.at_utc))
                fresh.append(
                    {
                        "kind": record.kind,
                        "at_utc": when.at_utc,
                        "tz_name": when.tz_name,
                        "local_day": when.local_day,
                        "answers_json": json.dumps(record.answers, sort_keys=True),
                        "score": record.score,
                        "answered": record.answered,
                        "note": record.note[:2000],
                    }
                )
            if fresh:
                session.execute(insert(QuestionnaireResponse), fresh)
            session.commit()
        return len(fresh), len(records) - len(fresh), Changes(diary=bool(fresh))

    def due(self, kind: str, today: date | None = None) -> bool:
        """Never answered, or the last answer is two weeks old."""
        today = today or self._clock.now().local_day
        with Session(self._engine) as session:
            last = session.exec(
                select(func.max(QuestionnaireResponse.local_day)).where(
                    QuestionnaireResponse.kind == kind
                )
            ).one()
        return last is None or (today - last).days >= REMIND_AFTER_DAYS


def _read(row: QuestionnaireResponse) -> ResponseRead:
    assert row.id is not None
    return ResponseRead(
        id=row.id,
        kind=row.kind,
        at_utc=row.at_utc,
        local_day=row.local_day,
        answers=json.loads(row.answers_json),
        score=row.score,
        answered=row.answered,
        note=row.note,
        tz_name=row.tz_name,
    )
