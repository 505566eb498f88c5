"""Free slots and the patient's appointments. Nothing is booked, moved or cancelled without
``"confirm": true`` in the request: the portal shows the patient what will happen first.

Booking is idempotent per ``Idempotency-Key`` header (a retried request returns the first appointment
instead of booking twice); keys are namespaced by patient, so one patient's key can never replay
another's booking.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Principal
from api.deps import AppointmentReader, AppointmentWriter, Audit, SlotReader, State
from api.problems import ApiProblem, Code, problem_responses
from api.state import ApiState
from assistant.schemas import SlotOffer
from fhir_client import FhirError
from fhir_client.scheduling import (
    AppointmentInfo,
    AppointmentNotFound,
    BookingFailed,
    CancelFailed,
    FreeSlot,
    SchedulingClient,
    SlotQuery,
)

router = APIRouter(tags=["scheduling"])

ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"
REF_OR_ID = r"^(Slot/)?[A-Za-z0-9\-.]{1,64}$"
ERRORS = (401, 403, 422, 429, 502, 503)


class Appointment(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "Appointment/a1",
                    "status": "booked",
                    "start": "2026-11-24T09:00:00+01:00",
                    "end": "2026-11-24T09:20:00+01:00",
                    "service": "General practice",
                    "practitioner": "Dr Claire Martin",
                    "location": "Cabinet Paris 11e",
                }
            ]
        },
    )
    id: str = Field(description="“Appointment/id”.")
    status: str
    start: str | None = Field(description="ISO 8601 with offset, as the server gave it.")
    end: str | None = None
    service: str
    practitioner: str | None = None
    location: str | None = None


class SlotList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slots: list[SlotOffer] = Field(description="Free slots, soonest first.")


class AppointmentList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    appointments: list[Appointment] = Field(description="Upcoming active appointments, soonest first.")


class BookRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"slot_id": "Slot/s1", "confirm": True}]}
    )
    slot_id: str = Field(pattern=REF_OR_ID, description="The slot from GET /v1/slots (“Slot/id” or id).")
    confirm: bool = Field(description="Must be true: the patient confirmed this booking.")


class Booking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    appointment: Appointment
    created: bool = Field(description="False when this repeats an earlier request with the same key.")


class Rescheduled(BaseModel):
    model_config = ConfigDict(extra="forbid")
    appointment: Appointment = Field(description="The new appointment.")
    previous: Appointment = Field(description="The old one (cancelled unless previous_cancelled is false).")
    previous_cancelled: bool


def _appointment(info: AppointmentInfo) -> Appointment:
    return Appointment(
        id=info.reference,
        status=info.status,
        start=info.start_text or (info.start.isoformat() if info.start else None),
        end=info.end_text or (info.end.isoformat() if info.end else None),
        service=info.service,
        practitioner=info.practitioner,
        location=info.location,
    )


def _offer(slot: FreeSlot) -> SlotOffer:
    return SlotOffer(
        id=slot.reference,
        start=slot.start_text or slot.start.isoformat(),
        end=slot.end_text,
        service=slot.service or "Appointment",
        practitioner=slot.practitioner,
        location=slot.location,
    )


def _scheduling(state: ApiState) -> SchedulingClient:
    if state.scheduling is None:
        raise ApiProblem(503, Code.BOOKING_UNAVAILABLE, "scheduling is not configured on this server")
    return state.scheduling


def _key(principal: Principal, given: str | None) -> str:
    namespace = hashlib.sha256(principal.patient_id.encode()).hexdigest()[:12]
    return f"{namespace}:{given or uuid.uuid4().hex}"


def _booking_problem(exc: BookingFailed) -> ApiProblem:
    alternatives = [_offer(s).model_dump(mode="json") for s in exc.alternatives]
    if exc.reason == "slot_taken":
        problem = ApiProblem(409, Code.SLOT_UNAVAILABLE, str(exc))
    elif exc.reason == "slot_not_found":
        problem = ApiProblem(404, Code.SLOT_NOT_FOUND, str(exc))
    elif exc.reason == "invalid_request":
        problem = ApiProblem(422, Code.VALIDATION_ERROR, str(exc))
    else:
        problem = ApiProblem(502, Code.UPSTREAM_UNAVAILABLE, str(exc))
    if alternatives:
        problem.errors = [{"alternatives": alternatives}]
    return problem


def _upstream(exc: FhirError) -> ApiProblem:
    return ApiProblem(502, Code.UPSTREAM_UNAVAILABLE, f"the scheduling server failed: {type(exc).__name__}")


def _require_confirm(confirm: bool) -> None:
    if confirm is not True:
        raise ApiProblem(
            422,
            Code.CONFIRMATION_REQUIRED,
            'nothing was changed: send "confirm": true once the patient has agreed',
        )


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9\-._:]{8,100}$",
        description="Makes a retried request safe: the same key returns the first result.",
    ),
]
AppointmentId = Annotated[
    str, Path(pattern=ID_PATTERN, description="The appointment id (without “Appointment/”).")
]


@router.get("/v1/slots", response_model=SlotList, summary="Free slots", responses=problem_responses(*ERRORS))
def list_slots(
    principal: SlotReader,
    state: State,
    audit: Audit,
    service: Annotated[
        str | None,
        Query(max_length=200, description="HealthcareService id (e.g. hs-general-practice) or system|code."),
    ] = None,
    start: Annotated[datetime | None, Query(description="Earliest start, ISO 8601 with a time zone.")] = None,
    end: Annotated[datetime | None, Query(description="Latest start, ISO 8601 with a time zone.")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SlotList:
    try:
        query = SlotQuery(service=service, start=start, end=end, limit=limit)
    except ValueError as exc:
        raise ApiProblem(422, Code.VALIDATION_ERROR, str(exc)) from None
    try:
        slots = _scheduling(state).find_slots(query)
    except ValueError as exc:
        raise ApiProblem(422, Code.VALIDATION_ERROR, str(exc)) from None
    except FhirError as exc:
        raise _upstream(exc) from None
    audit.record("api.slots.find", detail={"service": service, "found": len(slots)})
    return SlotList(slots=[_offer(s) for s in slots])


@router.get(
    "/v1/appointments",
    response_model=AppointmentList,
    summary="My upcoming appointments",
    responses=problem_responses(*ERRORS),
)
def list_appointments(principal: AppointmentReader, state: State, audit: Audit) -> AppointmentList:
    try:
        found = _scheduling(state).upcoming(principal.patient_id)
    except FhirError as exc:
        raise _upstream(exc) from None
    audit.record("api.appointments.list", resources=[a.reference for a in found])
    return AppointmentList(appointments=[_appointment(a) for a in found])


@router.post(
    "/v1/appointments",
    status_code=201,
    response_model=Booking,
    summary="Book a slot (after the patient confirmed)",
    responses=problem_responses(*ERRORS, 404, 409),
)
def book(
    body: BookRequest, principal: AppointmentWriter, state: State, audit: Audit, key: IdempotencyKey = None
) -> Booking:
    _require_confirm(body.confirm)
    scheduling = _scheduling(state)
    try:
        result = scheduling.book(body.slot_id, principal.patient_id, idempotency_key=_key(principal, key))
    except BookingFailed as exc:
        audit.record(
            "api.booking.book",
            outcome="failed",
            resources=[f"Slot/{exc.slot_id}"],
            detail={"reason": exc.reason},
        )
        raise _booking_problem(exc) from None
    except ValueError as exc:
        raise ApiProblem(422, Code.VALIDATION_ERROR, str(exc)) from None
    except FhirError as exc:
        raise _upstream(exc) from None
    audit.record(
        "api.booking.book",
        resources=[result.appointment.reference, f"Slot/{result.slot_id}"],
        detail={"created": result.created},
    )
    return Booking(appointment=_appointment(result.appointment), created=result.created)


@router.delete(
    "/v1/appointments/{appointment_id}",
    response_model=Appointment,
    summary="Cancel one of my appointments",
    responses=problem_responses(*ERRORS, 404, 409),
)
def cancel(
    appointment_id: AppointmentId, principal: AppointmentWriter, state: State, audit: Audit
) -> Appointment:
    try:
        info = _scheduling(state).cancel(appointment_id, principal.patient_id)
    except AppointmentNotFound:
        raise ApiProblem(
            404, Code.APPOINTMENT_NOT_FOUND, f"no appointment {appointment_id} for this patient"
        ) from None
    except CancelFailed as exc:
        audit.record("api.booking.cancel", outcome="failed", resources=[f"Appointment/{appointment_id}"])
        raise ApiProblem(409, Code.SLOT_UNAVAILABLE, str(exc)) from None
    except FhirError as exc:
        raise _upstream(exc) from None
    audit.record("api.booking.cancel", resources=[info.reference, *(f"Slot/{s}" for s in info.slot_ids)])
    return _appointment(info)


@router.post(
    "/v1/appointments/{appointment_id}/reschedule",
    response_model=Rescheduled,
    summary="Move one of my appointments to another slot (after the patient confirmed)",
    responses=problem_responses(*ERRORS, 404, 409),
)
def reschedule(
    appointment_id: AppointmentId,
    body: BookRequest,
    principal: AppointmentWriter,
    state: State,
    audit: Audit,
    key: IdempotencyKey = None,
) -> Rescheduled:
    _require_confirm(body.confirm)
    try:
        result = _scheduling(state).reschedule(
            appointment_id, body.slot_id, principal.patient_id, idempotency_key=_key(principal, key)
        )
    except AppointmentNotFound:
        raise ApiProblem(
            404, Code.APPOINTMENT_NOT_FOUND, f"no appointment {appointment_id} for this patient"
        ) from None
    except BookingFailed as exc:
        audit.record(
            "api.booking.reschedule",
            outcome="failed",
            resources=[f"Appointment/{appointment_id}", f"Slot/{exc.slot_id}"],
            detail={"reason": exc.reason},
        )
        raise _booking_problem(exc) from None
    except ValueError as exc:
        raise ApiProblem(422, Code.VALIDATION_ERROR, str(exc)) from None
    except FhirError as exc:
        raise _upstream(exc) from None
    detail: dict[str, Any] = {"previous_cancelled": result.previous_cancelled}
    audit.record(
        "api.booking.reschedule",
        resources=[
            result.booking.appointment.reference,
            result.previous.reference,
            f"Slot/{result.booking.slot_id}",
        ],
        detail=detail,
    )
    return Rescheduled(
        appointment=_appointment(result.booking.appointment),
        previous=_appointment(result.previous),
        previous_cancelled=result.previous_cancelled,
    )
