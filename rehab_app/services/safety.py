"""Safety records: red-flag checklist answers, emergency stops and trend warnings.

Every emergency or same-day answer is stored (the clinician sees them in the report and on the
chart), and so is a clear checklist, which is what makes the next one due a week later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.meaningful import rising_two_weeks_running
from rehab_app.core.safety import Urgency, checklist_due, most_urgent
from rehab_app.core.timestamps import Clock
from rehab_app.services.diary import DiaryService
from rehab_app.services.transactions import writing
from rehab_app.storage.tables import SafetyEvent

CHECKLIST_DONE = "checklist"
TREND_WARNING = "review_plan"


@dataclass(frozen=True)
class SafetyEventRead:
    id: int
    kind: str  # an Urgency value, "checklist" or "review_plan"
    items: tuple[str, ...]
    at_utc: datetime
    local_day: date


class SafetyService:
    def __init__(self, engine: Engine, diary: DiaryService, clock: Clock) -> None:
        self._engine = engine
        self._diary = diary
        self._clock = clock

    def record_checklist(self, ticked: list[str]) -> tuple[Urgency | None, Changes]:
        """Store the answers; returns the most urgent level ticked (None: all clear)."""
        level = most_urgent(ticked)
        self._record(level.value if level else CHECKLIST_DONE, ticked)
        return level, Changes(diary=True)

    def record_trend_warning(self) -> Changes:
        self._record(TREND_WARNING, [])
        return Changes(diary=True)

    def checklist_due(self, today: date | None = None) -> bool:
        today = today or self._clock.now().local_day
        with Session(self._engine) as session:
            last = session.exec(select(func.max(SafetyEvent.local_day))).one()
        return checklist_due(last, today)

    def events(self, first: date | None = None, last: date | None = None) -> list[SafetyEventRead]:
        query = select(SafetyEvent).order_by(col(SafetyEvent.at_utc))
        if first is not None:
            query = query.where(SafetyEvent.local_day >= first)
        if last is not None:
            query = query.where(SafetyEvent.local_day <= last)
        with Session(self._engine) as session:
            return [
                SafetyEventRead(
                    row.id or 0,
                    row.kind,
                    tuple(code for code in row.items.split(",") if code),
                    row.at_utc,
                    row.local_day,
                )
                for row in session.exec(query).all()
            ]

    def trend_rising(self, today: date | None = None) -> bool:
        """The 7-day average of leg or back pain rose two weeks running."""
        today = today or self._clock.now().local_day
        days = self._diary.daily_pain()
        back = {d.day: d.back for d in days}
        leg = {d.day: d.leg for d in days}
        return rising_two_weeks_running(back, today) or rising_two_weeks_running(leg, today)

    def _record(self, kind: str, items: list[str]) -> None:
        now = self._clock.now()
        with writing(self._engine) as session:
            session.add(
                SafetyEvent(
                    kind=kind,
                    items=",".join(items),
                    at_utc=now.at_utc,
                    tz_name=now.tz_name,
                    local_day=now.local_day,
                )
            )
            session.commit()
