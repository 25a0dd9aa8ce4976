"""Exports for the clinic and for the person's own use: CSVs, a FHIR bundle, the visit bundle,
and importing a diary CSV back in.

Rows are read through the services' streaming readers (a few queries per thousand rows, never
one per row) and written as they come, so ten years of history never sit in memory as one
list. Every file is written atomically and private (0600): a half-written export never
replaces a good one. The formats themselves are documented in rehab_app.formats.csv_io,
rehab_app.formats.fhir and rehab_app.formats.visit_bundle.

The anonymous patient identifier the FHIR bundle uses (see formats.fhir) is made once per data
folder and kept in the settings, so every export from this folder names the same patient.

The visit report PDF comes from rehab_app.reports, which services may not import: the caller
passes a function that writes it (`pdf_writer`), or None for a bundle without a report.
"""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from rehab_app import __version__
from rehab_app.core.changes import Changes
from rehab_app.core.timestamps import Clock
from rehab_app.formats import csv_io, fhir, visit_bundle
from rehab_app.formats.visit_bundle import BundleManifest
from rehab_app.services.diary import DiaryService
from rehab_app.services.plans import PlanService
from rehab_app.services.questionnaires import QuestionnaireService
from rehab_app.services.sessions import SessionService
from rehab_app.services.settings import SettingsService
from rehab_app.storage.files import atomic_file
from rehab_app.storage.tables import DiaryEntryRow, QuestionnaireResponse, SessionLog

SUBJECT_SETTING = "exports.subject_id"
#: The file names `write_csvs` uses (the same as inside a visit bundle).
DIARY_CSV = visit_bundle.DIARY
SESSIONS_CSV = visit_bundle.SESSIONS
QUESTIONNAIRES_CSV = visit_bundle.QUESTIONNAIRES


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # identical to an entry already stored (or earlier in the same file)


class ExportService:
    def __init__(
        self,
        engine: Engine,
        diary: DiaryService,
        sessions: SessionService,
        questionnaires: QuestionnaireService,
        plans: PlanService,
        settings: SettingsService,
        clock: Clock,
        back_up: Callable[[str], object] | None = None,
    ) -> None:
        #: Called before an import changes anything (DATA-SAFETY: backups before imports).
        self._back_up = back_up
        self._engine = engine
        self._diary = diary
        self._sessions = sessions
        self._questionnaires = questionnaires
        self._plans = plans
        self._settings = settings
        self._clock = clock

    # Reading -------------------------------------------------------------------------------

    def period(self) -> tuple[date | None, date | None]:
        """The first and last local day anything was recorded (None, None when nothing was)."""
        days: list[date] = []
        with Session(self._engine) as session:
            for table in (DiaryEntryRow, SessionLog, QuestionnaireResponse):
                first, last = session.exec(
                    select(func.min(table.local_day), func.max(table.local_day))
                ).one()
                days += [day for day in (first, last) if day is not None]
        return (min(days), max(days)) if days else (None, None)

    def subject(self) -> uuid.UUID:
        """The anonymous patient identifier of this data folder (made on first use)."""
        stored = self._settings.get(SUBJECT_SETTING)
        try:
            return uuid.UUID(str(stored))
        except ValueError:
            made = uuid.uuid4()
            self._settings.set(SUBJECT_SETTING, str(made))
            return made

    # Writing -------------------------------------------------------------------------------

    def write_csvs(self, folder: Path) -> list[Path]:
        """Write diary.csv, sessions.csv and questionnaires.csv into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / DIARY_CSV, folder / SESSIONS_CSV, folder / QUESTIONNAIRES_CSV]
        with _text_file(paths[0], csv_io.ENCODING, newline="") as stream:
            csv_io.write_diary(stream, self._diary.stream())
        with _text_file(paths[1], csv_io.ENCODING, newline="") as stream:
            csv_io.write_sessions(stream, self._sessions.stream(), self._exercise_name)
        with _text_file(paths[2], csv_io.ENCODING, newline="") as stream:
            csv_io.write_questionnaires(stream, self._questionnaires.stream())
        return paths

    def write_fhir(self, path: Path) -> int:
        """Write the FHIR R4 Bundle as JSON; returns the number of entries."""
        ids = fhir.Ids(self.subject())
        now = self._clock.now()
        with _text_file(path, "utf-8") as stream:
            return fhir.write_bundle(stream, ids, now.local, self._fhir_entries(ids, now.local_day))

    def write_visit_bundle(
        self, path: Path, pdf_writer: Callable[[Path], None] | None = None
    ) -> BundleManifest:
        """One zip with report.pdf (when `pdf_writer` is given), the CSVs and fhir.json."""
        with tempfile.TemporaryDirectory(prefix="rehab-bundle-") as name:  # private (0700)
            staging = Path(name)
            files = {path.name: path for path in self.write_csvs(staging)}  # member names
            files[visit_bundle.FHIR] = staging / visit_bundle.FHIR
            self.write_fhir(files[visit_bundle.FHIR])
            if pdf_writer is not None:
                files[visit_bundle.REPORT] = staging / visit_bundle.REPORT
                pdf_writer(files[visit_bundle.REPORT])
            first, last = self.period()
            with atomic_file(path) as stream:
                return visit_bundle.write_bundle(
                    stream, files, self._clock.now().local, first, last, __version__
                )

    # Importing -----------------------------------------------------------------------------

    def import_diary_csv(self, path: Path) -> tuple[ImportResult, Changes]:
        """Import a diary CSV in one transaction, or nothing: raises CsvError listing every
        bad row. Entries already in the diary (same moment, same values) are skipped."""
        with _csv_for_reading(path) as stream:
            records = csv_io.read_diary(stream, path.name, self._clock.now().tz_name)
        if self._back_up is not None:
            self._back_up("before-import-csv")
        added, skipped, changes = self._diary.import_records(records)
        return ImportResult(added, skipped), changes

    def import_questionnaires_csv(self, path: Path) -> tuple[ImportResult, Changes]:
        """Import a questionnaires CSV in one transaction, or nothing (CsvError)."""
        with _csv_for_reading(path) as stream:
            records = csv_io.read_questionnaires(stream, path.name)
        if self._back_up is not None:
            self._back_up("before-import-csv")
        added, skipped, changes = self._questionnaires.import_records(records)
        return ImportResult(added, skipped), changes

    # Internals -----------------------------------------------------------------------------

    def _exercise_name(self, exercise_id: str) -> str:
        exercise = self._plans.library.by_id(exercise_id)
        return exercise.name if exercise else exercise_id

    def _fhir_entries(self, ids: fhir.Ids, today: date) -> Iterator[fhir.Entry]:
        current = self._plans.current()
        if current is not None:
            yield fhir.care_plan_entry(
                ids,
                current.id,
                current.plan,
                current.at_utc,
                current.tz_name,
                self._exercise_name,
                today,
            )
        yield from fhir.pain_entries(ids, self._diary.stream())
        yield from fhir.exercise_entries(ids, self._sessions.stream(), self._exercise_name)
        yield from fhir.questionnaire_entries()
        yield from fhir.response_entries(ids, self._questionnaires.stream())


@contextmanager
def _text_file(path: Path, encoding: str, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream onto an atomic, private file (storage.files.atomic_file)."""
    with atomic_file(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the binary stream is atomic_file's to close (or throw away)


@contextmanager
def _csv_for_reading(path: Path) -> Iterator[TextIO]:
    size = path.stat().st_size
    if size > csv_io.MAX_IMPORT_BYTES:
        raise csv_io.CsvError.one(
            path.name, f"is {size} bytes; the limit is {csv_io.MAX_IMPORT_BYTES // 2**20} MB"
        )
    with path.open(encoding=csv_io.ENCODING, newline="") as stream:
        yield stream
