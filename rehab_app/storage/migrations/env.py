"""Alembic environment: always run on a connection handed over by rehab_app.storage.migrate.

The caller owns the transaction, so all revisions of one upgrade commit together or not at
all; batch mode lets SQLite alter tables by copy-and-move.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import rehab_app.storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
context.run_migrations()
