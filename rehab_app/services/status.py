"""Read models about the data folder, light enough to import before the first paint."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class DataState(StrEnum):
    OPENING = "opening"
    READY = "ready"
    DAMAGED = "damaged"  # failed quick_check: read nothing from it, write nothing to it
    NEWER = "newer"  # written by a newer rehab_app
    UNAVAILABLE = "unavailable"  # cannot be opened or prepared (permissions, disk, odd file)


@dataclass(frozen=True)
class DataStatus:
    """What the person needs to know about their data after start-up, in plain words."""

    state: DataState
    data_dir: Path
    database: Path
    message: str = ""
    details: tuple[str, ...] = ()
    newest_backup: Path | None = None
    upgraded_from: str | None = None
    upgrade_backup: Path | None = None
    #: The data opened, but where it is may damage it (a network drive, a sync folder).
    warning: str = ""
