"""Booking buttons as structured commands: choose a slot, confirm with the token, decline, or ask to
cancel or move an appointment — inside a conversation, answered with a Turn.

A portal's "Tuesday 8 December at 9:00" or "Yes, book it" button sends what it means (the slot id, the
confirmation token) instead of words for the text parser. The safety rules are the assistant's: choosing
only asks for confirmation, only ``confirm`` with the pending token changes anything (the same token sent
again replays, never books twice), and a command the conversation is not waiting for is a 409 with nothing
changed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from api.deps import AppointmentWriter, Audit, Service, load_record
from api.problems import ApiProblem, Code, problem_responses
from api.routes.sessions import SessionId, session_not_found
from assistant.assistant import BookingUnavailable
from assistant.booking import BookingCommand, NotPending
from assistant.schemas import Turn
from assistant.store import SessionNotFoundError
from fhir_client import FhirError
from fhir_client.scheduling import AppointmentNotFound

router = APIRouter(prefix="/v1/sessions/{session_id}/booking", tags=["scheduling"])


@router.post(
    "",
    response_model=Turn,
    summary="A booking button: choose a slot, confirm with the token, decline, cancel or move",
    responses=problem_responses(401, 403, 404, 409, 422, 429, 502, 503),
)
def booking_command(
    session_id: SessionId,
    command: Annotated[BookingCommand, Body()],
    principal: AppointmentWriter,
    svc: Service,
    audit: Audit,
) -> Turn:
    load_record(svc, principal.patient_id)
    assistant = svc.assistant(principal.patient_id, can_book=True)
    try:
        turn = assistant.act(session_id, command)
    except SessionNotFoundError:
        raise session_not_found(session_id) from None
    except NotPending as exc:
        audit.record(
            "api.booking.command",
            outcome="conflict",
            session_id=session_id,
            detail={"command": command.command},
        )
        raise ApiProblem(409, Code.NOT_PENDING, f"nothing was changed: {exc}") from None
    except AppointmentNotFound:
        raise ApiProblem(
            404, Code.APPOINTMENT_NOT_FOUND, "no such upcoming appointment for this patient"
        ) from None
    except BookingUnavailable:
        raise ApiProblem(503, Code.BOOKING_UNAVAILABLE, "booking is not available for this patient") from None
    except FhirError as exc:
        raise ApiProblem(
            502, Code.UPSTREAM_UNAVAILABLE, f"the scheduling server failed: {type(exc).__name__}"
        ) from None
    audit.record(
        "api.booking.command",
        session_id=session_id,
        resources=[str(ref) for ref in (getattr(a, "appointment", None) for a in turn.actions) if ref],
        detail={"command": command.command, "actions": [a.kind for a in turn.actions]},
    )
    return turn
