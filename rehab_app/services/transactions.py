"""One way to write: a session whose database errors become plain-word StorageErrors.

Disk full, a read-only folder or a locked file are not crashes (DATA-SAFETY §1.7): the screen
that asked shows the message, keeps what was typed, and nothing already committed is lost
(SQLite rolls the failed transaction back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from rehab_app.core.errors import StorageError


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    try:
        with Session(engine) as session:
            yield session
    except DBAPIError as error:
        raise StorageError(explain(error)) from error


def explain(error: BaseException) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "full" in text:
        return (
            "This was not saved because the disk is full. Free some space (for example empty"
            " the bin) and save again; what you entered is still here."
        )
    if "readonly" in text or "read-only" in text:
        return (
            "This was not saved because the data folder cannot be written to (it is"
            " read-only). Check the folder's permissions or the disk, then save again."
        )
    if "locked" in text or "busy" in text:
        return "This was not saved because the data is busy. Please try again in a moment."
    return f"This was not saved because of a problem with the data file ({text}). Try again."
