"""The assistant: one turn contract, guardrails, backends, sessions.

``Assistant(record=..., store=..., guard=...)`` answers one patient; ``AssistantService`` hands out the
assistant bound to an authenticated patient in multi-patient processes (API, UI).
"""

from assistant.assistant import Assistant
from assistant.service import AssistantService, Erasure

__all__ = ["Assistant", "AssistantService", "Erasure"]
