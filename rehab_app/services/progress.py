"""What the Progress chart shows: daily pain aggregates, the 7-day average, the baseline and the
meaningful-change verdict, plus overlays (plan changes, sessions done per day, safety events)
and questionnaire scores. Everything per day comes from SQL aggregates by local day; nothing
loops over ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from rehab_app.core.meaningful import PAIN, ChangeVerdict, judge, mean, rolling_mean
from rehab_app.core.timestamps import Clock
from rehab_app.services.diary import DayPain, DiaryService
from rehab_app.storage.tables import (
    DiaryEntryRow,
    ExerciseLog,
    PlanVersion,
    QuestionnaireResponse,
    SafetyEvent,
    SessionLog,
)

BASELINE_DAYS = 7


@dataclass(frozen=True)
class Baseline:
    start: date
    end: date
    back: float | None
    leg: float | None
    chosen: bool  # True when the person picked the date, False for "the plan's first week"


@dataclass(frozen=True)
class ProgressData:
    first: date
    last: date
    daily: tuple[DayPain, ...]
    back_average: tuple[float | None, ...]  # 7-day rolling, one per day from first to last
    leg_average: tuple[float | None, ...]
    baseline: Baseline | None
    back_verdict: ChangeVerdict
    leg_verdict: ChangeVerdict
    plan_changes: tuple[tuple[date, str], ...]
    sessions_per_day: tuple[tuple[date, int], ...]
    safety_events: tuple[tuple[date, str], ...]
    questionnaires: dict[str, tuple[tuple[date, float], ...]]

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class ProgressService:
    def __init__(self, engine: Engine, diary: DiaryService, clock: Clock) -> None:
        self._engine = engine
        self._diary = diary
        self._clock = clock

    def load(
        self, days: int | None = None, baseline_from: date | None = None, last: date | None = None
    ) -> ProgressData:
        """Data for the last `days` days up to `last` (None: everything; `last` None: today).

        "Now" in the verdicts is the 7 days up to `last`, so the visit report can judge a
        period that ended before today the same way the Progress screen judges today.
        """
        today = last or self._clock.now().local_day
        first_entry = self.first_day()
        first = today - timedelta(days=days - 1) if days else (first_entry or today)
        # The rolling average needs the week before the first day shown.
        daily_all = self._diary.daily_pain(first - timedelta(days=BASELINE_DAYS), today)
        shown = tuple(d for d in daily_all if d.day >= first)
        span = [first + timedelta(days=n) for n in range((today - first).days + 1)]
        back_map = {d.day: d.back for d in daily_all}
        leg_map = {d.day: d.leg for d in daily_all}
        baseline = self._baseline(baseline_from)
        recent = [today - timedelta(days=n) for n in range(BASELINE_DAYS)]
        back_now = mean([back_map[d] for d in recent if d in back_map])
        leg_now = mean([leg_map[d] for d in recent if d in leg_map])
        with Session(self._engine) as session:
            plan_changes = tuple(
                (day, summary)
                for day, summary in session.exec(
                    select(PlanVersion.local_day, PlanVersion.summary)
                    .where(PlanVersion.local_day >= first, PlanVersion.local_day <= today)
                    .order_by(col(PlanVersion.id))
                ).all()
            )
            sessions = tuple(
                (day, int(count))
                for day, count in session.exec(
                    select(SessionLog.local_day, func.count(func.distinct(SessionLog.id)))
                    .join(ExerciseLog)
                    .where(
                        SessionLog.local_day >= first,
                        SessionLog.local_day <= today,
                        col(ExerciseLog.skipped).is_(False),
                    )
                    .group_by(SessionLog.local_day)
                    .order_by(SessionLog.local_day)
                ).all()
            )
            events = tuple(
                (day, kind)
                for day, kind in session.exec(
                    select(SafetyEvent.local_day, SafetyEvent.kind)
                    .where(
                        SafetyEvent.local_day >= first,
                        SafetyEvent.local_day <= today,
                        SafetyEvent.kind != "checklist",
                    )
                    .order_by(SafetyEvent.local_day)
                ).all()
            )
            scores: dict[str, list[tuple[date, float]]] = {}
            for kind, day, score in session.exec(
                select(
                    QuestionnaireResponse.kind,
                    QuestionnaireResponse.local_day,
                    QuestionnaireResponse.score,
                )
                .where(
                    col(QuestionnaireResponse.score).is_not(None),
                    QuestionnaireResponse.local_day <= today,
                )
                .order_by(col(QuestionnaireResponse.at_utc))
            ).all():
                scores.setdefault(kind, []).append((day, float(score)))
        return ProgressData(
            first=first,
            last=today,
            daily=shown,
            back_average=tuple(rolling_mean(span, back_map)),
            leg_average=tuple(rolling_mean(span, leg_map)),
            baseline=baseline,
            back_verdict=judge(baseline.back if baseline else None, back_now, PAIN),
            leg_verdict=judge(baseline.leg if baseline else None, leg_now, PAIN),
            plan_changes=plan_changes,
            sessions_per_day=sessions,
            safety_events=events,
            questionnaires={kind: tuple(values) for kind, values in scores.items()},
        )

    def first_day(self) -> date | None:
        """The first day with a plan or a diary entry (None: no data yet)."""
        with Session(self._engine) as session:
            plan_day = session.exec(select(func.min(PlanVersion.local_day))).one()
            diary_day = session.exec(select(func.min(DiaryEntryRow.local_day))).one()
        known = [day for day in (plan_day, diary_day) if day is not None]
        return min(known) if known else None

    def _baseline(self, chosen: date | None) -> Baseline | None:
        """The first 7 days of the plan (or from a chosen date): the level change is judged from."""
        start = chosen
        if start is None:
            with Session(self._engine) as session:
                start = session.exec(select(func.min(PlanVersion.local_day))).one()
                if start is None:
                    start = session.exec(select(func.min(DiaryEntryRow.local_day))).one()
        if start is None:
            return None
        end = start + timedelta(days=BASELINE_DAYS - 1)
        week = self._diary.daily_pain(start, end)
        return Baseline(
            start=start,
            end=end,
            back=mean([d.back for d in week]),
            leg=mean([d.leg for d in week]),
            chosen=chosen is not None,
        )
