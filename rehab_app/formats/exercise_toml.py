"""The one validator for exercise files (`exercises/<id>.toml`, and the same format in packs).

Every problem in a file is reported at once as `file: field: message`, with a did-you-mean for
misspelt keys and values, in the manner of qutebrowser's config checks. Rules that need the
whole library (duplicate ids, links to unknown ids, missing pictures) are checked by
`load_exercises`, which skips the files that fail and keeps the rest usable.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ValidationError

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import EXERCISE_FORMAT_VERSION, Exercise

#: A definition is a page of text; anything bigger is not an exercise file (DATA-SAFETY §2).
MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class LibraryLoad:
    """What loading a set of exercise files produced: the good ones and every problem."""

    exercises: tuple[Exercise, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[Path, ...]
    files: dict[str, Path] = field(default_factory=dict)  # exercise id -> its file
    illustrations: dict[str, Path] = field(default_factory=dict)  # exercise id -> picture


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the `*.toml` files directly inside them; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.toml") if p.is_file()))
        else:
            found.append(path)
    return found


def parse_exercise(text: str, source: str) -> tuple[Exercise | None, list[Problem]]:
    """Validate the text of one exercise file; `source` names it in every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(source, "", f"not valid TOML: {error}")]
    version = data.get("format_version")
    if isinstance(version, int) and version > EXERCISE_FORMAT_VERSION:
        return None, [
            Problem(
                source,
                "format_version",
                f"{version} was made by a newer version of rehab_app"
                f" (this one reads up to {EXERCISE_FORMAT_VERSION})",
            )
        ]
    try:
        return Exercise.model_validate(data), []
    except ValidationError as error:
        return None, problems_from(source, error, Exercise)


def read_exercise_file(path: Path) -> tuple[Exercise | None, list[Problem]]:
    """Read and validate one file, including that its id matches its file name."""
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(source, "", f"file is {size} bytes; the limit is 256 KB")]
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(source, "", "not UTF-8 text")]
    except OSError as error:
        return None, [Problem(source, "", f"cannot be read: {error.strerror or error}")]
    exercise, problems = parse_exercise(text, source)
    if exercise is not None and exercise.id != path.stem:
        problems.append(
            Problem(source, "id", f"'{exercise.id}' must match the file name '{path.stem}'")
        )
        exercise = None
    return exercise, problems


def load_exercises(
    paths: Iterable[Path],
    illustration_dirs: Sequence[Path],
    known_ids: Set[str] = frozenset(),
) -> LibraryLoad:
    """Load every file under `paths`; skip the ones with problems and report them all.

    `known_ids` are exercises that exist elsewhere (the built-in library, when checking a
    therapist's own files) and so are valid link targets.
    """
    problems: list[Problem] = []
    skipped: list[Path] = []
    loaded: dict[str, tuple[Exercise, Path]] = {}
    pictures: dict[str, Path] = {}

    for path in collect_files(paths):
        exercise, file_problems = read_exercise_file(path)
        if exercise is not None and exercise.id in loaded:
            other = loaded[exercise.id][1]  # the full path: both files have the same name
            file_problems.append(Problem(path.name, "id", f"'{exercise.id}' is used by {other}"))
        if exercise is not None and not file_problems:
            picture = _find_illustration(exercise.illustration, illustration_dirs)
            if picture is None:
                file_problems.append(
                    Problem(path.name, "illustration", f"'{exercise.illustration}' was not found")
                )
            else:
                pictures[exercise.id] = picture
        if file_problems:
            problems.extend(file_problems)
            skipped.append(path)
        else:
            assert exercise is not None
            loaded[exercise.id] = (exercise, path)

    # Dropping a file can leave links to it dangling in others: repeat until nothing changes.
    while True:
        valid_ids = set(loaded) | set(known_ids)
        broken = {
            exercise_id: _link_problems(exercise, path.name, valid_ids)
            for exercise_id, (exercise, path) in loaded.items()
        }
        broken = {exercise_id: found for exercise_id, found in broken.items() if found}
        if not broken:
            break
        for exercise_id, found in broken.items():
            problems.extend(found)
            skipped.append(loaded.pop(exercise_id)[1])
            pictures.pop(exercise_id, None)

    exercises = sorted((pair[0] for pair in loaded.values()), key=lambda e: e.name.casefold())
    return LibraryLoad(
        exercises=tuple(exercises),
        problems=tuple(sorted(problems)),
        skipped=tuple(sorted(skipped)),
        files={exercise_id: pair[1] for exercise_id, pair in loaded.items()},
        illustrations=pictures,
    )


def _find_illustration(name: str, folders: Sequence[Path]) -> Path | None:
    for folder in folders:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _link_problems(exercise: Exercise, source: str, valid_ids: set[str]) -> list[Problem]:
    found = []
    for key in ("progression_to", "regression_to"):
        for target in getattr(exercise, key):
            if target not in valid_ids:
                found.append(
                    Problem(
                        source, key, f"unknown exercise id '{target}'{suggest(target, valid_ids)}"
                    )
                )
    return found


def problems_from(source: str, error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Every problem pydantic found in `source`, in plain words with a did-you-mean.

    `model` is the root model that was validated; the same wording serves exercise files and
    the members of a pack (manifest, plan).
    """
    return [_problem_from(source, item, model) for item in error.errors(include_url=False)]


def _problem_from(source: str, error: typing.Any, root: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    where = _describe_location(loc)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        return Problem(source, where, f"unknown key{suggest(str(loc[-1]), allowed)}")
    if kind == "missing":
        return Problem(source, where, "is required but missing")
    if kind == "enum":
        expected = _enum_values(root, loc)
        value = str(error.get("input"))
        hint = suggest(value, expected) or f"; choose one of: {', '.join(sorted(expected))}"
        return Problem(source, where, f"'{value}' is not allowed{hint}")
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind not in {"value_error", "assertion_error"} and "input" in error:
        message = f"{message} (found {error['input']!r})"
    return Problem(source, where, message)


def _describe_location(loc: tuple[object, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")  # people count from one
        else:
            parts.append(str(part))
    return ".".join(parts).replace(".item ", " item ")


def _model_for(root: type[BaseModel], loc: tuple[object, ...]) -> type[BaseModel] | None:
    model = root
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return None
        inner = _innermost(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        else:
            return None
    return model


def _innermost(annotation: object) -> object:
    """Unwrap `list[X]`, `X | None` and `Annotated[X, ...]` down to X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is None:
            return annotation
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if origin in (typing.Union, types.UnionType, list, typing.Annotated) and args:
            annotation = args[0]
        else:
            return annotation


def _allowed_keys(root: type[BaseModel], loc: tuple[object, ...]) -> list[str]:
    model = _model_for(root, loc)
    return list(model.model_fields) if model else []


def _enum_values(root: type[BaseModel], loc: tuple[object, ...]) -> list[str]:
    names = [part for part in loc if not isinstance(part, int)]
    parent = _model_for(root, tuple(names[:-1]))
    if parent is None or not names:
        return []
    info = parent.model_fields.get(str(names[-1]))
    inner = _innermost(info.annotation) if info else None
    if isinstance(inner, type) and issubclass(inner, Enum):
        return [str(member.value) for member in inner]
    return []


def suggest(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
