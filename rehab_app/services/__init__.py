"""Use cases. Each call is one transaction and returns plain read models (never live ORM rows).

No Qt here: the UI calls these, and so do the headless commands and the tests.
"""
