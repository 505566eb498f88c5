"""The patient's consents, recorded as FHIR Consent on the clinic's server (SMART sign-ins only).

``GET`` says where they stand; ``POST`` records a decision (permit or deny; an earlier one for the same
purpose is withdrawn first); ``DELETE /v1/consents/{purpose}`` withdraws: the next record read or chat
turn answers ``consent_required``. Every change is audited.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path

from api.auth import Principal
from api.consent import ConsentAccess
from api.deps import CurrentPrincipal, State, require
from api.models import ConsentDecision, ConsentOverview, ConsentRecord
from api.problems import ApiProblem, Code, problem_responses
from assistant.consent import ConsentStatus
from fhir_client.consent import ConsentPurpose

router = APIRouter(prefix="/v1/consents", tags=["consents"])
ERRORS = problem_responses(401, 403, 409, 422, 429, 502)
ConsentWriter = Annotated[Principal, Depends(require(("Consent", "write")))]


def _access(state: State, principal: Principal) -> ConsentAccess:
    if state.consent is None or not state.consent.applies(principal):
        raise ApiProblem(
            409,
            Code.CONSENT_NOT_APPLICABLE,
            "consents are recorded with a SMART sign-in at the clinic; this token was issued by the clinic",
        )
    return state.consent


def overview(access: ConsentAccess, status: ConsentStatus) -> ConsentOverview:
    return ConsentOverview(
        record_access=status.record_access.value,
        remote_llm=status.remote_llm.value,
        remote_llm_needed=access.gate.remote_llm,
        consents=[
            ConsentRecord(
                resource=e.reference,
                purpose=e.purpose.value,
                decision=e.decision,
                status=e.status,
                recorded=e.recorded,
                performer=e.performer,
                recipient=e.recipient,
            )
            for e in status.entries
        ],
    )


@router.get("", response_model=ConsentOverview, summary="My consents", responses=ERRORS)
def get_consents(principal: CurrentPrincipal, state: State) -> ConsentOverview:
    access = _access(state, principal)
    return overview(access, access.status(principal))


@router.post(
    "", status_code=201, response_model=ConsentOverview, summary="Record a decision", responses=ERRORS
)
def post_consent(body: ConsentDecision, principal: ConsentWriter, state: State) -> ConsentOverview:
    access = _access(state, principal)
    access.decide(principal, ConsentPurpose(body.purpose), permit=body.decision == "permit")
    return overview(access, access.status(principal))


@router.delete("/{purpose}", response_model=ConsentOverview, summary="Withdraw a consent", responses=ERRORS)
def withdraw_consent(
    purpose: Annotated[
        Literal["record-access", "remote-llm"], Path(description="Which consent to withdraw.")
    ],
    principal: ConsentWriter,
    state: State,
) -> ConsentOverview:
    access = _access(state, principal)
    access.withdraw(principal, ConsentPurpose(purpose))
    return overview(access, access.status(principal))
