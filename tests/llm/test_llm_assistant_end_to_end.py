"""The whole assistant with its LLM backend pointed at a real llama.cpp server (SmolLM2-135M, on purpose
too weak to trust): whatever the model writes, the patient only ever sees a checked reply.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.backends import create_backend
from assistant.guardrails import Guard
from assistant.llm_binding import bind_llm
from assistant.schemas import TriageLevel
from assistant.store import SessionStore, sqlite_url
from fhir_client import PatientRecord
from retrieval import RecordQueries
from tests.llm.llama_server import LlamaServer

pytestmark = pytest.mark.integration


@pytest.fixture
def assistant(llama_server: LlamaServer, emery: PatientRecord, tmp_path: Path) -> Assistant:
    guard = Guard.default(region="FR")
    backend = create_backend(
        "llama-cpp", base_url=llama_server.base_url, model=llama_server.model_name, temperature=0.0, seed=7,
        max_tokens=48, timeout=120.0,
    )  # fmt: skip
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    store = SessionStore(sqlite_url(tmp_path), clock=lambda: now)
    return Assistant(
        record=emery,
        store=store,
        guard=guard,
        llm=bind_llm(backend, emery, guard=guard, audit=store.audit, today=now.date()),
        clock=lambda: now,
    )


def test_a_record_question_always_ends_with_the_right_cited_value(
    assistant: Assistant, emery: PatientRecord
) -> None:
    turn = assistant.respond(assistant.new_session("en"), "What was my last HbA1c?")
    gold = RecordQueries(emery).latest("hba1c")[0]
    # The tiny model either answers (then it passed the output guard) or is replaced by the offline answer.
    assert turn.safety.grounded is True
    assert any(c.resource == gold.ref for c in turn.citations)
    if turn.safety.backend == "offline":
        assert any(f.startswith(("llm-fallback", "llm-replaced")) for f in turn.safety.flags)
    tool_calls = [
        e for e in assistant.store.audit.query(patient_id=emery.patient_id) if e.action.startswith("tool.")
    ]
    assert tool_calls, "the model's tool calls are audited"


def test_an_emergency_never_waits_for_the_model(assistant: Assistant) -> None:
    turn = assistant.respond(assistant.new_session("en"), "I have crushing chest pain and I'm sweating")
    assert turn.triage.level == TriageLevel.EMERGENCY
    assert turn.text.startswith(f"Call {turn.triage.call} now") and turn.safety.backend == "offline"
