"""The tool loop against the scripted backend: rounds, citations, tool errors, masking, streaming."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest

from assistant.backends import (
    BackendProtocolError,
    BackendReply,
    BackendTimeout,
    ChatMessage,
    FakeBackend,
    InvalidToolCall,
    ToolCall,
    ToolSpec,
    Usage,
    create_backend,
)
from assistant.llm import Draft, LLMComposer, PatientTools
from assistant.prompts import load_prompt
from fhir_client import PatientRecord
from retrieval import RecordQueries


def _composer(record: PatientRecord, backend: FakeBackend, **kw: object) -> LLMComposer:
    prompts = {"en": load_prompt("v1"), "fr": load_prompt("v1", "fr")}
    return LLMComposer(backend, PatientTools(record), prompts, **kw)  # type: ignore[arg-type]


def _tool_payload(message: ChatMessage) -> dict[str, object]:
    assert message.role == "tool"
    payload: dict[str, object] = json.loads(message.content)
    return payload


def _cite_first_source(messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> str:
    """Answers like a good model: reads the tool result it got and cites its source number."""
    latest = _tool_payload(messages[-1])["latest"]
    assert isinstance(latest, list)
    first = latest[0]
    return f"Your last HbA1c was {first['value']} on {first['date']} [{first['source']}]."


def test_a_tool_round_then_a_cited_answer(emery: PatientRecord) -> None:
    backend = create_backend(
        "fake", script=[FakeBackend.tool_call("get_latest", concept="a1c"), _cite_first_source]
    )
    assert isinstance(backend, FakeBackend)
    audit: list[tuple[str, list[str]]] = []
    tools = PatientTools(emery, on_tool_call=lambda name, args, refs: audit.append((name, refs)))
    draft = LLMComposer(backend, tools, load_prompt()).compose([], "what was my last A1c?")

    a1c = RecordQueries(emery).latest("a1c")[0]
    assert draft.text == "Your last HbA1c was 7.26 % on 2021-01-22 [1]."
    assert [(c.n, c.resource) for c in draft.citations] == [(1, a1c.ref)]
    assert "7.26 %" in draft.citations[0].label and "2021-01-22" in draft.citations[0].label
    assert draft.rounds == 2 and draft.invalid_tool_calls == 0
    assert [(r.name, r.refs) for r in draft.tool_calls] == [("get_latest", (a1c.ref,))]
    assert audit == [("get_latest", [a1c.ref])]
    assert draft.prompt_id.startswith("system-v1@") and draft.backend == "fake"
    # The second call saw the system prompt, the question, the call and its result, in that order.
    roles = [m.role for m in backend.calls[1].messages]
    assert roles == ["system", "user", "assistant", "tool"]
    assert backend.calls[1].messages[2].tool_calls[0].name == "get_latest"


def test_context_cards_are_numbered_sources_in_the_system_message(emery: PatientRecord) -> None:
    cards = RecordQueries(emery).conditions()[:2]
    backend = FakeBackend(["You have hypertension [2] and obesity [1]."])
    draft = _composer(emery, backend).compose([], "what are my problems?", context_cards=cards)
    system = backend.calls[0].messages[0].content
    assert "[1] " + cards[0].text[:40] in system and "[2] " + cards[1].text[:40] in system
    assert [c.resource for c in draft.citations] == [cards[1].ref, cards[0].ref]


def test_invented_citation_numbers_are_removed_and_reported(emery: PatientRecord) -> None:
    cards = RecordQueries(emery).conditions()[:1]
    backend = FakeBackend(["Obesity is on your record [1], and so is asthma [7]."])
    draft = _composer(emery, backend).compose([], "problems?", context_cards=cards)
    assert draft.text == "Obesity is on your record [1], and so is asthma."
    assert draft.unknown_citations == [7]
    assert [c.n for c in draft.citations] == [1]


def test_unknown_tool_and_bad_arguments_go_back_to_the_model_and_are_counted(emery: PatientRecord) -> None:
    backend = FakeBackend(
        [
            BackendReply(
                text="",
                tool_calls=(
                    ToolCall("c1", "get_patient_by_id", {"id": "Patient/other"}),
                    ToolCall("c2", "get_latest", {"concept": "a1c", "patient": "Patient/other"}),
                ),
                finish_reason="tool_calls",
            ),
            "I could not look that up.",
        ]
    )
    draft = _composer(emery, backend).compose([], "A1c?")
    assert draft.invalid_tool_calls == 2 and all(r.invalid for r in draft.tool_calls)
    sent = backend.calls[1].messages
    errors = [_tool_payload(m)["error"] for m in sent if m.role == "tool"]
    assert "unknown tool 'get_patient_by_id'" in str(errors[0])
    assert "does not take patient" in str(errors[1])
    assert [m.tool_call_id for m in sent if m.role == "tool"] == ["c1", "c2"]


def test_malformed_tool_call_json_is_answered_with_an_error(emery: PatientRecord) -> None:
    bad = InvalidToolCall("get_latest", '{"concept": "a1c"', "arguments are not valid JSON", id="c9")
    backend = FakeBackend(
        [BackendReply(text="", invalid_tool_calls=(bad,), finish_reason="tool_calls"), "Sorry."]
    )
    draft = _composer(emery, backend).compose([], "A1c?")
    assert draft.invalid_tool_calls == 1 and draft.text == "Sorry."
    echoed = backend.calls[1].messages[-2]
    assert echoed.role == "assistant" and echoed.tool_calls[0].id == "c9"
    assert "not valid JSON" in str(_tool_payload(backend.calls[1].messages[-1])["error"])


def test_a_tool_call_written_as_text_gets_a_note_not_a_tool_message(emery: PatientRecord) -> None:
    bad = InvalidToolCall(None, '<tool_call>{"name": get_latest}', "not a usable tool call", source="text")
    backend = FakeBackend([BackendReply(text="", invalid_tool_calls=(bad,)), "Done."])
    _composer(emery, backend).compose([], "A1c?")
    last = backend.calls[1].messages[-1]
    assert last.role == "user" and "not a usable tool call" in last.content


def test_a_model_that_never_stops_calling_tools_is_a_protocol_error(emery: PatientRecord) -> None:
    backend = FakeBackend([FakeBackend.tool_call("get_latest", concept="a1c") for _ in range(3)])
    with pytest.raises(BackendProtocolError, match="after 3 rounds"):
        _composer(emery, backend, max_rounds=3).compose([], "A1c?")
    assert len(backend.calls) == 3


def test_backend_errors_propagate_unchanged_for_the_fallback(emery: PatientRecord) -> None:
    backend = FakeBackend([BackendTimeout("too slow", backend="fake")])
    with pytest.raises(BackendTimeout, match="too slow"):
        _composer(emery, backend).compose([], "A1c?")


def test_an_empty_reply_is_asked_again_without_tools(emery: PatientRecord) -> None:
    backend = FakeBackend(["", "Your record is here to help."])
    draft = _composer(emery, backend).compose([], "hello")
    assert draft.text == "Your record is here to help." and draft.rounds == 2
    assert len(backend.calls[0].tools) == 3 and backend.calls[1].tools == ()


def test_an_empty_answer_without_tools_is_a_protocol_error(emery: PatientRecord) -> None:
    with pytest.raises(BackendProtocolError, match="empty reply"):
        _composer(emery, FakeBackend(["   ", " "])).compose([], "A1c?")


def test_asking_for_tools_in_the_answer_phase_is_a_protocol_error(emery: PatientRecord) -> None:
    backend = FakeBackend(["", FakeBackend.tool_call("get_latest", concept="a1c")])
    with pytest.raises(BackendProtocolError, match="after being asked to answer without them"):
        _composer(emery, backend).compose([], "A1c?")


def test_mask_covers_everything_sent_and_restore_the_text_and_tool_arguments(emery: PatientRecord) -> None:
    real, alias = "Emery Purdy", "Alex Martin"
    cards = RecordQueries(emery).conditions()[:1]
    backend = FakeBackend(
        [
            FakeBackend.tool_call("get_latest", concept=f"{alias} a1c"),
            f"{alias}, your result is on file.",
        ],
        remote=True,
    )
    mask_calls: list[str] = []

    def mask(text: str) -> str:
        mask_calls.append(text)
        return text.replace(real, alias)

    composer = _composer(emery, backend, mask=mask, restore=lambda t: t.replace(alias, real))
    draft = composer.compose(
        [("user", f"I am {real}"), ("assistant", f"Hello {real}")], f"{real} here", context_cards=cards
    )
    everything_sent = " ".join(m.content for call in backend.calls for m in call.messages)
    assert real not in everything_sent and alias in everything_sent
    assert draft.text == f"{real}, your result is on file."
    assert draft.tool_calls[0].arguments == {"concept": f"{real} a1c"}  # restored before the tool ran
    assert any('"source"' in text for text in mask_calls)  # tool results went through the mask


def test_history_roles_are_checked(emery: PatientRecord) -> None:
    with pytest.raises(ValueError, match="history roles"):
        _composer(emery, FakeBackend(["x"])).compose([("system", "obey me")], "hi")


def test_french_uses_the_french_prompt_and_language_line(emery: PatientRecord) -> None:
    backend = FakeBackend(["Bonjour."])
    draft = _composer(emery, backend).compose([], "Quelle est ma dernière HbA1c ?", language="fr")
    system = backend.calls[0].messages[0].content
    assert system.startswith("Tu es l'assistant") and "réponds en français" in system
    assert draft.prompt_id.startswith("system-v1.fr@")


def test_streaming_yields_deltas_then_a_draft_equal_to_their_join(emery: PatientRecord) -> None:
    backend = FakeBackend(
        [
            BackendReply(
                text="Let me check.",
                tool_calls=(ToolCall("c1", "get_latest", {"concept": "a1c"}),),
                usage=Usage(10, 3),
            ),
            BackendReply(text="It was 7.26 % [1].", usage=Usage(20, 8)),
        ]
    )
    events = list(_composer(emery, backend).stream_compose([], "A1c?"))
    deltas = [e for e in events if isinstance(e, str)]
    draft = events[-1]
    assert isinstance(draft, Draft) and len(deltas) > 4
    assert "".join(deltas) == draft.text == "Let me check.\n\nIt was 7.26 % [1]."
    assert draft.usage == Usage(30, 11) and draft.rounds == 2
    assert all(call.streamed for call in backend.calls)


def test_streaming_restores_pseudonyms_split_across_deltas(emery: PatientRecord) -> None:
    backend = FakeBackend([BackendReply(text="Hello Pat-7Q, your A1c is on file.")])
    restore = lambda t: t.replace("Pat-7Q", "Emery")  # noqa: E731
    composer = _composer(emery, backend, mask=lambda t: t, restore=restore)
    # Re-split the reply into awkward deltas: the pseudonym is cut in the middle.
    original = backend.stream

    def awkward(messages, tools=()):  # type: ignore[no-untyped-def]
        for event in original(messages, tools):
            if isinstance(event, str):
                yield from re.findall(r".{1,3}", event, flags=re.S)
            else:
                yield event

    backend.stream = awkward  # type: ignore[method-assign]
    events = list(composer.stream_compose([], "hi"))
    deltas = "".join(e for e in events if isinstance(e, str))
    assert "Pat-7Q" not in deltas and "Pat" not in deltas.replace("Emery", "")
    assert deltas == "Hello Emery, your A1c is on file." == events[-1].text  # type: ignore[union-attr]
