"""Liveness (``/healthz``: the process answers) and readiness (``/readyz``: its dependencies answer).

A load balancer sends traffic only to ready workers; an orchestrator restarts only unhealthy ones. So
``/healthz`` never touches a dependency (a FHIR outage must not restart every worker), and ``/readyz``
checks each one with a short timeout and says which failed — and whether the worker's understanding stage
is built yet (a worker that has just started is not ready until it is, so no patient's first message
waits for the build).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import State
from api.models import Check, Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: database, FHIR server and index reachable, understanding stage built",
    responses={503: {"model": Readiness, "description": "A dependency is not reachable."}},
)
async def readyz(state: State) -> JSONResponse:
    checks: dict[str, Check] = {}
    for name, check in state.readiness.items():
        try:
            detail = await run_in_threadpool(check)
            checks[name] = Check(ok=True, detail=detail)
        except Exception as exc:
            checks[name] = Check(ok=False, detail=f"{type(exc).__name__}: {exc}"[:300])
    ready = all(c.ok for c in checks.values())
    body = Readiness(status="ready" if ready else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if ready else 503)
