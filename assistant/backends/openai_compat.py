"""Any OpenAI-compatible chat endpoint (OpenAI, Azure, Mistral, vLLM, Ollama, llama.cpp) behind the seam.

langchain-openai's ``ChatOpenAI(base_url=...)`` does the HTTP, streaming and tool-call parsing; this
module translates our message and tool types in and out, and turns every failure into one of the three
typed backend errors so the assistant can fall back to its offline answer and say why. The SDK is
imported lazily: an offline installation never loads it.

Choices that matter for a patient-facing service:
- ``max_retries`` defaults to 0: a retry multiplies the patient's wait, and the offline answer is ready.
- the API key is always passed explicitly (a placeholder for local servers), so a key lying in the
  environment is never sent to a server it was not meant for.
- ``remote`` is false only for loopback hosts; anything else is treated as leaving the machine.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.backends.base import (
    BackendError,
    BackendProtocolError,
    BackendReply,
    BackendTimeout,
    BackendUnavailable,
    ChatMessage,
    InvalidToolCall,
    StreamDone,
    StreamEvent,
    ToolCall,
    ToolSpec,
    Usage,
    finish_reason,
)
from assistant.backends.tool_args import find_tool, validate_arguments

if TYPE_CHECKING:
    import httpx
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

__all__ = ["LOCAL_API_KEY", "OpenAICompatBackend", "is_loopback_url"]

# Local servers (llama.cpp, Ollama, vLLM) ignore the key but the SDK insists on one.
LOCAL_API_KEY = "not-needed"


def is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class OpenAICompatBackend:
    """Chat completions with tool calling over an OpenAI-compatible ``/v1`` endpoint.

    ``timeout`` bounds connecting and each read (so, for a stream, the wait for every next token).
    ``stream_with_tools=False`` is for servers that cannot stream while tools are offered: such calls are
    made whole, and only calls without tools stream. ``llama_cpp_compat=True`` adapts requests to
    llama-cpp-python's server (see ``llama_cpp_compat``) and implies ``stream_with_tools=False``.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 30.0,
        temperature: float = 0.2,
        max_tokens: int = 512,
        *,
        max_retries: int = 0,
        seed: int | None = None,
        name: str = "openai",
        transport: httpx.BaseTransport | None = None,
        stream_with_tools: bool | None = None,
        llama_cpp_compat: bool = False,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"LLM base URL must be http(s)://host[:port]/..., got {base_url!r}")
        if not model.strip():
            raise ValueError("LLM model name is empty")
        if timeout <= 0:
            raise ValueError(f"LLM timeout must be positive, got {timeout}")
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.max_retries = max_retries
        self.seed = seed
        self._api_key = api_key or LOCAL_API_KEY
        self._name = name
        self.llama_cpp_compat = llama_cpp_compat
        self.stream_with_tools = (not llama_cpp_compat) if stream_with_tools is None else stream_with_tools
        if llama_cpp_compat:
            from assistant.backends.llama_cpp_compat import LlamaCppTransport

            transport = LlamaCppTransport(transport)
        self._transport = transport  # tests pass httpx.MockTransport
        self._chat: BaseChatModel | None = None

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatBackend(base_url={self.base_url!r}, model={self.model!r}, remote={self.remote})"

    @property
    def name(self) -> str:
        return self._name

    @property
    def remote(self) -> bool:
        return not is_loopback_url(self.base_url)

    def complete(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()) -> BackendReply:
        runnable = self._runnable(tools)
        payload = to_langchain(messages)
        try:
            with _no_tracing():
                message = runnable.invoke(payload)
        except Exception as exc:
            raise self._map_error(exc) from exc
        return self._reply(message, tools)

    def stream(
        self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()
    ) -> Iterator[StreamEvent]:
        if tools and not self.stream_with_tools:
            # Some servers cannot stream a reply that may be a tool call (llama-cpp-python answers
            # "Automatic streaming tool choice is not supported"): ask once, hand the text over whole.
            reply = self.complete(messages, tools)
            if reply.text:
                yield reply.text
            yield StreamDone(reply)
            return
        runnable = self._runnable(tools)
        payload = to_langchain(messages)
        merged: Any = None
        try:
            with _no_tracing():
                for chunk in runnable.stream(payload):
                    merged = chunk if merged is None else merged + chunk
                    delta = chunk.content if isinstance(chunk.content, str) else ""
                    if delta:
                        yield delta
        except BackendError:
            raise
        except Exception as exc:
            raise self._map_error(exc) from exc
        if merged is None:
            raise BackendProtocolError("the LLM server closed the stream without a reply", backend=self.name)
        yield StreamDone(self._reply(merged, tools))

    # -- langchain plumbing -------------------------------------------------------------------------

    def _model(self) -> BaseChatModel:
        if self._chat is None:
            try:
                from langchain_openai import ChatOpenAI
            except ImportError as exc:  # pragma: no cover - depends on the installation
                raise BackendUnavailable(
                    "the OpenAI-compatible backend needs langchain-openai (pip install langchain-openai)",
                    backend=self.name,
                ) from exc
            options: dict[str, Any] = {}
            if self.seed is not None:
                options["seed"] = self.seed
            if self._transport is not None:
                import httpx

                options["http_client"] = httpx.Client(transport=self._transport)
            self._chat = ChatOpenAI(
                model=self.model,
                base_url=self.base_url,
                api_key=self._api_key,
                timeout=self.timeout,
                max_retries=self.max_retries,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                stream_usage=True,
                **options,
            )
        return self._chat

    def _runnable(self, tools: Sequence[ToolSpec]) -> Any:
        chat = self._model()
        if not tools:
            return chat
        # "auto" is OpenAI's default, but some servers (llama-cpp-python's function-calling formats)
        # ignore the tools entirely unless tool_choice is sent explicitly.
        return chat.bind_tools([t.as_openai() for t in tools], tool_choice="auto")

    def _reply(self, message: Any, tools: Sequence[ToolSpec]) -> BackendReply:
        calls: list[ToolCall] = []
        invalid: list[InvalidToolCall] = []
        for raw in getattr(message, "tool_calls", None) or []:
            call_id = raw.get("id") or f"call_{uuid.uuid4().hex[:12]}"
            name, args = raw.get("name"), raw.get("args") or {}
            problem = _check_call(name, args, tools)
            if problem:
                invalid.append(InvalidToolCall(name, json.dumps(args), problem, id=call_id))
            else:
                calls.append(ToolCall(call_id, str(name), dict(args)))
        for raw in getattr(message, "invalid_tool_calls", None) or []:
            invalid.append(
                InvalidToolCall(
                    raw.get("name"),
                    str(raw.get("args") or ""),
                    f"arguments are not valid JSON: {raw.get('error') or 'could not parse'}",
                    id=raw.get("id") or f"call_{uuid.uuid4().hex[:12]}",
                )
            )
        content = message.content if isinstance(message.content, str) else _join_parts(message.content)
        meta: Mapping[str, Any] = getattr(message, "response_metadata", None) or {}
        usage_meta: Mapping[str, Any] = getattr(message, "usage_metadata", None) or {}
        reason = finish_reason(meta.get("finish_reason"))
        if reason == "unknown" and (calls or invalid):
            reason = "tool_calls"
        elif reason == "unknown" and meta.get("finish_reason") is None:
            reason = "stop"
        return BackendReply(
            text=content,
            tool_calls=tuple(calls),
            invalid_tool_calls=tuple(invalid),
            usage=Usage(int(usage_meta.get("input_tokens", 0)), int(usage_meta.get("output_tokens", 0))),
            finish_reason=reason,
            model=meta.get("model_name") or self.model,
        )

    def _map_error(self, exc: Exception) -> BackendError:
        return map_openai_error(exc, backend=self.name, base_url=self.base_url, timeout=self.timeout)


@contextmanager
def _no_tracing() -> Iterator[None]:
    """Never let LangSmith tracing (switched on by environment variables such as LANGSMITH_TRACING) post
    conversations, i.e. patient data, to a tracing service: measured, it does so for every call."""
    from langsmith import tracing_context

    with tracing_context(enabled=False):
        yield


def _check_call(name: Any, args: Any, tools: Sequence[ToolSpec]) -> str | None:
    spec = find_tool(name if isinstance(name, str) else None, tools)
    if spec is None:
        offered = ", ".join(t.name for t in tools) or "none"
        return f"unknown tool {name!r} (tools offered: {offered})"
    if not isinstance(args, Mapping):
        return "arguments must be a JSON object"
    return validate_arguments(spec, args)


def _join_parts(parts: Any) -> str:
    """Some servers answer content as a list of parts; keep the text ones."""
    out = []
    for part in parts or []:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Mapping) and part.get("type") == "text":
            out.append(str(part.get("text", "")))
    return "".join(out)


def to_langchain(messages: Sequence[ChatMessage]) -> list[BaseMessage]:
    """Our messages as langchain's (imported here, so the offline path never loads langchain)."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    out: list[BaseMessage] = []
    for m in messages:
        if m.role == "system":
            out.append(SystemMessage(m.content))
        elif m.role == "user":
            out.append(HumanMessage(m.content))
        elif m.role == "assistant":
            out.append(
                AIMessage(
                    m.content,
                    tool_calls=[
                        {"name": c.name, "args": dict(c.arguments), "id": c.id, "type": "tool_call"}
                        for c in m.tool_calls
                    ],
                )
            )
        else:
            if not m.tool_call_id:
                raise ValueError("a tool message needs the id of the call it answers")
            out.append(ToolMessage(m.content, tool_call_id=m.tool_call_id, name=m.name))
    return out


def map_openai_error(exc: Exception, *, backend: str, base_url: str, timeout: float) -> BackendError:
    """One typed error per way a call can fail; the message is one sentence a log reader understands."""
    import httpx
    import openai

    where = urlsplit(base_url).netloc
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return BackendTimeout(f"the LLM at {where} did not answer within {timeout:g} s", backend=backend)
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return BackendUnavailable(
            f"could not reach the LLM at {where} ({_cause(exc)})", backend=backend, detail=repr(exc)
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _body(exc)
        if status in (400, 413, 422):
            return BackendProtocolError(
                f"the LLM at {where} rejected the request (HTTP {status}): {detail}",
                backend=backend,
                detail=detail,
            )
        if status in (401, 403):
            what = "refused the API key"
        elif status == 404:
            what = "does not serve this model or path"
        elif status == 429:
            what = "is rate limiting or out of quota"
        elif status >= 500:
            what = "failed"
        else:
            what = "answered with an error"
        return BackendUnavailable(
            f"the LLM at {where} {what} (HTTP {status}): {detail}", backend=backend, detail=detail
        )
    return BackendProtocolError(
        f"the LLM at {where} answered in a shape that could not be read ({type(exc).__name__}: {exc})"[:400],
        backend=backend,
        detail=repr(exc),
    )


def _cause(exc: BaseException) -> str:
    """The innermost cause (``ConnectError: [Errno 111] Connection refused``), which says what happened."""
    seen = exc
    while True:
        inner = seen.__cause__ or seen.__context__
        if inner is None:
            break
        seen = inner
    return f"{type(seen).__name__}: {seen}"[:200] if seen is not exc else str(exc)[:200]


def _body(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        message = body.get("message") or body.get("detail") or body.get("error") or body
        if isinstance(message, Mapping):
            message = message.get("message", message)
        return str(message)[:300]
    return str(getattr(exc, "message", exc))[:300]
