"""The exercise library: the built-in definitions and the exercises that packs brought in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rehab_app.core.errors import Problem
from rehab_app.core.exercise import Exercise
from rehab_app.formats import bundled
from rehab_app.formats.exercise_toml import load_exercises


@dataclass(eq=False)
class Library:
    """Read model of the loaded library, for the Library screen and the plan editor.

    One instance is shared by every service and screen of an open data folder, so when a pack
    brings exercises in, `add_custom` updates it in place and everyone sees them at once.
    """

    exercises: tuple[Exercise, ...]
    problems: tuple[Problem, ...]
    skipped_files: tuple[Path, ...]
    illustrations: dict[str, Path]
    custom_ids: frozenset[str] = field(default_factory=frozenset)

    def by_id(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def illustration_for(self, exercise: Exercise) -> Path | None:
        return self.illustrations.get(exercise.id)

    def built_in(self) -> dict[str, Exercise]:
        """The exercises that ship with the app, by id (pack exercises may not reuse these)."""
        return {e.id: e for e in self.exercises if e.id not in self.custom_ids}

    def copy(self) -> Library:
        """An independent library to extend with one data folder's pack exercises."""
        return replace(self, illustrations=dict(self.illustrations))

    def add_custom(self, exercises: Iterable[Exercise], pictures: dict[str, Path]) -> None:
        """Add or replace pack exercises (by id); `pictures` maps their ids to picture files."""
        added = {exercise.id: exercise for exercise in exercises}
        kept = [e for e in self.exercises if e.id not in added]
        self.exercises = tuple(sorted([*kept, *added.values()], key=lambda e: e.name.casefold()))
        self.custom_ids = self.custom_ids | frozenset(added)
        self.illustrations.update(pictures)


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
