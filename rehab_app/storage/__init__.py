"""The database: SQLModel tables, the one engine, Alembic migrations, backups, health checks.

Nothing here imports Qt. The UI never imports this package; it talks to services.
"""
