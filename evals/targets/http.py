"""Drive a running clinic API over HTTP with the contract paths of issue #7.

``POST /v1/sessions`` → ``{"session_id": …}``; ``POST /v1/sessions/{id}/messages`` with ``{"text", "language"}``
→ the Turn JSON, validated with the very model the assistant returns, so a field the API drops or renames
fails here. Tokens are bound to one patient: pass one token (every case then runs as that patient) or a
function ``patient_server_id -> token`` (e.g. one that runs ``health-assistant token issue``).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import ValidationError

from assistant.schemas import Language, Turn
from evals.cases import Case
from evals.records import PatientDirectory
from evals.targets.base import TargetError, TargetUnavailable

__all__ = ["HttpTarget"]

TokenSource = str | Callable[[str], str]


class HttpTarget:
    def __init__(
        self,
        base_url: str,
        token: TokenSource,
        directory: PatientDirectory,
        *,
        default_patient: str,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        max_rate_limit_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._max_wait = max_rate_limit_wait
        self._sleep = sleep
        self._base = base_url.rstrip("/")
        self._token = token
        self._directory = directory
        self._default = default_patient
        self._tokens: dict[str, str] = {}
        self._session_tokens: dict[str, str] = {}
        self._http = httpx.Client(base_url=self._base, timeout=timeout, transport=transport)

    @property
    def name(self) -> str:
        return f"api {self._base}"

    def _token_for(self, case: Case) -> str:
        if isinstance(self._token, str):
            return self._token
        server_id = self._directory.server_id(case.patient or self._default)
        if server_id not in self._tokens:
            try:
                self._tokens[server_id] = self._token(server_id)
            except Exception as exc:
                raise TargetUnavailable(f"could not get a token for Patient/{server_id}: {exc}") from exc
        return self._tokens[server_id]

    def _post(self, path: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        waited = 0.0
        while True:
            try:
                resp = self._http.post(path, json=body or {}, headers={"Authorization": f"Bearer {token}"})
            except httpx.TransportError as exc:
                raise TargetUnavailable(f"cannot reach the API at {self._base}: {exc}") from exc
            if resp.status_code != 429:
                break
            # The clinic's rate limit is doing its job: a well-behaved client waits as told and retries.
            # An eval sends many cases through one patient's token, so it meets the limit by design.
            delay = _retry_after(resp)
            if waited + delay > self._max_wait:
                raise TargetError(f"POST {path} → 429 for over {self._max_wait:.0f} s: {_detail(resp)}")
            self._sleep(delay)
            waited += delay
        if resp.status_code in (401, 403):
            raise TargetError(f"POST {path} → {resp.status_code}: the token was refused ({_detail(resp)})")
        if resp.status_code >= 400:
            raise TargetError(f"POST {path} → {resp.status_code}: {_detail(resp)}")
        try:
            data = resp.json()
        except json.JSONDecodeError:
            raise TargetError(f"POST {path} → {resp.status_code} but the body is not JSON") from None
        if not isinstance(data, dict):
            raise TargetError(f"POST {path} returned a JSON {type(data).__name__}, expected an object")
        return data

    def open_session(self, case: Case) -> str:
        if case.record_patch:
            raise TargetError(
                f"case {case.id} plants resources in the record; against an API they must be loaded into its "
                "FHIR server first (run such suites in process, or patch the server yourself)"
            )
        token = self._token_for(case)
        data = self._post("/v1/sessions", token)
        session_id = data.get("session_id")
        if not isinstance(session_id, str) or not session_id:
            raise TargetError(f"POST /v1/sessions returned no session_id: {data}")
        self._session_tokens[session_id] = token
        return session_id

    def send(self, session_id: str, text: str, language: Language) -> Turn:
        token = self._session_tokens.get(session_id)
        if token is None:
            raise TargetError(f"no open session {session_id}")
        data = self._post(f"/v1/sessions/{session_id}/messages", token, {"text": text, "language": language})
        try:
            return Turn.model_validate(data)
        except ValidationError as exc:
            raise TargetError(f"the API's reply is not a valid Turn: {exc.errors()[0]['msg']}") from None

    def close(self) -> None:
        for session_id, token in self._session_tokens.items():
            # Best effort: the API's retention policy cleans up whatever is left.
            with contextlib.suppress(httpx.HTTPError):
                self._http.delete(f"/v1/sessions/{session_id}", headers={"Authorization": f"Bearer {token}"})
        self._session_tokens.clear()
        self._http.close()


def _retry_after(resp: httpx.Response) -> float:
    """Seconds from ``Retry-After`` (delta-seconds form), at least 0.1, 1 s when absent or unreadable."""
    try:
        return max(0.1, float(resp.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _detail(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except json.JSONDecodeError:
        return resp.text[:200] or resp.reason_phrase
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body.get("code") or body)[:200]
    return str(body)[:200]
