"""Completed questionnaires (Roland-Morris, Patient-Specific Functional Scale): save and list.

Scoring lives in rehab_app.core.questionnaires; this stores the answers with the score so the
history survives any later change to the scoring code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.timestamps import Clock
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
    )
