"""What one app instance holds: collaborators built once by ``create_app`` and shared by all requests.

Nothing here is per-patient or per-conversation state (that lives in the database and the index), so any
worker can serve any request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.auth import Authenticator
from api.limits import RateLimiter
from assistant.service import AssistantService

ReadinessCheck = Callable[[], str]  # returns a short detail; raises when the dependency is not usable
SchedulingFactory = Callable[[str], Any]  # patient id → scheduling client bound to that patient, or None


@dataclass
class ApiState:
    service: AssistantService
    authenticator: Authenticator
    limiter: RateLimiter
    scheduling_for: SchedulingFactory | None = None
    readiness: Mapping[str, ReadinessCheck] = field(default_factory=dict)
