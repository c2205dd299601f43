"""Persistence: SQLAlchemy models, the engine, queries and the migration runner. No Qt here."""
