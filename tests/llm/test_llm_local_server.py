"""End to end against a real OpenAI-compatible server: llama-cpp-python serving SmolLM2-135M on 127.0.0.1.

The model is tiny and weak on purpose; these tests prove the wiring (requests, streaming, tool-call
parsing, the tool loop, error mapping), not the quality of its answers. Generation is greedy
(temperature 0, fixed seed) so each outcome asserted here is reproducible with the pinned llama.cpp.
"""

from __future__ import annotations

import time

import pytest

from assistant.backends import (
    BackendProtocolError,
    BackendTimeout,
    BackendUnavailable,
    ChatMessage,
    StreamDone,
    create_backend,
)
from assistant.backends.openai_compat import OpenAICompatBackend
from assistant.backends.tool_args import validate_arguments
from assistant.llm import Draft, LLMComposer, PatientTools
from assistant.llm.tool_specs import GET_LATEST
from assistant.prompts import load_prompt
from fhir_client import PatientRecord
from retrieval import RecordQueries
from tests.llm.llama_server import LlamaServer, free_port

pytestmark = pytest.mark.integration

SHORT_SYSTEM = ChatMessage.system("You are a helpful assistant. Answer briefly.")


def _backend(server: LlamaServer, **options: object) -> OpenAICompatBackend:
    settings: dict[str, object] = {"temperature": 0.0, "seed": 7, "max_tokens": 24, "timeout": 120.0}
    settings.update(options)
    backend = create_backend("llama-cpp", base_url=server.base_url, model=server.model_name, **settings)
    assert isinstance(backend, OpenAICompatBackend)
    return backend


def test_complete_returns_text_usage_and_the_served_model(llama_server: LlamaServer) -> None:
    reply = _backend(llama_server, max_tokens=16).complete([SHORT_SYSTEM, ChatMessage.user("Say hello.")])
    assert reply.text.strip()
    assert reply.usage.prompt_tokens > 5 and 0 < reply.usage.completion_tokens <= 16
    assert reply.finish_reason in ("stop", "length") and reply.tool_calls == ()
    assert reply.model == llama_server.model_name


def test_max_tokens_bounds_the_reply(llama_server: LlamaServer) -> None:
    reply = _backend(llama_server, max_tokens=5).complete(
        [SHORT_SYSTEM, ChatMessage.user("Write a long story about a lighthouse keeper.")]
    )
    assert reply.usage.completion_tokens <= 5 and reply.finish_reason == "length"


def test_stream_delivers_deltas_before_the_end(llama_server: LlamaServer) -> None:
    arrivals: list[tuple[float, object]] = []
    for event in _backend(llama_server).stream([SHORT_SYSTEM, ChatMessage.user("Name three fruits.")]):
        arrivals.append((time.perf_counter(), event))
    *deltas, (done_at, done) = arrivals
    assert isinstance(done, StreamDone)
    assert len(deltas) >= 3 and all(isinstance(d, str) for _, d in deltas)
    assert deltas[0][0] < done_at  # the first text came before the reply was complete
    assert "".join(str(d) for _, d in deltas) == done.reply.text and done.reply.text.strip()


def test_a_tool_call_is_parsed_into_schema_valid_arguments(llama_server: LlamaServer) -> None:
    # chatml-function-calling constrains the arguments with a grammar built from the schema, so even
    # this tiny model produces parseable JSON; what it puts in the string is its own business.
    reply = _backend(llama_server).complete(
        [SHORT_SYSTEM, ChatMessage.user("What was my last HbA1c?")], [GET_LATEST]
    )
    assert reply.finish_reason == "tool_calls" and reply.invalid_tool_calls == ()
    [call] = reply.tool_calls
    assert call.name == "get_latest" and call.id
    assert validate_arguments(GET_LATEST, call.arguments) is None
    assert isinstance(call.arguments["concept"], str) and call.arguments["concept"]


def test_composer_small_talk_goes_through_the_answer_phase(
    llama_server: LlamaServer, emery: PatientRecord
) -> None:
    # With tools offered, llama-cpp-python's "message" branch returns empty content; the composer then
    # asks once more without tools and gets the model's text.
    backend = _backend(llama_server, max_tokens=32)
    audit: list[str] = []
    tools = PatientTools(emery, on_tool_call=lambda name, args, refs: audit.append(name))
    draft = LLMComposer(backend, tools, load_prompt(), max_rounds=2).compose([], "Hello! How are you today?")
    assert isinstance(draft, Draft) and draft.text.strip()
    assert draft.rounds == 2 and audit == [] and draft.citations == []
    assert draft.backend == "llama-cpp" and draft.usage.completion_tokens > 0


def test_composer_runs_the_tools_the_model_asks_for_then_stops_at_max_rounds(
    llama_server: LlamaServer, emery: PatientRecord
) -> None:
    # The tiny model keeps calling tools instead of answering; each call runs against the record and is
    # audited, and the loop ends with a protocol error the assistant turns into its offline answer.
    backend = _backend(llama_server)
    audit: list[tuple[str, dict[str, object], list[str]]] = []
    tools = PatientTools(emery, on_tool_call=lambda name, args, refs: audit.append((name, args, refs)))
    with pytest.raises(BackendProtocolError, match="still calling tools after 1 rounds"):
        LLMComposer(backend, tools, load_prompt(), max_rounds=1).compose([], "What was my last HbA1c?")
    # One round, one audited call. Which tool a 135M model picks depends on the CPU kernels llama.cpp was
    # built with (AVX2 and AMX builds differ), so the test holds the loop's behaviour, not the model's choice.
    assert len(audit) == 1
    name, _, refs = audit[0]
    if name == "get_latest":
        a1c = RecordQueries(emery).latest("a1c")[0].ref
        assert refs == [a1c]  # the model's words resolved to the patient's own A1c
    else:
        assert name == "list_active"
        kinds = {
            "Condition",
            "MedicationRequest",
            "MedicationStatement",
            "AllergyIntolerance",
            "Immunization",
        }
        assert all(ref.split("/")[0] in kinds for ref in refs)  # only the patient's own items, audited


def test_server_down_is_unavailable() -> None:
    backend = create_backend("llama-cpp", base_url=f"http://127.0.0.1:{free_port()}/v1", model="m", timeout=5)
    with pytest.raises(BackendUnavailable, match="could not reach the LLM"):
        backend.complete([ChatMessage.user("hi")])
    with pytest.raises(BackendUnavailable):
        list(backend.stream([ChatMessage.user("hi")]))


def test_a_tiny_timeout_is_a_timeout(llama_server: LlamaServer) -> None:
    # Last on purpose: the server finishes this request after the client has gone.
    backend = _backend(llama_server, timeout=0.05, max_tokens=8)
    started = time.perf_counter()
    with pytest.raises(BackendTimeout, match=r"within 0\.05 s"):
        backend.complete([SHORT_SYSTEM, ChatMessage.user("Describe the sea.")])
    assert time.perf_counter() - started < 5
