"""What a pack's text members must say: one set of rules for a built pack and a source folder.

The reader applies them to a `.rehabpack` a patient opens; the therapist's editor applies them
to the pack folder it edits, so a folder that opens cleanly is a pack that imports. Every
function appends what it finds to `problems` (member, field, message) and returns None where
nothing usable is left, so all problems in a pack are reported at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import Plan
from rehab_app.formats.exercise_toml import parse_exercise, problems_from, suggest
from rehab_app.formats.pack import layout
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.manifest import PACK_FORMAT_VERSION, PackManifest, version_tuple


def parse_toml(name: str, data: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(name, "", "is not UTF-8 text"))
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(name, "", f"is not valid TOML: {error}"))
    except RecursionError:
        problems.append(Problem(name, "", "is nested too deeply"))
    return None


def parse_manifest(
    data: dict[str, Any], app_version: str, problems: list[Problem], defaults: Mapping[str, Any]
) -> PackManifest | None:
    """The manifest; `defaults` fill keys a source folder may leave out (`created`).

    A newer format stops everything at once: nothing else in the pack can be understood.
    """
    version = data.get("format_version")
    if isinstance(version, int) and version > PACK_FORMAT_VERSION:
        raise PackError.one(
            layout.MANIFEST,
            f"{version}: this pack was made by a newer version of rehab_app"
            f" (this one reads format {PACK_FORMAT_VERSION}); please update the app",
            "format_version",
        )
    try:
        manifest = PackManifest.model_validate({**defaults, **data})
    except ValidationError as error:
        problems.extend(problems_from(layout.MANIFEST, error, PackManifest))
        return None
    if version_tuple(manifest.min_app_version) > version_tuple(app_version):
        problems.append(
            Problem(
                layout.MANIFEST,
                "min_app_version",
                f"this pack needs rehab_app {manifest.min_app_version} or newer"
                f" (this is {app_version}); please update the app",
            )
        )
    return manifest


def parse_exercises(
    files: Mapping[str, bytes],
    media: Collection[str],
    built_in: Mapping[str, Exercise],
    problems: list[Problem],
) -> list[Exercise]:
    """The pack's own exercises (`exercises/<id>.toml` -> text); `media` names its pictures."""
    parsed: list[Exercise] = []
    for name in sorted(files):
        try:
            text = files[name].decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(name, "", "is not UTF-8 text"))
            continue
        try:
            exercise, found = parse_exercise(text, name)
        except RecursionError:
            exercise, found = None, [Problem(name, "", "is nested too deeply")]
        if exercise is not None:
            found.extend(_exercise_problems(name, exercise, media, built_in))
        if found or exercise is None:
            problems.extend(found)
            continue
        parsed.append(exercise)
    known = set(built_in) | {exercise.id for exercise in parsed}
    for exercise in parsed:
        for key in ("progression_to", "regression_to"):
            for target in getattr(exercise, key):
                if target not in known:
                    problems.append(
                        Problem(
                            f"exercises/{exercise.id}.toml",
                            key,
                            f"unknown exercise id '{target}'{suggest(target, known)}",
                        )
                    )
    return parsed


def _exercise_problems(
    name: str, exercise: Exercise, media: Collection[str], built_in: Mapping[str, Exercise]
) -> list[Problem]:
    found = []
    expected_id = layout.exercise_id_of(name)
    if exercise.id != expected_id:
        found.append(Problem(name, "id", f"'{exercise.id}' must match the name '{expected_id}'"))
    if exercise.id in built_in:
        found.append(
            Problem(
                name,
                "id",
                f"'{exercise.id}' is a built-in exercise; give the pack's own exercise a"
                " different id",
            )
        )
    if exercise.illustration not in media:
        found.append(
            Problem(
                name,
                "illustration",
                f"'{exercise.illustration}' is not in the pack's media folder"
                f"{suggest(exercise.illustration, media)}",
            )
        )
    return found


def parse_plan(
    data: dict[str, Any],
    manifest: PackManifest | None,
    exercises: Mapping[str, Exercise],
    today: date,
    problems: list[Problem],
    check_doses: bool = True,
) -> Plan | None:
    """`plan.toml` as a Plan: the manifest's limits and message, `start` defaulting to `today`.

    `exercises` are all the plan may use (built-in and the pack's own). The editor opens a
    folder with doses out of range (`check_doses=False`) so the therapist can correct them.
    """
    data = dict(data)
    for key in ("thresholds", "message"):
        if key in data:
            problems.append(Problem(layout.PLAN, key, "belongs in manifest.toml, not in the plan"))
            del data[key]
    if manifest is not None:
        data.setdefault("title", manifest.title)
        data["thresholds"] = manifest.thresholds.model_dump()
        data["message"] = manifest.message
    data.setdefault("start", today)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problems.extend(problems_from(layout.PLAN, error, Plan))
        return None
    for phase_index, phase in enumerate(plan.phases):
        for item_index, item in enumerate(phase.items):
            where = f"phases item {phase_index + 1}.items item {item_index + 1}"
            exercise = exercises.get(item.exercise_id)
            if exercise is None:
                problems.append(
                    Problem(
                        layout.PLAN,
                        f"{where}.exercise_id",
                        f"unknown exercise id '{item.exercise_id}'"
                        f"{suggest(item.exercise_id, exercises)}",
                    )
                )
            elif check_doses:
                problems.extend(
                    Problem(layout.PLAN, where, text) for text in item.dose_problems(exercise)
                )
    return plan
