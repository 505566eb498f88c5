"""Conversations, their turns and pending state, isolated per patient, with retention and erasure.

Isolation lives here, below the assistant and any LLM: every read and write takes the authenticated
patient's id and matches it against the conversation's owner, and a session that belongs to someone
else looks exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast, get_args

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from assistant.schemas import LANGUAGES, Language, Turn
from assistant.store.audit import Actor, AuditLog, check_patient_id, json_object
from assistant.store.database import Database
from assistant.store.errors import SessionNotFoundError
from assistant.store.tables import BACKEND_LENGTH, AuditRow, ConversationRow, TurnRow
from assistant.store.timestamps import Clock

__all__ = ["ROLES", "ErasureResult", "PurgeResult", "Role", "SessionInfo", "SessionStore", "StoredTurn"]

Role = Literal["user", "assistant"]
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True)
class SessionInfo:
    id: str
    patient_id: str
    language: Language
    backend: str
    created_at: datetime
    updated_at: datetime
    turn_count: int


@dataclass(frozen=True)
class StoredTurn:
    session_id: str
    seq: int
    role: Role
    text: str
    created_at: datetime
    payload: dict[str, Any] | None

    def as_turn(self) -> Turn | None:
        """The assistant's Turn as it was shown (None for user turns)."""
        return None if self.payload is None else Turn.model_validate(self.payload)

    @classmethod
    def from_row(cls, row: TurnRow) -> StoredTurn:
        return cls(
            session_id=row.session_id,
            seq=row.seq,
            role=cast(Role, row.role),
            text=row.text,
            created_at=row.created_at,
            payload=row.payload,
        )


@dataclass(frozen=True)
class PurgeResult:
    sessions: int
    turns: int
    audit_entries: int


@dataclass(frozen=True)
class ErasureResult:
    sessions: int
    turns: int


def _check_language(language: str) -> Language:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}: {language!r}")
    return language


def _check_days(days: float, what: str) -> timedelta:
    if days < 0:
        raise ValueError(f"{what} must not be negative: {days}")
    return timedelta(days=days)


def _deleted(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


class SessionStore:
    """Sessions and turns for the assistant, with the audit log next to them.

    Takes a ``Database`` (shared with other components) or a URL; the composition root decides which
    (``sqlite_url(settings.data_dir)`` by default). ``clock`` is injectable so retention can be tested.
    """

    def __init__(self, db: Database | str, *, clock: Clock | None = None) -> None:
        self._owns_db = isinstance(db, str)
        if isinstance(db, str):
            if clock is None:
                raise ValueError("opening a database by URL needs a clock (pass clock=)")
            db = Database(db, clock=clock)
        self.db = db
        self.clock: Clock = clock or self.db.clock
        self.audit = AuditLog(self.db, clock=self.clock)

    # -- sessions -------------------------------------------------------------------------------------

    def create_session(
        self,
        patient_id: str,
        language: str = "en",
        *,
        backend: str = "offline",
        actor: Actor = "patient",
    ) -> str:
        check_patient_id(patient_id)
        lang = _check_language(language)
        if not backend or len(backend) > BACKEND_LENGTH:
            raise ValueError(f"backend must be 1 to {BACKEND_LENGTH} characters")
        session_id = str(uuid.uuid4())
        now = self.clock()
        with self.db.writing() as session:
            session.add(
                ConversationRow(
                    id=session_id,
                    patient_id=patient_id,
                    language=lang,
                    backend=backend,
                    created_at=now,
                    updated_at=now,
                    state={},
                )
            )
            self.audit.add(
                session,
                action="session.create",
                patient_id=patient_id,
                actor=actor,
                resources=(),
                outcome="ok",
                session_id=session_id,
                detail={"language": lang, "backend": backend},
            )
        return session_id

    def get_session(self, session_id: str, patient_id: str) -> SessionInfo | None:
        """The session if it exists and belongs to this patient, else None (never someone else's)."""
        with self.db.reading() as session:
            rows = self._infos(session, patient_id, session_id=session_id)
        return rows[0] if rows else None

    def list_sessions(self, patient_id: str, *, limit: int | None = None) -> list[SessionInfo]:
        """This patient's sessions, most recently active first."""
        if limit is not None and limit < 1:
            raise ValueError("limit must be at least 1")
        with self.db.reading() as session:
            return self._infos(session, patient_id, limit=limit)

    def delete_session(self, session_id: str, patient_id: str, *, actor: Actor = "patient") -> bool:
        """Delete one of this patient's sessions and its turns; False when there is no such session."""
        with self.db.writing() as session:
            owned = self._owned(session, session_id, patient_id)
            if owned is not None:
                session.execute(
                    delete(TurnRow).where(TurnRow.session_id == session_id),
                    execution_options={"synchronize_session": False},
                )
                session.delete(owned)
            self.audit.add(
                session,
                action="session.delete",
                patient_id=patient_id,
                actor=actor,
                resources=(),
                outcome="ok" if owned is not None else "not_found",
                session_id=session_id,
                detail=None,
            )
        return owned is not None

    # -- turns ----------------------------------------------------------------------------------------

    def append_turn(
        self,
        session_id: str,
        patient_id: str,
        role: Role,
        text: str | None = None,
        *,
        turn: Turn | None = None,
    ) -> StoredTurn:
        """Append a user message (``text``) or an assistant reply (``turn``, stored in full).

        The position is assigned under the conversation's row lock, so concurrent appends to one
        session get distinct, gap-free positions on PostgreSQL as well as SQLite.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}: {role!r}")
        if role == "user":
            if text is None or turn is not None:
                raise ValueError("a user turn has text and no Turn object")
            payload = None
        else:
            if turn is None:
                raise ValueError("an assistant turn must carry the Turn that was shown")
            if turn.session_id != session_id:
                raise ValueError("the Turn belongs to a different session")
            if text is not None and text != turn.text:
                raise ValueError("an assistant turn's text must be the Turn's text")
            text = turn.text
            payload = turn.model_dump(mode="json")
        with self.db.writing() as session:
            owned = self._owned(session, session_id, patient_id, lock=True)
            if owned is None:
                raise SessionNotFoundError(f"no session {session_id!r} for this patient")
            last = session.scalar(select(func.max(TurnRow.seq)).where(TurnRow.session_id == session_id))
            now = self.clock()
            row = TurnRow(
                session_id=session_id,
                seq=(last or 0) + 1,
                role=role,
                text=text,
                payload=payload,
                created_at=now,
            )
            session.add(row)
            owned.updated_at = now
            if turn is not None:
                owned.language = turn.language
            session.flush()
            return StoredTurn.from_row(row)

    def history(self, session_id: str, patient_id: str, limit: int | None = None) -> list[StoredTurn]:
        """The conversation in order; with ``limit``, only the most recent ``limit`` turns."""
        if limit is not None and limit < 1:
            raise ValueError("limit must be at least 1")
        with self.db.reading() as session:
            if self._owned(session, session_id, patient_id) is None:
                raise SessionNotFoundError(f"no session {session_id!r} for this patient")
            statement = select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.seq.desc())
            if limit is not None:
                statement = statement.limit(limit)
            rows = list(session.scalars(statement))
        return [StoredTurn.from_row(row) for row in reversed(rows)]

    # -- pending state --------------------------------------------------------------------------------

    def get_state(self, session_id: str, patient_id: str) -> dict[str, Any]:
        with self.db.reading() as session:
            owned = self._owned(session, session_id, patient_id)
            if owned is None:
                raise SessionNotFoundError(f"no session {session_id!r} for this patient")
            return dict(owned.state)

    def set_state(self, session_id: str, patient_id: str, state: Mapping[str, Any]) -> None:
        """Replace the session's pending state (a JSON object)."""
        value = json_object(state, "session state")
        with self.db.writing() as session:
            owned = self._owned(session, session_id, patient_id, lock=True)
            if owned is None:
                raise SessionNotFoundError(f"no session {session_id!r} for this patient")
            owned.state = value

    def pop_state(self, session_id: str, patient_id: str, key: str) -> Any:
        """Remove and return one key of the state (None if absent), atomically.

        This is how a pending booking confirmation is consumed: two concurrent "yes" messages cannot
        both take it, so the second one finds nothing to confirm.
        """
        with self.db.writing() as session:
            owned = self._owned(session, session_id, patient_id, lock=True)
            if owned is None:
                raise SessionNotFoundError(f"no session {session_id!r} for this patient")
            state = dict(owned.state)
            value = state.pop(key, None)
            owned.state = state
            return value

    # -- retention and erasure ------------------------------------------------------------------------

    def purge_older_than(self, days: float, *, audit_days: float | None = None) -> PurgeResult:
        """Delete sessions (and their turns) idle for more than ``days``.

        Audit entries are kept unless ``audit_days`` is given, because access logs usually have a
        longer legal retention than conversations. The purge itself is audited.
        """
        now = self.clock()
        cutoff = now - _check_days(days, "days")
        audit_cutoff = None if audit_days is None else now - _check_days(audit_days, "audit_days")
        old = select(ConversationRow.id).where(ConversationRow.updated_at < cutoff)
        no_sync = {"synchronize_session": False}
        with self.db.writing() as session:
            turns = _deleted(
                session.execute(delete(TurnRow).where(TurnRow.session_id.in_(old)), execution_options=no_sync)
            )
            sessions = _deleted(
                session.execute(
                    delete(ConversationRow).where(ConversationRow.updated_at < cutoff),
                    execution_options=no_sync,
                )
            )
            audit_entries = 0
            if audit_cutoff is not None:
                audit_entries = _deleted(
                    session.execute(
                        delete(AuditRow).where(AuditRow.at < audit_cutoff), execution_options=no_sync
                    )
                )
            self.audit.add(
                session,
                action="retention.purge",
                patient_id=None,
                actor="system",
                resources=(),
                outcome="ok",
                session_id=None,
                detail={
                    "days": days,
                    "audit_days": audit_days,
                    "sessions": sessions,
                    "turns": turns,
                    "audit_entries": audit_entries,
                },
            )
        return PurgeResult(sessions=sessions, turns=turns, audit_entries=audit_entries)

    def delete_patient_data(self, patient_id: str, *, actor: Actor = "patient") -> ErasureResult:
        """Right to erasure: delete every session and turn of this patient, and audit the erasure.

        The audit trail is kept (it records what was accessed, which the clinic must be able to
        show); it is removed by the audit retention period like any other entry.
        """
        check_patient_id(patient_id)
        mine = select(ConversationRow.id).where(ConversationRow.patient_id == patient_id)
        no_sync = {"synchronize_session": False}
        with self.db.writing() as session:
            turns = _deleted(
                session.execute(
                    delete(TurnRow).where(TurnRow.session_id.in_(mine)), execution_options=no_sync
                )
            )
            sessions = _deleted(
                session.execute(
                    delete(ConversationRow).where(ConversationRow.patient_id == patient_id),
                    execution_options=no_sync,
                )
            )
            self.audit.add(
                session,
                action="patient.erase",
                patient_id=patient_id,
                actor=actor,
                resources=(),
                outcome="ok",
                session_id=None,
                detail={"sessions": sessions, "turns": turns},
            )
        return ErasureResult(sessions=sessions, turns=turns)

    # -- helpers --------------------------------------------------------------------------------------

    @staticmethod
    def _owned(
        session: Session, session_id: str, patient_id: str, *, lock: bool = False
    ) -> ConversationRow | None:
        statement = select(ConversationRow).where(
            ConversationRow.id == session_id, ConversationRow.patient_id == patient_id
        )
        if lock:
            statement = statement.with_for_update()
        return session.scalars(statement).one_or_none()

    @staticmethod
    def _infos(
        session: Session, patient_id: str, *, session_id: str | None = None, limit: int | None = None
    ) -> list[SessionInfo]:
        turn_count = (
            select(func.count(TurnRow.id))
            .where(TurnRow.session_id == ConversationRow.id)
            .correlate(ConversationRow)
            .scalar_subquery()
        )
        statement = (
            select(ConversationRow, turn_count)
            .where(ConversationRow.patient_id == patient_id)
            .order_by(ConversationRow.updated_at.desc(), ConversationRow.id)
        )
        if session_id is not None:
            statement = statement.where(ConversationRow.id == session_id)
        if limit is not None:
            statement = statement.limit(limit)
        return [
            SessionInfo(
                id=row.id,
                patient_id=row.patient_id,
                language=cast(Language, row.language),
                backend=row.backend,
                created_at=row.created_at,
                updated_at=row.updated_at,
                turn_count=int(count),
            )
            for row, count in session.execute(statement)
        ]

    def close(self) -> None:
        if self._owns_db:
            self.db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
