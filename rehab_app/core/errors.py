"""Error types that cross layers, and the one shape of a reported problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located well enough for a person to fix it."""

    source: str  # a file name, a pack member, or "settings"
    field: str  # dotted path to the value, or "" for the whole source
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class RehabError(Exception):
    """Base for errors whose message is written for the person using the app."""


class StorageError(RehabError):
    """The database cannot be used as it is; nothing was written to it."""


class ProblemsError(RehabError):
    """A file cannot be used as it is; `problems` lists every reason, each with its place."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def one(cls, source: str, message: str, field: str = "") -> Self:
        return cls([Problem(source, field, message)])
