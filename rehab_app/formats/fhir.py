"""The diary, sessions, plan and questionnaires as one HL7 FHIR R4 Bundle (JSON), plain dicts.

A therapist's system can read standard FHIR; it cannot read our database. The Bundle is of type
`collection` (a set of resources handed over, not a transaction to apply), written entry by
entry so ten years of history never sit in memory as one document.

Who it is about. The app has no account and knows no name, and a file that leaves the machine
should not invent one. Every resource points at one anonymous `Patient` that carries only a
random identifier made once per data folder (`urn:uuid:...`, kept in the settings). That is
what a clinic system needs to file successive bundles from the same person under the same
record (it links the identifier to its own patient once, at the first visit), while the file
alone says nothing about who the person is.

Ids. Each resource's id (and its `fullUrl`, `urn:uuid:<id>`) is a UUID 5 derived from that
patient identifier and the row's id, e.g. `diary/17/leg`, so exporting the same data again gives
byte-for-byte the same resources, a clinic system can recognise a resource it already has, and
two patients' bundles never share an id. Questionnaire definitions are the same for everyone
and get ids from a fixed namespace.

What goes where (codes from what-users-expect.md):
- Pain: two Observations per diary entry, back and leg, each LOINC 72514-3 (0-10 numeric
  rating, `valueInteger`, category `survey`), `effectiveDateTime` with the offset of the zone
  it was recorded in, `issued` when it was typed. `bodySite` is SNOMED CT 37822005 "Lower
  back structure" or 61685007 "Lower limb structure". The diary's "which side" belongs to
  the leg symptoms (the question sits with "how far down the leg"), so the leg Observation
  carries it with the Extensions Pack's `observation-structureLaterality` (usable on
  Observation.bodySite up to R5): SNOMED 7771000 left, 24028007 right, 51440002 both. The
  entry's note goes on both Observations; when in the day it was rated (waking, before or
  after exercise ...) is an extension of our own (`diary-context`).
- Exercise done: one Observation per exercise logged, LOINC 73985-4 "Exercise activity",
  category `activity`, the exercise as `valueCodeableConcept` (our exercise ids as the code
  system), components for sets, repetitions and holds done, pain during it (LOINC 72514-3),
  effort and the nerve response. A skipped exercise is an Observation with status
  `cancelled`. LOINC 55411-3 "Exercise duration" is not sent: the app does not time it.
- The current plan: one CarePlan (status active, intent plan) with one activity per exercise
  per phase, each coded SNOMED CT 229065009 "Exercise therapy", its schedule as
  `Timing.repeat` (frequency a day or every N days, weekdays, times of day, bounds from the
  phase's start to the day before the next phase). FHIR has no fields for sets, repetitions,
  hold and rest, so they travel in our extension `exercise-dose`.
- Questionnaires: the Roland-Morris and PSFS forms as Questionnaire resources, each completed
  form as a QuestionnaireResponse, and its stored score as a `survey` Observation derived
  from the response (clinic systems chart Observations, not responses).

Our own code systems and extensions live under `FHIR_BASE`. The project has no web address
yet, so it is an `.invalid` name (RFC 2606): it only names things and is never fetched; the
app makes no network connection.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from rehab_app.core.diary import BodySide
from rehab_app.core.plan import Phase, Plan, PlanItem
from rehab_app.core.questionnaires import (
    PSFS_KIND,
    PSFS_MAX_ACTIVITIES,
    RMDQ_INSTRUCTIONS,
    RMDQ_ITEMS,
    RMDQ_KIND,
    psfs_from_answers,
    rmdq_from_answers,
)
from rehab_app.core.timestamps import iso_local
from rehab_app.formats.records import DiaryLike, ExerciseLike, ResponseLike, SessionLike

FHIR_VERSION = "4.0.1"
FHIR_BASE = "https://rehab-app.invalid/fhir"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LATERALITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
DOSE_EXTENSION = f"{FHIR_BASE}/StructureDefinition/exercise-dose"
CONTEXT_EXTENSION = f"{FHIR_BASE}/StructureDefinition/diary-context"
EXERCISE_SYSTEM = f"{FHIR_BASE}/CodeSystem/exercise"
MEASURE_SYSTEM = f"{FHIR_BASE}/CodeSystem/measure"
QUESTIONNAIRE_VERSION = "1"

PAIN_CODE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_ACTIVITY = ("73985-4", "Exercise activity")
EXERCISE_THERAPY = ("229065009", "Exercise therapy")
LOW_BACK = ("37822005", "Lower back structure")
LOWER_LIMB = ("61685007", "Lower limb structure")
LATERALITY = {
    BodySide.LEFT: ("7771000", "Left"),
    BodySide.RIGHT: ("24028007", "Right"),
    BodySide.BOTH: ("51440002", "Right and left"),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Questionnaire definitions are the same for every patient: ids from a fixed namespace.
_DEFINITIONS = uuid.uuid5(uuid.NAMESPACE_URL, f"{FHIR_BASE}/Questionnaire")

Entry = dict[str, Any]


@dataclass(frozen=True)
class Ids:
    """Reproducible resource ids for one patient (see the module docstring)."""

    subject: uuid.UUID

    def of(self, key: str) -> str:
        return str(uuid.uuid5(self.subject, key))

    @property
    def patient(self) -> dict[str, str]:
        return {"reference": f"urn:uuid:{self.subject}"}


def write_bundle(stream: TextIO, ids: Ids, created: datetime, entries: Iterable[Entry]) -> int:
    """Write a `collection` Bundle, one entry per line; returns the number of entries.

    The Patient entry comes first, so a bundle is never empty (FHIR forbids empty arrays).
    """
    head = {
        "resourceType": "Bundle",
        "id": ids.of(f"bundle/{created.isoformat()}"),
        "meta": {"lastUpdated": created.isoformat()},
        "type": "collection",
        "timestamp": created.isoformat(),
    }
    stream.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": [\n')
    count = 0
    for entry in _with_patient(ids, entries):
        stream.write((",\n" if count else "") + json.dumps(entry, ensure_ascii=False))
        count += 1
    stream.write("\n]}\n")
    return count


def _with_patient(ids: Ids, entries: Iterable[Entry]) -> Iterator[Entry]:
    yield patient_entry(ids)
    yield from entries


def _entry(resource: dict[str, Any]) -> Entry:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def _concept(system: str, pair: tuple[str, str], text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [_coding(system, *pair)]}
    if text:
        concept["text"] = text
    return concept


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [_concept(OBSERVATION_CATEGORY, (code, display))]


def _notes(text: str) -> dict[str, Any]:
    # FHIR forbids empty strings and empty arrays: leave the element out instead.
    return {"note": [{"text": text}]} if text.strip() else {}


# Patient --------------------------------------------------------------------------------------


def patient_entry(ids: Ids) -> Entry:
    return _entry(
        {
            "resourceType": "Patient",
            "id": str(ids.subject),
            "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{ids.subject}"}],
            "active": True,
        }
    )


# Pain -----------------------------------------------------------------------------------------


def pain_entries(ids: Ids, entries: Iterable[DiaryLike]) -> Iterator[Entry]:
    """Two Observations (back, leg) per diary entry."""
    for read in entries:
        entry = read.entry
        assert entry.at is not None
        common: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": _category("survey", "Survey"),
            "subject": ids.patient,
            "effectiveDateTime": iso_local(entry.at, read.tz_name),
            "issued": iso_local(read.entered_utc, read.tz_name),
            "extension": [{"url": CONTEXT_EXTENSION, "valueCode": entry.context.value}],
            **_notes(entry.note),
        }
        yield _entry(
            {
                **common,
                "id": ids.of(f"diary/{read.id}/back"),
                "code": _concept(LOINC, PAIN_CODE, "Back pain"),
                "valueInteger": entry.back_pain,
                "bodySite": _concept(SNOMED, LOW_BACK, "Lower back"),
            }
        )
        leg_site = _concept(SNOMED, LOWER_LIMB, "Leg")
        if entry.side is not None:
            leg_site["text"] = f"Leg, {entry.side.value}"
            leg_site["extension"] = [
                {
                    "url": LATERALITY_EXTENSION,
                    "valueCodeableConcept": _concept(SNOMED, LATERALITY[entry.side]),
                }
            ]
        yield _entry(
            {
                **common,
                "id": ids.of(f"diary/{read.id}/leg"),
                "code": _concept(LOINC, PAIN_CODE, "Leg pain"),
                "valueInteger": entry.leg_pain,
                "bodySite": leg_site,
            }
        )


# Exercise done ----------------------------------------------------------------------------------


def exercise_entries(
    ids: Ids, sessions: Iterable[SessionLike], name_of: Callable[[str], str]
) -> Iterator[Entry]:
    """One Observation per exercise logged (a skipped one has status `cancelled`)."""
    for session in sessions:
        for log in session.exercises:
            yield _entry(_exercise_observation(ids, session, log, name_of))


def _exercise_observation(
    ids: Ids, session: SessionLike, log: ExerciseLike, name_of: Callable[[str], str]
) -> dict[str, Any]:
    outcome = log.outcome
    name = name_of(outcome.exercise_id)
    components = [
        _count_component("sets-done", "Sets done", outcome.sets_done),
        _count_component("reps-done", "Repetitions done", outcome.reps_done),
        _count_component("holds-done", "Holds done", outcome.holds_done),
    ]
    if outcome.pain_during is not None:
        components.append(
            {
                "code": _concept(LOINC, PAIN_CODE, "Pain during the exercise"),
                "valueInteger": outcome.pain_during,
            }
        )
    if outcome.effort is not None:
        components.append(_code_component("effort", "Effort", outcome.effort.value))
    if outcome.nerve_response is not None:
        components.append(
            _code_component("nerve-response", "Nerve response", outcome.nerve_response.value)
        )
    return {
        "resourceType": "Observation",
        "id": ids.of(f"exercise_log/{log.id}"),
        "status": "cancelled" if outcome.skipped else "final",
        "category": _category("activity", "Activity"),
        "code": _concept(LOINC, EXERCISE_ACTIVITY),
        "subject": ids.patient,
        "effectiveDateTime": iso_local(
            log.at_utc or session.at_utc, log.tz_name or session.tz_name
        ),
        "valueCodeableConcept": _concept(EXERCISE_SYSTEM, (outcome.exercise_id, name), name),
        "component": components,
        **_notes(outcome.note),
    }


def _count_component(code: str, display: str, value: int) -> dict[str, Any]:
    return {"code": _concept(MEASURE_SYSTEM, (code, display)), "valueInteger": value}


def _code_component(code: str, display: str, value: str) -> dict[str, Any]:
    return {
        "code": _concept(MEASURE_SYSTEM, (code, display)),
        "valueCodeableConcept": _concept(f"{MEASURE_SYSTEM}-{code}", (value, value)),
    }


# The plan ---------------------------------------------------------------------------------------


def care_plan_entry(
    ids: Ids,
    version_id: int,
    plan: Plan,
    saved: datetime,
    tz_name: str,
    name_of: Callable[[str], str],
    today: date,
) -> Entry:
    """The plan in force as a CarePlan: one activity per exercise per phase."""
    current = plan.phase_on(today)
    activities = []
    for index, phase in enumerate(plan.phases):
        following = plan.phases[index + 1] if index + 1 < len(plan.phases) else None
        first = plan.phase_start(phase)
        last = plan.phase_start(following) - timedelta(days=1) if following else None
        if current is None or first > today:
            status = "not-started"
        elif phase == current:
            status = "in-progress"
        else:
            status = "completed"
        for item in phase.items:
            activities.append(
                {"detail": _activity(item, phase, first, last, status, name_of(item.exercise_id))}
            )
    limits = plan.thresholds
    description = (
        f"Pain limits during exercise: up to {limits.green_max} fine, up to"
        f" {limits.amber_max} ease off, above that stop; next morning up to"
        f" {limits.morning_rise_amber} points above the usual is acceptable."
    )
    if plan.message:
        description = f"{plan.message}\n{description}"
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": ids.of(f"plan_version/{version_id}"),
        "status": "active",
        "intent": "plan",
        "category": [_concept(SNOMED, EXERCISE_THERAPY)],
        "title": plan.title,
        "description": description,
        "subject": ids.patient,
        "period": {"start": plan.start.isoformat()},
        "created": iso_local(saved, tz_name),
    }
    if activities:
        resource["activity"] = activities
    return _entry(resource)


def _activity(
    item: PlanItem, phase: Phase, first: date, last: date | None, status: str, name: str
) -> dict[str, Any]:
    schedule = item.schedule
    start = max(first, schedule.start) if schedule.start else first
    end = min(last, schedule.end) if last and schedule.end else (last or schedule.end)
    bounds = {"start": start.isoformat()}
    if end is not None:
        bounds["end"] = end.isoformat()
    repeat: dict[str, Any] = {
        "boundsPeriod": bounds,
        "frequency": len(schedule.times),
        "period": schedule.every_n_days or 1,
        "periodUnit": "d",
        "timeOfDay": [f"{moment:%H:%M:%S}" for moment in schedule.times],
    }
    if schedule.weekdays:
        repeat["dayOfWeek"] = [_WEEKDAYS[day - 1] for day in schedule.weekdays]
    dose = (
        f"{item.sets} x {item.reps}"
        + (f", hold {item.hold_s} s" if item.hold_s else "")
        + (f", rest {item.rest_s} s" if item.rest_s else "")
    )
    description = f"{name}: {dose} ({phase.name})"
    if item.note:
        description += f". {item.note}"
    return {
        "extension": [
            {
                "url": DOSE_EXTENSION,
                "extension": [
                    {"url": "exerciseId", "valueCode": item.exercise_id},
                    {"url": "sets", "valueInteger": item.sets},
                    {"url": "reps", "valueInteger": item.reps},
                    {"url": "holdSeconds", "valueInteger": item.hold_s},
                    {"url": "restSeconds", "valueInteger": item.rest_s},
                    {"url": "tempoSeconds", "valueInteger": item.tempo_s},
                    {"url": "side", "valueCode": item.side.value},
                    {"url": "phase", "valueString": phase.name},
                ],
            }
        ],
        "code": _concept(SNOMED, EXERCISE_THERAPY, name),
        "status": status,
        "scheduledTiming": {"repeat": repeat},
        "description": description,
    }


# Questionnaires ---------------------------------------------------------------------------------


def questionnaire_url(kind: str) -> str:
    return f"{FHIR_BASE}/Questionnaire/{kind}"


def questionnaire_entries() -> Iterator[Entry]:
    """The two forms, so the responses can be read without this app."""
    yield _entry(
        {
            "resourceType": "Questionnaire",
            "id": str(uuid.uuid5(_DEFINITIONS, RMDQ_KIND)),
            "url": questionnaire_url(RMDQ_KIND),
            "version": QUESTIONNAIRE_VERSION,
            "name": "RolandMorrisDisabilityQuestionnaire",
            "title": "Roland-Morris Disability Questionnaire (RMDQ-24)",
            "status": "active",
            "description": RMDQ_INSTRUCTIONS,
            "item": [
                {"linkId": str(number), "text": text, "type": "boolean"}
                for number, text in enumerate(RMDQ_ITEMS, start=1)
            ],
        }
    )
    yield _entry(
        {
            "resourceType": "Questionnaire",
            "id": str(uuid.uuid5(_DEFINITIONS, PSFS_KIND)),
            "url": questionnaire_url(PSFS_KIND),
            "version": QUESTIONNAIRE_VERSION,
            "name": "PatientSpecificFunctionalScale",
            "title": "Patient-Specific Functional Scale (PSFS)",
            "status": "active",
            "item": [
                {
                    "linkId": f"activity-{n}",
                    "text": f"Activity {n}",
                    "type": "group",
                    "item": [
                        {"linkId": f"activity-{n}.name", "text": "Activity", "type": "string"},
                        {
                            "linkId": f"activity-{n}.score",
                            "text": "How well you can do it, 0 (unable) to 10 (as before)",
                            "type": "integer",
                        },
                    ],
                }
                for n in range(1, PSFS_MAX_ACTIVITIES + 1)
            ],
        }
    )


def response_entries(ids: Ids, responses: Iterable[ResponseLike]) -> Iterator[Entry]:
    """A QuestionnaireResponse per completed form, and its score as an Observation."""
    for response in responses:
        if response.kind not in (RMDQ_KIND, PSFS_KIND):
            continue
        response_id = ids.of(f"questionnaire_response/{response.id}")
        authored = iso_local(response.at_utc, response.tz_name)
        items = _rmdq_items(response) if response.kind == RMDQ_KIND else _psfs_items(response)
        resource: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse",
            "id": response_id,
            "questionnaire": f"{questionnaire_url(response.kind)}|{QUESTIONNAIRE_VERSION}",
            "status": "completed",
            "subject": ids.patient,
            "authored": authored,
        }
        if items:
            resource["item"] = items
        yield _entry(resource)
        if response.score is None:
            continue
        title = "Roland-Morris score" if response.kind == RMDQ_KIND else "PSFS mean score"
        # Observation has no valueDecimal: a PSFS mean (2.33) is a Quantity in UCUM's
        # unitless "{score}"; a Roland-Morris count stays an integer.
        score = float(response.score)
        value: dict[str, Any] = (
            {"valueInteger": int(score)}
            if score.is_integer()
            else {
                "valueQuantity": {
                    "value": round(score, 2),
                    "unit": "{score}",
                    "system": UCUM,
                    "code": "{score}",
                }
            }
        )
        yield _entry(
            {
                "resourceType": "Observation",
                "id": ids.of(f"questionnaire_response/{response.id}/score"),
                "status": "final",
                "category": _category("survey", "Survey"),
                "code": _concept(MEASURE_SYSTEM, (f"{response.kind}-score", title), title),
                "subject": ids.patient,
                "effectiveDateTime": authored,
                **value,
                "derivedFrom": [{"reference": f"urn:uuid:{response_id}"}],
                **_notes(response.note),
            }
        )


def _rmdq_items(response: ResponseLike) -> list[dict[str, Any]]:
    answers = rmdq_from_answers(response.answers)
    return [
        {"linkId": str(number), "text": RMDQ_ITEMS[number - 1], "answer": [{"valueBoolean": value}]}
        for number, value in answers.items()
        if value is not None  # an unanswered statement is left out, as FHIR expects
    ]


def _psfs_items(response: ResponseLike) -> list[dict[str, Any]]:
    items = []
    for n, activity in enumerate(psfs_from_answers(response.answers), start=1):
        parts: list[dict[str, Any]] = [
            {"linkId": f"activity-{n}.name", "answer": [{"valueString": activity.name}]}
        ]
        if activity.score is not None:
            parts.append(
                {"linkId": f"activity-{n}.score", "answer": [{"valueInteger": activity.score}]}
            )
        items.append({"linkId": f"activity-{n}", "text": activity.name, "item": parts})
    return items
