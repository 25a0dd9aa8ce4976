"""Realistic synthetic history, so a new user sees every screen alive and benchmarks have data.

The story, over `days` days ending today: the starter plan (with its phase change at week 3)
and a later plan edit; sessions done most days, fewer during a flare, each exercise with
feedback and traffic-light advice; morning and evening diary entries whose leg pain starts
around 7, flares about 40 % of the way in for ten days, then recovers; Roland-Morris and PSFS
every two weeks; weekly red-flag checklists, with one same-day answer during the flare.

Rows go in with bulk INSERTs in one transaction (stack-notes: about 10x faster than the ORM),
so ten years of history take seconds. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert
from sqlmodel import Session, select

from rehab_app.core.diary import Context, LegExtent
from rehab_app.core.pain import advise
from rehab_app.core.plan import Plan, PlanItem, sides_to_do
from rehab_app.core.schedule import occurrences_on
from rehab_app.core.session import Effort, NerveResponse
from rehab_app.core.timestamps import FixedClock
from rehab_app.core.vocabulary import Category
from rehab_app.services.catalog import Library
from rehab_app.services.plans import PlanService, describe_changes
from rehab_app.storage.tables import (
    DiaryEntryRow,
    ExerciseLog,
    QuestionnaireResponse,
    SafetyEvent,
    SessionLog,
)


@dataclass(frozen=True)
class DemoSummary:
    days: int
    diary_entries: int
    sessions: int
    exercise_logs: int
    plan_versions: int


def _leg_pain_level(fraction: float) -> float:
    """Leg pain through the story: 7 at the start, easing, a flare at 40 %, recovery to ~2."""
    trend = 7.0 - 4.5 * (1 - math.exp(-3.2 * fraction))
    flare = 3.2 * math.exp(-(((fraction - 0.42) / 0.03) ** 2))
    return trend + flare


def write_demo_data(
    engine: Engine,
    library: Library,
    tz_name: str,
    days: int,
    today: date,
    seed: int = 1,
    entries_per_day: int = 2,
    until: datetime | None = None,
) -> DemoSummary:
    """Fill an empty database (already migrated) with `days` days of history up to today.

    Nothing is dated after `until` (default: the end of today), so today's later sessions
    are still to do when the demo opens.
    """
    rng = random.Random(seed)
    zone = ZoneInfo(tz_name)
    start = today - timedelta(days=days - 1)

    def at(day: date, clock_time: time) -> datetime:
        return datetime.combine(day, clock_time, tzinfo=zone).astimezone(UTC)

    cutoff = until or at(today, time(23, 59))

    # Plans go through the real service, so demo plans obey the same rules as real ones.
    first_moment = at(start, time(9, 0))
    plans = PlanService(engine, library, FixedClock(first_moment, tz_name))
    plan = plans.starter_plan(start)
    plans.save(plan, describe_changes(None, plan), author="starter")
    first_version = plans.current()
    assert first_version is not None
    versions: list[tuple[date, int, Plan]] = [(start, first_version.id, plan)]
    if days > 60:
        edit_day = start + timedelta(days=days * 2 // 3)
        edited = _easier_walks(plan)
        later = PlanService(engine, library, FixedClock(at(edit_day, time(19, 0)), tz_name))
        saved, _ = later.save(edited, describe_changes(plan, edited))
        versions.append((edit_day, saved.id, edited))

    diary_rows: list[dict] = []
    session_rows: list[dict] = []
    exercise_rows: list[dict] = []
    questionnaire_rows: list[dict] = []
    safety_rows: list[dict] = []
    with Session(engine) as session:
        next_session_id = (session.exec(select(func.max(SessionLog.id))).one() or 0) + 1

    for offset in range(days):
        day = start + timedelta(days=offset)
        fraction = offset / max(1, days - 1)
        leg_level = _leg_pain_level(fraction)
        back_level = 0.6 * leg_level + 0.8
        flaring = abs(fraction - 0.42) < 0.04
        _, version_id, plan_in_force = next(v for v in reversed(versions) if v[0] <= day)
        # Diary: a morning and an evening entry most days, sometimes forgotten (a gap).
        times = [time(7, 30), time(21, 0), time(13, 0), time(17, 0), time(10, 0)]
        for index in range(entries_per_day):
            if rng.random() < 0.12:
                continue
            clock_time = times[index % len(times)]
            if index >= len(times):
                clock_time = time(rng.randrange(8, 22), rng.randrange(60))
            leg = _pain(leg_level + rng.gauss(0, 0.9))
            moment = at(day, clock_time)
            if moment > cutoff:
                continue
            diary_rows.append(
                {
                    "at_utc": moment,
                    "tz_name": tz_name,
                    "local_day": day,
                    "entered_utc": moment,
                    "retrospective": False,
                    "back_pain": _pain(back_level + rng.gauss(0, 0.8)),
                    "leg_pain": leg,
                    "context": (
                        Context.FLARE
                        if flaring and index == 1
                        else Context.WAKING
                        if clock_time.hour < 10
                        else Context.EVENING
                    ).value,
                    "leg_extent": _extent(leg).value,
                    "side": "left",
                    "qualities": "aching,pins_and_needles" if leg >= 5 else "aching",
                    "aggravating": "sitting" if rng.random() < 0.5 else "bending",
                    "medications_json": json.dumps(
                        [{"name": "Paracetamol", "dose": "1 g", "helped": True}] if leg >= 6 else []
                    ),
                    "sleep_hours": round(rng.uniform(5.5, 8.0) * 2) / 2 if index == 0 else None,
                    "woken_by_pain": leg >= 7 if index == 0 else None,
                    "note": "Bad night, long drive yesterday" if flaring and index == 0 else "",
                }
            )
        # Sessions: most planned sessions done, fewer in a flare.
        by_slot: dict[time, list[PlanItem]] = {}
        for occurrence in occurrences_on(plan_in_force, day, tz_name):
            by_slot.setdefault(occurrence.slot, []).append(occurrence.item)
        for slot, items in sorted(by_slot.items()):
            chance = 0.45 if flaring else 0.85
            if rng.random() > chance or at(day, slot) > cutoff:
                continue
            session_id = next_session_id
            next_session_id += 1
            moment = at(day, slot)
            session_rows.append(
                {
                    "id": session_id,
                    "plan_version_id": version_id,
                    "local_day": day,
                    "slot": f"{slot:%H:%M}",
                    "how": "player",
                    "at_utc": moment,
                    "tz_name": tz_name,
                    "note": "",
                }
            )
            for position, item in enumerate(items):
                exercise = library.by_id(item.exercise_id)
                if exercise is None:
                    continue
                sides = sides_to_do(item, exercise)
                pain = _pain(leg_level - 1 + rng.gauss(0, 1))
                nerve = None
                if exercise.category == Category.NEURAL_MOBILISATION:
                    nerve = NerveResponse.LINGERED if flaring else NerveResponse.SETTLED
                effort = Effort.TOO_HARD if flaring else Effort.ABOUT_RIGHT
                advice = advise(pain, plan_in_force.thresholds, nerve, effort)
                exercise_rows.append(
                    {
                        "session_id": session_id,
                        "exercise_id": item.exercise_id,
                        "sets_done": item.sets * sides,
                        "reps_done": item.sets * item.reps * sides,
                        "holds_done": item.sets * item.reps * sides if item.hold_s else 0,
                        "skipped": False,
                        "pain_during": pain,
                        "effort": effort.value,
                        "nerve_response": nerve.value if nerve else None,
                        "advice_light": advice.light.value,
                        "advice_message": advice.message,
                        "note": "",
                        "at_utc": moment + timedelta(minutes=3 * (position + 1)),
                        "tz_name": tz_name,
                        "local_day": day,
                    }
                )
        # Every two weeks: Roland-Morris and PSFS; weekly: the red-flag checklist.
        if offset % 14 == 0 and at(day, time(20, 0)) <= cutoff:
            moment = at(day, time(20, 0))
            rmdq = max(0, min(24, round(4 + 1.7 * leg_level + rng.gauss(0, 1))))
            questionnaire_rows.append(
                _questionnaire(
                    "rmdq",
                    moment,
                    tz_name,
                    day,
                    {str(i): i <= rmdq for i in range(1, 25)},
                    rmdq,
                    24,
                )
            )
            psfs = [max(0, min(10, round(10 - leg_level + rng.gauss(0, 0.7)))) for _ in range(3)]
            answers = {
                # The stored form PsfsResponse.to_answers writes (and psfs_from_answers reads).
                "activities": [
                    {"name": "Sitting at work", "score": psfs[0]},
                    {"name": "Walking the dog", "score": psfs[1]},
                    {"name": "Putting on socks", "score": psfs[2]},
                ]
            }
            questionnaire_rows.append(
                _questionnaire("psfs", moment, tz_name, day, answers, sum(psfs) / 3, 3)
            )
        if offset % 7 == 0 and at(day, time(9, 30)) <= cutoff:
            flagged = flaring and not any(r["kind"] == "same_day" for r in safety_rows)
            safety_rows.append(
                {
                    "kind": "same_day" if flagged else "checklist",
                    "items": "worsening_weakness" if flagged else "",
                    "at_utc": at(day, time(9, 30)),
                    "tz_name": tz_name,
                    "local_day": day,
                }
            )

    with Session(engine) as session:
        for table, rows in (
            (DiaryEntryRow, diary_rows),
            (SessionLog, session_rows),
            (ExerciseLog, exercise_rows),
            (QuestionnaireResponse, questionnaire_rows),
            (SafetyEvent, safety_rows),
        ):
            if rows:
                session.execute(insert(table), rows)
        session.commit()
    return DemoSummary(days, len(diary_rows), len(session_rows), len(exercise_rows), len(versions))


def _pain(value: float) -> int:
    return max(0, min(10, round(value)))


def _extent(leg: int) -> LegExtent:
    if leg >= 7:
        return LegExtent.BELOW_KNEE
    if leg >= 5:
        return LegExtent.THIGH
    if leg >= 2:
        return LegExtent.BUTTOCK
    return LegExtent.NONE


def _questionnaire(
    kind: str, moment: datetime, tz_name: str, day: date, answers: dict, score: float, answered: int
) -> dict:
    return {
        "kind": kind,
        "at_utc": moment,
        "tz_name": tz_name,
        "local_day": day,
        "answers_json": json.dumps(answers, sort_keys=True),
        "score": float(score),
        "answered": answered,
        "note": "",
    }


def _easier_walks(plan: Plan) -> Plan:
    """The later edit of the story: longer walks once things settled."""
    phases = []
    for phase in plan.phases:
        items = [
            item.model_copy(update={"hold_s": 900})
            if item.exercise_id == "walking_programme"
            else item
            for item in phase.items
        ]
        phases.append(phase.model_copy(update={"items": items}))
    return plan.model_copy(update={"phases": phases})
