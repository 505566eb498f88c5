"""API tokens: long random bearer tokens bound to one patient, stored hashed, expiring, revocable.

A token reads ``hat_<id>_<secret>``. The id is public (it names the token in lists, the audit log and
``token revoke``); only SHA-256 of the secret is stored. The secret has 256 bits of entropy, so a plain
hash is enough (a slow password hash protects low-entropy secrets, not random ones) and verification
costs one indexed read. The table is created by the store's migration ``0003_create_api_tokens``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, MetaData, RowMapping, String, Table, insert, select, update

from assistant.store import Database
from assistant.store.timestamps import Clock, UTCDateTime

PREFIX = "hat_"
_TOKEN = re.compile(r"^hat_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_TOKEN_ID = re.compile(r"^[0-9a-f]{16}$")
_PATIENT_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")  # a FHIR id
MAX_DAYS = 3650

_metadata = MetaData()
api_tokens = Table(
    "api_tokens",
    _metadata,
    Column("id", String(32), primary_key=True),
    Column("patient_id", String(128), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("label", String(128), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)


class TokenInvalid(Exception):
    """The presented token cannot be used; ``reason`` is safe to show to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenInfo:
    id: str
    patient_id: str
    label: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, never stored
    info: TokenInfo


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def check_patient_id(patient_id: str) -> str:
    if not _PATIENT_ID.match(patient_id):
        raise ValueError(f"a patient id is a FHIR id (1-64 of A-Z a-z 0-9 - .): {patient_id!r}")
    return patient_id


class ApiTokenStore:
    """Issue, verify, list and revoke tokens in the assistant's database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, *, clock: Clock | None = None) -> None:
        self.db = db
        self.clock: Clock = clock or db.clock

    def issue(self, patient_id: str, *, days: float = 30, label: str | None = None) -> IssuedToken:
        check_patient_id(patient_id)
        if not 0 < days <= MAX_DAYS:
            raise ValueError(f"expiry must be more than 0 and at most {MAX_DAYS} days: {days}")
        if label is not None and len(label) > 128:
            raise ValueError("a token label is at most 128 characters")
        token_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        now = self.clock()
        info = TokenInfo(token_id, patient_id, label, now, now + timedelta(days=days), None)
        with self.db.writing() as session:
            session.execute(
                insert(api_tokens).values(
                    id=token_id,
                    patient_id=patient_id,
                    secret_hash=_hash(secret),
                    label=label,
                    created_at=now,
                    expires_at=info.expires_at,
                    revoked_at=None,
                )
            )
        return IssuedToken(token=f"{PREFIX}{token_id}_{secret}", info=info)

    def verify(self, token: str) -> TokenInfo:
        """The token's record if it is well-formed, known, unexpired and not revoked; else ``TokenInvalid``."""
        match = _TOKEN.match(token)
        if match is None:
            raise TokenInvalid("malformed API token")
        token_id, secret = match.groups()
        with self.db.reading() as session:
            row = session.execute(select(api_tokens).where(api_tokens.c.id == token_id)).mappings().first()
        # Compare a hash even when the id is unknown, so timing does not tell ids that exist.
        expected = row["secret_hash"] if row is not None else "0" * 64
        if not hmac.compare_digest(expected, _hash(secret)) or row is None:
            raise TokenInvalid("unknown API token")
        info = _info(row)
        state = info.state(self.clock())
        if state != "active":
            raise TokenInvalid(f"API token {state}")
        return info

    def get(self, token_id: str) -> TokenInfo | None:
        with self.db.reading() as session:
            row = session.execute(select(api_tokens).where(api_tokens.c.id == token_id)).mappings().first()
        return None if row is None else _info(row)

    def list(self, patient_id: str | None = None) -> list[TokenInfo]:
        statement = select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.id)
        if patient_id is not None:
            statement = statement.where(api_tokens.c.patient_id == patient_id)
        with self.db.reading() as session:
            return [_info(row) for row in session.execute(statement).mappings()]

    def revoke(self, token_or_id: str) -> TokenInfo | None:
        """Revoke by id (``0123abcd…``) or by the full token; ``None`` when no such token exists."""
        match = _TOKEN.match(token_or_id)
        token_id = match.group(1) if match else token_or_id
        if not _TOKEN_ID.match(token_id):
            raise ValueError("give the token id (16 hex characters) or the full token")
        now = self.clock()
        with self.db.writing() as session:
            session.execute(
                update(api_tokens)
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        return self.get(token_id)


def _info(m: RowMapping) -> TokenInfo:
    return TokenInfo(
        id=m["id"],
        patient_id=m["patient_id"],
        label=m["label"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        revoked_at=m["revoked_at"],
    )
