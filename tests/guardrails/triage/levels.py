"""Short names for the triage levels, for the parametrised tables of the protocol-gap tests (one place, so
the tables read as data rather than repeating the enum)."""

from __future__ import annotations

from assistant.schemas import TriageLevel

EM, URG, SOON, SC, NONE = (
    TriageLevel.EMERGENCY,
    TriageLevel.URGENT,
    TriageLevel.SOON,
    TriageLevel.SELF_CARE,
    TriageLevel.NONE,
)
