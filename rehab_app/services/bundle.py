"""All services of an open data folder, built once by the composition root (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from rehab_app.core.timestamps import Clock
from rehab_app.services.backups import BackupService
from rehab_app.services.catalog import Library
from rehab_app.services.diary import DiaryService
from rehab_app.services.exports import ExportService
from rehab_app.services.packs import PackService
from rehab_app.services.plans import PlanService
from rehab_app.services.progress import ProgressService
from rehab_app.services.questionnaires import QuestionnaireService
from rehab_app.services.report import ReportService
from rehab_app.services.safety import SafetyService
from rehab_app.services.sessions import SessionService
from rehab_app.services.settings import SettingsService


@dataclass(frozen=True)
class AppServices:
    library: Library
    plans: PlanService
    sessions: SessionService
    settings: SettingsService
    diary: DiaryService
    safety: SafetyService
    progress: ProgressService
    questionnaires: QuestionnaireService
    packs: PackService
    exports: ExportService
    report: ReportService
    backups: BackupService
    clock: Clock
    data_dir: Path


def build_services(engine: Engine, library: Library, clock: Clock) -> AppServices:
    """Every service on `engine`. The library is copied, then extended with pack exercises."""
    data_dir = Path(str(engine.url.database)).parent
    library = library.copy()
    plans = PlanService(engine, library, clock)
    packs = PackService(engine, data_dir, library, plans, clock)
    packs.load_custom_exercises()
    diary = DiaryService(engine, clock)
    sessions = SessionService(engine, plans, clock)
    settings = SettingsService(engine)
    safety = SafetyService(engine, diary, clock)
    progress = ProgressService(engine, diary, clock)
    questionnaires = QuestionnaireService(engine, clock)
    report = ReportService(
        engine, plans, sessions, progress, questionnaires, safety, settings, clock
    )
    backups = BackupService(engine, data_dir, clock)
    return AppServices(
        library=library,
        plans=plans,
        sessions=sessions,
        settings=settings,
        diary=diary,
        safety=safety,
        progress=progress,
        questionnaires=questionnaires,
        packs=packs,
        exports=ExportService(
            engine, diary, sessions, questionnaires, plans, settings, clock, backups.back_up
        ),
        report=report,
        backups=backups,
        clock=clock,
        data_dir=data_dir,
    )
