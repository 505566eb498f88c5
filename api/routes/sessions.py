"""Conversations: create, list, delete. A session of another patient is indistinguishable from none."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from api.deps import Audit, PatientAssistant, Service, SessionOwner
from api.models import NewSession, SessionCreated, SessionList, SessionSummary
from api.problems import ApiProblem, Code, problem_responses

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])

SESSION_ID = Path(min_length=1, max_length=64, description="The session id from POST /v1/sessions.")
SessionId = Annotated[str, SESSION_ID]
AUTH_ERRORS = (401, 403, 422, 429)


def session_not_found(session_id: str) -> ApiProblem:
    return ApiProblem(404, Code.SESSION_NOT_FOUND, f"no session {session_id} for this patient")


@router.post(
    "",
    status_code=201,
    response_model=SessionCreated,
    summary="Start a conversation",
    responses=problem_responses(*AUTH_ERRORS, 404, 502),
)
def create_session(
    assistant: PatientAssistant,
    audit: Audit,
    body: Annotated[NewSession | None, Body()] = None,
) -> SessionCreated:
    language = (body or NewSession()).language
    session_id = assistant.new_session(language)
    audit.record("api.session.create", session_id=session_id)
    return SessionCreated(session_id=session_id, language=language)


@router.get(
    "", response_model=SessionList, summary="My conversations", responses=problem_responses(*AUTH_ERRORS)
)
def list_sessions(principal: SessionOwner, svc: Service, audit: Audit) -> SessionList:
    infos = svc.store.list_sessions(principal.patient_id)
    audit.record("api.session.list", detail={"count": len(infos)})
    return SessionList(
        sessions=[
            SessionSummary(
                session_id=i.id,
                language=i.language,
                created_at=i.created_at,
                updated_at=i.updated_at,
                turn_count=i.turn_count,
            )
            for i in infos
        ]
    )


@router.delete(
    "/{session_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a conversation",
    responses=problem_responses(*AUTH_ERRORS, 404),
)
def delete_session(session_id: SessionId, principal: SessionOwner, svc: Service, audit: Audit) -> Response:
    if not svc.store.delete_session(session_id, principal.patient_id):
        raise session_not_found(session_id)
    audit.record("api.session.delete", session_id=session_id)
    return Response(status_code=204)
