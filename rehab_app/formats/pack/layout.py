"""Which member names a pack may hold. Anything else is refused, never "cleaned" (DATA-SAFETY §2.1).

A member name is only ever compared with this fixed layout; it is never joined to a folder to
make a path, so `../../.bashrc` or `C:\\Windows` cannot land anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

MANIFEST = "manifest.toml"
PLAN = "plan.toml"
SIGNATURE = "signature"

_EXERCISE = re.compile(r"exercises/([a-z][a-z0-9_]{1,63})\.toml")
_MEDIA = re.compile(r"media/([a-z0-9_\-]{1,100})\.(png|jpg|jpeg)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_ARCHIVE_SUFFIXES = (".zip", ".rehabpack", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")


class MemberKind(StrEnum):
    MANIFEST = "manifest"
    PLAN = "plan"
    SIGNATURE = "signature"
    EXERCISE = "exercise"
    MEDIA = "media"


def classify(name: str) -> MemberKind:
    """The kind of member `name` is, or ValueError with the reason it is not allowed."""
    if "\\" in name:
        raise ValueError("backslashes are not allowed in member names")
    if name.startswith("/") or _DRIVE.match(name):
        raise ValueError("absolute paths are not allowed in a pack")
    if ".." in name.split("/"):
        raise ValueError("'..' is not allowed in member names")
    if "\x00" in name or any(unicodedata.category(char) == "Cc" for char in name):
        raise ValueError("control characters are not allowed in member names")
    if name.endswith("/"):
        raise ValueError("folders are not members of a pack")
    if name == MANIFEST:
        return MemberKind.MANIFEST
    if name == PLAN:
        return MemberKind.PLAN
    if name == SIGNATURE:
        return MemberKind.SIGNATURE
    if _EXERCISE.fullmatch(name):
        return MemberKind.EXERCISE
    if _MEDIA.fullmatch(name):
        return MemberKind.MEDIA
    lowered = name.casefold()
    if lowered.endswith(".svg"):
        raise ValueError("SVG pictures are not accepted; use PNG or JPEG")
    if lowered.endswith(_ARCHIVE_SUFFIXES):
        raise ValueError("archives inside a pack are not accepted")
    raise ValueError(
        "not part of the pack layout (manifest.toml, plan.toml, exercises/<id>.toml,"
        " media/<name>.png|.jpg, signature)"
    )


def exercise_id_of(name: str) -> str:
    match = _EXERCISE.fullmatch(name)
    if match is None:
        raise ValueError(name)
    return match.group(1)


def media_file_name(name: str) -> str:
    """`media/x.png` -> `x.png`, the name an exercise's `illustration` uses."""
    return name.removeprefix("media/")


def folded(name: str) -> str:
    """The form two names are compared in to catch look-alike duplicates."""
    return unicodedata.normalize("NFKC", name).casefold()
