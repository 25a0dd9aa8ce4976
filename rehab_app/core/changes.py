"""What a service call changed, so each screen refreshes only what it shows (as in Anki)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    library: bool = False
    plan: bool = False
    sessions: bool = False
    diary: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            library=self.library or other.library,
            plan=self.plan or other.plan,
            sessions=self.sessions or other.sessions,
            diary=self.diary or other.diary,
            settings=self.settings or other.settings,
        )
