"""The audit log: who touched which part of whose record, when, and with what outcome.

Every record access, tool call and booking action is written here so a clinic can answer "who saw or
changed this?" after the fact. Entries are append-only and have no foreign keys, so they survive the
sessions they describe (a deleted conversation or an erased patient still leaves the trail of what
was done). Keep ``detail`` free of clinical content: references and counts, not values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from assistant.schemas import RESOURCE_REF_PATTERN
from assistant.store.database import Database
from assistant.store.tables import ACTION_LENGTH, OUTCOME_LENGTH, PATIENT_ID_LENGTH, AuditRow
from assistant.store.timestamps import Clock, require_aware

__all__ = ["ACTORS", "Actor", "AuditEntry", "AuditLog"]

Actor = Literal["patient", "assistant", "clinician", "system"]
ACTORS: tuple[Actor, ...] = get_args(Actor)

_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")  # e.g. "tool.search_record", "booking.book"
_OUTCOME = re.compile(r"^[a-z][a-z0-9_]*$")  # e.g. "ok", "denied", "not_found", "error"
_RESOURCE = re.compile(RESOURCE_REF_PATTERN)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    patient_id: str | None
    actor: str
    action: str
    resources: tuple[str, ...]
    outcome: str
    session_id: str | None
    detail: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntry:
        return cls(
            id=row.id,
            at=row.at,
            patient_id=row.patient_id,
            actor=row.actor,
            action=row.action,
            resources=tuple(row.resources),
            outcome=row.outcome,
            session_id=row.session_id,
            detail=row.detail,
        )


def check_patient_id(patient_id: str) -> str:
    if not patient_id or len(patient_id) > PATIENT_ID_LENGTH:
        raise ValueError(f"a patient id must be 1 to {PATIENT_ID_LENGTH} characters")
    return patient_id


def json_object(value: Mapping[str, Any], what: str) -> dict[str, Any]:
    """A JSON-safe copy, so a value that cannot be stored fails here with a clear message."""
    try:
        copied: dict[str, Any] = json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be JSON-serialisable: {exc}") from None
    return copied


def new_audit_row(
    *,
    at: datetime,
    action: str,
    patient_id: str | None,
    actor: str,
    resources: Iterable[str],
    outcome: str,
    session_id: str | None,
    detail: Mapping[str, Any] | None,
) -> AuditRow:
    """Validate and build one entry; shared by ``AuditLog.record`` and the store's own operations."""
    if len(action) > ACTION_LENGTH or not _ACTION.match(action):
        raise ValueError(
            f"audit action must be dotted lower-case words (e.g. 'tool.search_record'): {action!r}"
        )
    if actor not in ACTORS:
        raise ValueError(f"audit actor must be one of {', '.join(ACTORS)}: {actor!r}")
    if len(outcome) > OUTCOME_LENGTH or not _OUTCOME.match(outcome):
        raise ValueError(f"audit outcome must be a lower-case word (e.g. 'ok', 'denied'): {outcome!r}")
    refs = list(resources)
    bad = [ref for ref in refs if not isinstance(ref, str) or not _RESOURCE.match(ref)]
    if bad:
        raise ValueError(f"audit resources must be 'Type/id' references: {bad!r}")
    return AuditRow(
        at=require_aware(at, "audit time"),
        patient_id=None if patient_id is None else check_patient_id(patient_id),
        actor=actor,
        action=action,
        resources=refs,
        outcome=outcome,
        session_id=session_id,
        detail=None if detail is None else json_object(detail, "audit detail"),
    )


class AuditLog:
    """Append and read audit entries. Library code: it takes a database or URL, never settings."""

    def __init__(self, db: Database | str, *, clock: Clock | None = None) -> None:
        self._owns_db = isinstance(db, str)
        if isinstance(db, str):
            if clock is None:
                raise ValueError("opening a database by URL needs a clock (pass clock=)")
            db = Database(db, clock=clock)
        self.db = db
        self.clock: Clock = clock or self.db.clock

    def record(
        self,
        action: str,
        *,
        patient_id: str | None,
        actor: Actor = "system",
        resources: Iterable[str] = (),
        outcome: str = "ok",
        session_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        row = new_audit_row(
            at=self.clock(),
            action=action,
            patient_id=patient_id,
            actor=actor,
            resources=resources,
            outcome=outcome,
            session_id=session_id,
            detail=detail,
        )
        with self.db.writing() as session:
            session.add(row)
            session.flush()
            return AuditEntry.from_row(row)

    def add(self, session: Session, **fields: Any) -> None:
        """Write an entry inside the caller's unit of work, so the entry and the change commit together."""
        session.add(new_audit_row(at=self.clock(), **fields))

    def query(
        self,
        patient_id: str | None = None,
        since: datetime | None = None,
        *,
        until: datetime | None = None,
        action: str | None = None,
        session_id: str | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Entries oldest first; ``patient_id=None`` means every patient (and system entries)."""
        conditions: list[ColumnElement[bool]] = []
        if patient_id is not None:
            conditions.append(AuditRow.patient_id == patient_id)
        if since is not None:
            conditions.append(AuditRow.at >= require_aware(since, "since"))
        if until is not None:
            conditions.append(AuditRow.at < require_aware(until, "until"))
        if action is not None:
            conditions.append(AuditRow.action == action)
        if session_id is not None:
            conditions.append(AuditRow.session_id == session_id)
        statement = select(AuditRow).where(*conditions).order_by(AuditRow.at, AuditRow.id)
        if limit is not None:
            if limit < 1:
                raise ValueError("limit must be at least 1")
            statement = statement.limit(limit)
        with self.db.reading() as session:
            return [AuditEntry.from_row(row) for row in session.scalars(statement)]

    def close(self) -> None:
        if self._owns_db:
            self.db.close()
