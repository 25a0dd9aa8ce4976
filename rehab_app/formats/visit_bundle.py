"""The visit bundle: one zip a patient hands over, holding the report PDF, the three CSVs, the
FHIR bundle and a manifest.

Layout (fixed; nothing else is accepted):

    manifest.json       format, format_version, created, the period covered, SHA-256 of each member
    report.pdf          the visit report (optional: a bundle made without one has none)
    diary.csv  sessions.csv  questionnaires.csv   see rehab_app.formats.csv_io
    fhir.json           see rehab_app.formats.fhir

Writing is reproducible: members in a fixed order with the bundle's creation time as their
date, so the same data and moment give the same bytes.

Reading treats the zip as untrusted, like a pack (DATA-SAFETY §2): a bundle arrives from
someone else. Member names are only compared with the fixed list above and never used as paths
(each accepted member is written to the staging folder under our own constant name); folders,
links, encrypted members, other compression methods and duplicates are refused; sizes are
counted while streaming, against the pack limits, because a zip's own headers may lie; and
every member must match the SHA-256 the manifest lists, so a damaged copy is noticed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, BinaryIO, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from rehab_app.core.errors import Problem, ProblemsError
from rehab_app.formats.pack import limits

FORMAT = "rehab-app-visit-bundle"
FORMAT_VERSION = 1

MANIFEST = "manifest.json"
REPORT = "report.pdf"
DIARY = "diary.csv"
SESSIONS = "sessions.csv"
QUESTIONNAIRES = "questionnaires.csv"
FHIR = "fhir.json"
#: Every member a bundle may hold, in the order they are written.
MEMBERS = (MANIFEST, REPORT, DIARY, SESSIONS, QUESTIONNAIRES, FHIR)
MAX_MANIFEST_BYTES = 64 * 1024

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class VisitBundleError(ProblemsError):
    """The bundle cannot be opened; `problems` says why, each naming the member."""


class BundleManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["rehab-app-visit-bundle"] = FORMAT
    format_version: int = Field(default=FORMAT_VERSION, ge=1)
    created: AwareDatetime
    first_day: date | None = None  # the period the data covers; None when there is none
    last_day: date | None = None
    app_version: Annotated[str, StringConstraints(max_length=40)] = ""
    members: dict[str, Sha256] = Field(default_factory=dict, max_length=len(MEMBERS) - 1)

    @field_validator("members")
    @classmethod
    def _known_members(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(MEMBERS[1:]))
        if unknown:
            raise ValueError(f"not members of a visit bundle: {', '.join(unknown)}")
        return value


@dataclass(frozen=True)
class VisitBundle:
    """A bundle that passed every check; `files` are the members unpacked into staging."""

    manifest: BundleManifest
    files: Mapping[str, Path]


# Writing ----------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(limits.CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def write_bundle(
    stream: BinaryIO,
    files: Mapping[str, Path],
    created: datetime,
    first_day: date | None,
    last_day: date | None,
    app_version: str,
) -> BundleManifest:
    """Zip `files` (member name -> file) with a manifest listing their hashes."""
    unknown = set(files) - set(MEMBERS[1:])
    if unknown:
        raise ValueError(f"not members of a visit bundle: {sorted(unknown)}")
    manifest = BundleManifest(
        created=created,
        first_day=first_day,
        last_day=last_day,
        app_version=app_version,
        members={name: sha256_of(files[name]) for name in MEMBERS if name in files},
    )
    stamp = created.timetuple()[:6]
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(MANIFEST, stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        archive.writestr(info, manifest.model_dump_json(indent=2))
        for name in MEMBERS[1:]:
            if name not in files:
                continue
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            with files[name].open("rb") as source, archive.open(info, "w") as target:
                while chunk := source.read(limits.CHUNK_BYTES):
                    target.write(chunk)
    return manifest


# Reading ----------------------------------------------------------------------------------------


def read_bundle(path: Path, staging: Path) -> VisitBundle:
    """Check the bundle at `path` and unpack it into `staging`; raise VisitBundleError."""
    try:
        return _read(path, staging)
    except VisitBundleError:
        raise
    except Exception as error:  # zlib and friends: one plain problem, never a crash
        raise VisitBundleError.one(
            path.name, f"cannot be read ({type(error).__name__}: {error})"
        ) from error


def _read(path: Path, staging: Path) -> VisitBundle:
    with path.open("rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        if size > limits.MAX_ARCHIVE_BYTES:
            raise VisitBundleError.one(path.name, f"is {size} bytes; the limit is 200 MB")
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise VisitBundleError.one(
                path.name, f"is not a visit bundle (not a readable zip archive: {error})"
            ) from error
        with archive:
            infos = _check_structure(path.name, archive)
            hashes: dict[str, str] = {}
            files: dict[str, Path] = {}
            total = 0
            for name, info in infos.items():
                target = staging / name  # `name` is our constant from MEMBERS, equal to it
                hashes[name], written = _stream(archive, info, name, target, total)
                total += written
                files[name] = target
    manifest = _manifest(files.pop(MANIFEST))
    problems = []
    for name in files:
        if name not in manifest.members:
            problems.append(Problem(name, "", "is not listed in the manifest"))
        elif manifest.members[name] != hashes[name]:
            problems.append(Problem(name, "", "does not match its SHA-256 in the manifest"))
    for name in manifest.members:
        if name not in files:
            problems.append(Problem(name, "", "is listed in the manifest but missing"))
    if problems:
        raise VisitBundleError(problems)
    return VisitBundle(manifest, files)


def _check_structure(source: str, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > len(MEMBERS):
        raise VisitBundleError.one(source, f"has {len(infos)} members; a bundle has at most 6")
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        # The accepted name is the constant from MEMBERS, never the string from the zip.
        name = next((member for member in MEMBERS if member == info.filename), None)
        if name is None:
            raise VisitBundleError.one(
                source, f"holds '{info.filename[:80]}', which is not part of a visit bundle"
            )
        if name in found:
            raise VisitBundleError.one(name, "appears twice in the bundle")
        mode = info.external_attr >> 16
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
            raise VisitBundleError.one(name, "is not a plain file")
        if info.flag_bits & 0x1:
            raise VisitBundleError.one(name, "is encrypted; bundles are not encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise VisitBundleError.one(name, "uses a compression method other than deflate")
        if info.file_size > _limit(name):
            raise VisitBundleError.one(name, f"is {info.file_size} bytes; that is too large")
        found[name] = info
    if MANIFEST not in found:
        raise VisitBundleError.one(MANIFEST, "is missing: this is not a visit bundle")
    return found


def _limit(name: str) -> int:
    return MAX_MANIFEST_BYTES if name == MANIFEST else limits.MAX_MEMBER_BYTES


def _stream(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, target: Path, total: int
) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as source, target.open("xb") as sink:
        while chunk := source.read(limits.CHUNK_BYTES):
            size += len(chunk)
            if size > _limit(name):
                raise VisitBundleError.one(name, "is too large")
            if total + size > limits.MAX_TOTAL_BYTES:
                raise VisitBundleError.one(name, "makes the bundle larger than 500 MB unpacked")
            if size > limits.RATIO_FLOOR_BYTES and size > limits.MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise VisitBundleError.one(name, "expands more than 100 times; not a bundle")
            digest.update(chunk)
            sink.write(chunk)
    return digest.hexdigest(), size


def _manifest(path: Path) -> BundleManifest:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise VisitBundleError.one(MANIFEST, f"is not JSON ({error})") from error
    version = data.get("format_version") if isinstance(data, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        # Said before validation, so a newer bundle is refused for what it is, not for
        # whatever fields it added.
        raise VisitBundleError.one(
            MANIFEST,
            f"format_version {version} was made by a newer rehab_app; this one reads up to"
            f" {FORMAT_VERSION}",
        )
    try:
        return BundleManifest.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(MANIFEST, ".".join(str(part) for part in detail["loc"]), detail["msg"])
            for detail in error.errors()
        ]
        raise VisitBundleError(problems) from error
