"""Request and response bodies of the clinic API (the ``Turn`` itself comes from ``assistant.schemas``).

Requests are strict (unknown keys are a 422), and no request body has a patient field: the patient is
always the token's.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.schemas import Language, Turn

MAX_MESSAGE_CHARS = 4000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewSession(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"language": "fr"}]})
    language: Language = Field(default="en", description="Language of the conversation.")


class SessionCreated(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"session_id": "5b0c2f9e-1d7a-4c1e-9a57-0d3f5e2b8a61", "language": "en"}]
        }
    )
    session_id: str
    language: Language


class SessionSummary(_Strict):
    session_id: str
    language: Language
    created_at: dt.datetime
    updated_at: dt.datetime
    turn_count: int = Field(description="User and assistant turns so far.")


class SessionList(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sessions": [
                        {
                            "session_id": "5b0c2f9e-1d7a-4c1e-9a57-0d3f5e2b8a61",
                            "language": "en",
                            "created_at": "2026-11-23T09:00:00Z",
                            "updated_at": "2026-11-23T09:02:10Z",
                            "turn_count": 4,
                        }
                    ]
                }
            ]
        }
    )
    sessions: list[SessionSummary]


class StoredMessage(_Strict):
    role: Literal["user", "assistant"]
    text: str = Field(description="What was said (the patient's words, or the assistant's reply text).")
    created_at: dt.datetime
    turn: Turn | None = Field(default=None, description="The assistant's full turn, as it was shown.")


class Transcript(_Strict):
    """A conversation as it was shown, oldest message first (a patient reopening it after a reload)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": "5b0c2f9e-1d7a-4c1e-9a57-0d3f5e2b8a61",
                    "messages": [
                        {
                            "role": "user",
                            "text": "What was my last HbA1c?",
                            "created_at": "2026-11-23T09:00:00Z",
                            "turn": None,
                        }
                    ],
                }
            ]
        }
    )
    session_id: str
    messages: list[StoredMessage]


class MessageIn(_Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "What was my last HbA1c?", "language": "en"}]},
    )
    text: str = Field(
        max_length=MAX_MESSAGE_CHARS,
        description="The patient's message. Control and invisible characters (zero-width, bidirectional "
        "overrides) are removed first; a message with nothing left is refused with 422 `empty_message`.",
    )
    language: Language | None = Field(
        default=None, description="Reply language; detected from the message when omitted."
    )


class RecordEntry(_Strict):
    resource: str = Field(description="The FHIR resource, as “Type/id”: cite or open it.")
    title: str
    text: str = Field(description="Plain-language summary of the resource.")
    date: dt.date | None = None
    status: str | None = None


class PatientInfo(_Strict):
    resource: str
    name: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None


class RecordSummary(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "patient": {
                        "resource": "Patient/7d27f180-98d6-456d-98c0-d91df32cd023",
                        "name": "Josue Sipes",
                        "birth_date": "1952-04-11",
                        "gender": "male",
                    },
                    "conditions": [
                        {
                            "resource": "Condition/c1",
                            "title": "Diabetes mellitus type 2",
                            "text": "Diabetes mellitus type 2 — active since 2001-05-03.",
                            "date": "2001-05-03",
                            "status": "active",
                        }
                    ],
                    "medications": [],
                    "allergies": [],
                    "immunizations": [],
                    "recent_encounters": [],
                    "counts": {"Observation": 512, "Condition": 14},
                }
            ]
        }
    )
    patient: PatientInfo
    conditions: list[RecordEntry] = Field(description="Active conditions.")
    medications: list[RecordEntry] = Field(description="Active medicines.")
    allergies: list[RecordEntry] = Field(description="Active allergies and intolerances.")
    immunizations: list[RecordEntry] = Field(description="The 10 most recent vaccinations.")
    recent_encounters: list[RecordEntry] = Field(description="The 10 most recent visits.")
    counts: dict[str, int] = Field(description="Resources in the record, by type.")


class ObservationPoint(_Strict):
    resource: str
    date: dt.date | None
    value: float | str | None = Field(description="Number (or text for non-numeric results).")
    display: str = Field(description="Value with its unit, as the patient reads it (e.g. “128/82 mmHg”).")
    unit: str | None = None
    flag: Literal["high", "low", "abnormal"] | None = Field(default=None, description="Outside the range.")


class ObservationSeries(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "4548-4",
                    "name": "Hemoglobin A1c/Hemoglobin.total in Blood",
                    "unit": "%",
                    "points": [
                        {
                            "resource": "Observation/abc",
                            "date": "2020-03-01",
                            "value": 7.2,
                            "display": "7.2 %",
                            "unit": "%",
                            "flag": "high",
                        }
                    ],
                }
            ]
        }
    )
    code: str
    name: str
    unit: str | None
    points: list[ObservationPoint] = Field(description="Oldest first, for charts.")


class SearchHitOut(_Strict):
    resource: str
    title: str
    text: str
    date: dt.date | None = None
    score: float


class SearchResultsOut(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query": "asthma inhaler",
                    "hits": [
                        {
                            "resource": "MedicationRequest/m1",
                            "title": "Albuterol inhaler",
                            "text": "Albuterol 90 mcg inhaler — active, prescribed 2019-02-11.",
                            "date": "2019-02-11",
                            "score": 0.83,
                        }
                    ],
                }
            ]
        }
    )
    query: str
    hits: list[SearchHitOut]


class Erased(_Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"sessions": 3, "turns": 18, "index_removed": True}]}
    )
    sessions: int = Field(description="Conversations deleted.")
    turns: int = Field(description="Messages deleted.")
    index_removed: bool = Field(description="Whether a search index of the record existed and was removed.")


class Health(_Strict):
    status: Literal["ok"]


class Check(_Strict):
    ok: bool
    detail: str


class Readiness(_Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ready",
                    "checks": {
                        "database": {"ok": True, "detail": "sqlite"},
                        "fhir": {"ok": True, "detail": "FHIR 4.0.1"},
                        "index": {"ok": True, "detail": "embedded chromadb at .data/index"},
                    },
                }
            ]
        }
    )
    status: Literal["ready", "not_ready"]
    checks: dict[str, Check]


class ConsentRecord(_Strict):
    resource: str = Field(description="The FHIR Consent on the clinic's server, as “Consent/id”.")
    purpose: Literal["record-access", "remote-llm"]
    decision: Literal["permit", "deny"]
    status: str = Field(description="active, or inactive once withdrawn.")
    recorded: dt.datetime | None = None
    performer: str | None = Field(default=None, description="Who decided: Patient/… or RelatedPerson/….")
    recipient: str | None = Field(default=None, description="Who receives the data.")


class ConsentOverview(_Strict):
    """Where the patient's consents stand; the assistant reads the record only with record_access granted."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "record_access": "granted",
                    "remote_llm": "missing",
                    "remote_llm_needed": False,
                    "consents": [
                        {
                            "resource": "Consent/1ea9…",
                            "purpose": "record-access",
                            "decision": "permit",
                            "status": "active",
                            "recorded": "2026-12-04T10:00:00+00:00",
                            "performer": "Patient/7d27f180-98d6-456d-98c0-d91df32cd023",
                            "recipient": "Health assistant",
                        }
                    ],
                }
            ]
        }
    )
    record_access: Literal["granted", "refused", "missing"]
    remote_llm: Literal["granted", "refused", "missing"]
    remote_llm_needed: bool = Field(
        description="True when this service sends context to a remote language model (then a decision is needed)."
    )
    consents: list[ConsentRecord]


class ConsentDecision(_Strict):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"purpose": "record-access", "decision": "permit"}]}
    )
    purpose: Literal["record-access", "remote-llm"]
    decision: Literal["permit", "deny"]
