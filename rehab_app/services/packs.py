"""Packs, patient side: preview a pack against the current plan, then import it safely.

Import is preview -> confirm -> backup -> one transaction (DATA-SAFETY §2.7). The preview reads
and checks the whole pack into a private staging folder and writes nothing else. Applying it
first backs the database up, then copies the re-encoded pictures into `media/` under their
SHA-256 names, then writes the exercises, the trusted key, the import record and the new plan
version in one transaction. If that fails, the pictures it added are removed again, so the data
folder is as it was.

Trust on first use: the first pack signed by a key pins the key to the author's name. A pack
whose id was imported before under another key, a lower version than one already imported,
an unsigned pack, or a known key with a different name each raise a `TrustWarning` the patient
must accept explicitly.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rehab_app import __version__
from rehab_app.core.changes import Changes
from rehab_app.core.errors import RehabError, StorageError
from rehab_app.core.exercise import Exercise
from rehab_app.core.timestamps import Clock
from rehab_app.formats.pack.reader import PackContents, Progress, read_pack
from rehab_app.services.catalog import Library
from rehab_app.services.plans import PlanService, PlanVersionRead, describe_changes
from rehab_app.services.transactions import writing
from rehab_app.storage.backup import backup_database
from rehab_app.storage.files import atomic_write, ensure_private_folder
from rehab_app.storage.tables import PackExercise, PackImport, PlanVersion, TrustedSigner

MEDIA_FOLDER = "media"


class TrustWarning(StrEnum):
    UNSIGNED = "unsigned"
    KEY_CHANGED = "key_changed"
    OLDER_VERSION = "older_version"
    SAME_VERSION = "same_version"
    NAME_CHANGED = "name_changed"


@dataclass(frozen=True)
class PackImportRead:
    pack_id: str
    version: int
    title: str
    author: str
    fingerprint: str | None
    local_day: date


@dataclass
class PackPreview:
    """What importing would do. Holds the staged pack; `close()` (or importing) removes it."""

    source: Path
    contents: PackContents
    plan_changes: str
    new_exercises: tuple[str, ...]  # names of pack exercises not yet in the library
    updated_exercises: tuple[str, ...]  # pack exercises that replace an earlier version
    signer_name: str | None  # the name pinned to this key, if the key is known
    warnings: dict[TrustWarning, str] = field(default_factory=dict)  # kind -> plain words
    _staging: Path | None = None

    @property
    def fingerprint(self) -> str | None:
        signer = self.contents.signer
        return signer.fingerprint if signer else None

    def close(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None


@dataclass(frozen=True)
class ImportResult:
    plan_version: PlanVersionRead
    backup: Path
    changes: Changes


class PackNotAcceptedError(RehabError):
    """The patient has not accepted every warning; nothing was written."""


class PackService:
    def __init__(
        self,
        engine: Engine,
        data_dir: Path,
        library: Library,
        plans: PlanService,
        clock: Clock,
    ) -> None:
        self._engine = engine
        self._data_dir = data_dir
        self._library = library
        self._plans = plans
        self._clock = clock

    # -- reading ---------------------------------------------------------------------------

    def load_custom_exercises(self) -> None:
        """Put the exercises earlier packs brought into the shared library (at start-up)."""
        with Session(self._engine) as session:
            rows = session.exec(select(PackExercise)).all()
        exercises: list[Exercise] = []
        for row in rows:
            try:
                exercises.append(Exercise.model_validate_json(row.exercise_json))
            except ValidationError:
                continue  # only if the database was edited by hand; the rest still load
        self._library.add_custom(exercises, self._pictures_of(exercises))

    def imports(self) -> list[PackImportRead]:
        """Every pack imported so far, newest first."""
        with Session(self._engine) as session:
            rows = session.exec(select(PackImport).order_by(col(PackImport.id).desc())).all()
            return [
                PackImportRead(
                    row.pack_id, row.version, row.title, row.author, row.fingerprint, row.local_day
                )
                for row in rows
            ]

    def preview(self, path: Path, progress: Progress | None = None) -> PackPreview:
        """Read and check the pack at `path`; PackError lists its problems. Writes nothing."""
        staging = Path(tempfile.mkdtemp(prefix="rehab-pack-"))  # 0700, removed by close()
        try:
            contents = read_pack(
                path,
                staging,
                self._library.built_in(),
                self._clock.now().local_day,
                __version__,
                progress,
            )
            preview = self._compare(path, contents)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        preview._staging = staging
        return preview

    def _compare(self, path: Path, contents: PackContents) -> PackPreview:
        current = self._plans.current()
        manifest = contents.manifest
        warnings: dict[TrustWarning, str] = {}
        with Session(self._engine) as session:
            earlier = session.exec(
                select(PackImport)
                .where(PackImport.pack_id == manifest.pack_id)
                .order_by(col(PackImport.id).desc())
            ).first()
            signer = contents.signer
            pinned = session.get(TrustedSigner, signer.fingerprint) if signer else None
        if signer is None:
            warnings[TrustWarning.UNSIGNED] = (
                "This pack is not signed, so the app cannot tell who made it or whether it was"
                " changed on the way. Only import it if you know where it came from."
            )
        if (
            earlier is not None
            and signer is not None
            and earlier.fingerprint
            not in (
                None,
                signer.fingerprint,
            )
        ):
            warnings[TrustWarning.KEY_CHANGED] = (
                f"'{manifest.title}' was signed by a different key last time"
                f" ({earlier.fingerprint}); this one is {signer.fingerprint}. If your therapist"
                " did not tell you they changed computers, do not import it and ask them."
            )
        if earlier is not None and manifest.version < earlier.version:
            warnings[TrustWarning.OLDER_VERSION] = (
                f"This is version {manifest.version} of '{manifest.title}', older than version"
                f" {earlier.version} that you imported already."
            )
        elif earlier is not None and manifest.version == earlier.version:
            warnings[TrustWarning.SAME_VERSION] = (
                f"You imported version {manifest.version} of '{manifest.title}' already."
                " Importing it again starts its plan again from today."
            )
        if pinned is not None and pinned.name != manifest.author:
            warnings[TrustWarning.NAME_CHANGED] = (
                f"This key belongs to '{pinned.name}', but the pack says it is from"
                f" '{manifest.author}'."
            )
        known = {e.id for e in self._library.exercises}
        return PackPreview(
            source=path,
            contents=contents,
            plan_changes=describe_changes(current.plan if current else None, contents.plan),
            new_exercises=tuple(e.name for e in contents.exercises if e.id not in known),
            updated_exercises=tuple(e.name for e in contents.exercises if e.id in known),
            signer_name=pinned.name if pinned else None,
            warnings=warnings,
        )

    # -- importing -------------------------------------------------------------------------

    def apply(
        self,
        preview: PackPreview,
        accepted: Collection[TrustWarning] = (),
        progress: Callable[[str], None] | None = None,
    ) -> ImportResult:
        """Back up, then import everything in one transaction. Closes the preview."""
        try:
            refused = [text for kind, text in preview.warnings.items() if kind not in accepted]
            if refused:
                raise PackNotAcceptedError(" ".join(refused))
            if preview._staging is None:
                raise PackNotAcceptedError("This preview was closed; open the pack again.")
            return self._apply(preview, progress or (lambda _step: None))
        finally:
            preview.close()

    def _apply(self, preview: PackPreview, progress: Callable[[str], None]) -> ImportResult:
        contents = preview.contents
        manifest = contents.manifest
        db_path = Path(str(self._engine.url.database))
        progress("Backing up your data")
        backup = backup_database(db_path, self._data_dir, f"before-pack-{manifest.pack_id}")
        progress("Copying pictures")
        added_files = self._store_pictures(contents)
        now = self._clock.now()
        try:
            progress("Saving the plan")
            with writing(self._engine) as session:
                for exercise in contents.exercises:
                    session.merge(
                        PackExercise(
                            exercise_id=exercise.id,
                            pack_id=manifest.pack_id,
                            pack_version=manifest.version,
                            exercise_json=exercise.model_dump_json(),
                        )
                    )
                signer = contents.signer
                if signer is not None and session.get(TrustedSigner, signer.fingerprint) is None:
                    session.add(
                        TrustedSigner(
                            fingerprint=signer.fingerprint,
                            public_key=signer.public_key_text,
                            name=manifest.author,
                            at_utc=now.at_utc,
                            tz_name=now.tz_name,
                            local_day=now.local_day,
                        )
                    )
                version = PlanVersion(
                    at_utc=now.at_utc,
                    tz_name=now.tz_name,
                    local_day=now.local_day,
                    author="pack",
                    source=f"{manifest.title} (version {manifest.version}) by {manifest.author}"[
                        :200
                    ],
                    summary=preview.plan_changes[:2000],
                    plan_json=contents.plan.model_dump_json(),
                )
                session.add(version)
                session.flush()
                assert version.id is not None
                session.add(
                    PackImport(
                        pack_id=manifest.pack_id,
                        version=manifest.version,
                        title=manifest.title,
                        author=manifest.author,
                        fingerprint=signer.fingerprint if signer else None,
                        plan_version_id=version.id,
                        at_utc=now.at_utc,
                        tz_name=now.tz_name,
                        local_day=now.local_day,
                    )
                )
                session.commit()
                version_id = version.id
        except BaseException:
            for path in added_files:
                path.unlink(missing_ok=True)
            raise
        self._library.add_custom(contents.exercises, self._pictures_of(contents.exercises))
        stored = self._plans.version(version_id)
        assert stored is not None
        return ImportResult(stored, backup, Changes(plan=True, library=True))

    def _store_pictures(self, contents: PackContents) -> list[Path]:
        """Copy the re-encoded pictures into `media/`; returns the files that are new."""
        try:
            folder = ensure_private_folder(self._data_dir / MEDIA_FOLDER)
            added: list[Path] = []
            try:
                for picture in contents.pictures:
                    target = folder / picture.stored_name  # our own name: a hash, never the pack's
                    if not target.exists():
                        atomic_write(target, picture.staged.read_bytes())
                        added.append(target)
            except BaseException:
                for path in added:
                    path.unlink(missing_ok=True)
                raise
            return added
        except OSError as error:
            raise StorageError(
                f"The pack's pictures could not be saved in {self._data_dir / MEDIA_FOLDER}:"
                f" {error.strerror or error}. Nothing was imported."
            ) from error

    def _pictures_of(self, exercises: list[Exercise] | tuple[Exercise, ...]) -> dict[str, Path]:
        folder = self._data_dir / MEDIA_FOLDER
        found = {}
        for exercise in exercises:
            path = folder / exercise.illustration
            if path.is_file():
                found[exercise.id] = path
        return found
