"""The tools' names, descriptions and argument schemas, as the model sees them.

Descriptions are written for a model: what the tool returns and when to use it. Schemas are flat and
closed (``additionalProperties: false``) and none has a patient argument: the tools are already bound to
the patient. Types, enums, dates and patterns are checked by ``assistant.backends.tool_args`` before any
tool runs.
"""

from __future__ import annotations

from typing import Any

from assistant.backends.base import ToolSpec

__all__ = [
    "CANCEL_APPOINTMENT",
    "FIND_SLOTS",
    "GET_LATEST",
    "GET_SERIES",
    "LIST_ACTIVE",
    "LIST_APPOINTMENTS",
    "PROPOSE_BOOKING",
    "RECORD_TYPES",
    "SEARCH_RECORD",
]

# Resource types the search index holds cards for (mirrors retrieval.CARD_TYPES).
RECORD_TYPES = (
    "Condition",
    "Observation",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
    "Procedure",
    "Encounter",
    "DiagnosticReport",
    "CarePlan",
    "Goal",
    "ImagingStudy",
)
_ID = r"[A-Za-z0-9\-.]{1,64}"


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "description": f"{description} (YYYY-MM-DD)"}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


_CONCEPT = {
    "type": "string",
    "minLength": 1,
    "maxLength": 80,
    "description": "the test or measurement in plain words or a code, e.g. 'HbA1c', 'blood pressure', "
    "'weight', 'cholesterol', 'glycémie'",
}

SEARCH_RECORD = ToolSpec(
    "search_record",
    "Search the patient's own record (problems, tests, medicines, allergies, vaccines, visits, "
    "procedures, care plans). Returns the best matching entries, each with its source.",
    _object(
        {
            "query": {"type": "string", "minLength": 1, "maxLength": 200, "description": "what to look for"},
            "type": {"type": "string", "enum": list(RECORD_TYPES), "description": "only this kind of entry"},
            "since": _date("only entries on or after this date"),
            "until": _date("only entries on or before this date"),
        },
        ["query"],
    ),
)

GET_LATEST = ToolSpec(
    "get_latest",
    "The most recent value of a test or measurement in the patient's record, with its date, unit and "
    "whether it is outside the usual range.",
    _object({"concept": _CONCEPT}, ["concept"]),
)

GET_SERIES = ToolSpec(
    "get_series",
    "All recorded values of a test or measurement over time, oldest first, to describe a trend.",
    _object(
        {
            "concept": _CONCEPT,
            "since": _date("only values on or after this date"),
            "until": _date("only values on or before this date"),
        },
        ["concept"],
    ),
)

LIST_ACTIVE = ToolSpec(
    "list_active",
    "The patient's current health problems, current medicines, known allergies, or vaccines received.",
    _object(
        {"kind": {"type": "string", "enum": ["conditions", "medications", "allergies", "immunizations"]}},
        ["kind"],
    ),
)

FIND_SLOTS = ToolSpec(
    "find_slots",
    "Free appointment slots at the patient's clinic, soonest first.",
    _object(
        {
            "service": {
                "type": "string",
                "maxLength": 80,
                "description": "kind of visit, e.g. 'general practice'",
            },
            "after": _date("earliest day"),
            "before": _date("latest day"),
            "limit": {"type": "integer", "minimum": 1, "maximum": 10},
        },
        [],
    ),
)

PROPOSE_BOOKING = ToolSpec(
    "propose_booking",
    "Prepare booking one free slot. Nothing is booked until the patient explicitly confirms.",
    _object(
        {
            "slot": {"type": "string", "pattern": f"^Slot/{_ID}$", "description": "the slot as 'Slot/id'"},
            "reason": {"type": "string", "maxLength": 200, "description": "why the patient wants the visit"},
        },
        ["slot"],
    ),
)

CANCEL_APPOINTMENT = ToolSpec(
    "cancel_appointment",
    "Prepare cancelling one of the patient's appointments. Nothing changes until the patient confirms.",
    _object(
        {
            "appointment": {
                "type": "string",
                "pattern": f"^Appointment/{_ID}$",
                "description": "the appointment as 'Appointment/id'",
            }
        },
        ["appointment"],
    ),
)

LIST_APPOINTMENTS = ToolSpec(
    "list_appointments",
    "The patient's upcoming appointments (and past ones when asked).",
    _object({"include_past": {"type": "boolean"}}, []),
)
