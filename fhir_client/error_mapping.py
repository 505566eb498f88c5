"""Turn an HTTP status + OperationOutcome, or a transport failure, into the error tree of ``errors.py``.

The message is what a patient-facing command prints as its one line on stderr, so it says which
request failed ("updating Slot/s1"), what that means, and what to do next — never just a status code.
Writes whose outcome is unknown (a timeout after the request left) say so: retrying blindly could book
twice, so the caller is told to read the resource back first.
"""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass

import httpx

from fhir_client.errors import (
    FhirAuthError,
    FhirConflict,
    FhirForbidden,
    FhirGone,
    FhirHTTPError,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirServerError,
    FhirTimeout,
    FhirTransportError,
    FhirUnprocessable,
    OutcomeIssue,
    issues_from_outcome,
)

# Interactions that change the server; when they time out nobody knows whether they were applied.
WRITES = frozenset({"create", "conditional-create", "update", "patch", "delete", "transaction", "batch"})

_VERBS = {
    "read": "reading",
    "vread": "reading",
    "search": "searching",
    "history": "reading the history of",
    "create": "creating",
    "conditional-create": "creating",
    "update": "updating",
    "patch": "patching",
    "delete": "deleting",
    "transaction": "posting",
    "batch": "posting",
    "operation": "running",
    "capabilities": "reading",
    "page": "reading the next page of",
}


@dataclass(frozen=True)
class Action:
    """What a request was trying to do, in words: ``Action("update", "Slot/s1")`` → "updating Slot/s1"."""

    kind: str
    target: str
    writes: bool | None = None

    def __str__(self) -> str:
        return f"{_VERBS.get(self.kind, self.kind)} {self.target}"

    @property
    def is_write(self) -> bool:
        return self.writes if self.writes is not None else self.kind in WRITES

    @property
    def is_instance(self) -> bool:
        """True when the target names one resource (``Type/id``), so a 404 means "no such resource"."""
        return self.kind in ("read", "vread", "update", "patch", "delete", "history") and "/" in self.target


def error_for_response(response: httpx.Response, action: Action) -> FhirHTTPError:
    """The exception for an error response (status >= 400), with the server's OperationOutcome issues."""
    status = response.status_code
    issues = _issues(response)
    detail = _detail(issues, response)
    where = f"{action} failed"
    cls: type[FhirHTTPError]
    if status == 401:
        cls = FhirAuthError
        text = (
            f"{where}: the FHIR server did not accept the credentials (HTTP 401){detail}; "
            "check the access token or sign in again"
        )
    elif status == 403:
        cls = FhirForbidden
        text = (
            f"{where}: these credentials are not allowed to do that (HTTP 403){detail}; "
            "ask for access that covers it"
        )
    elif status == 410:
        cls = FhirGone
        text = f"{where}: {action.target} was deleted on the server (HTTP 410){detail}"
    elif status == 404:
        cls = FhirNotFound
        if action.is_instance:
            text = f"{where}: {action.target} does not exist on the server (HTTP 404){detail}; check the id"
        elif action.kind == "operation":
            text = (
                f"{where}: the server does not offer this operation there, or the resource does not exist "
                f"(HTTP 404){detail}"
            )
        else:
            text = f"{where}: the server has no such resource type or endpoint (HTTP 404){detail}"
    elif status == 412:
        cls = FhirPreconditionFailed
        if action.kind == "conditional-create":
            text = (
                f"{where}: the If-None-Exist search matched more than one resource (HTTP 412){detail}; "
                "make the condition more specific"
            )
        else:
            text = (
                f"{where}: it was changed by someone else since it was read (HTTP 412){detail}; "
                "read it again and retry"
            )
    elif status == 409:
        cls = FhirConflict
        text = (
            f"{where}: it conflicts with what the server holds now (HTTP 409){detail}; "
            "read it again and retry"
        )
    elif status in (400, 422):
        cls = FhirUnprocessable
        text = f"{where}: the server rejected the request (HTTP {status}){detail}; fix it before retrying"
    elif status >= 500:
        cls = FhirServerError
        what = "is unavailable" if status in (502, 503, 504) else "failed while handling it"
        text = f"{where}: the FHIR server {what} (HTTP {status}){detail}; try again later"
    elif status == 429:
        cls = FhirHTTPError
        text = f"{where}: the FHIR server is limiting requests (HTTP 429){detail}; wait a moment and retry"
    elif status == 405:
        cls = FhirHTTPError
        text = f"{where}: the FHIR server does not allow this interaction (HTTP 405){detail}"
    elif 300 <= status < 400:
        cls = FhirHTTPError
        moved = response.headers.get("location") or "another address"
        text = (
            f"{where}: the FHIR server redirected to {moved} (HTTP {status}); "
            "use that address as the FHIR base URL"
        )
    else:
        cls = FhirHTTPError
        text = f"{where}: the FHIR server answered HTTP {status}{detail}"
    return cls(
        text, status=status, method=response.request.method, url=str(response.request.url), issues=issues
    )


def error_for_transport(exc: httpx.TransportError, action: Action, base_url: str) -> FhirTransportError:
    """The exception for a request that got no usable answer (refused, timed out, broken)."""
    unknown = (
        "; the change may or may not have been applied — read it back before retrying"
        if action.is_write
        else ""
    )
    if isinstance(exc, httpx.ConnectTimeout):
        return FhirTimeout(
            f"could not reach the FHIR server at {base_url}: it did not accept a connection in time"
        )
    if isinstance(exc, httpx.TimeoutException):
        return FhirTimeout(f"{action} failed: the FHIR server at {base_url} did not answer in time{unknown}")
    if isinstance(exc, httpx.ConnectError):
        return FhirTransportError(f"could not reach the FHIR server at {base_url}: {_connect_reason(exc)}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return FhirTransportError(
            f"{action} failed: the connection to the FHIR server at {base_url} broke before it answered{unknown}"
        )
    return FhirTransportError(f"{action} failed: no usable answer from the FHIR server at {base_url} ({exc})")


def _connect_reason(exc: BaseException) -> str:
    """Name the usual causes in plain words; fall back to the library's text."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    texts = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or any(
        isinstance(e, OSError) and e.errno == errno.ECONNREFUSED for e in chain
    ):
        return "connection refused — is it running?"
    if "refused" in texts or "all connection attempts failed" in texts:
        return "connection refused — is it running?"
    if "name or service not known" in texts or "nodename nor servname" in texts or "getaddrinfo" in texts:
        return "the host name does not resolve — check the URL"
    if "certificate" in texts or "ssl" in texts or "tls" in texts:
        return "the TLS handshake failed — check the URL and the server's certificate"
    return str(exc) or type(exc).__name__


def _issues(response: httpx.Response) -> list[OutcomeIssue]:
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        return []
    return issues_from_outcome(body)


def _detail(issues: list[OutcomeIssue], response: httpx.Response) -> str:
    """A short ``: reason`` from the OperationOutcome, or from a plain-text body; empty if neither."""
    useful = [i for i in issues if i.is_error] or issues
    texts = [i.describe() for i in useful[:3]]
    # A generic phrase that only repeats the status adds nothing to the sentence.
    texts = [t for t in texts if t.lower() not in _GENERIC]
    if texts:
        return ": " + "; ".join(texts)
    ctype = response.headers.get("content-type", "")
    if ctype.startswith("text/plain") and response.content:
        line = response.text.strip().splitlines()[0] if response.text.strip() else ""
        return f": {line[:200]}" if line else ""
    return ""


_GENERIC = frozenset(
    {
        "not found",
        "unauthorized",
        "forbidden",
        "gone",
        "conflict",
        "precondition failed",
        "internal server error",
        "bad request",
        "processing",
        "not-found",
        "exception",
    }
)
