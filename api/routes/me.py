"""Right to erasure: delete my conversations, my record's index and the cached copy of my record.

The audit trail is kept (it has no clinical content and is governed by the retention policy), and the
erasure itself is audited.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Audit, Service, SessionOwner
from api.models import Erased
from api.problems import problem_responses

router = APIRouter(prefix="/v1/me", tags=["me"])


@router.delete("", response_model=Erased, summary="Erase my data", responses=problem_responses(401, 403, 429))
def erase_me(principal: SessionOwner, svc: Service, audit: Audit) -> Erased:
    erasure = svc.forget(principal.patient_id)
    result = Erased(
        sessions=erasure.store.sessions, turns=erasure.store.turns, index_removed=erasure.index_removed
    )
    audit.record("api.erase", detail=result.model_dump())
    return result
