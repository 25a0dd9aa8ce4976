"""User preferences stored in the database (one transaction per change), as JSON values."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from rehab_app.core.changes import Changes
from rehab_app.services.transactions import writing
from rehab_app.storage.tables import Setting


class SettingsService:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, key: str, default: Any = None) -> Any:
        with Session(self._engine) as session:
            row = session.get(Setting, key)
            if row is None:
                return default
            try:
                return json.loads(row.value_json)
            except json.JSONDecodeError:
                return default

    def set(self, key: str, value: Any) -> Changes:
        text = json.dumps(value, sort_keys=True)
        with writing(self._engine) as session:
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value_json=text))
            else:
                row.value_json = text
                session.add(row)
            session.commit()
        return Changes(settings=True)
