"""A scripted chat backend: the seam's stand-in for a model in unit tests and offline demos.

It answers from a list, in order: a string is a plain reply, a ``BackendReply`` is returned as is (tool
calls included), an exception instance is raised (to test the fallbacks), and a callable is given the
messages and tools and returns either. Every call is recorded so a test can assert what the model would
have seen, for instance that pseudonymisation really ran before a "remote" call.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.backends.base import (
    BackendError,
    BackendProtocolError,
    BackendReply,
    ChatMessage,
    StreamDone,
    StreamEvent,
    ToolCall,
    ToolSpec,
    Usage,
)

__all__ = ["FakeBackend", "FakeCall", "ScriptItem"]

ScriptItem = (
    str
    | BackendReply
    | BackendError
    | Callable[[Sequence[ChatMessage], Sequence[ToolSpec]], "str | BackendReply"]
)
_ids = itertools.count(1)


@dataclass(frozen=True)
class FakeCall:
    """What one call was given."""

    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolSpec, ...]
    streamed: bool


class FakeBackend:
    def __init__(
        self,
        script: Iterable[ScriptItem] = (),
        *,
        name: str = "fake",
        remote: bool = False,
        model: str = "fake-model",
    ) -> None:
        self._script = list(script)
        self._name = name
        self._remote = remote
        self.model = model
        self.calls: list[FakeCall] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def remote(self) -> bool:
        return self._remote

    @property
    def remaining(self) -> int:
        return len(self._script)

    def add(self, *items: ScriptItem) -> FakeBackend:
        self._script.extend(items)
        return self

    @staticmethod
    def tool_call(name: str, call_id: str | None = None, **arguments: Any) -> BackendReply:
        """A reply asking for one tool, as a model would."""
        call = ToolCall(call_id or f"call_{next(_ids)}", name, arguments)
        return BackendReply(text="", tool_calls=(call,), finish_reason="tool_calls")

    def complete(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()) -> BackendReply:
        self.calls.append(FakeCall(tuple(messages), tuple(tools), streamed=False))
        return self._next(messages, tools)

    def stream(
        self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()
    ) -> Iterator[StreamEvent]:
        self.calls.append(FakeCall(tuple(messages), tuple(tools), streamed=True))
        reply = self._next(messages, tools)
        # Word-sized deltas (each keeps its trailing space), like a real server's token stream.
        yield from re.findall(r"\S+\s*|\s+", reply.text)
        yield StreamDone(reply)

    def _next(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> BackendReply:
        if not self._script:
            raise BackendProtocolError(
                f"fake backend script exhausted after {len(self.calls) - 1} replies", backend=self._name
            )
        item = self._script.pop(0)
        if isinstance(item, BackendError):
            raise item
        if callable(item) and not isinstance(item, BackendReply):
            item = item(messages, tools)
        if isinstance(item, str):
            words = len(item.split())
            return BackendReply(text=item, usage=Usage(_prompt_size(messages), words), model=self.model)
        return item


def _prompt_size(messages: Sequence[ChatMessage]) -> int:
    return sum(len(m.content.split()) for m in messages)
