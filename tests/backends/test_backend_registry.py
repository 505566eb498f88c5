"""Backends by name: built-ins, registration rules, unknown names, the fake through the registry."""

from __future__ import annotations

import pytest

from assistant.backends import (
    BackendProtocolError,
    BackendReply,
    BackendUnavailable,
    ChatBackend,
    ChatMessage,
    FakeBackend,
    StreamDone,
    UnknownBackend,
    available_backends,
    create_backend,
    register_backend,
    unregister_backend,
)
from assistant.backends.openai_compat import OpenAICompatBackend, is_loopback_url


def test_builtins_are_registered() -> None:
    assert {"fake", "openai"} <= set(available_backends())


def test_openai_backend_from_the_registry_keeps_its_options() -> None:
    backend = create_backend("openai", base_url="https://api.example.org/v1", model="gpt-x", timeout=5)
    assert isinstance(backend, OpenAICompatBackend) and isinstance(backend, ChatBackend)
    assert backend.remote is True and backend.timeout == 5 and backend.name == "openai"
    assert "api_key" not in repr(backend) and "not-needed" not in repr(backend)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:11434/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://127.0.0.2/v1", True),
        ("http://10.0.0.5:8000/v1", False),
        ("https://api.mistral.ai/v1", False),
        ("http://localhost.evil.com/v1", False),
    ],
)
def test_only_loopback_servers_count_as_local(url: str, local: bool) -> None:
    assert is_loopback_url(url) is local
    assert OpenAICompatBackend(url, "m").remote is (not local)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "api.openai.com", "model": "m"}, "base URL"),
        ({"base_url": "http://127.0.0.1:1/v1", "model": " "}, "model name is empty"),
        ({"base_url": "http://127.0.0.1:1/v1", "model": "m", "timeout": 0}, "timeout must be positive"),
    ],
)
def test_bad_openai_options_say_what_is_wrong(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_backend("openai", **options)


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(UnknownBackend, match=r"unknown LLM backend 'gpt5'.*fake.*openai"):
        create_backend("gpt5")


def test_registering_twice_needs_replace_and_names_are_words() -> None:
    register_backend("echo-test", lambda **kw: FakeBackend(["echo"], name="echo-test"))
    try:
        with pytest.raises(ValueError, match="already registered"):
            register_backend("echo-test", lambda **kw: FakeBackend())
        register_backend("Echo-Test", lambda **kw: FakeBackend(["second"], name="echo-test"), replace=True)
        assert create_backend("ECHO-TEST").complete([ChatMessage.user("hi")]).text == "second"
    finally:
        unregister_backend("echo-test")
    assert "echo-test" not in available_backends()
    with pytest.raises(ValueError, match="must be a word"):
        register_backend("bad name!", lambda **kw: FakeBackend())


def test_fake_backend_follows_its_script_and_records_calls() -> None:
    fake = create_backend(
        "fake",
        script=[
            "Hello there.",
            FakeBackend.tool_call("get_latest", call_id="c1", concept="a1c"),
            BackendUnavailable("down", backend="fake"),
            lambda messages, tools: f"{len(messages)} messages, {len(tools)} tools",
        ],
    )
    assert isinstance(fake, FakeBackend)
    assert fake.complete([ChatMessage.user("hi")]).text == "Hello there."
    reply = fake.complete([ChatMessage.user("a1c?")])
    assert reply.wants_tools and reply.tool_calls[0].arguments == {"concept": "a1c"}
    with pytest.raises(BackendUnavailable, match="down"):
        fake.complete([ChatMessage.user("again")])
    assert fake.complete([ChatMessage.system("s"), ChatMessage.user("u")]).text == "2 messages, 0 tools"
    assert [c.messages[-1].content for c in fake.calls] == ["hi", "a1c?", "again", "u"]
    with pytest.raises(BackendProtocolError, match="script exhausted after 4 replies"):
        fake.complete([ChatMessage.user("more")])


def test_fake_stream_gives_word_deltas_then_the_whole_reply() -> None:
    fake = FakeBackend([BackendReply(text="Your value is normal.")])
    events = list(fake.stream([ChatMessage.user("x")]))
    assert events[:-1] == ["Your ", "value ", "is ", "normal."]
    assert isinstance(events[-1], StreamDone) and events[-1].reply.text == "Your value is normal."
