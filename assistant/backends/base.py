"""The narrow seam between the assistant and any language model.

The assistant talks to models only through ``ChatBackend``: our own small message and tool types go in,
a ``BackendReply`` comes out, and every failure is one of three typed errors. Keeping langchain (or any
SDK) behind this seam means the rest of the code, its tests and its audit trail never depend on a
vendor's types, and a scripted fake can stand in for a model through the very same interface.

Each error says how the assistant should react: all three mean "answer with the offline composer and
flag it", and ``flag`` is the short code that goes into ``safety.flags``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

__all__ = [
    "BackendError",
    "BackendProtocolError",
    "BackendReply",
    "BackendTimeout",
    "BackendUnavailable",
    "ChatBackend",
    "ChatMessage",
    "FinishReason",
    "InvalidToolCall",
    "Role",
    "StreamDone",
    "StreamEvent",
    "ToolCall",
    "ToolSpec",
    "Usage",
    "finish_reason",
]

Role = Literal["system", "user", "assistant", "tool"]
# "stop" = the model finished; "length" = it hit max_tokens (the text is cut); "tool_calls" = it wants
# tools run; "content_filter" = the provider withheld it; "unknown" = the server said something else.
FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "unknown"]
_FINISH_REASONS: frozenset[str] = frozenset({"stop", "length", "tool_calls", "content_filter"})


def finish_reason(raw: object) -> FinishReason:
    """Servers disagree on spelling ("function_call", "eos", None); anything unknown stays visible."""
    if raw in _FINISH_REASONS:
        return raw  # type: ignore[return-value]
    if raw in ("function_call", "tool_call"):
        return "tool_calls"
    if raw in ("eos", "end_turn", "stop_sequence"):
        return "stop"
    if raw in ("max_tokens",):
        return "length"
    return "unknown"


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: a name, what it is for, and a JSON schema of its arguments.

    Schemas are flat objects of simple values with ``additionalProperties: false``, so a model cannot
    smuggle in an argument (such as a patient id) that the tool does not declare.
    """

    name: str
    description: str
    parameters: Mapping[str, Any]

    def as_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }


@dataclass(frozen=True)
class ToolCall:
    """A well-formed request from the model to run one known tool with schema-valid arguments."""

    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class InvalidToolCall:
    """A tool call the model got wrong: kept, never executed, reported as a protocol problem.

    ``source`` tells whether it came through the tool-calling channel ("structured", so it has an id the
    model expects an answer to) or was written into the reply text ("text").
    """

    name: str | None
    raw_arguments: str
    reason: str
    id: str | None = None
    source: Literal["structured", "text"] = "structured"


@dataclass(frozen=True)
class ChatMessage:
    """One message of a conversation, in our own terms (not langchain's)."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # for role="tool": which call this answers
    name: str | None = None  # for role="tool": the tool's name

    @classmethod
    def system(cls, content: str) -> ChatMessage:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> ChatMessage:
        return cls("user", content)

    @classmethod
    def assistant(cls, content: str, tool_calls: Sequence[ToolCall] = ()) -> ChatMessage:
        return cls("assistant", content, tuple(tool_calls))

    @classmethod
    def tool(cls, call_id: str, name: str, content: str) -> ChatMessage:
        return cls("tool", content, tool_call_id=call_id, name=name)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens
        )


@dataclass(frozen=True)
class BackendReply:
    """What one model call produced. ``invalid_tool_calls`` are protocol problems, not exceptions,
    so that a weak model's mistake costs one round, not the turn."""

    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    invalid_tool_calls: tuple[InvalidToolCall, ...] = ()
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    model: str | None = None

    @property
    def wants_tools(self) -> bool:
        return bool(self.tool_calls or any(c.source == "structured" for c in self.invalid_tool_calls))


@dataclass(frozen=True)
class StreamDone:
    """Last event of a stream: the whole reply, assembled, with tool calls parsed like ``complete``."""

    reply: BackendReply


# A stream yields text deltas (str) as they arrive, then exactly one StreamDone.
StreamEvent = str | StreamDone


class BackendError(Exception):
    """Base of the three failures the assistant turns into "answer offline and flag it"."""

    flag = "llm-error"

    def __init__(self, message: str, *, backend: str = "", detail: str | None = None) -> None:
        super().__init__(message)
        self.backend = backend
        self.detail = detail


class BackendUnavailable(BackendError):
    """The model could not be reached or refused to serve (connection, auth, quota, 5xx, unknown model)."""

    flag = "llm-unavailable"


class BackendTimeout(BackendError):
    """The model did not answer in time; the turn must not wait for it any longer."""

    flag = "llm-timeout"


class BackendProtocolError(BackendError):
    """The model or server answered, but not in a shape we can trust (bad JSON, rejected request,
    tool calls that never converge)."""

    flag = "llm-protocol"


@runtime_checkable
class ChatBackend(Protocol):
    """What the assistant needs from a model. Implementations raise only ``BackendError`` subclasses.

    ``remote`` is true when messages leave this machine: the assistant pseudonymises before calling such
    a backend.
    """

    @property
    def name(self) -> str: ...

    @property
    def remote(self) -> bool: ...

    def complete(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()) -> BackendReply: ...

    def stream(
        self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()
    ) -> Iterator[StreamEvent]: ...
