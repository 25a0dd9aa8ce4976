"""Sessions: what is due on a day and its state, and the log of what was actually done.

Each finished exercise is committed on its own (`log_exercise`), so quitting or a crash in the
middle of a session keeps everything already done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rehab_app.core.adherence import DayStatus, day_status
from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError
from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import Plan, PlanItem, estimate_item_seconds, sides_to_do
from rehab_app.core.schedule import occurrences_on
from rehab_app.core.session import Advice, Effort, ExerciseOutcome, Light, NerveResponse
from rehab_app.core.timestamps import Clock, Stamp, stamp
from rehab_app.services.plans import PlanService
from rehab_app.services.streaming import oldest_first
from rehab_app.services.transactions import writing
from rehab_app.storage.tables import ExerciseLog, SessionLog


class SlotState(StrEnum):
    TO_DO = "to_do"
    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class DueItem:
    item: PlanItem
    exercise: Exercise | None
    minutes: float
    done: bool


@dataclass(frozen=True)
class DueSession:
    day: date
    slot: time
    items: tuple[DueItem, ...]
    state: SlotState

    @property
    def minutes(self) -> float:
        return sum(item.minutes for item in self.items)


@dataclass(frozen=True)
class ExerciseLogRead:
    id: int
    session_id: int
    outcome: ExerciseOutcome
    # When it was logged. Not part of equality: two reads of the same log are the same log.
    at_utc: datetime | None = field(default=None, compare=False)
    tz_name: str = field(default="", compare=False)


@dataclass(frozen=True)
class SessionRead:
    id: int
    day: date
    slot: time | None
    how: str
    note: str
    plan_version_id: int | None
    exercises: tuple[ExerciseLogRead, ...]
    at_utc: datetime
    tz_name: str


def slot_text(slot: time | None) -> str:
    return f"{slot:%H:%M}" if slot is not None else ""


def _slot(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


class SessionService:
    def __init__(self, engine: Engine, plans: PlanService, clock: Clock) -> None:
        self._engine = engine
        self._plans = plans
        self._clock = clock

    # Reading ------------------------------------------------------------------------------

    def today(self) -> date:
        return self._clock.now().local_day

    def due_on(self, day: date) -> list[DueSession]:
        """The sessions due on the local `day`, grouped by time, each with its state."""
        current = self._plans.current()
        if current is None:
            return []
        return self._due_from(current.plan, day, self._logs_by_slot(day, day).get(day, {}))

    def session(self, session_id: int) -> SessionRead | None:
        with Session(self._engine) as db:
            row = db.get(SessionLog, session_id)
            return self._read(db, row) if row else None

    def sessions_on(self, day: date) -> list[SessionRead]:
        with Session(self._engine) as db:
            rows = db.exec(
                select(SessionLog).where(SessionLog.local_day == day).order_by(col(SessionLog.id))
            ).all()
            return [self._read(db, row) for row in rows]

    def due_between(self, first: date, last: date) -> list[tuple[date, list[DueSession]]]:
        """Every day from `first` to `last` with the sessions the plan in force that day asked
        for, each with its state and which exercises were done (the adherence calendar and the
        visit report both count from this)."""
        history = self._plans.history()
        logs = self._logs_by_slot(first, last)
        days = []
        day = first
        while day <= last:
            plan = _plan_in_force(history, day)
            days.append((day, self._due_from(plan, day, logs.get(day, {})) if plan else []))
            day += timedelta(days=1)
        return days

    def stream(self, batch: int = 500) -> Iterator[SessionRead]:
        """Every session with its exercises, oldest first, `batch` sessions at a time (exports
        of ten years: two queries per batch, never one per session)."""
        query = oldest_first(SessionLog, batch)
        with Session(self._engine) as db:
            for rows in db.exec(query).partitions():
                ids = [row.id for row in rows]
                logs: dict[int, list[ExerciseLogRead]] = defaultdict(list)
                for log in db.exec(
                    select(ExerciseLog)
                    .where(col(ExerciseLog.session_id).in_(ids))
                    .order_by(col(ExerciseLog.id))
                ):
                    logs[log.session_id].append(_outcome_read(log))
                for row in rows:
                    assert row.id is not None
                    yield _session_read(row, tuple(logs.get(row.id, ())))

    def day_statuses(self, first: date, last: date) -> list[tuple[date, DayStatus]]:
        """Done / partly / missed / rest for each day, for the adherence calendar and score."""
        return [
            (
                day,
                day_status(
                    len(due),
                    sum(1 for s in due if s.state == SlotState.DONE),
                    sum(1 for s in due if s.state == SlotState.PARTLY),
                ),
            )
            for day, due in self.due_between(first, last)
        ]

    # Writing (each call one transaction) -------------------------------------------------

    def start_session(self, day: date, slot: time | None) -> tuple[int, Changes]:
        with writing(self._engine) as db:
            row = self._new_session(day, slot, "player")
            db.add(row)
            db.commit()
            assert row.id is not None
            return row.id, Changes(sessions=True)

    def log_exercise(
        self, session_id: int, outcome: ExerciseOutcome
    ) -> tuple[ExerciseLogRead, Changes]:
        """Commit one finished (or skipped) exercise at once."""
        now = self._clock.now()
        with writing(self._engine) as db:
            if db.get(SessionLog, session_id) is None:
                raise RehabError(f"Session {session_id} no longer exists.")
            row = _exercise_row(session_id, outcome, now, now.local_day)
            db.add(row)
            db.commit()
            assert row.id is not None
            read = ExerciseLogRead(row.id, session_id, outcome, row.at_utc, row.tz_name)
            return read, Changes(sessions=True)

    def record_done(self, day: date, slot: time, note: str = "") -> tuple[SessionRead, Changes]:
        """Record a session done without the player (for example with the therapist)."""
        due = next((s for s in self.due_on(day) if s.slot == slot), None)
        if due is None:
            raise RehabError(f"Nothing is planned at {slot_text(slot)} on {day.isoformat()}.")
        now = self._clock.now()
        with writing(self._engine) as db:
            row = self._new_session(day, slot, "manual", note)
            db.add(row)
            db.flush()
            assert row.id is not None
            for entry in due.items:
                if entry.done or entry.exercise is None:
                    continue
                sides = sides_to_do(entry.item, entry.exercise)
                log = _exercise_row(
                    row.id,
                    ExerciseOutcome(
                        exercise_id=entry.item.exercise_id,
                        sets_done=entry.item.sets * sides,
                        reps_done=entry.item.sets * entry.item.reps * sides,
                        holds_done=entry.item.sets * entry.item.reps * sides
                        if entry.item.hold_s
                        else 0,
                    ),
                    now,
                    day,
                )
                db.add(log)
            db.commit()
            return self._read(db, row), Changes(sessions=True)

    def skip(self, day: date, slot: time, note: str = "") -> tuple[SessionRead, Changes]:
        with writing(self._engine) as db:
            row = self._new_session(day, slot, "skipped", note)
            db.add(row)
            db.commit()
            return self._read(db, row), Changes(sessions=True)

    def delete_session(self, session_id: int) -> tuple[SessionRead, Changes]:
        """Remove a session and its exercises; returns what was removed (for undo)."""
        with writing(self._engine) as db:
            row = db.get(SessionLog, session_id)
            if row is None:
                raise RehabError(f"Session {session_id} no longer exists.")
            removed = self._read(db, row)
            for log in db.exec(select(ExerciseLog).where(ExerciseLog.session_id == session_id)):
                db.delete(log)
            db.delete(row)
            db.commit()
            return removed, Changes(sessions=True)

    def restore_session(self, removed: SessionRead) -> tuple[SessionRead, Changes]:
        """Put back a session removed by `delete_session`, with its original time."""
        now = stamp(removed.at_utc, removed.tz_name)
        with writing(self._engine) as db:
            row = SessionLog(
                plan_version_id=removed.plan_version_id,
                local_day=removed.day,
                slot=slot_text(removed.slot),
                how=removed.how,
                at_utc=now.at_utc,
                tz_name=now.tz_name,
                note=removed.note,
            )
            db.add(row)
            db.flush()
            assert row.id is not None
            for entry in removed.exercises:
                logged = stamp(entry.at_utc, entry.tz_name) if entry.at_utc else now
                db.add(_exercise_row(row.id, entry.outcome, logged, removed.day))
            db.commit()
            return self._read(db, row), Changes(sessions=True)

    # Internals ---------------------------------------------------------------------------

    def _new_session(self, day: date, slot: time | None, how: str, note: str = "") -> SessionLog:
        now = self._clock.now()
        current = self._plans.current()
        return SessionLog(
            plan_version_id=current.id if current else None,
            local_day=day,
            slot=slot_text(slot),
            how=how,
            at_utc=now.at_utc,
            tz_name=now.tz_name,
            note=note[:2000],
        )

    def _logs_by_slot(
        self, first: date, last: date
    ) -> dict[date, dict[str, tuple[set[str], set[str], bool]]]:
        """Per day and slot: exercises done, exercises logged at all, and whether skipped."""
        found: dict[date, dict[str, tuple[set[str], set[str], bool]]] = defaultdict(dict)
        with Session(self._engine) as db:
            sessions = db.exec(
                select(SessionLog.id, SessionLog.local_day, SessionLog.slot, SessionLog.how).where(
                    SessionLog.local_day >= first, SessionLog.local_day <= last
                )
            ).all()
            exercise_rows = db.exec(
                select(ExerciseLog.session_id, ExerciseLog.exercise_id, ExerciseLog.skipped)
                .join(SessionLog)
                .where(SessionLog.local_day >= first, SessionLog.local_day <= last)
            ).all()
        by_session: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for session_id, exercise_id, skipped in exercise_rows:
            by_session[session_id].append((exercise_id, skipped))
        for session_id, day, slot, how in sessions:
            done, logged, skipped_slot = found[day].get(slot, (set(), set(), False))
            for exercise_id, skipped in by_session.get(session_id, []):
                logged.add(exercise_id)
                if not skipped:
                    done.add(exercise_id)
            found[day][slot] = (done, logged, skipped_slot or how == "skipped")
        return found

    def _due_from(
        self, plan: Plan, day: date, logs: dict[str, tuple[set[str], set[str], bool]]
    ) -> list[DueSession]:
        library = self._plans.library
        grouped: dict[time, list[PlanItem]] = defaultdict(list)
        for occurrence in occurrences_on(plan, day, self._clock.now().tz_name):
            grouped[occurrence.slot].append(occurrence.item)
        sessions = []
        for slot, items in sorted(grouped.items()):
            done, logged, skipped = logs.get(slot_text(slot), (set(), set(), False))
            entries = []
            for item in items:
                exercise = library.by_id(item.exercise_id)
                seconds = estimate_item_seconds(item, exercise) if exercise else 0
                entries.append(DueItem(item, exercise, seconds / 60, item.exercise_id in done))
            if all(entry.done for entry in entries):
                state = SlotState.DONE
            elif logged or any(entry.done for entry in entries):
                state = SlotState.PARTLY
            elif skipped:
                state = SlotState.SKIPPED
            else:
                state = SlotState.TO_DO
            sessions.append(DueSession(day, slot, tuple(entries), state))
        return sessions

    def _read(self, db: Session, row: SessionLog) -> SessionRead:
        assert row.id is not None
        logs = db.exec(
            select(ExerciseLog)
            .where(ExerciseLog.session_id == row.id)
            .order_by(col(ExerciseLog.id))
        ).all()
        return _session_read(row, tuple(_outcome_read(log) for log in logs))


def _session_read(row: SessionLog, exercises: tuple[ExerciseLogRead, ...]) -> SessionRead:
    assert row.id is not None
    return SessionRead(
        id=row.id,
        day=row.local_day,
        slot=_slot(row.slot),
        how=row.how,
        note=row.note,
        plan_version_id=row.plan_version_id,
        exercises=exercises,
        at_utc=row.at_utc,
        tz_name=row.tz_name,
    )


def _plan_in_force(history: list, day: date) -> Plan | None:
    """The newest plan version saved on or before `day` (history is newest first)."""
    for version in history:
        if version.local_day <= day:
            return version.plan
    return None


def _exercise_row(session_id: int, outcome: ExerciseOutcome, now: Stamp, day: date) -> ExerciseLog:
    return ExerciseLog(
        session_id=session_id,
        exercise_id=outcome.exercise_id,
        sets_done=outcome.sets_done,
        reps_done=outcome.reps_done,
        holds_done=outcome.holds_done,
        skipped=outcome.skipped,
        pain_during=outcome.pain_during,
        effort=outcome.effort.value if outcome.effort else None,
        nerve_response=outcome.nerve_response.value if outcome.nerve_response else None,
        advice_light=outcome.advice.light.value if outcome.advice else None,
        advice_message=outcome.advice.message if outcome.advice else "",
        note=outcome.note,
        at_utc=now.at_utc,
        tz_name=now.tz_name,
        local_day=day,
    )


def _outcome_read(row: ExerciseLog) -> ExerciseLogRead:
    assert row.id is not None
    advice = (
        Advice(light=Light(row.advice_light), message=row.advice_message)
        if row.advice_light
        else None
    )
    outcome = ExerciseOutcome(
        exercise_id=row.exercise_id,
        sets_done=row.sets_done,
        reps_done=row.reps_done,
        holds_done=row.holds_done,
        skipped=row.skipped,
        pain_during=row.pain_during,
        effort=Effort(row.effort) if row.effort else None,
        nerve_response=NerveResponse(row.nerve_response) if row.nerve_response else None,
        advice=advice,
        note=row.note,
    )
    return ExerciseLogRead(row.id, row.session_id, outcome, row.at_utc, row.tz_name)
