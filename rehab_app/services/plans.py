"""The plan: the current version, saving a change as a new version, the history, a starter plan.

Every save is one transaction that adds a `plan_version` row; nothing is ever overwritten, so
"what was prescribed when" survives every edit (and undo is just another version).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError
from rehab_app.core.plan import Phase, Plan, PlanItem, PlanSide, Schedule, estimate_item_seconds
from rehab_app.core.timestamps import Clock
from rehab_app.services.catalog import Library
from rehab_app.services.transactions import writing
from rehab_app.storage.tables import PlanVersion


class PlanError(RehabError):
    """The plan cannot be saved as it is; `problems` says why, in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlanVersionRead:
    id: int
    at_utc: datetime
    tz_name: str
    local_day: date
    author: str
    source: str
    summary: str
    plan: Plan


#: Past these, adherence falls (what-users-expect.md): the editor warns, it does not refuse.
DEFAULT_WARN_EXERCISES = 6
DEFAULT_WARN_MINUTES = 15


def session_minutes(plan: Plan, library: Library, day: date) -> dict[time, float]:
    """Estimated minutes of each session time on `day` (items sharing a time add up)."""
    from rehab_app.core.schedule import occurrences_on

    minutes: dict[time, float] = {}
    for occurrence in occurrences_on(plan, day, "UTC"):
        exercise = library.by_id(occurrence.item.exercise_id)
        if exercise is None:
            continue
        seconds = estimate_item_seconds(occurrence.item, exercise)
        minutes[occurrence.slot] = minutes.get(occurrence.slot, 0) + seconds / 60
    return minutes


class PlanService:
    def __init__(self, engine: Engine, library: Library, clock: Clock) -> None:
        self._engine = engine
        self._library = library
        self._clock = clock

    @property
    def library(self) -> Library:
        return self._library

    def current(self) -> PlanVersionRead | None:
        with Session(self._engine) as session:
            row = session.exec(select(PlanVersion).order_by(col(PlanVersion.id).desc())).first()
            return _read(row) if row else None

    def history(self) -> list[PlanVersionRead]:
        """Every version, newest first."""
        with Session(self._engine) as session:
            rows = session.exec(select(PlanVersion).order_by(col(PlanVersion.id).desc())).all()
            return [_read(row) for row in rows]

    def version(self, version_id: int) -> PlanVersionRead | None:
        with Session(self._engine) as session:
            row = session.get(PlanVersion, version_id)
            return _read(row) if row else None

    def problems(self, plan: Plan) -> list[str]:
        """Everything that stops `plan` being saved: unknown exercises, doses out of range."""
        found: list[str] = []
        for phase in plan.phases:
            for item in phase.items:
                exercise = self._library.by_id(item.exercise_id)
                if exercise is None:
                    found.append(f"The exercise '{item.exercise_id}' is not in the library.")
                else:
                    found.extend(item.dose_problems(exercise))
        return found

    def save(
        self, plan: Plan, summary: str, author: str = "patient", source: str = ""
    ) -> tuple[PlanVersionRead, Changes]:
        """Check `plan` against the library and store it as the new current version."""
        problems = self.problems(plan)
        if problems:
            raise PlanError(problems)
        now = self._clock.now()
        row = PlanVersion(
            at_utc=now.at_utc,
            tz_name=now.tz_name,
            local_day=now.local_day,
            author=author,
            source=source,
            summary=summary[:2000],
            plan_json=plan.model_dump_json(),
        )
        with writing(self._engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            return _read(row), Changes(plan=True)

    def starter_plan(self, today: date) -> Plan:
        """A gentle sciatica plan from the built-in library, in two phases.

        Weeks 1-2: a nerve slider lying down, pelvic tilts, knee rolls and short walks.
        From week 3: the same plus glute bridges. Doses are the exercises' own defaults.
        """

        def item(exercise_id: str, times: list[time]) -> PlanItem:
            exercise = self._library.by_id(exercise_id)
            if exercise is None:
                raise PlanError([f"The built-in exercise '{exercise_id}' is missing."])
            dose = exercise.dosage
            return PlanItem(
                exercise_id=exercise_id,
                sets=dose.sets.default,
                reps=dose.reps.default,
                hold_s=dose.hold_s.default,
                rest_s=dose.rest_s.default,
                tempo_s=dose.tempo_s,
                side=PlanSide.AFFECTED,
                schedule=Schedule(times=times, weekdays=[1, 2, 3, 4, 5, 6, 7]),
            )

        morning, evening = time(8, 0), time(18, 0)
        gentle = [
            item("sciatic_nerve_slider_supine", [morning, evening]),
            item("pelvic_tilt", [morning, evening]),
            item("lumbar_rotation_knee_rolls", [morning, evening]),
            item("walking_programme", [time(11, 0), time(16, 0)]),
        ]
        bridge = item("glute_bridge", [evening])
        bridge = bridge.model_copy(
            update={"schedule": Schedule(times=[evening], weekdays=[1, 3, 5, 7])}
        )
        return Plan(
            title="Starter plan for sciatica",
            start=today,
            phases=[
                Phase(name="Weeks 1-2: gentle start", starts_on_day=0, items=gentle),
                Phase(
                    name="From week 3: add strengthening", starts_on_day=14, items=[*gentle, bridge]
                ),
            ],
        )


def describe_changes(before: Plan | None, after: Plan) -> str:
    """A plain summary of what changed between two plans, for the history list."""
    if before is None:
        count = sum(len(phase.items) for phase in after.phases)
        return f"New plan '{after.title}' with {count} exercise entries."
    notes: list[str] = []
    old = {(p.name, i.exercise_id): i for p in before.phases for i in p.items}
    new = {(p.name, i.exercise_id): i for p in after.phases for i in p.items}
    for key in new.keys() - old.keys():
        notes.append(f"added {key[1].replace('_', ' ')} ({key[0]})")
    for key in old.keys() - new.keys():
        notes.append(f"removed {key[1].replace('_', ' ')} ({key[0]})")
    for key in new.keys() & old.keys():
        if new[key] != old[key]:
            notes.append(f"changed {key[1].replace('_', ' ')} ({key[0]})")
    if [p.name for p in before.phases] != [p.name for p in after.phases]:
        notes.append("changed the phases")
    if before.thresholds != after.thresholds:
        notes.append("changed the pain limits")
    if before.start != after.start:
        notes.append(f"moved the start to {after.start.isoformat()}")
    return ("; ".join(sorted(notes)) or "no change").capitalize() + "."


def _read(row: PlanVersion) -> PlanVersionRead:
    try:
        plan = Plan.model_validate_json(row.plan_json)
    except ValidationError as error:  # only if the file was edited outside the app
        raise RehabError(
            f"Plan version {row.id} in the database cannot be read: {error}"
        ) from error
    assert row.id is not None
    return PlanVersionRead(
        id=row.id,
        at_utc=row.at_utc,
        tz_name=row.tz_name,
        local_day=row.local_day,
        author=row.author,
        source=row.source,
        summary=row.summary,
        plan=plan,
    )
