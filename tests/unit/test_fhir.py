"""The FHIR export against the official R4 models (fhir.resources; 8.x has no R4 package, and
its R4B models are R4 for every resource written here), the codes a clinic system looks for,
references that resolve inside the bundle, and ids that are the same on every export."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from datetime import UTC, datetime, time

import pytest
from fhir.resources.R4B.bundle import Bundle

from rehab_app.core.diary import BodySide, Context, DiaryEntry
from rehab_app.core.questionnaires import PsfsActivity, PsfsResponse, rmdq_to_answers
from rehab_app.core.session import Effort, ExerciseOutcome, NerveResponse
from rehab_app.formats import fhir
from rehab_app.services.bundle import build_services
from rehab_app.services.maintenance import open_data_folder

OFFSET = re.compile(r"T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def seed(services, clock) -> None:
    today = clock.now().local_day
    services.plans.save(services.plans.starter_plan(today), "New plan", author="starter")
    for side, leg in ((BodySide.LEFT, 6), (None, 0), (BodySide.RIGHT, 3), (BodySide.BOTH, 9)):
        services.diary.add(
            DiaryEntry(back_pain=2, leg_pain=leg, side=side, context=Context.WAKING, note="")
        )
        clock.advance(hours=1)
    services.diary.add(DiaryEntry(back_pain=4, leg_pain=5, note="Long drive, then stiff"))
    session_id, _ = services.sessions.start_session(today, time(8))
    services.sessions.log_exercise(
        session_id,
        ExerciseOutcome(
            exercise_id="sciatic_nerve_slider_supine",
            sets_done=2,
            reps_done=20,
            holds_done=0,
            pain_during=3,
            effort=Effort.EASY,
            nerve_response=NerveResponse.SETTLED,
            note="fine",
        ),
    )
    services.sessions.log_exercise(
        session_id,
        ExerciseOutcome(
            exercise_id="pelvic_tilt", sets_done=0, reps_done=0, holds_done=0, skipped=True
        ),
    )
    answers = rmdq_to_answers({n: n <= 9 for n in range(1, 22)})  # 22-24 unanswered
    services.questionnaires.save("rmdq", answers, 9, 21)
    psfs = PsfsResponse(
        activities=[
            PsfsActivity(name="Sitting", score=4),
            PsfsActivity(name="Socks", score=5),
            PsfsActivity(name="Stairs"),
        ]
    )
    services.questionnaires.save("psfs", psfs.to_answers(), 4.5, 2)


@pytest.fixture
def exported(app_services, clock, tmp_path) -> dict:
    seed(app_services, clock)
    path = tmp_path / "fhir.json"
    app_services.exports.write_fhir(path)
    return json.loads(path.read_text(encoding="utf-8"))


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(concept: dict) -> set[tuple[str, str]]:
    return {(coding["system"], coding["code"]) for coding in concept["coding"]}


def test_the_bundle_is_valid_fhir_r4(exported) -> None:
    bundle = Bundle.model_validate(exported)  # raises on any structural error
    assert bundle.type == "collection"
    counts = Counter(entry["resource"]["resourceType"] for entry in exported["entry"])
    assert counts == {
        "Patient": 1,
        "CarePlan": 1,
        "Observation": 5 * 2 + 2 + 2,  # pain (back, leg) per entry, exercises, scores
        "Questionnaire": 2,
        "QuestionnaireResponse": 2,
    }


def test_ids_are_uuids_and_every_reference_resolves(exported) -> None:
    full_urls = {entry["fullUrl"] for entry in exported["entry"]}
    assert len(full_urls) == len(exported["entry"])
    for entry in exported["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{uuid.UUID(entry['resource']['id'])}"
    references = re.findall(r'"reference": "([^"]+)"', json.dumps(exported))
    assert references and set(references) <= full_urls
    (patient,) = resources(exported, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier", "active"}  # no name, nothing else


def test_pain_observations_carry_loinc_value_time_and_body_site(exported) -> None:
    pain = [
        r for r in resources(exported, "Observation") if (fhir.LOINC, "72514-3") in codes(r["code"])
    ]
    assert len(pain) == 10
    for observation in pain:
        assert 0 <= observation["valueInteger"] <= 10
        assert OFFSET.search(observation["effectiveDateTime"])
        assert (fhir.OBSERVATION_CATEGORY, "survey") in codes(observation["category"][0])
    back = [r for r in pain if (fhir.SNOMED, "37822005") in codes(r["bodySite"])]
    leg = [r for r in pain if (fhir.SNOMED, "61685007") in codes(r["bodySite"])]
    assert len(back) == len(leg) == 5
    assert [r["valueInteger"] for r in leg] == [6, 0, 3, 9, 5]
    sides = [r["bodySite"].get("extension", [{}])[0].get("valueCodeableConcept") for r in leg]
    laterality = [codes(side) if side else None for side in sides]
    assert laterality == [
        {(fhir.SNOMED, "7771000")},
        None,
        {(fhir.SNOMED, "24028007")},
        {(fhir.SNOMED, "51440002")},
        None,
    ]
    # 29 March 2026 in London: the first entry is 08:30 BST, after the clocks went forward.
    assert leg[0]["effectiveDateTime"] == "2026-03-29T08:30:00+01:00"
    assert [n["text"] for n in leg[4]["note"]] == ["Long drive, then stiff"]
    assert "note" not in leg[0]  # FHIR has no empty strings: an empty note is left out


def test_exercises_done_and_skipped(exported) -> None:
    done, skipped = [
        r for r in resources(exported, "Observation") if (fhir.LOINC, "73985-4") in codes(r["code"])
    ]
    assert done["status"] == "final" and skipped["status"] == "cancelled"
    assert done["valueCodeableConcept"]["text"] == "Sciatic nerve slider (lying)"
    values = {
        next(iter(codes(c["code"])))[1]: c.get("valueInteger", c.get("valueCodeableConcept"))
        for c in done["component"]
    }
    assert values["sets-done"] == 2 and values["reps-done"] == 20 and values["72514-3"] == 3
    assert values["nerve-response"]["coding"][0]["code"] == "settled"


def test_the_care_plan_has_exercise_therapy_with_dose_and_timing(exported) -> None:
    (plan,) = resources(exported, "CarePlan")
    assert (plan["status"], plan["intent"], plan["title"]) == (
        "active",
        "plan",
        "Starter plan for sciatica",
    )
    activities = [activity["detail"] for activity in plan["activity"]]
    assert len(activities) == 4 + 5  # two phases: four exercises, then five
    for detail in activities:
        assert (fhir.SNOMED, "229065009") in codes(detail["code"])
        (dose,) = detail["extension"]
        assert dose["url"] == fhir.DOSE_EXTENSION
        assert {part["url"] for part in dose["extension"]} >= {"sets", "reps", "holdSeconds"}
    first = activities[0]
    assert first["status"] == "in-progress" and activities[-1]["status"] == "not-started"
    repeat = first["scheduledTiming"]["repeat"]
    assert repeat["timeOfDay"] == ["08:00:00", "18:00:00"] and repeat["frequency"] == 2
    assert repeat["dayOfWeek"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert repeat["boundsPeriod"] == {"start": "2026-03-29", "end": "2026-04-11"}
    bridge = activities[-1]
    assert bridge["scheduledTiming"]["repeat"]["dayOfWeek"] == ["mon", "wed", "fri", "sun"]


def test_questionnaire_responses_and_scores(exported) -> None:
    rmdq, psfs = resources(exported, "QuestionnaireResponse")
    assert rmdq["questionnaire"] == f"{fhir.questionnaire_url('rmdq')}|1"
    assert [item["linkId"] for item in rmdq["item"]] == [str(n) for n in range(1, 22)]
    assert [i["answer"][0]["valueBoolean"] for i in rmdq["item"]] == [True] * 9 + [False] * 12
    assert [item["text"] for item in psfs["item"]] == ["Sitting", "Socks", "Stairs"]
    assert len(psfs["item"][2]["item"]) == 1  # named, not rated
    forms = {q["url"]: q for q in resources(exported, "Questionnaire")}
    assert len(forms[fhir.questionnaire_url("rmdq")]["item"]) == 24
    scores = [r for r in resources(exported, "Observation") if r.get("derivedFrom")]
    assert scores[0]["valueInteger"] == 9
    assert scores[1]["valueQuantity"] == {
        "value": 4.5,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert scores[0]["derivedFrom"] == [{"reference": f"urn:uuid:{rmdq['id']}"}]


def test_exports_are_reproducible_and_ids_differ_between_patients(
    app_services, clock, tmp_path, shipped_library
) -> None:
    seed(app_services, clock)
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    app_services.exports.write_fhir(first)
    app_services.exports.write_fhir(second)
    assert first.read_bytes() == second.read_bytes()

    opened = open_data_folder(tmp_path / "someone_else", clock)
    try:
        other = build_services(opened.engine, shipped_library, clock)
        clock.at = datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
        seed(other, clock)
        other.exports.write_fhir(tmp_path / "3.json")
    finally:
        opened.engine.dispose()
    mine = {e["resource"]["id"] for e in json.loads(first.read_text())["entry"]}
    theirs = {e["resource"]["id"] for e in json.loads((tmp_path / "3.json").read_text())["entry"]}
    # Only the two questionnaire forms are shared: they are the same for everyone.
    assert len(mine & theirs) == 2


def test_an_empty_folder_exports_just_the_patient(app_services, tmp_path) -> None:
    path = tmp_path / "fhir.json"
    assert app_services.exports.write_fhir(path) == 3  # Patient and the two forms
    Bundle.model_validate_json(path.read_text())
    assert path.stat().st_mode & 0o777 == 0o600
