"""Alembic migrations, shipped inside the package.

`HEAD_REVISION` lets start-up see that no migration is due without importing Alembic (about
0.45 s); tests/unit/test_migrations.py proves it equals the script directory's head.
"""

from __future__ import annotations

HEAD_REVISION = "0005"
