"""Pure domain: exercise and dosage models, time stamps, changes. No I/O, no Qt, no database.

Unlike the sketch in ARCHITECTURE.md, the shared field sets here are plain pydantic models, not
SQLModel non-table classes: that keeps sqlmodel (0.4-0.65 s to import) out of everything the
window needs before its first paint, and keeps the core free of persistence concerns.
"""
