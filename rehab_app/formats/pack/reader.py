"""Reads an untrusted `.rehabpack` into checked models, touching nothing outside a staging folder.

The order matters (DATA-SAFETY.md §2): first the archive's structure (names, kinds, counts)
from the central directory, then every member is streamed once with our own byte counts, hash
and limits, and only then is anything parsed. Parsing collects every problem in the content so
a therapist can fix them all at once; a structural problem stops reading at once, because
nothing after it can be trusted.

Only `PackError` leaves `read_pack`: zip, zlib, TOML, Unicode and image errors are turned into
one problem naming the member.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import Exercise
from rehab_app.core.plan import Plan
from rehab_app.formats.exercise_toml import problems_from
from rehab_app.formats.pack import content, layout, limits
from rehab_app.formats.pack.errors import PackError
from rehab_app.formats.pack.layout import MemberKind
from rehab_app.formats.pack.manifest import (
    PackManifest,
    PackSignature,
)
from rehab_app.formats.pack.signing import Signer, verify

#: Called with (bytes read so far, bytes to read) while the members are streamed.
Progress = Callable[[int, int], None]

_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")


@dataclass(frozen=True)
class PackPicture:
    member: str  # media/x.png, as named in the pack (for messages only)
    stored_name: str  # <sha256 of the re-encoded bytes>.png|.jpg
    staged: Path  # the re-encoded file inside the staging folder
    width: int
    height: int


@dataclass(frozen=True)
class PackContents:
    """A pack that passed every check. Custom exercises already point at their stored pictures."""

    manifest: PackManifest
    plan: Plan
    exercises: tuple[Exercise, ...]
    pictures: tuple[PackPicture, ...]
    signer: Signer | None
    member_hashes: dict[str, str] = field(default_factory=dict)
    staging: Path | None = None

    def picture_for(self, exercise: Exercise) -> PackPicture | None:
        return next((p for p in self.pictures if p.stored_name == exercise.illustration), None)


@contextmanager
def staging_folder() -> Iterator[Path]:
    """A private (0700) temporary folder that is removed with everything in it afterwards."""
    with tempfile.TemporaryDirectory(prefix="rehab-pack-") as name:
        yield Path(name)


def read_pack(
    path: Path,
    staging: Path,
    built_in: Mapping[str, Exercise],
    today: date,
    app_version: str,
    progress: Progress | None = None,
) -> PackContents:
    """Check the pack at `path` completely; raise `PackError` listing what is wrong."""
    try:
        return _Reader(path, staging, built_in, today, app_version, progress).read()
    except PackError:
        raise
    except Exception as error:
        raise PackError.one(
            path.name, f"cannot be read ({type(error).__name__}: {error})"
        ) from error


@dataclass
class _Member:
    name: str
    kind: MemberKind
    sha256: str
    data: bytes = b""  # text members
    staged: Path | None = None  # pictures, streamed to disk


class _Reader:
    def __init__(
        self,
        path: Path,
        staging: Path,
        built_in: Mapping[str, Exercise],
        today: date,
        app_version: str,
        progress: Progress | None,
    ) -> None:
        self.path = path
        self.staging = staging
        self.built_in = built_in
        self.today = today
        self.app_version = app_version
        self.progress = progress
        self.problems: list[Problem] = []

    # -- structure and streaming ---------------------------------------------------------

    def read(self) -> PackContents:
        with self.path.open("rb") as raw:
            size = os.fstat(raw.fileno()).st_size
            if size > limits.MAX_ARCHIVE_BYTES:
                raise PackError.one(self.path.name, f"is {size} bytes; the limit is 200 MB")
            try:
                archive = zipfile.ZipFile(raw)
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,  # "zip file version 6.8", "multi-disk" and the like
            ) as error:
                raise PackError.one(
                    self.path.name, f"is not a pack (not a readable zip archive: {error})"
                ) from error
            with archive:
                members = self._stream_all(archive, self._check_structure(archive, size))
        return self._parse(members)

    def _check_structure(
        self, archive: zipfile.ZipFile, size: int
    ) -> list[tuple[zipfile.ZipInfo, MemberKind]]:
        infos = archive.infolist()
        if len(infos) > limits.MAX_MEMBERS:
            raise PackError.one(
                self.path.name, f"has {len(infos)} members; the limit is {limits.MAX_MEMBERS}"
            )
        # Where each member's data must end: at the next member's header, or the file's end.
        # The ratio check divides by the header's compressed size, so it must not be a lie.
        starts = sorted({info.header_offset for info in infos} | {size})
        seen: dict[str, str] = {}
        checked = []
        for info in infos:
            name = info.filename
            try:
                kind = layout.classify(name)
            except ValueError as error:
                raise PackError.one(name, str(error)) from None
            key = layout.folded(name)
            if key in seen:
                raise PackError.one(name, f"appears twice in the pack (as '{seen[key]}' too)")
            seen[key] = name
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackError.one(name, "is a symbolic link; only plain files are accepted")
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # no type bits: a plain file
                raise PackError.one(name, "is not a plain file")
            if info.external_attr & 0x10:  # the MS-DOS directory bit
                raise PackError.one(name, "is a folder; only plain files are accepted")
            if info.flag_bits & 0x1:
                raise PackError.one(name, "is encrypted; packs must not be encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PackError.one(name, "uses a compression method other than stored or deflate")
            room = next((start for start in starts if start > info.header_offset), 0)
            if info.compress_size > room - info.header_offset:
                raise PackError.one(name, "is damaged (its compressed size in the zip is wrong)")
            limit = self._limit(kind)
            if info.file_size > limit:  # the header's claim: cheap to refuse early
                raise PackError.one(name, f"is {info.file_size} bytes; the limit is {_size(limit)}")
            checked.append((info, kind))
        return checked

    def _stream_all(
        self, archive: zipfile.ZipFile, checked: list[tuple[zipfile.ZipInfo, MemberKind]]
    ) -> dict[str, _Member]:
        members: dict[str, _Member] = {}
        budget = sum(max(0, info.compress_size) for info, _ in checked) or 1
        done_compressed = 0
        total = 0
        for index, (info, kind) in enumerate(checked):
            target = self.staging / f"incoming-{index}" if kind is MemberKind.MEDIA else None
            member, size = self._stream(archive, info, kind, target, total)
            total += size
            members[info.filename] = member
            done_compressed += max(0, info.compress_size)
            if self.progress is not None:
                self.progress(min(done_compressed, budget), budget)
        return members

    def _stream(
        self,
        archive: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        kind: MemberKind,
        target: Path | None,
        total_before: int,
    ) -> tuple[_Member, int]:
        name = info.filename
        limit = self._limit(kind)
        digest = hashlib.sha256()
        buffer = io.BytesIO()
        size = 0
        sink = target.open("xb") if target is not None else None
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(limits.CHUNK_BYTES):
                    if size == 0 and chunk.startswith(_ARCHIVE_MAGIC):
                        raise PackError.one(name, "archives inside a pack are not accepted")
                    size += len(chunk)
                    if size > limit:
                        raise PackError.one(name, f"is larger than {_size(limit)}")
                    if total_before + size > limits.MAX_TOTAL_BYTES:
                        raise PackError.one(name, "makes the pack larger than 500 MB unpacked")
                    if size > limits.RATIO_FLOOR_BYTES and size > limits.MAX_RATIO * max(
                        info.compress_size, 1
                    ):
                        raise PackError.one(
                            name, "expands more than 100 times; it looks like a zip bomb"
                        )
                    digest.update(chunk)
                    (sink or buffer).write(chunk)
        except PackError:
            raise
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as error:
            raise PackError.one(name, f"is damaged ({error})") from error
        except Exception as error:  # zlib.error and friends
            raise PackError.one(name, f"is damaged ({type(error).__name__}: {error})") from error
        finally:
            if sink is not None:
                sink.close()
        return _Member(name, kind, digest.hexdigest(), buffer.getvalue(), target), size

    @staticmethod
    def _limit(kind: MemberKind) -> int:
        return limits.MAX_MEMBER_BYTES if kind is MemberKind.MEDIA else limits.MAX_TEXT_MEMBER_BYTES

    # -- content -----------------------------------------------------------------------

    def _parse(self, members: dict[str, _Member]) -> PackContents:
        for required in (layout.MANIFEST, layout.PLAN):
            if required not in members:
                self.problems.append(Problem(required, "", "is missing from the pack"))
        if self.problems:
            raise PackError(self.problems)

        problems = self.problems
        manifest_data = content.parse_toml(layout.MANIFEST, members[layout.MANIFEST].data, problems)
        manifest = None
        if manifest_data is not None:
            manifest = content.parse_manifest(manifest_data, self.app_version, problems, {})
        hashes = {
            name: member.sha256 for name, member in members.items() if name != layout.SIGNATURE
        }
        signer = None
        if layout.SIGNATURE in members:
            signer = self._signature(members[layout.SIGNATURE], manifest, hashes)
        pictures = self._pictures([m for m in members.values() if m.kind is MemberKind.MEDIA])
        files = {m.name: m.data for m in members.values() if m.kind is MemberKind.EXERCISE}
        exercises = [
            # The picture is kept under its own hash; the pack's file name is forgotten here.
            exercise.model_copy(
                update={"illustration": pictures[exercise.illustration].stored_name}
            )
            for exercise in content.parse_exercises(files, pictures, self.built_in, problems)
        ]
        plan = None
        plan_data = content.parse_toml(layout.PLAN, members[layout.PLAN].data, problems)
        if plan_data is not None:
            usable = {**self.built_in, **{exercise.id: exercise for exercise in exercises}}
            plan = content.parse_plan(plan_data, manifest, usable, self.today, problems)
        if self.problems or manifest is None or plan is None:
            raise PackError(self.problems)
        return PackContents(
            manifest=manifest,
            plan=plan,
            exercises=tuple(exercises),
            pictures=tuple(pictures.values()),
            signer=signer,
            member_hashes=hashes,
            staging=self.staging,
        )

    def _signature(
        self, member: _Member, manifest: PackManifest | None, hashes: dict[str, str]
    ) -> Signer | None:
        data = content.parse_toml(member.name, member.data, self.problems)
        if data is None:
            return None
        try:
            signature = PackSignature.model_validate(data)
        except ValidationError as error:
            self.problems.extend(problems_from(member.name, error, PackSignature))
            return None
        try:
            signer = verify(signature.public_key, signature.signed, signature.signature)
        except ValueError as error:
            self.problems.append(Problem(member.name, "signature", str(error)))
            return None
        try:
            signed = json.loads(signature.signed)
            listed = signed["members"]
            if not isinstance(listed, dict):  # a JSON object: its keys are all strings
                raise TypeError("members is not an object")
        except (ValueError, KeyError, TypeError, RecursionError):
            self.problems.append(Problem(member.name, "signed", "is not a canonical manifest"))
            return None
        for name, sha in sorted(hashes.items()):
            if name not in listed:
                self.problems.append(Problem(name, "", "was added after the pack was signed"))
            elif listed[name] != sha:
                self.problems.append(Problem(name, "", "was changed after the pack was signed"))
        for name in sorted(set(listed) - set(hashes)):
            self.problems.append(Problem(name, "", "is signed but missing from the pack"))
        if manifest is not None:
            expected = {
                "pack_id": manifest.pack_id,
                "version": manifest.version,
                "created": manifest.created.isoformat(),
            }
            for key, value in expected.items():
                if signed.get(key) != value:
                    self.problems.append(
                        Problem(layout.MANIFEST, key, "differs from what was signed")
                    )
        return signer if not self.problems else None

    def _pictures(self, media: list[_Member]) -> dict[str, PackPicture]:
        """Decode, check and re-encode every picture; keyed by its file name in `media/`.

        Decoding and encoding are most of an import's time; Pillow releases the GIL while it
        does them, so the pictures are done in parallel, one per processor.
        """
        from concurrent.futures import ThreadPoolExecutor

        from rehab_app.formats.pack import pictures

        def reencode(member: _Member) -> pictures.EncodedPicture | ValueError:
            assert member.staged is not None
            try:
                return pictures.reencode(member.staged, member.name)
            except ValueError as error:
                return error
            finally:
                member.staged.unlink(missing_ok=True)

        if len(media) > 1:
            with ThreadPoolExecutor(max_workers=min(len(media), os.cpu_count() or 1)) as pool:
                results = list(pool.map(reencode, media))
        else:
            results = [reencode(member) for member in media]
        found: dict[str, PackPicture] = {}
        for member, encoded in zip(media, results, strict=True):
            if isinstance(encoded, ValueError):
                self.problems.append(Problem(member.name, "", str(encoded)))
                continue
            staged = self.staging / encoded.stored_name
            staged.write_bytes(encoded.data)
            found[layout.media_file_name(member.name)] = PackPicture(
                member.name, encoded.stored_name, staged, encoded.width, encoded.height
            )
        return found


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
