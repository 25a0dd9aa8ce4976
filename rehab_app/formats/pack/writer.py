"""Builds a `.rehabpack` from a source folder and signs it (docs/pack-format.md).

The builder does not have its own rules: it writes the archive, then checks it with the very
reader the patient's app uses before the file is put in place, so a pack that builds is a pack
that imports. The zip is reproducible (fixed member order, dates and permissions), and Ed25519
signatures are deterministic, so the same folder, time and key give the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import Exercise
from rehab_app.formats.pack import layout, limits
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.reader import PackContents, read_pack, staging_folder
from rehab_app.formats.pack.signing import canonical_manifest, public_bytes, sign

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class BuiltPack:
    path: Path
    contents: PackContents  # as the patient's app will read it (staging already removed)
    size: int


def source_members(source: Path) -> dict[str, bytes]:
    """The layout files of a pack source folder, by member name.

    Hidden files (`.git`, `.DS_Store`) are ignored so a folder can live in version control;
    any other file outside the layout is a problem, so nothing is silently left out.
    """
    if not source.is_dir():
        raise PackError.one(str(source), "is not a folder")
    members: dict[str, bytes] = {}
    problems: list[Problem] = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_dir():
            continue
        name = relative.as_posix()
        try:
            kind = layout.classify(name)
        except ValueError as error:
            problems.append(Problem(name, "", str(error)))
            continue
        if kind is layout.MemberKind.SIGNATURE:
            problems.append(Problem(name, "", "is written by the builder; remove it"))
            continue
        if path.is_symlink() or not path.is_file():
            problems.append(Problem(name, "", "is not a plain file"))
            continue
        members[name] = path.read_bytes()
    if problems:
        raise PackError(problems)
    return members


def with_created(manifest: bytes, created: datetime) -> bytes:
    """Add `created` at the top of the manifest unless the source already sets it.

    Inserting one line keeps the therapist's own layout and comments in the file they keep.
    """
    import tomllib

    try:
        if "created" in tomllib.loads(manifest.decode("utf-8")):
            return manifest
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return manifest  # the reader will report it, with the member name
    line = f"created = {created.isoformat()}\n".encode()
    return line + manifest


def build_pack(
    source: Path,
    output: Path,
    key: Ed25519PrivateKey | None,
    created: datetime,
    built_in: Mapping[str, Exercise],
    app_version: str,
) -> BuiltPack:
    """Build, sign (unless `key` is None), check and atomically write the pack to `output`."""
    members = source_members(source)
    if layout.MANIFEST in members:
        members[layout.MANIFEST] = with_created(members[layout.MANIFEST], created)
    return write_members(members, output, key, built_in, app_version)


def write_members(
    members: Mapping[str, bytes],
    output: Path,
    key: Ed25519PrivateKey | None,
    built_in: Mapping[str, Exercise],
    app_version: str,
) -> BuiltPack:
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=".part", dir=output.parent
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as file, zipfile.ZipFile(file, "w") as archive:
            for name in _ordered(members):
                _add(archive, name, members[name])
            if key is not None:
                _add(archive, layout.SIGNATURE, _signature(members, key))
            file.flush()
            os.fsync(file.fileno())
        with staging_folder() as staging:
            contents = read_pack(temporary, staging, built_in, date.today(), app_version)
        size = temporary.stat().st_size
        if size > limits.MAX_ARCHIVE_BYTES:
            raise PackError.one(output.name, "would be larger than 200 MB")
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return BuiltPack(output, contents, size)


def _signature(members: Mapping[str, bytes], key: Ed25519PrivateKey) -> bytes:
    """The `signature` member. The manifest is read first so the signed fields match it."""
    import base64
    import hashlib
    import json
    import tomllib

    try:
        manifest = tomllib.loads(members[layout.MANIFEST].decode("utf-8"))
        pack_id, version, created = manifest["pack_id"], manifest["version"], manifest["created"]
    except (KeyError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # Write the pack unsigned-but-broken: the reader's check names the real problem.
        return b""
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    if not isinstance(created, datetime):
        return b""
    text = canonical_manifest(str(pack_id), int(version), created, hashes)
    # A JSON string literal of ASCII text is also a valid TOML basic string.
    return (
        "format_version = 1\n"
        'algorithm = "ed25519"\n'
        f'public_key = "{base64.b64encode(public_bytes(key)).decode()}"\n'
        f"signed = {json.dumps(text)}\n"
        f'signature = "{sign(key, text)}"\n'
    ).encode()


def _ordered(members: Mapping[str, bytes]) -> list[str]:
    first = [name for name in (layout.MANIFEST, layout.PLAN) if name in members]
    return first + sorted(name for name in members if name not in first)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.external_attr = 0o100600 << 16  # a regular file, readable by its owner only
    # Pictures are already compressed; deflating them again only costs time.
    is_picture = name.startswith("media/")
    info.compress_type = zipfile.ZIP_STORED if is_picture else zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
