"""Request dependencies as ``Annotated`` aliases, so routes declare what they need in their signature.

The order inside ``current_principal`` matters: authenticate first (401), then rate-limit the credential
(429), then each route's scope check (403). The patient id routes see is ``principal.patient_id`` and
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Principal
from api.auth.scopes import Access
from api.consent import consent_required
from api.limits import retry_after_header
from api.problems import ApiProblem, Code
from api.state import ApiState
from assistant import Assistant, AssistantService
from assistant.account import SELF
from assistant.consent import ConsentRequired, ConsentStatus
from assistant.store import AuditLog
from fhir_client import FhirError, FhirNotFound, PatientRecord, RecordLoadError

# Declared for OpenAPI ("Authorize" in /docs); the header itself is read and checked below.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token (`health-assistant token issue`) or a SMART on FHIR access token (JWT).",
)


def api_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


State = Annotated[ApiState, Depends(api_state)]


def current_principal(
    request: Request,
    state: State,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    principal = state.authenticator.authenticate(request.headers.get("authorization"))
    request.state.principal = principal
    wait = state.limiter.acquire(f"{principal.kind}:{principal.credential_id}")
    if wait > 0:
        raise ApiProblem(
            429,
            Code.RATE_LIMITED,
            f"too many requests for this token; retry in {retry_after_header(wait)} s",
            headers={"Retry-After": retry_after_header(wait)},
        )
    if state.consent is not None and state.consent.applies(principal):
        # The patient's consents, read now at the clinic's FHIR server with their token: this is also
        # where a revoked or expired sign-in is refused (401), although its signature still verifies.
        request.state.consent_status = state.consent.status(principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(*needs: tuple[str, Access], consent: bool = False) -> Callable[..., Principal]:
    """A dependency that checks the token grants every (resource type, access) pair in ``needs``; with
    ``consent``, also that a SMART sign-in's patient agreed that the assistant reads the record."""

    def check(principal: CurrentPrincipal, request: Request, state: State) -> Principal:
        missing = [f"patient/{rtype}.{access}" for rtype, access in needs if not principal.may(rtype, access)]
        if missing:  # what the token may do comes first: a consent cannot widen it
            raise ApiProblem(
                403,
                Code.INSUFFICIENT_SCOPE,
                f"this token lacks the scope {' and '.join(missing)} (or a wider one)",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{" ".join(missing)}"'
                },
            )
        status: ConsentStatus | None = getattr(request.state, "consent_status", None)
        if consent and state.consent is not None and status is not None:
            try:
                state.consent.gate.check_record(status, principal.patient_id)
            except ConsentRequired as exc:
                raise consent_required(exc) from None
        return principal

    return check


RECORD_READ: Sequence[tuple[str, Access]] = (("*", "read"),)
# Reading the record (and chatting about it) needs the patient's consent when they signed in with SMART.
RecordReader = Annotated[Principal, Depends(require(*RECORD_READ, consent=True))]
# The patient's own conversations and erasure do not read the clinic's record: no consent needed.
SessionOwner = Annotated[Principal, Depends(require(*RECORD_READ))]
ObservationReader = Annotated[Principal, Depends(require(("Observation", "read"), consent=True))]
SlotReader = Annotated[Principal, Depends(require(("Slot", "read")))]
AppointmentReader = Annotated[Principal, Depends(require(("Appointment", "read"), consent=True))]
AppointmentWriter = Annotated[
    Principal, Depends(require(("Appointment", "read"), ("Appointment", "write"), consent=True))
]


def service(state: State) -> AssistantService:
    return state.service


Service = Annotated[AssistantService, Depends(service)]


def load_record(svc: AssistantService, patient_id: str) -> PatientRecord:
    """The token's patient's record; FHIR failures become 404 (no such patient) or 502 problems."""
    try:
        record = svc.record(patient_id)
    except (FhirNotFound, RecordLoadError):
        raise ApiProblem(
            404, Code.RECORD_NOT_FOUND, "this token's patient has no record on the FHIR server"
        ) from None
    except FhirError as exc:
        raise ApiProblem(
            502, Code.UPSTREAM_UNAVAILABLE, f"the FHIR server failed: {type(exc).__name__}"
        ) from None
    if record.patient_id != patient_id:  # a loader bug must never show someone else's record
        raise ApiProblem(
            502, Code.UPSTREAM_UNAVAILABLE, "the FHIR server returned a record for another patient"
        )
    return record


def patient_record(principal: RecordReader, svc: Service) -> PatientRecord:
    return load_record(svc, principal.patient_id)


def observation_record(principal: ObservationReader, svc: Service) -> PatientRecord:
    return load_record(svc, principal.patient_id)


Record = Annotated[PatientRecord, Depends(patient_record)]
ObservationRecord = Annotated[PatientRecord, Depends(observation_record)]


def patient_assistant(principal: RecordReader, svc: Service, request: Request, state: State) -> Assistant:
    load_record(svc, principal.patient_id)
    holder, use_llm = SELF, True
    status: ConsentStatus | None = getattr(request.state, "consent_status", None)
    if state.consent is not None and status is not None:
        holder = state.consent.holder(principal)  # a parent who picked their child at sign-in
        try:
            use_llm = state.consent.gate.use_llm(status, principal.patient_id)
        except ConsentRequired as exc:
            raise consent_required(exc) from None
    # A read-only SMART token may chat, not book: it gets an assistant without booking.
    return svc.assistant(
        principal.patient_id, can_book=principal.may("Appointment", "write"), use_llm=use_llm, holder=holder
    )


PatientAssistant = Annotated[Assistant, Depends(patient_assistant)]


class AuditTrail:
    """Writes who (credential), when (the store's clock) and what (action, resources) for this request."""

    def __init__(self, log: AuditLog, principal: Principal, route: str) -> None:
        self.log = log
        self.principal = principal
        self.route = route

    def record(
        self,
        action: str,
        *,
        resources: Sequence[str] = (),
        outcome: str = "ok",
        session_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.log.record(
            action,
            patient_id=self.principal.patient_id,
            actor="patient",
            resources=list(dict.fromkeys(resources)),
            outcome=outcome,
            session_id=session_id,
            detail={"via": "api", "credential": self.principal.who, "route": self.route, **(detail or {})},
        )


def audit_trail(request: Request, principal: CurrentPrincipal, svc: Service) -> AuditTrail:
    route = getattr(request.scope.get("route"), "path", request.url.path)
    return AuditTrail(svc.store.audit, principal, f"{request.method} {route}")


Audit = Annotated[AuditTrail, Depends(audit_trail)]
