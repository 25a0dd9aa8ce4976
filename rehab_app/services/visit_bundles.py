"""Opening a patient's visit bundle read-only, for the therapist: the same services the app
uses, on a throw-away data folder.

The bundle is checked and unpacked by rehab_app.formats.visit_bundle (it comes from someone
else); its diary.csv and questionnaires.csv go through the same importers as the patient's own
(every row checked, all or nothing) into a fresh database in a private temporary folder. The
charts then read it exactly as they read the patient's data at home. Nothing of the
therapist's own data folder is touched, and `close()` removes the temporary folder.

The services run on a clock stopped at the bundle's last day, so "the last 7 days" and the
chart's range mean the week before the export, not the week before the therapist opens it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import Engine

from rehab_app.core.errors import RehabError
from rehab_app.core.timestamps import FixedClock
from rehab_app.formats import visit_bundle
from rehab_app.formats.visit_bundle import BundleManifest
from rehab_app.services.bundle import AppServices, build_services
from rehab_app.services.catalog import Library
from rehab_app.services.maintenance import open_data_folder
from rehab_app.storage.files import ensure_private_folder


@dataclass(frozen=True)
class FhirSummary:
    """What fhir.json holds, counted by resource type, and the plan's title if there is one."""

    resources: dict[str, int]
    plan_title: str = ""


@dataclass
class OpenedVisitBundle:
    path: Path
    manifest: BundleManifest
    services: AppServices
    report: Path | None  # report.pdf, unpacked; gone after close()
    fhir: FhirSummary | None  # None when the bundle has no fhir.json or it cannot be read
    diary_entries: int
    questionnaires: int
    folder: Path  # the temporary folder holding all of the above
    _engine: Engine = field(repr=False)

    def close(self) -> None:
        """Let go of the database and remove the temporary folder with everything in it."""
        self._engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def open_visit_bundle(path: Path, library: Library) -> OpenedVisitBundle:
    """Check, unpack and import the bundle at `path`; raises RehabError (with `problems`
    when the bundle or one of its CSVs is bad). Slow (a new database): run it in a worker."""
    folder = Path(tempfile.mkdtemp(prefix="rehab-visit-"))  # 0700, as mkdtemp makes it
    engine: Engine | None = None
    try:
        staging = ensure_private_folder(folder / "bundle")
        bundle = visit_bundle.read_bundle(path, staging)
        manifest = bundle.manifest
        last = manifest.last_day or manifest.created.date()
        clock = FixedClock(datetime.combine(last, time(12), tzinfo=UTC), "UTC")
        opened = open_data_folder(folder / "data", clock)
        if opened.engine is None:
            raise RehabError(opened.status.message)
        engine = opened.engine
        services = build_services(engine, library, clock)
        diary = questionnaires = 0
        if visit_bundle.DIARY in bundle.files:
            imported, _ = services.exports.import_diary_csv(bundle.files[visit_bundle.DIARY])
            diary = imported.added
        if visit_bundle.QUESTIONNAIRES in bundle.files:
            imported, _ = services.exports.import_questionnaires_csv(
                bundle.files[visit_bundle.QUESTIONNAIRES]
            )
            questionnaires = imported.added
        fhir_file = bundle.files.get(visit_bundle.FHIR)
        return OpenedVisitBundle(
            path=path,
            manifest=manifest,
            services=services,
            report=bundle.files.get(visit_bundle.REPORT),
            fhir=summarise_fhir(fhir_file) if fhir_file else None,
            diary_entries=diary,
            questionnaires=questionnaires,
            folder=folder,
            _engine=engine,
        )
    except BaseException:
        if engine is not None:
            engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def summarise_fhir(path: Path) -> FhirSummary | None:
    """Count the resources in a FHIR bundle; None when it is not one (it is only a summary:
    the CSVs are what the charts are built from)."""
    try:
        resources = [entry["resource"] for entry in json.loads(path.read_bytes())["entry"]]
        counts = Counter(str(resource["resourceType"]) for resource in resources)
        title = next(
            (str(r.get("title", "")) for r in resources if r["resourceType"] == "CarePlan"), ""
        )
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError):
        return None
    return FhirSummary(dict(sorted(counts.items())), title[:200])
