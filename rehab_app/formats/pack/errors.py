"""The one error a pack reader or builder lets escape: every problem, named by member and field."""

from __future__ import annotations

from rehab_app.core.errors import ProblemsError


class PackError(ProblemsError):
    """The pack cannot be used; `problems` says why, each with its member and field.

    `PackError.one(member, message, field="")` makes one with a single problem.
    """
