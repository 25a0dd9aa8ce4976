"""The exercise library: built-in definitions (and later, those from imported packs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import Exercise
from rehab_app.formats import bundled
from rehab_app.formats.exercise_toml import load_exercises


@dataclass(frozen=True)
class Library:
    """Read model of the loaded library, for the Library screen and the plan editor."""

    exercises: tuple[Exercise, ...]
    problems: tuple[Problem, ...]
    skipped_files: tuple[Path, ...]
    illustrations: dict[str, Path]

    def by_id(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def illustration_for(self, exercise: Exercise) -> Path | None:
        return self.illustrations.get(exercise.id)


class CatalogService:
    def __init__(
        self,
        exercise_folders: Sequence[Path] | None = None,
        illustration_folders: Sequence[Path] | None = None,
    ) -> None:
        self._exercise_folders = list(exercise_folders or [bundled.exercises_dir()])
        self._illustration_folders = list(illustration_folders or [bundled.illustrations_dir()])

    def load(self) -> Library:
        loaded = load_exercises(self._exercise_folders, self._illustration_folders)
        return Library(
            exercises=loaded.exercises,
            problems=loaded.problems,
            skipped_files=loaded.skipped,
            illustrations=dict(loaded.illustrations),
        )
