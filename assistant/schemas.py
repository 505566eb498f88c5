"""The turn: the one object every interface (CLI, API, UI, evals) gets back from the assistant.

One contract means a safety evaluator scores exactly what a patient sees, and a clinic's engineer can
generate a client from the published OpenAPI schema. The shape is fixed by DESIGN.md ("One public
contract: the turn"); change both together. Validation is strict (unknown keys, levels, categories and
action kinds are rejected) because a typo in a safety field must fail loudly, not reach a patient.

Serialisation rule: the top-level fields of a turn are always present (``call`` and ``refusal`` appear
as ``null``), while optional details inside actions and slots are left out when unknown, so a turn
round-trips to the same JSON it was read from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "ACTION_KINDS",
    "APPOINTMENT_REF_PATTERN",
    "INTENT_NAMES",
    "LANGUAGES",
    "REFUSAL_CATEGORIES",
    "RESOURCE_REF_PATTERN",
    "SLOT_REF_PATTERN",
    "TRIAGE_LEVELS",
    "Action",
    "ActionKind",
    "AppointmentDetails",
    "Booked",
    "BookingFailed",
    "BookingOperation",
    "Cancelled",
    "Citation",
    "ConfirmBooking",
    "IntentName",
    "Language",
    "OfferSlots",
    "Refusal",
    "RefusalCategory",
    "Rescheduled",
    "SafetyInfo",
    "SlotOffer",
    "TriageInfo",
    "TriageLevel",
    "TriageQuestion",
    "Turn",
    "level_rank",
    "max_level",
]

# FHIR R4 ids are 1-64 characters of [A-Za-z0-9-.]; references inside the contract are always "Type/id"
# (the record loader normalises them), so a full URL or a bare id here is a bug upstream.
_FHIR_ID = r"[A-Za-z0-9\-.]{1,64}"
RESOURCE_REF_PATTERN = rf"^[A-Z][A-Za-z]+/{_FHIR_ID}$"
SLOT_REF_PATTERN = rf"^Slot/{_FHIR_ID}$"
APPOINTMENT_REF_PATTERN = rf"^Appointment/{_FHIR_ID}$"

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")


class TriageLevel(StrEnum):
    """How soon the patient should get care. Only rules set the floor; an LLM may only raise it."""

    EMERGENCY = "emergency"  # call the emergency number now
    URGENT = "urgent"  # see a clinician today
    SOON = "soon"  # book within days
    SELF_CARE = "self_care"  # look after it at home, with what to watch for
    NONE = "none"  # no symptom in the message


TRIAGE_LEVELS: tuple[TriageLevel, ...] = tuple(TriageLevel)

_LEVEL_RANK: dict[TriageLevel, int] = {
    TriageLevel.NONE: 0,
    TriageLevel.SELF_CARE: 1,
    TriageLevel.SOON: 2,
    TriageLevel.URGENT: 3,
    TriageLevel.EMERGENCY: 4,
}


def level_rank(level: TriageLevel | str) -> int:
    """Severity as a number (none=0 … emergency=4), so "raise, never lower" is a plain comparison."""
    try:
        return _LEVEL_RANK[TriageLevel(level)]
    except ValueError:
        raise ValueError(
            f"unknown triage level {level!r}; expected one of {', '.join(TRIAGE_LEVELS)}"
        ) from None


def max_level(*levels: TriageLevel | str | Iterable[TriageLevel | str]) -> TriageLevel:
    """The most urgent of the given levels (``none`` when given nothing).

    This is how a rule floor combines with record-aware modifiers and an LLM's opinion: whatever
    anyone proposes, the result is never below the floor.
    """
    flat: list[TriageLevel | str] = []
    for item in levels:
        if isinstance(item, str):
            flat.append(item)
        else:
            flat.extend(item)
    best = TriageLevel.NONE
    for level in flat:
        if level_rank(level) > level_rank(best):
            best = TriageLevel(level)
    return best


class RefusalCategory(StrEnum):
    """Why the assistant declined; each refusal still offers a useful alternative."""

    OTHER_PATIENT = "other_patient"
    DOSE_CHANGE = "dose_change"
    DIAGNOSIS_CERTAINTY = "diagnosis_certainty"
    PRESCRIPTION = "prescription"
    OUT_OF_SCOPE = "out_of_scope"
    INJECTION = "injection"
    UNSAFE_REQUEST = "unsafe_request"


REFUSAL_CATEGORIES: tuple[RefusalCategory, ...] = tuple(RefusalCategory)


class ActionKind(StrEnum):
    """What a turn asks the interface to show or has done in the scheduling system."""

    OFFER_SLOTS = "offer_slots"
    CONFIRM_BOOKING = "confirm_booking"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    BOOKING_FAILED = "booking_failed"


ACTION_KINDS: tuple[ActionKind, ...] = tuple(ActionKind)

BookingOperation = Literal["book", "reschedule", "cancel"]

# What a message asks for, as the understanding stage ranked it (``IntentKind`` in
# ``assistant/understanding/model.py`` has the same values; a test keeps them equal).
IntentName = Literal[
    "record_question", "booking", "symptom", "medicine_question", "health_advice", "small_talk", "other"
]
INTENT_NAMES: tuple[str, ...] = (
    "record_question",
    "booking",
    "symptom",
    "medicine_question",
    "health_advice",
    "small_talk",
    "other",
)


def _check_instant(value: str) -> str:
    """Keep the server's own string (byte-exact round trip) but insist it is a zoned ISO 8601 time.

    A time without a zone would be read in the wrong time zone by someone, and an appointment an hour
    off is a missed appointment.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"date-time needs a time zone offset (e.g. Z or +01:00): {value!r}")
    return value


Instant = Annotated[str, AfterValidator(_check_instant), Field(json_schema_extra={"format": "date-time"})]


def _is_empty(value: object) -> bool:
    return not value


def _is_none(value: object) -> bool:
    return value is None


class _Contract(BaseModel):
    """Strict base: unknown keys are an error, so a misspelt field never silently disappears."""

    model_config = ConfigDict(extra="forbid")


class Citation(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"n": 1, "resource": "Observation/abc", "label": "Hemoglobin A1c 7.2 % (2020-03-01)"}
            ]
        }
    )

    n: int = Field(ge=1, description="The number used in the reply text, as in “[1]”.")
    resource: str = Field(
        pattern=RESOURCE_REF_PATTERN,
        description="The cited FHIR resource as “Type/id”, e.g. “Observation/abc”.",
    )
    label: str = Field(min_length=1, description="What the patient sees for this source.")


class TriageQuestion(_Contract):
    """A red-flag question of the triage protocol that decided, asked because its answer could change the
    level. The patient answers in words ("yes", "no", "only the left", "oui", "non") in the next message;
    the level given with the question is the floor that answer cannot lower."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "headache-stiff-neck", "text": "Is your neck stiff, or does it hurt to bend it?"}
            ]
        }
    )

    id: str = Field(min_length=1, description="The protocol question id (stable, for the audit).")
    text: str = Field(min_length=1, description="The question, in the patient's language.")


class TriageInfo(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "level": "emergency",
                    "rules": ["chest-pain-heart-attack"],
                    "advice": "Call 911 now. Do not drive yourself.",
                    "call": "911",
                    "protocol": "chest-pain",
                },
                {
                    "level": "urgent",
                    "rules": ["headache-with-fever"],
                    "advice": "Please get seen by a doctor today.",
                    "call": None,
                    "protocol": "headache",
                    "questions": [
                        {
                            "id": "headache-stiff-neck",
                            "text": "Is your neck stiff, or does it hurt to bend it?",
                        }
                    ],
                },
                {"level": "none", "rules": [], "advice": "", "call": None},
            ]
        }
    )

    level: TriageLevel = Field(
        description="emergency: call the emergency number now; urgent: see a clinician today; soon: "
        "book within days; self_care: look after it at home; none: no symptom in the message."
    )
    rules: list[str] = Field(
        default_factory=list,
        description="Ids of the red-flag rules and record-aware modifiers that set the level (audit trail).",
    )
    advice: str = Field(default="", description="What to do now, in the patient's language.")
    call: str | None = Field(
        default=None,
        pattern=r"^\+?[0-9][0-9 ]{1,19}$",
        description="The number to call for this locale and situation (US 911, EU 112, France 15/112, "
        "suicide: US 988, France 3114), or null.",
    )
    protocol: str | None = Field(
        default=None,
        exclude_if=_is_none,
        description="Id of the triage protocol (presenting problem) that decided the level and whose advice "
        "is given, e.g. chest-pain, headache, fever-child; left out when no symptom was triaged.",
    )
    questions: list[TriageQuestion] = Field(
        default_factory=list,
        exclude_if=_is_empty,
        description="Red-flag questions (at most 3, most important first) the protocol still needs answered: "
        "the reply asks them, the level is a floor until they are answered, and the next message is "
        "re-triaged with the answers. Left out when there is none.",
    )

    @model_validator(mode="after")
    def _emergency_needs_a_number(self) -> Self:
        # An emergency answer that does not say which number to call has failed the patient.
        if self.level is TriageLevel.EMERGENCY and not self.call:
            raise ValueError("an emergency triage must say which number to call")
        if any(not rule for rule in self.rules):
            raise ValueError("triage rule ids must not be empty")
        return self


class SlotOffer(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "Slot/s1",
                    "start": "2026-11-24T09:00:00+01:00",
                    "end": "2026-11-24T09:20:00+01:00",
                    "service": "General practice",
                    "practitioner": "Dr Adam Careful",
                    "location": "South Wing, second floor",
                }
            ]
        }
    )

    id: str = Field(pattern=SLOT_REF_PATTERN, description="The free slot as “Slot/id”.")
    start: Instant = Field(description="Start, ISO 8601 with a time zone offset, as the server gave it.")
    end: Instant | None = Field(default=None, exclude_if=_is_none, description="End, when known.")
    service: str = Field(min_length=1, description="Kind of visit, as the patient should read it.")
    practitioner: str | None = Field(
        default=None, exclude_if=_is_none, description="Who the patient will see, when known."
    )
    location: str | None = Field(default=None, exclude_if=_is_none, description="Where, when known.")


class AppointmentDetails(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "start": "2026-11-24T09:00:00+01:00",
                    "end": "2026-11-24T09:20:00+01:00",
                    "service": "General practice",
                    "practitioner": "Dr Adam Careful",
                }
            ]
        }
    )

    start: Instant = Field(description="Start, ISO 8601 with a time zone offset.")
    end: Instant | None = Field(default=None, exclude_if=_is_none, description="End, when known.")
    service: str = Field(min_length=1, description="Kind of visit.")
    practitioner: str | None = Field(default=None, exclude_if=_is_none, description="Who, when known.")
    location: str | None = Field(default=None, exclude_if=_is_none, description="Where, when known.")


class OfferSlots(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "offer_slots",
                    "slots": [
                        {"id": "Slot/s1", "start": "2026-11-24T09:00:00+01:00", "service": "General practice"}
                    ],
                }
            ]
        }
    )

    kind: Literal["offer_slots"] = Field(default="offer_slots", description="Free slots to choose from.")
    slots: list[SlotOffer] = Field(min_length=1, description="The slots offered, soonest first.")


class ConfirmBooking(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "confirm_booking",
                    "operation": "book",
                    "slot": {
                        "id": "Slot/s1",
                        "start": "2026-11-24T09:00:00+01:00",
                        "service": "General practice",
                    },
                    "token": "c0nf1rm-7f3a",
                    "summary": "Book General practice on Tuesday 24 November at 09:00?",
                }
            ]
        }
    )

    kind: Literal["confirm_booking"] = Field(
        default="confirm_booking",
        description="Nothing has changed yet: the patient must answer an explicit yes (sending the token) "
        "before anything is booked, moved or cancelled.",
    )
    operation: BookingOperation = Field(default="book", description="What the yes will do.")
    slot: SlotOffer | None = Field(
        default=None, exclude_if=_is_none, description="The slot to book (book and reschedule)."
    )
    appointment: str | None = Field(
        default=None,
        exclude_if=_is_none,
        pattern=APPOINTMENT_REF_PATTERN,
        description="The existing appointment (reschedule and cancel), as “Appointment/id”.",
    )
    token: str = Field(
        min_length=1,
        max_length=256,
        description="Opaque confirmation token; the confirming turn must carry it, so an old or forged yes "
        "cannot book.",
    )
    summary: str = Field(min_length=1, description="What will happen, in the patient's language.")

    @model_validator(mode="after")
    def _operation_has_its_target(self) -> Self:
        if self.operation in ("book", "reschedule") and self.slot is None:
            raise ValueError(f"a {self.operation} confirmation needs the slot")
        if self.operation in ("reschedule", "cancel") and self.appointment is None:
            raise ValueError(f"a {self.operation} confirmation needs the existing appointment")
        return self


class Booked(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "booked",
                    "appointment": "Appointment/a1",
                    "details": {"start": "2026-11-24T09:00:00+01:00", "service": "General practice"},
                }
            ]
        }
    )

    kind: Literal["booked"] = Field(default="booked", description="The appointment now exists.")
    appointment: str = Field(
        pattern=APPOINTMENT_REF_PATTERN, description="The appointment as “Appointment/id”."
    )
    details: AppointmentDetails = Field(description="When, what, who and where.")


class Cancelled(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "cancelled",
                    "appointment": "Appointment/a1",
                    "details": {"start": "2026-11-24T09:00:00+01:00", "service": "General practice"},
                }
            ]
        }
    )

    kind: Literal["cancelled"] = Field(default="cancelled", description="The appointment was cancelled.")
    appointment: str = Field(
        pattern=APPOINTMENT_REF_PATTERN, description="The appointment as “Appointment/id”."
    )
    details: AppointmentDetails = Field(description="The appointment that was cancelled.")


class Rescheduled(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "rescheduled",
                    "appointment": "Appointment/a2",
                    "details": {"start": "2026-11-25T14:00:00+01:00", "service": "General practice"},
                    "previous_appointment": "Appointment/a1",
                    "previous": {"start": "2026-11-24T09:00:00+01:00", "service": "General practice"},
                }
            ]
        }
    )

    kind: Literal["rescheduled"] = Field(default="rescheduled", description="The appointment was moved.")
    appointment: str = Field(
        pattern=APPOINTMENT_REF_PATTERN, description="The appointment as “Appointment/id”."
    )
    details: AppointmentDetails = Field(description="The new time.")
    previous_appointment: str | None = Field(
        default=None,
        exclude_if=_is_none,
        pattern=APPOINTMENT_REF_PATTERN,
        description="The replaced appointment, when the server created a new one.",
    )
    previous: AppointmentDetails | None = Field(
        default=None, exclude_if=_is_none, description="The old time, when known."
    )


class BookingFailed(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "booking_failed",
                    "reason": "That slot was taken a moment ago.",
                    "alternatives": [
                        {"id": "Slot/s2", "start": "2026-11-24T09:20:00+01:00", "service": "General practice"}
                    ],
                }
            ]
        }
    )

    kind: Literal["booking_failed"] = Field(
        default="booking_failed", description="Nothing was booked, moved or cancelled."
    )
    reason: str = Field(min_length=1, description="Why, in the patient's language.")
    alternatives: list[SlotOffer] = Field(
        default_factory=list, description="Other slots the patient could take instead."
    )


Action = Annotated[
    OfferSlots | ConfirmBooking | Booked | Cancelled | Rescheduled | BookingFailed,
    Field(discriminator="kind"),
]


class Refusal(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "category": "dose_change",
                    "text": "I can't advise changing your metformin. Your clinician can; shall I book a visit?",
                }
            ]
        }
    )

    category: RefusalCategory = Field(description="Why the assistant declined.")
    text: str = Field(min_length=1, description="A kind refusal with a useful alternative.")


class SafetyInfo(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "flags": ["dose-change-request"],
                    "backend": "offline",
                    "grounded": True,
                    "intent": "medicine_question",
                }
            ]
        }
    )

    flags: list[str] = Field(
        default_factory=list,
        description="What the guards noticed or did (e.g. a replaced LLM reply), for evaluators and audit.",
    )
    backend: str = Field(min_length=1, description="Which backend composed the text, e.g. “offline”.")
    grounded: bool = Field(
        description="True when every patient fact in the text was checked against its cited resource."
    )
    intent: IntentName | None = Field(
        default=None,
        exclude_if=_is_none,
        description=(
            "The main request of the patient's message as the understanding stage read it (record_question, "
            "booking, symptom, medicine_question, health_advice, small_talk, other), whatever the safety "
            "checks then did with it; left out when the turn was not a message (a booking button)."
        ),
    )


class Turn(_Contract):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": "5b0c2f9e-1d7a-4c1e-9a57-0d3f5e2b8a61",
                    "text": "Your most recent HbA1c was 7.2 % on 2020-03-01 [1].",
                    "language": "en",
                    "triage": {"level": "none", "rules": [], "advice": "", "call": None},
                    "citations": [
                        {"n": 1, "resource": "Observation/abc", "label": "Hemoglobin A1c 7.2 % (2020-03-01)"}
                    ],
                    "actions": [],
                    "refusal": None,
                    "safety": {"flags": [], "backend": "offline", "grounded": True},
                }
            ]
        }
    )

    session_id: str = Field(min_length=1, description="The conversation this turn belongs to.")
    text: str = Field(description="The reply, with citation markers like “[1]”.")
    language: Language = Field(description="Language of the reply.")
    triage: TriageInfo = Field(description="Triage decided by auditable rules.")
    citations: list[Citation] = Field(default_factory=list, description="Sources of the facts in the text.")
    actions: list[Action] = Field(default_factory=list, description="Scheduling actions, in order.")
    refusal: Refusal | None = Field(default=None, description="Set when the assistant declined, else null.")
    safety: SafetyInfo = Field(description="What the safety guards saw and did.")

    @model_validator(mode="after")
    def _citation_numbers_are_unique(self) -> Self:
        numbers = [citation.n for citation in self.citations]
        if len(numbers) != len(set(numbers)):
            raise ValueError(f"citation numbers must be unique, got {numbers}")
        return self
