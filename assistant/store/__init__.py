"""Persistence for the assistant: sessions, turns, pending state and the audit log (SQLAlchemy).

SQLite under the data directory by default; PostgreSQL by URL with the same code. Open a store with
``SessionStore(sqlite_url(data_dir))`` (or share one ``Database`` between components); the schema is
migrated on open.
"""

from assistant.store.audit import ACTORS, Actor, AuditEntry, AuditLog
from assistant.store.database import DATABASE_FILE_NAME, Database, open_engine, sqlite_url
from assistant.store.errors import (
    SchemaVersionError,
    SessionNotFoundError,
    StoreConfigError,
    StoreError,
    StoreUnavailableError,
)
from assistant.store.migrations import MIGRATIONS, Migration, applied_migrations, migrate
from assistant.store.sessions import (
    ROLES,
    ErasureResult,
    PurgeResult,
    Role,
    SessionInfo,
    SessionStore,
    StoredTurn,
)
from assistant.store.timestamps import Clock

__all__ = [
    "ACTORS",
    "DATABASE_FILE_NAME",
    "MIGRATIONS",
    "ROLES",
    "Actor",
    "AuditEntry",
    "AuditLog",
    "Clock",
    "Database",
    "ErasureResult",
    "Migration",
    "PurgeResult",
    "Role",
    "SchemaVersionError",
    "SessionInfo",
    "SessionNotFoundError",
    "SessionStore",
    "StoreConfigError",
    "StoreError",
    "StoreUnavailableError",
    "StoredTurn",
    "applied_migrations",
    "migrate",
    "open_engine",
    "sqlite_url",
]
