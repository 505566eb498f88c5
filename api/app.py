"""``create_app(settings, service=...)``: the clinic API as a FastAPI app.

This is a composition root (it reads settings) but it does not build the assistant: the caller passes the
``AssistantService`` (``health_assistant`` builds it from the same settings), so tests and the benchmark
can hand in one wired with a local record source while everything else stays real.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import text

from api.auth import ApiTokenStore, Authenticator, SmartConfig, SmartVerifier
from api.consent import ConsentAccess
from api.limits import BodySizeLimit, RateLimiter, TokenBucketLimiter
from api.problems import Code, install_problem_handlers
from api.routes import booking, consents, health, me, messages, record, sessions
from api.routes import scheduling as scheduling_routes
from api.state import ApiState, ReadinessCheck
from assistant.assistant import build_understander_in_background, understander_ready
from assistant.consent import ConsentGate
from assistant.service import AssistantService
from fhir_client.scheduling import SchedulingClient

API_VERSION = "1.0.0"

DESCRIPTION = """
The patient-facing health assistant for clinic portals and apps.

Every call carries `Authorization: Bearer <token>` bound to exactly one patient: an API token issued with
`health-assistant token issue --patient ID`, or a SMART on FHIR access token (JWT with a `patient` claim
and `patient/*.read`-style scopes). The patient is always the token's: no body, path or query names one.

Errors are `application/problem+json` with a stable `code`. Chat turns follow the `Turn` contract:
triage decided by auditable rules, every fact cited to a FHIR resource, booking only after an explicit
confirmation.
"""

TAGS = [
    {"name": "sessions", "description": "Conversations of the token's patient."},
    {"name": "messages", "description": "One turn: JSON, or server-sent events."},
    {"name": "record", "description": "The patient's own record: summary, series for charts, search."},
    {"name": "scheduling", "description": "Free slots and the patient's appointments."},
    {"name": "me", "description": "Erasure of the patient's data."},
    {
        "name": "consents",
        "description": "The patient's consents (FHIR Consent at the clinic), for SMART sign-ins.",
    },
    {"name": "health", "description": "Liveness and readiness probes (no token needed)."},
]


class ApiSettings(Protocol):
    """The settings the API reads (``health_assistant.settings.Settings`` provides them)."""

    @property
    def fhir_url(self) -> str: ...
    @property
    def api_max_body_bytes(self) -> int: ...
    @property
    def api_rate_limit_per_minute(self) -> float: ...
    @property
    def api_rate_limit_burst(self) -> int: ...
    @property
    def api_cors_origins(self) -> str: ...
    @property
    def smart_issuer(self) -> str | None: ...
    @property
    def smart_jwks_url(self) -> str | None: ...
    @property
    def smart_audience(self) -> str | None: ...


def create_app(
    settings: ApiSettings,
    *,
    service: AssistantService,
    scheduling: SchedulingClient | None = None,
    limiter: RateLimiter | None = None,
    readiness: Mapping[str, ReadinessCheck] | None = None,
    remote_llm: bool = False,
) -> FastAPI:
    """``remote_llm``: the service's model is remote, so a SMART patient must decide whether context may
    go to it (consent ``remote-llm``) before chatting."""
    smart = None
    consent = None
    if settings.smart_issuer and settings.smart_jwks_url:
        smart = SmartVerifier(
            SmartConfig(
                issuer=settings.smart_issuer,
                jwks_url=settings.smart_jwks_url,
                audience=settings.smart_audience,
            ),
            clock=service.clock,
        )
        # Consents live on the clinic's FHIR server, written and read with the patient's own token.
        consent = ConsentAccess(
            settings.fhir_url,
            ConsentGate(audit=service.store.audit, remote_llm=remote_llm, clock=service.clock),
        )
    state = ApiState(
        service=service,
        authenticator=Authenticator(ApiTokenStore(service.store.db), smart),
        limiter=limiter
        or TokenBucketLimiter(settings.api_rate_limit_per_minute, settings.api_rate_limit_burst),
        scheduling=scheduling,
        readiness=readiness if readiness is not None else default_readiness(settings, service),
        consent=consent,
    )
    app = FastAPI(
        title="Health assistant — clinic API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
    )
    app.state.api = state
    app.state.on_problem = _audit_refusal
    install_problem_handlers(app)
    for module in (sessions, messages, booking, record, scheduling_routes, me, consents, health):
        app.include_router(module.router)
    origins = [o.strip() for o in settings.api_cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After", "WWW-Authenticate"],
            max_age=600,
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    return app


_OUTCOMES = {403: "denied", 404: "not_found", 409: "conflict", 422: "invalid"}


def _audit_refusal(request: Request, status: int, code: Code) -> None:
    """Refusals after authentication are audited too: 'who tried to reach what' matters most when denied."""
    principal = getattr(request.state, "principal", None)
    if principal is None or status in (401, 429) or status >= 500:
        return
    state: ApiState = request.app.state.api
    route = getattr(request.scope.get("route"), "path", request.url.path)
    state.service.store.audit.record(
        "api.refused",
        patient_id=principal.patient_id,
        actor="patient",
        outcome=_OUTCOMES.get(status, "error"),
        detail={
            "via": "api",
            "credential": principal.who,
            "route": f"{request.method} {route}",
            "code": code.value,
        },
    )


def default_readiness(settings: ApiSettings, service: AssistantService) -> dict[str, ReadinessCheck]:
    def database() -> str:
        with service.store.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return service.store.db.engine.dialect.name

    def fhir() -> str:
        response = httpx.get(
            settings.fhir_url.rstrip("/") + "/metadata",
            timeout=3.0,
            headers={"Accept": "application/fhir+json"},
        )
        response.raise_for_status()
        body = response.json()
        if body.get("resourceType") != "CapabilityStatement":
            raise RuntimeError("/metadata is not a CapabilityStatement")
        return f"FHIR {body.get('fhirVersion', '?')}"

    def index() -> str:
        retriever = service.retriever
        if retriever is None:
            raise RuntimeError("no record index configured")
        probe = getattr(retriever, "ping", None)
        if callable(probe):
            return str(probe())
        retriever.index_dir.mkdir(parents=True, exist_ok=True)
        marker = retriever.index_dir / ".ready-probe"
        marker.write_text("ok", encoding="utf-8")
        marker.unlink()
        return f"embedded chromadb at {retriever.index_dir}"

    def understanding() -> str:
        # A worker answers patients only once its understanding stage is built (a first message would
        # otherwise wait for the build: seconds, or minutes on a busy machine); asking starts the build.
        if understander_ready():
            return "built"
        build_understander_in_background()
        raise RuntimeError("the understanding stage is still being built")

    return {"database": database, "fhir": fhir, "index": index, "understanding": understanding}
