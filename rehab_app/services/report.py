"""The visit report's read model: what a therapist needs about the time since the last visit.

`ReportService.gather` collects, for a period, everything the printed report shows, as plain
frozen dataclasses (no ORM rows, nothing lazy), so `rehab_app.reports.visit_report` can draw it
in a worker thread without touching the database:

- the plan in force at the end of the period, and every version saved in the period with what
  changed (`describe_changes` against the version before it, so an "Undone: ..." entry reads
  as what it really did to the plan);
- adherence per exercise: every session time the plan in force on each day asked for
  (`SessionService.due_between`, the same count the adherence calendar makes) against the
  exercises logged as done in that session;
- pain: `ProgressService.load` for the period, so the daily means, 7-day averages, the baseline
  week, the band and the verdicts are the very numbers the Progress screen shows;
- questionnaire scores in the period with their meaningful-change thresholds and the latest
  score compared with the first and the previous one (`core.questionnaires.compare_scores`);
- flags: red-flag checklist answers with their urgency, trend warnings, and exercise responses
  the traffic-light advice rated amber or red;
- the patient's own words: diary notes, session notes and exercise notes.

The default period runs from the day the last visit report was made (the setting
`LAST_REPORT_SETTING`, written by `record_made`) to today; with no earlier report, the last
`DEFAULT_WEEKS` weeks, never starting before the first day with any data. A report made again
on the same day keeps that day's period, so printing it once more (or on Letter paper) does not
shrink it to a single day.

Today is not over while the report is made: a session due later today is not counted as
prescribed until it is done (as `core.adherence.summarise` treats the day in progress).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, literal
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError
from rehab_app.core.exercise import Exercise
from rehab_app.core.meaningful import Threshold
from rehab_app.core.plan import Phase, Plan
from rehab_app.core.questionnaires import (
    PSFS_KIND,
    RMDQ_KIND,
    THRESHOLDS,
    Comparison,
    compare_scores,
    psfs_from_answers,
)
from rehab_app.core.safety import BY_CODE, Urgency
from rehab_app.core.session import Light
from rehab_app.core.timestamps import Clock, stamp
from rehab_app.services.plans import PlanService, describe_changes
from rehab_app.services.progress import ProgressData, ProgressService
from rehab_app.services.questionnaires import QuestionnaireService
from rehab_app.services.safety import CHECKLIST_DONE, TREND_WARNING, SafetyService
from rehab_app.services.sessions import SessionService, SlotState
from rehab_app.services.settings import SettingsService
from rehab_app.storage.tables import DiaryEntryRow, ExerciseLog, SessionLog

#: The setting that remembers the last visit report: {"made": day, "from": day, "to": day}.
LAST_REPORT_SETTING = "last_visit_report"
#: With no earlier report, the period is the last six weeks: a usual gap between visits.
DEFAULT_WEEKS = 6
#: Questionnaires in the order the report shows them.
QUESTIONNAIRES = (RMDQ_KIND, PSFS_KIND)


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    since_last_report: bool = False  # it starts where the previous visit report was made

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class PlanChange:
    day: date
    author: str  # "patient", "pack" or "starter"
    source: str  # e.g. the pack's title and therapist
    changes: str  # describe_changes against the version before


@dataclass(frozen=True)
class ExerciseAdherence:
    exercise_id: str
    name: str
    prescribed: int  # times the plan asked for it in the period (one per session time)
    done: int  # of those, logged as done
    amber: int  # responses the advice rated amber
    red: int

    @property
    def share(self) -> float | None:
        return self.done / self.prescribed if self.prescribed else None


@dataclass(frozen=True)
class Adherence:
    exercises: tuple[ExerciseAdherence, ...]
    sessions_due: int
    sessions_done: int  # every exercise of the session done
    sessions_partly: int

    @property
    def prescribed(self) -> int:
        return sum(exercise.prescribed for exercise in self.exercises)

    @property
    def done(self) -> int:
        return sum(exercise.done for exercise in self.exercises)

    @property
    def share(self) -> float | None:
        """Exercises done out of exercises prescribed; None when nothing was prescribed."""
        return self.done / self.prescribed if self.prescribed else None


@dataclass(frozen=True)
class ScoreSeries:
    kind: str  # RMDQ_KIND or PSFS_KIND
    scores: tuple[tuple[date, float], ...]  # in the period, oldest first
    before: tuple[date, float] | None  # the last score before the period, if any
    threshold: Threshold
    comparisons: tuple[Comparison, ...]  # the latest score against the first and the previous
    activities: tuple[tuple[str, int | None], ...] = ()  # PSFS: the latest activities rated


@dataclass(frozen=True)
class FlagEvent:
    day: date
    kind: str  # an Urgency value, or TREND_WARNING
    items: tuple[str, ...]  # the checklist statements ticked, in the patient's words


@dataclass(frozen=True)
class ExerciseResponse:
    day: date
    exercise_id: str
    name: str
    light: str  # "amber" or "red"
    pain_during: int | None
    nerve_response: str | None
    effort: str | None
    message: str  # the advice the app gave at the time


@dataclass(frozen=True)
class PatientNote:
    day: date
    at: time | None  # local time of day, None when unknown
    about: str  # "" for a diary note, else the session or the exercise
    text: str  # the patient's own words, plain text


@dataclass(frozen=True)
class VisitReportData:
    made_on: date
    period: Period
    plan: Plan | None  # in force at the end of the period
    phase: Phase | None  # the phase in force at the end of the period
    exercises: dict[str, Exercise]  # every exercise the plan names, by id (if in the library)
    plan_changes: tuple[PlanChange, ...]
    adherence: Adherence
    pain: ProgressData
    scores: tuple[ScoreSeries, ...]
    flags: tuple[FlagEvent, ...]  # red-flag answers and trend warnings, oldest first
    checklists_clear: int  # red-flag checklists answered with nothing ticked
    responses: tuple[ExerciseResponse, ...]  # amber and red, oldest first
    notes: tuple[PatientNote, ...]  # oldest first

    def exercise_name(self, exercise_id: str) -> str:
        return _name(exercise_id, self.exercises)

    @property
    def red_flags(self) -> tuple[FlagEvent, ...]:
        """Only the checklist answers (what must be seen first), not the trend warnings."""
        return tuple(flag for flag in self.flags if flag.kind != TREND_WARNING)


class ReportService:
    def __init__(
        self,
        engine: Engine,
        plans: PlanService,
        sessions: SessionService,
        progress: ProgressService,
        questionnaires: QuestionnaireService,
        safety: SafetyService,
        settings: SettingsService,
        clock: Clock,
    ) -> None:
        self._engine = engine
        self._plans = plans
        self._sessions = sessions
        self._progress = progress
        self._questionnaires = questionnaires
        self._safety = safety
        self._settings = settings
        self._clock = clock

    # The period ---------------------------------------------------------------------------

    def default_period(self) -> Period:
        """Since the last visit report (see the module docstring), else the last 6 weeks."""
        today = self._clock.now().local_day
        remembered = self._last_report()
        if remembered is not None:
            made, first = remembered
            if made < today:
                return Period(made, today, since_last_report=True)
            if first <= today:  # made again today: the same period as earlier today
                return Period(first, today, since_last_report=True)
        first = today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
        first_data = self._progress.first_day()
        if first_data is not None:
            first = min(max(first, first_data), today)
        return Period(first, today)

    def period(self, first: date | None = None, last: date | None = None) -> Period:
        """The period asked for; missing ends are filled in from `default_period`. The end is
        never after today (there is nothing to report yet)."""
        today = self._clock.now().local_day
        if first is None and (last is None or last >= today):
            default = self.default_period()
            return Period(default.first, today, default.since_last_report)
        end = min(last or today, today)
        start = first or end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
        if start > end:
            raise RehabError(
                f"The report period starts on {start.isoformat()}, after it ends on"
                f" {end.isoformat()}. Choose a start on or before the end."
            )
        return Period(start, end)

    # Gathering ----------------------------------------------------------------------------

    def gather(self, first: date | None = None, last: date | None = None) -> VisitReportData:
        period = self.period(first, last)
        today = self._clock.now().local_day
        history = self._plans.history()  # newest first
        in_force = next((v for v in history if v.local_day <= period.last), None)
        plan = in_force.plan if in_force is not None else None
        library = self._plans.library
        exercise_ids = {
            item.exercise_id for version in history for p in version.plan.phases for item in p.items
        }
        exercises = {
            exercise_id: exercise
            for exercise_id in sorted(exercise_ids)
            if (exercise := library.by_id(exercise_id)) is not None
        }
        responses = self._responses(period, exercises)
        flags, checklists_clear = self._flags(period)
        return VisitReportData(
            made_on=today,
            period=period,
            plan=plan,
            phase=plan.phase_on(period.last) if plan is not None else None,
            exercises=exercises,
            plan_changes=_plan_changes(history, period),
            adherence=self._adherence(period, today, exercises, responses),
            pain=self._progress.load(days=period.days, last=period.last),
            scores=self._scores(period),
            flags=flags,
            checklists_clear=checklists_clear,
            responses=responses,
            notes=self._notes(period, exercises),
        )

    def record_made(self, data: VisitReportData) -> Changes:
        """Remember that a report for the next visit was made, so the next one starts here.

        A report on a period that ended before the day it was made (`--to` in the past) is a
        look back, not the report for a visit: it leaves the default period alone.
        """
        if data.period.last < data.made_on:
            return Changes()
        value = {
            "made": data.made_on.isoformat(),
            "from": data.period.first.isoformat(),
            "to": data.period.last.isoformat(),
        }
        return self._settings.set(LAST_REPORT_SETTING, value)

    # Internals ----------------------------------------------------------------------------

    def _last_report(self) -> tuple[date, date] | None:
        stored = self._settings.get(LAST_REPORT_SETTING)
        if not isinstance(stored, dict):
            return None
        try:
            return date.fromisoformat(stored["made"]), date.fromisoformat(stored["from"])
        except (KeyError, TypeError, ValueError):
            return None  # written by hand or by a future version: fall back to the default

    def _adherence(
        self,
        period: Period,
        today: date,
        exercises: dict[str, Exercise],
        responses: tuple[ExerciseResponse, ...],
    ) -> Adherence:
        prescribed: Counter[str] = Counter()
        done: Counter[str] = Counter()
        states: Counter[SlotState] = Counter()
        for day, sessions in self._sessions.due_between(period.first, period.last):
            for session in sessions:
                if day >= today and session.state != SlotState.DONE:
                    # Today is not over: what is done counts, what is still to come does not.
                    # The exercises done in a session begun today count on their own.
                    finished = [entry for entry in session.items if entry.done]
                    for entry in finished:
                        prescribed[entry.item.exercise_id] += 1
                        done[entry.item.exercise_id] += 1
                    continue
                states[session.state] += 1
                for entry in session.items:
                    prescribed[entry.item.exercise_id] += 1
                    done[entry.item.exercise_id] += int(entry.done)
        lights = Counter((response.exercise_id, response.light) for response in responses)
        rows = []
        for exercise_id in sorted(prescribed, key=lambda i: _name(i, exercises).casefold()):
            name = _name(exercise_id, exercises)
            rows.append(
                ExerciseAdherence(
                    exercise_id=exercise_id,
                    name=name,
                    prescribed=prescribed[exercise_id],
                    done=done[exercise_id],
                    amber=lights[(exercise_id, Light.AMBER.value)],
                    red=lights[(exercise_id, Light.RED.value)],
                )
            )
        return Adherence(
            exercises=tuple(rows),
            sessions_due=sum(states.values()),
            sessions_done=states[SlotState.DONE],
            sessions_partly=states[SlotState.PARTLY],
        )

    def _scores(self, period: Period) -> tuple[ScoreSeries, ...]:
        found = []
        for kind in QUESTIONNAIRES:
            history = self._questionnaires.history(kind)
            scored = [(r.local_day, r.score) for r in history if r.score is not None]
            before = [pair for pair in scored if pair[0] < period.first]
            inside = [pair for pair in scored if period.first <= pair[0] <= period.last]
            comparisons: list[Comparison] = []
            if inside:
                # The latest score in the period against everything before it (oldest first).
                latest = len(before) + len(inside) - 1
                comparisons = compare_scores(kind, scored[:latest], scored[latest][1])
            activities: tuple[tuple[str, int | None], ...] = ()
            answered = [r for r in history if period.first <= r.local_day <= period.last]
            if kind == PSFS_KIND and answered:
                latest_answers = psfs_from_answers(answered[-1].answers)
                activities = tuple((a.name, a.score) for a in latest_answers)
            found.append(
                ScoreSeries(
                    kind=kind,
                    scores=tuple(inside),
                    before=before[-1] if before else None,
                    threshold=THRESHOLDS[kind],
                    comparisons=tuple(comparisons),
                    activities=activities,
                )
            )
        return tuple(found)

    def _flags(self, period: Period) -> tuple[tuple[FlagEvent, ...], int]:
        """Red-flag answers and trend warnings, and how many checklists were all clear."""
        urgent = {level.value for level in Urgency} | {TREND_WARNING}
        events = self._safety.events(period.first, period.last)
        flags = tuple(
            FlagEvent(
                day=event.local_day,
                kind=event.kind,
                items=tuple(
                    BY_CODE[code].text if code in BY_CODE else code for code in event.items
                ),
            )
            for event in events
            if event.kind in urgent
        )
        return flags, sum(1 for event in events if event.kind == CHECKLIST_DONE)

    def _responses(
        self, period: Period, exercises: dict[str, Exercise]
    ) -> tuple[ExerciseResponse, ...]:
        flagged = (Light.AMBER.value, Light.RED.value)
        with Session(self._engine) as session:
            rows = session.exec(
                select(
                    ExerciseLog.local_day,
                    ExerciseLog.exercise_id,
                    ExerciseLog.advice_light,
                    ExerciseLog.pain_during,
                    ExerciseLog.nerve_response,
                    ExerciseLog.effort,
                    ExerciseLog.advice_message,
                )
                .where(
                    ExerciseLog.local_day >= period.first,
                    ExerciseLog.local_day <= period.last,
                    col(ExerciseLog.advice_light).in_(flagged),
                    col(ExerciseLog.skipped).is_(False),
                )
                .order_by(col(ExerciseLog.at_utc), col(ExerciseLog.id))
            ).all()
        return tuple(
            ExerciseResponse(
                day, exercise_id, _name(exercise_id, exercises), light, pain, nerve, effort, text
            )
            for day, exercise_id, light, pain, nerve, effort, text in rows
        )

    def _notes(self, period: Period, exercises: dict[str, Exercise]) -> tuple[PatientNote, ...]:
        """Diary, session and exercise notes, oldest first, each with where it was written."""
        sources: list[tuple[Any, Any, Callable[[str], str]]] = [
            (DiaryEntryRow, literal(""), lambda _: ""),
            (SessionLog, SessionLog.slot, lambda slot: f"session {slot}".strip()),
            (ExerciseLog, ExerciseLog.exercise_id, lambda exercise: _name(exercise, exercises)),
        ]
        found: list[tuple[datetime, PatientNote]] = []
        with Session(self._engine) as session:
            for table, about_column, about in sources:
                rows = session.exec(
                    select(
                        table.local_day, table.at_utc, table.tz_name, about_column, table.note
                    ).where(
                        table.local_day >= period.first,
                        table.local_day <= period.last,
                        table.note != "",
                    )
                ).all()
                for day, at_utc, tz_name, what, note in rows:
                    local = stamp(at_utc, tz_name).local.time().replace(second=0, microsecond=0)
                    found.append((at_utc, PatientNote(day, local, about(what), note)))
        found.sort(key=lambda pair: (pair[1].day, pair[0]))
        return tuple(note for _, note in found)


def _plan_changes(history: list, period: Period) -> tuple[PlanChange, ...]:
    """Versions saved in the period, oldest first, each against the version before it."""
    oldest_first = list(reversed(history))
    changes = []
    for index, version in enumerate(oldest_first):
        if not period.first <= version.local_day <= period.last:
            continue
        before = oldest_first[index - 1].plan if index > 0 else None
        changes.append(
            PlanChange(
                day=version.local_day,
                author=version.author,
                source=version.source,
                changes=describe_changes(before, version.plan),
            )
        )
    return tuple(changes)


def _name(exercise_id: str, exercises: dict[str, Exercise]) -> str:
    exercise = exercises.get(exercise_id)
    return exercise.name if exercise is not None else _fallback_name(exercise_id)


def _fallback_name(exercise_id: str) -> str:
    """An exercise no longer in the library (a pack removed): its id, readable."""
    return exercise_id.replace("_", " ")
