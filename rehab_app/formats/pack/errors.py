"""The one error a pack reader or builder lets escape: every problem, named by member and field."""

from __future__ import annotations

from collections.abc import Sequence

from rehab_app.core.errors import Problem, RehabError


class PackError(RehabError):
    """The pack cannot be used; `problems` says why, each with its member and field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def one(cls, member: str, message: str, field: str = "") -> PackError:
        return cls([Problem(member, field, message)])
