"""Errors as ``application/problem+json`` (RFC 9457) with a stable machine-readable ``code``.

Clinics branch on ``code`` (never on the English ``title`` or ``detail``), so codes are a contract: add
new ones, never rename. Every error the API can return goes through ``ApiProblem`` or one of the
handlers below, so a framework default (``{"detail": ...}`` JSON, an HTML 500) never reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://health-assistant.example/problems/"


class Code(StrEnum):
    """Stable error codes. The HTTP status goes with the code and never changes for a given code."""

    UNAUTHENTICATED = "unauthenticated"  # 401: no bearer token
    INVALID_TOKEN = "invalid_token"  # 401: unknown, malformed, expired, revoked or badly signed
    INSUFFICIENT_SCOPE = "insufficient_scope"  # 403: the token does not grant this
    NOT_FOUND = "not_found"  # 404: no such route or resource (for this patient)
    SESSION_NOT_FOUND = "session_not_found"  # 404: no such session for this patient
    APPOINTMENT_NOT_FOUND = "appointment_not_found"  # 404
    SLOT_NOT_FOUND = "slot_not_found"  # 404
    UNKNOWN_CODE = "unknown_code"  # 404: no observation with that code in this record
    RECORD_NOT_FOUND = "record_not_found"  # 404: the token's patient is not on the FHIR server
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    SLOT_UNAVAILABLE = "slot_unavailable"  # 409: taken meanwhile, or not bookable
    CONFIRMATION_REQUIRED = "confirmation_required"  # 422: booking without "confirm": true
    EMPTY_MESSAGE = "empty_message"  # 422: only spaces and invisible characters in the message
    NOT_PENDING = "not_pending"  # 409: a booking command the conversation is not waiting for
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"  # 415
    VALIDATION_ERROR = "validation_error"  # 422: body, query or path parameters are invalid
    RATE_LIMITED = "rate_limited"  # 429 with Retry-After
    INTERNAL_ERROR = "internal_error"  # 500
    UPSTREAM_UNAVAILABLE = "upstream_unavailable"  # 502: the FHIR server failed or timed out
    SEARCH_UNAVAILABLE = "search_unavailable"  # 503: the record index is not available
    BOOKING_UNAVAILABLE = "booking_unavailable"  # 503: scheduling is not configured for this patient
    AUTH_UNAVAILABLE = "auth_unavailable"  # 503: the SMART issuer's keys cannot be fetched
    CONSENT_REQUIRED = "consent_required"  # 403: the patient has not consented (``purpose`` says to what)
    CONSENT_NOT_APPLICABLE = "consent_not_applicable"  # 409: consents come with a SMART sign-in only
    NOT_READY = "not_ready"  # 503: /readyz when a dependency is down


class Problem(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_TYPE_BASE + "session_not_found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "no session 5b0c2f9e-1d7a-4c1e-9a57-0d3f5e2b8a61 for this patient",
                    "code": "session_not_found",
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the problem kind (ends with the code).")
    title: str = Field(description="Short human summary of the HTTP status.")
    status: int = Field(description="The HTTP status code, repeated for convenience.")
    detail: str = Field(description="What failed, in one sentence a developer can act on.")
    code: Code = Field(description="Stable machine-readable code; branch on this.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For validation errors: each failing field with its location."
    )
    purpose: str | None = Field(
        default=None,
        description="For consent_required: which consent is missing (record-access or remote-llm).",
    )


class ApiProblem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: Code,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
        purpose: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = errors
        self.purpose = purpose


def problem_response(
    status: int,
    code: Code,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
    purpose: str | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_TYPE_BASE + code.value,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        errors=errors,
        purpose=purpose,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_JSON,
    )


def unauthorized(code: Code, detail: str) -> ApiProblem:
    """401 with the RFC 6750 challenge, so generic OAuth clients know to refresh or re-authenticate."""
    challenge = 'Bearer realm="health-assistant"'
    if code is Code.INVALID_TOKEN:
        challenge += ', error="invalid_token"'
    return ApiProblem(401, code, detail, headers={"WWW-Authenticate": challenge})


_STATUS_CODES = {
    404: Code.NOT_FOUND,
    405: Code.METHOD_NOT_ALLOWED,
    413: Code.PAYLOAD_TOO_LARGE,
    415: Code.UNSUPPORTED_MEDIA_TYPE,
    429: Code.RATE_LIMITED,
}


def _clean_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Echo where and why, never the rejected value: it may be a long message or someone's data.
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": err.get("type"),
        }
        for err in exc.errors()
    ]


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    notify = getattr(request.app.state, "on_problem", None)
    if notify is not None:
        notify(request, exc.status, exc.code)
    return problem_response(
        exc.status, exc.code, exc.detail, headers=exc.headers, errors=exc.errors, purpose=exc.purpose
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _clean_errors(exc)
    where = ", ".join(".".join(e["loc"]) + ": " + e["msg"] for e in errors[:3])
    return problem_response(422, Code.VALIDATION_ERROR, f"invalid request ({where})", errors=errors)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's "error parsing the body": one code for every bad body
        return problem_response(422, Code.VALIDATION_ERROR, "the request body is not valid JSON")
    code = _STATUS_CODES.get(
        exc.status_code, Code.NOT_FOUND if exc.status_code < 500 else Code.INTERNAL_ERROR
    )
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route {request.method} {request.url.path}"
    return problem_response(exc.status_code, code, detail, headers=exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, Code.INTERNAL_ERROR, "unexpected server error; it has been logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problem statuses a route can return."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
