"""Whole turns through the real Assistant: real guard and triage rules, real SQLite store, real record.

Only the language model is scripted (FakeBackend, registered through the real backend registry); it
sits at the one seam the LLM tests are about.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.backends import BackendReply, BackendTimeout, ToolCall, create_backend
from assistant.composer.formatting import format_measure
from assistant.guardrails import Guard
from assistant.llm_binding import bind_llm
from assistant.schemas import RefusalCategory, TriageLevel
from assistant.store import SessionNotFoundError, SessionStore, sqlite_url
from fhir_client import PatientRecord, load_bundle_file

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def bundle(name: str) -> Path:
    return next(DATA.glob(f"{name}_*.json"))


def latest_a1c(name: str) -> dict[str, Any]:
    entries = json.loads(bundle(name).read_text(encoding="utf-8"))["entry"]
    obs = [
        e["resource"]
        for e in entries
        if e["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "4548-4" for c in e["resource"]["code"]["coding"])
    ]
    return max(obs, key=lambda o: o["effectiveDateTime"])


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.default(region="FR")


@pytest.fixture(scope="module")
def emery() -> PatientRecord:
    return load_bundle_file(bundle("Emery_Purdy"))


@pytest.fixture(scope="module")
def josue() -> PatientRecord:
    return load_bundle_file(bundle("Josue_Sipes"))


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(sqlite_url(tmp_path), clock=lambda: NOW)


def make(record: PatientRecord, store: SessionStore, guard: Guard, **kw: Any) -> Assistant:
    return Assistant(record=record, store=store, guard=guard, clock=lambda: NOW, **kw)


def test_last_a1c_is_answered_with_value_date_and_a_resolving_citation(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    gold = latest_a1c("Emery_Purdy")
    bot = make(emery, store, guard)
    turn = bot.respond(bot.new_session("en"), "what was my last A1c?")
    assert turn.triage.level == TriageLevel.NONE
    assert turn.citations[0].resource == f"Observation/{gold['id']}"
    assert (
        f"{format_measure(gold['valueQuantity']['value'], '%', 'en')} %" in turn.text
    )  # as a lab sheet shows it
    assert "22 January 2021" in turn.text
    assert turn.safety.backend == "offline"
    assert turn.safety.grounded is True
    assert turn.refusal is None


@pytest.mark.parametrize(
    ("message", "number_first"),
    [
        ("I have crushing chest pain", "Call 15"),
        ("J'ai une douleur écrasante dans la poitrine", "Appelez le 15"),
    ],
)
def test_crushing_chest_pain_puts_the_emergency_number_first_and_offers_no_booking(
    emery: PatientRecord, store: SessionStore, guard: Guard, message: str, number_first: str
) -> None:
    bot = make(emery, store, guard)
    turn = bot.respond(bot.new_session("en"), message)
    assert turn.triage.level == TriageLevel.EMERGENCY
    assert turn.triage.call is not None and "15" in turn.triage.call
    assert number_first in turn.text.splitlines()[0]
    assert turn.actions == []


@pytest.mark.parametrize(
    ("message", "language"),
    [("can I stop my metformin?", "en"), ("est-ce que je peux arrêter ma metformine ?", "fr")],
)
def test_stopping_a_medicine_is_refused_with_an_offer_to_see_the_clinician(
    josue: PatientRecord, store: SessionStore, guard: Guard, message: str, language: str
) -> None:
    bot = make(josue, store, guard)
    turn = bot.respond(bot.new_session(language), message)  # type: ignore[arg-type]
    assert turn.refusal is not None
    assert turn.refusal.category == RefusalCategory.DOSE_CHANGE
    assert turn.language == language
    assert any(word in turn.text.lower() for word in ("appointment", "rendez-vous", "book", "prescri"))


def test_a_session_of_another_patient_is_not_found(
    emery: PatientRecord, josue: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    session = make(emery, store, guard).new_session("en")
    with pytest.raises(SessionNotFoundError):
        make(josue, store, guard).respond(session, "what was my last A1c?")


def test_turns_and_record_reads_are_persisted_and_audited(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    bot = make(emery, store, guard)
    session = bot.new_session("en")
    turn = bot.respond(session, "what was my last A1c?")
    history = store.history(session, emery.patient_id)
    assert [t.role for t in history] == ["user", "assistant"]
    assert history[1].as_turn() == turn
    reads = store.audit.query(patient_id=emery.patient_id, action="record.read")
    assert reads and turn.citations[0].resource in reads[-1].resources


def test_symptoms_given_over_several_turns_escalate(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    bot = make(emery, store, guard)
    session = bot.new_session("en")
    first = bot.respond(session, "I have a bad headache")
    second = bot.respond(session, "and now my neck is stiff and I have a high fever")
    assert first.triage.level != TriageLevel.EMERGENCY
    assert second.triage.level == TriageLevel.EMERGENCY


def test_stream_yields_the_checked_text_then_the_turn(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    bot = make(emery, store, guard)
    items = list(bot.stream(bot.new_session("en"), "am I allergic to anything?"))
    *pieces, turn = items
    assert len(pieces) > 1
    assert "".join(str(p) for p in pieces) == turn.text  # type: ignore[union-attr]


def _llm(record: PatientRecord, guard: Guard, script: list[Any], *, remote: bool = False) -> Any:
    backend = create_backend("fake", script=script, remote=remote)
    return bind_llm(backend, record, guard=guard, today=NOW.date()), backend


def test_a_grounded_llm_reply_is_used(emery: PatientRecord, store: SessionStore, guard: Guard) -> None:
    gold = latest_a1c("Emery_Purdy")
    value = round(gold["valueQuantity"]["value"], 2)
    llm, _ = _llm(
        emery,
        guard,
        [
            BackendReply(
                text="", tool_calls=(ToolCall(id="c1", name="get_latest", arguments={"concept": "hba1c"}),)
            ),
            f"Your most recent HbA1c was {value} % on 22 January 2021 [1].",
        ],
    )
    bot = make(emery, store, guard, llm=llm)
    turn = bot.respond(bot.new_session("en"), "what was my last A1c?")
    assert turn.safety.backend == "fake"
    assert turn.citations[0].resource == f"Observation/{gold['id']}"
    assert "llm-replaced" not in turn.safety.flags


def test_an_ungrounded_llm_reply_is_replaced_by_the_offline_answer(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    llm, _ = _llm(
        emery,
        guard,
        [
            BackendReply(
                text="", tool_calls=(ToolCall(id="c1", name="get_latest", arguments={"concept": "hba1c"}),)
            ),
            "Your most recent HbA1c was 5.1 % on 3 March 2024 [1], which is perfect.",
        ],
    )
    bot = make(emery, store, guard, llm=llm)
    turn = bot.respond(bot.new_session("en"), "what was my last A1c?")
    assert "5.1 %" not in turn.text
    assert turn.safety.backend == "offline"
    assert "llm-replaced" in turn.safety.flags
    assert turn.citations and turn.citations[0].resource.startswith("Observation/")


def test_an_llm_timeout_falls_back_offline_and_is_flagged(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    llm, _ = _llm(emery, guard, [BackendTimeout("took too long", backend="fake")])
    bot = make(emery, store, guard, llm=llm)
    turn = bot.respond(bot.new_session("en"), "what was my last A1c?")
    assert turn.safety.backend == "offline"
    assert "llm-fallback:BackendTimeout" in turn.safety.flags
    assert turn.citations


def test_a_remote_llm_never_sees_the_patients_name(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    llm, backend = _llm(emery, guard, ["Hello [PATIENT_NAME_1], I can help with your record."], remote=True)
    bot = make(emery, store, guard, llm=llm)
    bot.respond(bot.new_session("en"), "My name is Emery Purdy, what did my last visit show?")
    sent = " ".join(m.content for call in backend.calls for m in call.messages)
    assert "Purdy" not in sent


def test_an_index_erased_elsewhere_is_rebuilt_and_the_question_still_answered(
    emery: PatientRecord, store: SessionStore, guard: Guard, tmp_path: Path
) -> None:
    from retrieval import RecordRetriever

    retriever = RecordRetriever(tmp_path / "index")
    retriever.index_record(emery)
    bot = make(emery, store, guard, retriever=retriever)
    retriever.erase(emery.patient_id)  # e.g. DELETE /v1/me served by another API worker
    # A question only the ranked search answers (no concept, kind of entry or name the record holds).
    turn = bot.respond(bot.new_session("en"), "is there anything in my records about my holidays?")
    assert turn.text and turn.refusal is None
    assert retriever.is_indexed(emery.patient_id)
    retriever.close()


def test_an_off_topic_record_search_says_not_found_instead_of_listing_unrelated_entries(
    emery: PatientRecord, store: SessionStore, guard: Guard, tmp_path: Path
) -> None:
    from retrieval import RecordRetriever

    retriever = RecordRetriever(tmp_path / "index")
    retriever.index_record(emery)
    bot = make(emery, store, guard, retriever=retriever)
    turn = bot.respond(bot.new_session("en"), "show me my x-ray")
    assert "couldn't find" in turn.text
    assert turn.citations == []
    retriever.close()


def test_blood_pressure_names_both_usual_ranges_top_number_first(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    bot = make(emery, store, guard)
    turn = bot.respond(bot.new_session("en"), "what was my last blood pressure?")
    assert turn.text.index("below 130 mmHg") < turn.text.index("below 80 mmHg")


@pytest.mark.parametrize(
    ("message", "language", "cited_type"),
    [
        ("When did I have sinusitis?", "en", "Condition/"),
        ("Quand ai-je eu mon dernier vaccin contre la grippe ?", "fr", "Immunization/"),
        ("Quelle est ma date de naissance ?", "fr", "Patient/"),
    ],
)
def test_record_questions_that_name_an_illness_are_answered_from_the_record(
    store: SessionStore, guard: Guard, message: str, language: str, cited_type: str
) -> None:
    fidel = load_bundle_file(bundle("Fidel_Bins"))
    bot = make(fidel, store, guard)
    turn = bot.respond(bot.new_session(language), message)  # type: ignore[arg-type]
    assert turn.citations and turn.citations[0].resource.startswith(cited_type)
    assert turn.safety.grounded is True


def test_a_cold_reported_now_still_gets_self_care_advice_not_a_record_answer(
    emery: PatientRecord, store: SessionStore, guard: Guard
) -> None:
    bot = make(emery, store, guard)
    turn = bot.respond(bot.new_session("en"), "I have a cold and a runny nose")
    assert turn.triage.level == TriageLevel.SELF_CARE
    assert turn.text.startswith("This can usually be looked after at home.")
