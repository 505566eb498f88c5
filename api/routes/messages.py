"""One turn of a conversation, as JSON or as server-sent events (``delta`` pieces, then one ``turn``)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool

from api.deps import Audit, PatientAssistant, Service, SessionOwner
from api.models import MessageIn, StoredMessage, Transcript
from api.problems import PROBLEM_TYPE_BASE, ApiProblem, Code, problem_responses
from api.routes.sessions import SessionId, session_not_found
from assistant import Assistant
from assistant.schemas import Turn
from assistant.store import SessionNotFoundError
from assistant.understanding import is_blank

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/sessions/{session_id}/messages", tags=["messages"])

ERRORS = problem_responses(401, 403, 404, 413, 422, 429, 502)

SSE_EXAMPLE = (
    'event: delta\ndata: {"text": "Your most recent"}\n\n'
    'event: delta\ndata: {"text": " HbA1c was 7.2 %"}\n\n'
    'event: turn\ndata: {"session_id": "5b0c…", "text": "Your most recent HbA1c was 7.2 % …", …}\n\n'
)


def _owned(assistant: Assistant, session_id: str) -> None:
    if assistant.store.get_session(session_id, assistant.patient_id) is None:
        raise session_not_found(session_id)


def _not_blank(body: MessageIn) -> None:
    """One meaning of "empty" everywhere (``assistant.understanding.is_blank``): spaces, zero-width and
    control characters only. Refused before any turn is stored, with its own code (not "too long")."""
    if is_blank(body.text):
        raise ApiProblem(
            422,
            Code.EMPTY_MESSAGE,
            "the message is empty: nothing is left once spaces and invisible characters are removed",
        )


def _audit_turn(audit: Audit, session_id: str, turn: Turn, streamed: bool) -> None:
    audit.record(
        "api.message",
        session_id=session_id,
        resources=[c.resource for c in turn.citations],
        detail={
            "streamed": streamed,
            "triage": turn.triage.level.value,
            "actions": [a.kind for a in turn.actions],
        },
    )


@router.get(
    "",
    response_model=Transcript,
    summary="The conversation so far",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def get_messages(session_id: SessionId, principal: SessionOwner, svc: Service, audit: Audit) -> Transcript:
    try:
        stored = svc.store.history(session_id, principal.patient_id)
    except SessionNotFoundError:
        raise session_not_found(session_id) from None
    audit.record("api.session.read", session_id=session_id, detail={"messages": len(stored)})
    return Transcript(
        session_id=session_id,
        messages=[
            StoredMessage(role=s.role, text=s.text, created_at=s.created_at, turn=s.as_turn()) for s in stored
        ],
    )


@router.post("", response_model=Turn, summary="Send a message, get the turn", responses=ERRORS)
def post_message(session_id: SessionId, body: MessageIn, assistant: PatientAssistant, audit: Audit) -> Turn:
    _not_blank(body)
    _owned(assistant, session_id)
    try:
        turn = assistant.respond(session_id, body.text, language=body.language)
    except SessionNotFoundError:  # deleted between the check and the turn
        raise session_not_found(session_id) from None
    _audit_turn(audit, session_id, turn, streamed=False)
    return turn


@router.post(
    "/stream",
    summary="Send a message, stream the reply (server-sent events)",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": '`delta` events (`{"text": piece}`), then one `turn` event carrying the final Turn '
            "as JSON. On a failure after the stream started, one `error` event carries a problem document.",
            "content": {"text/event-stream": {"schema": {"type": "string"}, "example": SSE_EXAMPLE}},
        },
        **ERRORS,
    },
)
def stream_message(
    session_id: SessionId, body: MessageIn, assistant: PatientAssistant, audit: Audit
) -> EventSourceResponse:
    _not_blank(body)
    _owned(assistant, session_id)

    async def events() -> AsyncIterator[ServerSentEvent]:
        pieces = iterate_in_threadpool(assistant.stream(session_id, body.text, language=body.language))
        try:
            async for item in pieces:
                if isinstance(item, Turn):
                    _audit_turn(audit, session_id, item, streamed=True)
                    yield ServerSentEvent(data=item.model_dump_json(), event="turn")
                else:
                    yield ServerSentEvent(data=json.dumps({"text": item}, ensure_ascii=False), event="delta")
        except SessionNotFoundError:
            yield _error_event(404, Code.SESSION_NOT_FOUND, f"no session {session_id} for this patient")
        except Exception:  # the status line has gone out: report in-band, never a half-silent stream
            log.exception("turn failed while streaming session %s", session_id)
            yield _error_event(500, Code.INTERNAL_ERROR, "unexpected server error; it has been logged")

    return EventSourceResponse(events(), ping=15)


def _error_event(status: int, code: Code, detail: str) -> ServerSentEvent:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code.value,
        "title": "error",
        "status": status,
        "detail": detail,
        "code": code.value,
    }
    return ServerSentEvent(data=json.dumps(body), event="error")
