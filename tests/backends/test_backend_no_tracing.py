"""LangSmith tracing, switched on by environment variables, would post every conversation (patient
data) to a tracing service. The backend turns it off around its calls; a real HTTP server on 127.0.0.1
stands in for the tracing service, and a control call through plain langchain proves tracing is live."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import httpx
import pytest

from assistant.backends import ChatMessage, StreamDone
from assistant.backends.openai_compat import OpenAICompatBackend


class _Recorder(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        type(self).paths.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PATCH = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tracing_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    from langsmith import utils as ls_utils

    _Recorder.paths = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("LANGSMITH_TRACING", "true")
    monkeypatch.setenv("LANGSMITH_API_KEY", "lsv2_test_key")
    monkeypatch.setenv("LANGSMITH_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    ls_utils.get_env_var.cache_clear()
    try:
        yield _Recorder.paths
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.undo()
        ls_utils.get_env_var.cache_clear()


def _completion(request: httpx.Request) -> httpx.Response:
    if b'"stream":true' in request.content.replace(b" ", b""):
        body = (
            'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
            '"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
        )
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})
    return httpx.Response(
        200,
        json={
            "id": "1",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
            ],
        },
    )


def _settle(paths: list[str], expect_some: bool) -> None:
    from langchain_core.tracers.langchain import wait_for_all_tracers

    wait_for_all_tracers()
    deadline = time.monotonic() + 3
    while expect_some and not any(p.startswith("/runs") for p in paths) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_no_conversation_reaches_a_tracing_service(tracing_service: list[str]) -> None:
    from langchain_openai import ChatOpenAI

    # Control: plain langchain with the same environment does post the run.
    raw = ChatOpenAI(
        model="m",
        base_url="http://127.0.0.1:9/v1",
        api_key="x",  # type: ignore[arg-type]
        http_client=httpx.Client(transport=httpx.MockTransport(_completion)),
    )
    raw.invoke("Emery Purdy, control call")
    _settle(tracing_service, expect_some=True)
    assert any(p.startswith("/runs") for p in tracing_service), tracing_service
    tracing_service.clear()

    backend = OpenAICompatBackend("http://127.0.0.1:9/v1", "m", transport=httpx.MockTransport(_completion))
    assert backend.complete([ChatMessage.user("Emery Purdy, my A1c?")]).text == "ok"
    events = list(backend.stream([ChatMessage.user("Emery Purdy, my A1c?")]))
    assert isinstance(events[-1], StreamDone) and events[-1].reply.text == "ok"
    _settle(tracing_service, expect_some=False)
    time.sleep(0.5)
    assert not any(p.startswith("/runs") for p in tracing_service), tracing_service
