"""Schema migrations as an ordered list of named steps, recorded in ``schema_migrations``.

Why not create_all: a deployed database must move from whatever step it is at to the latest without
losing conversations or audit history, on SQLite and PostgreSQL alike. Each step is frozen once
released (it describes the schema as it was then, with literal types), new changes are new steps,
and the runner applies the missing ones at open, in order, in one transaction under a lock, so two
processes starting together do not both migrate and a failed step leaves the database untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    text,
)

from assistant.store.errors import SchemaVersionError
from assistant.store.timestamps import Clock, UTCDateTime

__all__ = ["MIGRATIONS", "Migration", "applied_migrations", "migrate"]

# Any constant will do; it only has to be the same for every process that migrates this schema.
_POSTGRES_LOCK_KEY = 5_143_201_771


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Connection], None]


def _create_sessions(conn: Connection) -> None:
    metadata = MetaData()
    Table(
        "conversations",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("patient_id", String(128), nullable=False),
        Column("language", String(8), nullable=False),
        Column("backend", String(64), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("state", JSON, nullable=False),
        Index("ix_conversations_patient_updated", "patient_id", "updated_at"),
        Index("ix_conversations_updated", "updated_at"),
    )
    Table(
        "turns",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "session_id",
            String(36),
            ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        Column("seq", Integer, nullable=False),
        Column("role", String(16), nullable=False),
        Column("text", Text, nullable=False),
        Column("payload", JSON, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        CheckConstraint("role IN ('user', 'assistant')", name="ck_turns_role"),
    )
    metadata.create_all(conn, checkfirst=False)


def _create_audit(conn: Connection) -> None:
    metadata = MetaData()
    Table(
        "audit_log",
        metadata,
        Column(
            "id",
            BigInteger().with_variant(Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("patient_id", String(128), nullable=True),
        Column("actor", String(32), nullable=False),
        Column("action", String(64), nullable=False),
        Column("resources", JSON, nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("session_id", String(36), nullable=True),
        Column("detail", JSON, nullable=True),
        Index("ix_audit_patient_at", "patient_id", "at"),
        Index("ix_audit_at", "at"),
    )
    metadata.create_all(conn, checkfirst=False)


def _create_api_tokens(conn: Connection) -> None:
    # Owned by the clinic API (api/auth/tokens.py maps it); here so one migration runner moves the whole
    # database. Only a hash of each secret is stored: a leaked database does not leak usable tokens.
    metadata = MetaData()
    Table(
        "api_tokens",
        metadata,
        Column("id", String(32), primary_key=True),
        Column("patient_id", String(128), nullable=False),
        Column("secret_hash", String(64), nullable=False),
        Column("label", String(128), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("revoked_at", DateTime(timezone=True), nullable=True),
        Index("ix_api_tokens_patient", "patient_id"),
    )
    metadata.create_all(conn, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_create_sessions", _create_sessions),
    Migration("0002_create_audit", _create_audit),
    Migration("0003_create_api_tokens", _create_api_tokens),
)

_metadata = MetaData()
_schema_migrations = Table(
    "schema_migrations",
    _metadata,
    Column("name", String(128), primary_key=True),
    Column("applied_at", UTCDateTime(), nullable=False),
)


def _applied(conn: Connection) -> list[str]:
    rows = conn.execute(select(_schema_migrations.c.name).order_by(_schema_migrations.c.name))
    return [str(name) for name in rows.scalars()]


def applied_migrations(engine: Engine) -> list[str]:
    """Names of the steps already applied to this database (empty for a fresh one)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "schema_migrations"):
            return []
        return _applied(conn)


def migrate(engine: Engine, *, clock: Clock, target: str | None = None) -> list[str]:
    """Apply the missing steps up to ``target`` (default: the latest); returns the names applied now."""
    names = [migration.name for migration in MIGRATIONS]
    if target is not None and target not in names:
        raise ValueError(f"unknown migration {target!r}; known: {', '.join(names)}")
    wanted = MIGRATIONS[: names.index(target) + 1] if target is not None else MIGRATIONS

    # IMMEDIATE takes SQLite's write lock before reading what is applied (see database.py).
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})
        _schema_migrations.create(conn, checkfirst=True)
        applied = _applied(conn)
        unknown = sorted(set(applied) - set(names))
        if unknown:
            raise SchemaVersionError(
                f"the database has schema steps this version does not know ({', '.join(unknown)}); "
                "it was upgraded by a newer version of health-assistant"
            )
        done: list[str] = []
        for migration in wanted:
            if migration.name in applied:
                continue
            migration.apply(conn)
            conn.execute(insert(_schema_migrations).values(name=migration.name, applied_at=clock()))
            done.append(migration.name)
        return done
