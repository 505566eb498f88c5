"""Language-model backends behind one narrow seam (``ChatBackend``), created by name.

``create_backend("openai", base_url=..., model=..., api_key=...)`` gives any OpenAI-compatible endpoint
with tool calling; ``create_backend("llama-cpp", ...)`` the same adapted to llama-cpp-python's server;
``create_backend("fake", script=[...])`` a scripted stand-in for tests. The offline
composer is not a chat backend: it needs no model at all and lives in ``assistant.composer``.
"""

from __future__ import annotations

from typing import Any

from assistant.backends.base import (
    BackendError,
    BackendProtocolError,
    BackendReply,
    BackendTimeout,
    BackendUnavailable,
    ChatBackend,
    ChatMessage,
    FinishReason,
    InvalidToolCall,
    Role,
    StreamDone,
    StreamEvent,
    ToolCall,
    ToolSpec,
    Usage,
)
from assistant.backends.fake import FakeBackend, FakeCall
from assistant.backends.registry import (
    UnknownBackend,
    available_backends,
    create_backend,
    register_backend,
    unregister_backend,
)
from assistant.backends.tool_args import validate_arguments


def _openai(**options: Any) -> ChatBackend:
    # Imported on use: the module is light, but keeping the factory lazy keeps the rule simple.
    from assistant.backends.openai_compat import OpenAICompatBackend

    return OpenAICompatBackend(**options)


def _llama_cpp(**options: Any) -> ChatBackend:
    """An OpenAI-compatible backend adapted to llama-cpp-python's server (``llama_cpp.server``)."""
    from assistant.backends.openai_compat import OpenAICompatBackend

    options.setdefault("name", "llama-cpp")
    return OpenAICompatBackend(llama_cpp_compat=True, **options)


def _fake(**options: Any) -> ChatBackend:
    return FakeBackend(**options)


register_backend("openai", _openai, replace=True)
register_backend("llama-cpp", _llama_cpp, replace=True)
register_backend("fake", _fake, replace=True)

__all__ = [
    "BackendError",
    "BackendProtocolError",
    "BackendReply",
    "BackendTimeout",
    "BackendUnavailable",
    "ChatBackend",
    "ChatMessage",
    "FakeBackend",
    "FakeCall",
    "FinishReason",
    "InvalidToolCall",
    "Role",
    "StreamDone",
    "StreamEvent",
    "ToolCall",
    "ToolSpec",
    "UnknownBackend",
    "Usage",
    "available_backends",
    "create_backend",
    "register_backend",
    "unregister_backend",
    "validate_arguments",
]
