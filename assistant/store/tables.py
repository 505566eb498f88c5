"""ORM mapping of the latest schema. The migrations in ``migrations.py`` build exactly this.

Column types are portable (no SQLite-only or PostgreSQL-only types); a test compares the migrated
database with this mapping so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from assistant.store.timestamps import UTCDateTime

# Limits shared by the ORM, the migrations and the store's own input checks: checking in Python gives
# the same clear error on SQLite (which ignores VARCHAR lengths) as on PostgreSQL (which enforces them).
ID_LENGTH = 36
PATIENT_ID_LENGTH = 128
BACKEND_LENGTH = 64
ACTION_LENGTH = 64
ACTOR_LENGTH = 32
OUTCOME_LENGTH = 32

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
AUDIT_ID_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_patient_updated", "patient_id", "updated_at"),
        Index("ix_conversations_updated", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(PATIENT_ID_LENGTH))
    language: Mapped[str] = mapped_column(String(8))
    backend: Mapped[str] = mapped_column(String(BACKEND_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Pending work between turns (e.g. a proposed booking awaiting the patient's explicit yes).
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        CheckConstraint("role IN ('user', 'assistant')", name="ck_turns_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # The full Turn JSON for assistant turns, so an evaluator or auditor sees exactly what was shown.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_patient_at", "patient_id", "at"),
        Index("ix_audit_at", "at"),
    )

    id: Mapped[int] = mapped_column(AUDIT_ID_TYPE, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # No foreign keys: the audit trail must outlive the sessions it describes (erasure, retention).
    patient_id: Mapped[str | None] = mapped_column(String(PATIENT_ID_LENGTH), nullable=True)
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    resources: Mapped[list[str]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(OUTCOME_LENGTH))
    session_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
