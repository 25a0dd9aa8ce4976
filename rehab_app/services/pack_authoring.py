"""Packs, therapist side: the signing key, pack source folders, and building a pack from one.

The key is made on the first export and kept as `signing_key.pem` (0600) in the therapist's
data folder; losing it only means the next pack is signed by a new key, which the patient's
app will flag, so it is never sent anywhere.

A therapist edits a pack SOURCE FOLDER (docs/pack-format.md), the very folder
`rehab-app pack build SRC -o FILE` reads, so the app and the command line agree and folders can
live in version control. `load_source` reads one with the same validators the pack reader uses
(`source_members` for the layout, `PackManifest`, `Plan`, `parse_exercise`) and reports every
problem at once as a `PackError`; `save_source` writes it back with `tomli_w`, one atomic write
per file, and only rewrites a file whose meaning changed, so a hand-written file (comments,
layout) survives a save that did not touch it and version control shows only real changes.

Dose ranges are not a reason to refuse loading a folder: the editor shows them as problems to
fix, and `build` refuses them, as the patient's app would.
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import tomli_w
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from rehab_app import __version__
from rehab_app.core.errors import Problem, RehabError
from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import PainThresholds, Phase, Plan
from rehab_app.formats import bundled
from rehab_app.formats.exercise_toml import parse_exercise
from rehab_app.formats.pack import content, layout, limits
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.manifest import PACK_FORMAT_VERSION, PackManifest
from rehab_app.formats.pack.signing import (
    fingerprint,
    new_private_key,
    private_key_from_pem,
    private_key_to_pem,
    public_bytes,
)
from rehab_app.formats.pack.writer import BuiltPack, build_pack, source_members
from rehab_app.services.catalog import Library
from rehab_app.storage.files import atomic_write, ensure_private_folder

KEY_FILE = "signing_key.pem"
#: Photos are scaled down to fit this square: sharp on a screen and in print, small in a pack.
PHOTO_MAX_SIDE = 2048
#: Stands in for `created` while checking a manifest that (rightly) does not pin it.
_PLACEHOLDER_CREATED = datetime(2000, 1, 1, tzinfo=UTC)

# -- the signing key ---------------------------------------------------------------------------


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def signing_key(data_dir: Path, create: bool = True) -> Ed25519PrivateKey | None:
    """The therapist's key from the data folder, made (0600) on first use when `create`."""
    path = key_path(data_dir)
    if path.exists():
        try:
            return private_key_from_pem(path.read_bytes())
        except (OSError, ValueError) as error:
            raise RehabError(
                f"The signing key {path} cannot be used: {error}. Move it aside to make a new"
                " one (patients will then be told the key changed)."
            ) from error
    if not create:
        return None
    key = new_private_key()
    ensure_private_folder(data_dir)
    atomic_write(path, private_key_to_pem(key))
    return key


def key_fingerprint(data_dir: Path) -> str | None:
    """The fingerprint to read out over the phone, or None before the first export."""
    key = signing_key(data_dir, create=False)
    return fingerprint(public_bytes(key)) if key else None


def build(
    source: Path,
    output: Path,
    library: Library,
    data_dir: Path | None,
    now: datetime | None = None,
) -> BuiltPack:
    """Build and sign `source` into `output` with the data folder's key (None: unsigned)."""
    key = signing_key(data_dir) if data_dir is not None else None
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    return build_pack(source, output, key, created, library.built_in(), __version__)


# -- the source folder as a read model -----------------------------------------------------------


@dataclass(frozen=True)
class PackSource:
    """A pack source folder, read and checked.

    The manifest's fields (`title`, `message`, `thresholds` ...) are the truth; `plan` holds the
    phases and items and, after `load_source` or `synced()`, also carries the manifest's title
    (unless `plan_title` is set), message and thresholds, exactly as the patient's app will read
    it. `plan.start` is only a stand-in (the day it was loaded) unless `start` pins it.
    """

    pack_id: str
    version: int
    title: str
    author: str
    plan: Plan
    message: str = ""
    thresholds: PainThresholds = field(default_factory=PainThresholds)
    exercises: tuple[Exercise, ...] = ()
    #: exercise id -> its picture file (in this folder's media/, or anywhere before a save)
    pictures: Mapping[str, Path] = field(default_factory=dict)
    #: the plan's own title when plan.toml sets one; None: the manifest's title is used
    plan_title: str | None = None
    start: date | None = None  # only when plan.toml pins the start date
    created: datetime | None = None  # only when manifest.toml pins it (normally `build` adds it)
    min_app_version: str = "0.1.0"

    def synced(self) -> PackSource:
        """This source with the manifest's title, message and thresholds copied into `plan`."""
        updates: dict[str, Any] = {
            "title": self.plan_title or self.title,
            "message": self.message,
            "thresholds": self.thresholds,
        }
        if self.start is not None:
            updates["start"] = self.start
        return replace(self, plan=self.plan.model_copy(update=updates))

    def custom(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


def load_source(folder: Path, library: Library, today: date | None = None) -> PackSource:
    """Read the source folder with the pack reader's validators; `PackError` lists every problem.

    `library` supplies the built-in exercises (a pack's own exercise may not reuse their ids);
    exercises that packs brought into it do not count as built in.
    """
    members = source_members(folder)  # the layout rules: what may be in the folder at all
    today = today or date.today()
    problems: list[Problem] = []
    for required in (layout.MANIFEST, layout.PLAN):
        if required not in members:
            problems.append(Problem(required, "", "is missing from the pack folder"))
    if problems:
        raise PackError(problems)

    manifest_data = content.parse_toml(layout.MANIFEST, members[layout.MANIFEST], problems)
    manifest = None
    if manifest_data is not None:
        # A source folder rightly leaves `created` to the build.
        defaults = {"created": _PLACEHOLDER_CREATED}
        manifest = content.parse_manifest(manifest_data, __version__, problems, defaults)
    built_in = library.built_in()
    media = {layout.media_file_name(name) for name in members if name.startswith("media/")}
    files = {name: data for name, data in members.items() if name.startswith("exercises/")}
    exercises = content.parse_exercises(files, media, built_in, problems)
    pictures = {exercise.id: folder / "media" / exercise.illustration for exercise in exercises}
    plan_data = content.parse_toml(layout.PLAN, members[layout.PLAN], problems)
    plan = None
    if plan_data is not None:
        usable = {**built_in, **{exercise.id: exercise for exercise in exercises}}
        # Doses out of range still open, so the therapist can correct them; export refuses.
        plan = content.parse_plan(plan_data, manifest, usable, today, problems, check_doses=False)
    if problems or manifest is None or plan is None or manifest_data is None:
        raise PackError(problems)
    assert plan_data is not None
    title_in_plan = plan_data.get("title")
    return PackSource(
        pack_id=manifest.pack_id,
        version=manifest.version,
        title=manifest.title,
        author=manifest.author,
        plan=plan,
        message=manifest.message,
        thresholds=manifest.thresholds,
        exercises=tuple(exercises),
        pictures=pictures,
        plan_title=plan.title if isinstance(title_in_plan, str) else None,
        start=plan.start if "start" in plan_data else None,
        created=manifest.created if "created" in manifest_data else None,
        min_app_version=manifest.min_app_version,
    )


# -- writing the folder ---------------------------------------------------------------------------


def save_source(folder: Path, source: PackSource) -> None:
    """Write `source` into `folder`: manifest.toml, plan.toml, exercises/<id>.toml, media/.

    Each file is written atomically, and only when what it says changed. The files of custom
    exercises that are no longer in `source` are removed, with their pictures.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest_text = tomli_w.dumps(_manifest_data(source), multiline_strings=True)
    _write_if_changed(folder / layout.MANIFEST, manifest_text, _same_manifest)
    _write_if_changed(folder / layout.PLAN, tomli_w.dumps(_plan_data(source)), _same_plan)

    kept = {exercise.id for exercise in source.exercises}
    used_pictures = {exercise.illustration for exercise in source.exercises}
    for old in sorted((folder / "exercises").glob("*.toml")):
        if old.stem in kept:
            continue
        illustration = _illustration_of(old)
        old.unlink()
        if illustration and illustration not in used_pictures:
            (folder / "media" / illustration).unlink(missing_ok=True)

    for exercise in source.exercises:
        picture = source.pictures.get(exercise.id)
        target = folder / "media" / exercise.illustration
        if picture is not None and _resolved(picture) != _resolved(target):
            data = picture.read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(exist_ok=True)
                atomic_write(target, data)
        (folder / "exercises").mkdir(exist_ok=True)
        _write_if_changed(
            folder / "exercises" / f"{exercise.id}.toml",
            exercise_toml(exercise),
            _same_exercise,
        )


def exercise_toml(exercise: Exercise) -> str:
    """The text of `exercises/<id>.toml` for `exercise` (the format of the built-in files)."""
    data = exercise.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["format_version"] = exercise.format_version
    return tomli_w.dumps(data)


def _manifest_data(source: PackSource) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format_version": PACK_FORMAT_VERSION,
        "pack_id": source.pack_id,
        "version": source.version,
        "title": source.title,
        "author": source.author,
    }
    if source.created is not None:
        data["created"] = source.created
    data["min_app_version"] = source.min_app_version
    data["message"] = source.message
    data["thresholds"] = source.thresholds.model_dump()
    return data


def _plan_data(source: PackSource) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if source.plan_title:
        data["title"] = source.plan_title
    if source.start is not None:
        data["start"] = source.start
    phases = []
    for phase in source.plan.phases:
        items = []
        for item in phase.items:
            values = item.model_dump(mode="python", exclude_none=True)
            values["side"] = str(item.side.value)
            if not values["note"]:
                del values["note"]
            schedule = values["schedule"]
            if not schedule["weekdays"]:
                del schedule["weekdays"]
            items.append(values)
        phases.append({"name": phase.name, "starts_on_day": phase.starts_on_day, "items": items})
    data["phases"] = phases
    return data


def _write_if_changed(path: Path, text: str, same: Callable[[str, str], bool]) -> None:
    try:
        existing = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        existing = None
    if existing is not None and (existing == text or _safely(same, existing, text)):
        return
    atomic_write(path, text.encode("utf-8"))


def _safely(same: Callable[[str, str], bool], old: str, new: str) -> bool:
    try:
        return same(old, new)
    except (ValueError, TypeError, KeyError, tomllib.TOMLDecodeError, ValidationError):
        return False


def _same_manifest(old: str, new: str) -> bool:
    def meaning(text: str) -> dict[str, Any]:
        data = tomllib.loads(text)
        manifest = PackManifest.model_validate({"created": _PLACEHOLDER_CREATED, **data})
        return {**manifest.model_dump(), "pins_created": "created" in data}

    return meaning(old) == meaning(new)


def _same_plan(old: str, new: str) -> bool:
    def meaning(text: str) -> dict[str, Any]:
        data = tomllib.loads(text)
        pinned = {key: key in data for key in ("title", "start")}
        data.setdefault("start", _PLACEHOLDER_CREATED.date())
        return {**Plan.model_validate(data).model_dump(), **pinned}

    return meaning(old) == meaning(new)


def _same_exercise(old: str, new: str) -> bool:
    before, _ = parse_exercise(old, "old")
    after, _ = parse_exercise(new, "new")
    return before is not None and before == after


def _illustration_of(path: Path) -> str | None:
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("illustration")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if isinstance(value, str) and "/" not in value and "\\" not in value and value[:1] != ".":
        return value
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


# -- starting a pack -------------------------------------------------------------------------------


def examples_dir() -> Path:
    return bundled.exercises_dir() / "packs"


def examples() -> list[tuple[Path, str]]:
    """The example pack sources that ship with the app: (folder, title), by folder name."""
    found = []
    folder = examples_dir()
    for example in sorted(folder.iterdir()) if folder.is_dir() else []:
        manifest = example / layout.MANIFEST
        if not manifest.is_file():
            continue
        try:
            title = str(tomllib.loads(manifest.read_text(encoding="utf-8")).get("title", ""))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        found.append((example, title or example.name))
    return found


def new_source_from_example(example_folder: Path, target_folder: Path) -> Path:
    """Copy an example pack source into `target_folder` (new or empty) and return it."""
    _check_empty(target_folder)
    for name in source_members(example_folder):  # only the layout files, nothing hidden
        target = target_folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(example_folder / name, target)
    return target_folder


def new_source_from_plan(
    plan: Plan | None,
    target: Path,
    author: str,
    library: Library,
    title: str | None = None,
    pack_id: str | None = None,
    today: date | None = None,
) -> PackSource:
    """Start a pack in `target` (new or empty) from a plan, or from an empty one when None.

    Exercises that earlier packs brought into `library` are copied into the new pack with their
    pictures, because a pack may only rely on the built-in library.
    """
    _check_empty(target)
    today = today or date.today()
    if plan is None:
        plan = Plan(start=today, phases=[Phase(name="Phase 1", starts_on_day=0)])
    built_in = library.built_in()
    used = {item.exercise_id for phase in plan.phases for item in phase.items}
    exercises: list[Exercise] = []
    pictures: dict[str, Path] = {}
    for exercise_id in sorted(used - set(built_in)):
        exercise = library.by_id(exercise_id)
        picture = library.illustrations.get(exercise_id)
        if exercise is None or picture is None:
            continue
        name = f"{exercise_id}{picture.suffix.lower()}"
        exercises.append(exercise.model_copy(update={"illustration": name}))
        pictures[exercise_id] = picture
    pack_title = (title or plan.title or "My exercise pack").strip()[:80]
    source = PackSource(
        pack_id=pack_id or pack_id_from(target.name),
        version=1,
        title=pack_title,
        author=author.strip()[:120] or "Your therapist",
        plan=plan,
        message=plan.message,
        thresholds=plan.thresholds,
        exercises=tuple(exercises),
        pictures=pictures,
    )
    save_source(target, source)
    return load_source(target, library, today)


def pack_id_from(text: str) -> str:
    """A valid pack id made from a name: 'Early Sciatica (2026)' -> 'early-sciatica-2026'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return slug if len(slug) >= 3 else "my-pack"


def exercise_id_from(name: str, taken: set[str] | frozenset[str]) -> str:
    """A valid exercise id made from a name, different from every id in `taken`."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:56].strip("_")
    if not base or not base[0].isalpha():
        base = f"own_{base}".strip("_")
    if len(base) < 2:
        base = "own_exercise"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}_{number}"
        number += 1
    return candidate


def _check_empty(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PackError.one(
            str(folder), "is not an empty folder; choose a new or empty folder for the pack"
        )
    folder.mkdir(parents=True, exist_ok=True)


# -- the therapist's own exercises ----------------------------------------------------------------


def add_custom_exercise(folder: Path, exercise: Exercise, photo: Path) -> Exercise:
    """Save `exercise` with `photo` into the pack folder; returns it as stored.

    The photo (any picture Pillow opens: JPEG, PNG, ...) is turned upright, scaled down to fit
    2048 x 2048 and written as `media/<exercise id>.png`; the exercise's `illustration` names it.
    """
    png = photo_to_png(photo)
    stored = exercise.model_copy(update={"illustration": f"{exercise.id}.png"})
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    atomic_write(media / stored.illustration, png)
    (folder / "exercises").mkdir(exist_ok=True)
    atomic_write(folder / "exercises" / f"{stored.id}.toml", exercise_toml(stored).encode())
    return stored


def photo_to_png(photo: Path) -> bytes:
    """The photo as PNG bytes, upright and no larger than PHOTO_MAX_SIDE; ValueError if unusable."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as image:
                image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))  # JPEG: decode smaller
                image.load()
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                wanted = "RGBA" if has_alpha else ("L" if upright.mode in ("1", "L") else "RGB")
                converted = upright.convert(wanted)
                converted.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                converted.save(buffer, format="PNG", optimize=False, compress_level=6)
    except OSError as error:
        raise ValueError(f"{photo.name} is not a picture that can be opened ({error})") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValueError(f"{photo.name} is too large a picture ({error})") from error
    data = buffer.getvalue()
    if len(data) > limits.MAX_MEMBER_BYTES:
        raise ValueError(f"{photo.name} is still too large for a pack after scaling it down")
    return data


def authoring_library(library: Library, source: PackSource | None) -> Library:
    """The exercises a pack can use: the built-in ones plus the pack's own (with pictures).

    Exercises that earlier packs brought into the patient's library are left out: a new pack
    cannot rely on them being there.
    """
    built_in = library.built_in()
    result = replace(
        library.copy(),
        exercises=tuple(built_in.values()),
        custom_ids=frozenset(),
        illustrations={key: path for key, path in library.illustrations.items() if key in built_in},
    )
    if source is not None:
        result.add_custom(source.exercises, dict(source.pictures))
    return result
