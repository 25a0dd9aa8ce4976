"""`python -m rehab_app` starts the same app as `rehab-app` and `python main.py`."""

from __future__ import annotations

from rehab_app.app import main

raise SystemExit(main())
