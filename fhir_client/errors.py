"""The error tree of ``fhir_client``.

Callers catch by meaning, not by HTTP status::

    FhirError                       anything this package raises
    ├── RecordLoadError             a Bundle/record could not be read at all (bad input: exit code 2)
    ├── FhirTransportError          the server could not be reached or answered too late (exit code 3)
    │   └── FhirTimeout
    ├── FhirProtocolError           the server answered, but not as FHIR says (not JSON, not a Bundle,
    │                               paging that goes round in circles, an invalid resource)
    ├── SmartAuthError              a SMART sign-in or token request failed (token endpoint refused,
    │                               discovery missing, state mismatch) — before any FHIR request
    └── FhirHTTPError               the server answered with an error status (+ its OperationOutcome)
        ├── FhirAuthError           401: credentials missing, expired or rejected
        ├── FhirForbidden           403: authenticated but not allowed
        ├── FhirNotFound            404 / 410: no such resource (410: deleted)
        │   └── FhirGone            410
        ├── FhirConflict            409 / 412: someone changed it first (version or uniqueness)
        │   └── FhirPreconditionFailed   412: If-Match version is stale
        ├── FhirUnprocessable       422 (and 400): the server rejected the content; see ``issues``
        └── FhirServerError         5xx: the server failed (exit code 3)

Every message names what failed in words a user can act on, e.g.
"updating Slot/s1 failed: it was changed by someone else since it was read (HTTP 412); read it again
and retry". ``fhir_client.error_mapping`` builds these from a response or a transport failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class FhirError(Exception):
    """Base of everything ``fhir_client`` raises."""

    #: Exit code a CLI should use for this error (2 bad input, 3 upstream failure).
    exit_code: int = 3


class RecordLoadError(FhirError):
    """A record could not be loaded at all (not JSON, not a Bundle, no Patient)."""

    exit_code = 2


class FhirTransportError(FhirError):
    """No usable answer from the server: connection refused, DNS, TLS, broken connection."""


class FhirTimeout(FhirTransportError):
    """The server did not answer within the configured timeout."""


class FhirProtocolError(FhirError):
    """The server answered, but not in a way FHIR allows; retrying the same request will not help."""


class SmartAuthError(FhirError):
    """Getting an access token failed. ``status``/``error`` hold the token endpoint's answer, if any."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error


@dataclass(frozen=True)
class OutcomeIssue:
    """One ``OperationOutcome.issue``: what the server said went wrong, and where."""

    severity: str
    code: str
    diagnostics: str | None = None
    expression: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        where = f" at {', '.join(self.expression)}" if self.expression else ""
        text = self.diagnostics or self.code
        return f"{text}{where}"

    @property
    def is_error(self) -> bool:
        return self.severity in ("error", "fatal")

    @classmethod
    def from_json(cls, issue: Mapping[str, Any]) -> OutcomeIssue:
        """Read one issue; ``details.text`` stands in when ``diagnostics`` is absent (Medplum uses it)."""
        details = issue.get("details")
        details_text = details.get("text") if isinstance(details, Mapping) else None
        diagnostics = issue.get("diagnostics")
        text = diagnostics if isinstance(diagnostics, str) and diagnostics else details_text
        where = issue.get("expression") or issue.get("location") or []
        expression = tuple(str(e) for e in where) if isinstance(where, list) else ()
        return cls(
            severity=str(issue.get("severity") or "error"),
            code=str(issue.get("code") or "unknown"),
            diagnostics=text if isinstance(text, str) and text else None,
            expression=expression,
        )


def issues_from_outcome(body: Any) -> list[OutcomeIssue]:
    """The issues of an OperationOutcome, or ``[]`` when ``body`` is not one."""
    if not isinstance(body, Mapping) or body.get("resourceType") != "OperationOutcome":
        return []
    raw = body.get("issue")
    if not isinstance(raw, list):
        return []
    return [OutcomeIssue.from_json(i) for i in raw if isinstance(i, Mapping)]


class FhirHTTPError(FhirError):
    """The server answered with an error status. ``issues`` holds its OperationOutcome, if any."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str = "",
        url: str = "",
        issues: list[OutcomeIssue] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url
        self.issues: list[OutcomeIssue] = issues or []


class FhirAuthError(FhirHTTPError):
    """401: the credentials are missing, expired or rejected."""


class FhirForbidden(FhirHTTPError):
    """403: the credentials are valid but do not allow this."""


class FhirNotFound(FhirHTTPError):
    """404 or 410: there is no such resource."""


class FhirGone(FhirNotFound):
    """410: the resource existed and was deleted."""


class FhirConflict(FhirHTTPError):
    """409 or 412: the resource was changed by someone else, or a uniqueness rule was hit."""


class FhirPreconditionFailed(FhirConflict):
    """412: the If-Match version is stale (or a conditional create matched several resources)."""


class FhirUnprocessable(FhirHTTPError):
    """400 or 422: the server rejected the request content."""


class FhirServerError(FhirHTTPError):
    """5xx: the server failed while handling the request."""
