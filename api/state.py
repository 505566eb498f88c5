"""What one app instance holds: collaborators built once by ``create_app`` and shared by all requests.

Nothing here is per-patient or per-conversation state (that lives in the database and the index), so any
worker can serve any request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from api.auth import Authenticator
from api.consent import ConsentAccess
from api.limits import RateLimiter
from assistant.service import AssistantService
from fhir_client.scheduling import SchedulingClient

ReadinessCheck = Callable[[], str]  # returns a short detail; raises when the dependency is not usable


@dataclass
class ApiState:
    service: AssistantService
    authenticator: Authenticator
    limiter: RateLimiter
    scheduling: SchedulingClient | None = None  # thread-safe; one instance serves every patient
    readiness: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    consent: ConsentAccess | None = None  # SMART sign-ins: consents and proxy at the clinic's FHIR server
