"""Persistence: SQLModel tables, the engine and sessions, migrations."""
