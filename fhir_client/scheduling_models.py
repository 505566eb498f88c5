"""What scheduling hands back and how it fails: plain frozen values, no HTTP in here.

These are kept apart from ``scheduling.py`` so the conversation layer (and its tests) can build and
compare them without a server. Times are timezone-aware ``datetime``s; the server's own text is kept
too (``start_text``) because the turn contract repeats it byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from fhir_client.errors import FhirError

TimeOfDay = Literal["morning", "afternoon", "evening"]
BookingPath = Literal["argonaut", "slot-appointment"]

#: Identifier system of the Appointments this client creates; the value is the idempotency key.
BOOKING_IDENTIFIER_SYSTEM = "https://health-assistant.example/fhir/booking-request"
#: ``meta.tag`` system put on a Slot while a booking holds it; the code is the idempotency key.
#: It lets a retry recognise its own hold and lets recovery find holds a crash left behind.
HOLD_TAG_SYSTEM = "https://health-assistant.example/fhir/slot-hold"

#: Local hours (start inclusive, end exclusive) of each time-of-day preference.
TIME_OF_DAY_HOURS: dict[str, tuple[int, int]] = {
    "morning": (5, 12),
    "afternoon": (12, 18),
    "evening": (18, 23),
}

ACTIVE_APPOINTMENT_STATUSES = ("proposed", "pending", "booked", "arrived", "checked-in", "waitlist")


@dataclass(frozen=True)
class SlotQuery:
    """What the patient asked for. Every field is optional; an empty query means "anything soon".

    ``service`` is a HealthcareService id (``hs-diabetes``) or a ``system|code`` service-type token;
    ``specialty`` a ``system|code`` token or bare code; ``practitioner`` and ``location`` a reference
    (``Practitioner/x``) or a bare id. ``start``/``end`` bound the slot's start (aware datetimes);
    ``time_of_day`` keeps slots whose local start falls in that part of the day, and ``earliest`` /
    ``latest`` those starting at or after / before a local clock time ("after 2pm"), local meaning
    ``timezone`` when given, else the offset the server published the slot with. ``practitioners``
    widens ``practitioner`` to any of several ("a woman doctor": every female GP of the clinic).
    """

    service: str | None = None
    specialty: str | None = None
    practitioner: str | None = None
    location: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    time_of_day: TimeOfDay | None = None
    limit: int = 5
    timezone: str | None = None
    practitioners: tuple[str, ...] = ()
    earliest: dt.time | None = None
    latest: dt.time | None = None

    @property
    def all_practitioners(self) -> tuple[str, ...]:
        """``practitioner`` and ``practitioners`` together (any of them matches)."""
        return ((self.practitioner,) if self.practitioner else ()) + tuple(self.practitioners)

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"SlotQuery.{name} needs a time zone (got {value.isoformat()})")
        if self.start and self.end and self.end <= self.start:
            raise ValueError("SlotQuery.end must be after start")
        if self.time_of_day is not None and self.time_of_day not in TIME_OF_DAY_HOURS:
            raise ValueError(f"time_of_day must be one of {', '.join(TIME_OF_DAY_HOURS)} or None")
        if not 1 <= self.limit <= 100:
            raise ValueError("SlotQuery.limit must be 1-100")
        if self.earliest is not None and self.latest is not None and self.latest <= self.earliest:
            raise ValueError("SlotQuery.latest must be after earliest")


@dataclass(frozen=True)
class FreeSlot:
    """A slot that was free when searched, with what a patient needs to choose it."""

    id: str
    start: dt.datetime
    end: dt.datetime | None
    start_text: str
    end_text: str | None
    service: str
    service_code: str | None = None
    specialty_code: str | None = None
    practitioner: str | None = None
    practitioner_ref: str | None = None
    location: str | None = None
    location_ref: str | None = None
    schedule_ref: str | None = None
    service_token: str | None = None  # ``system|code``, to search more slots of the same service

    @property
    def reference(self) -> str:
        return f"Slot/{self.id}"


@dataclass(frozen=True)
class Clinician:
    """One practitioner of the clinic, as a patient asks for them: by name ("Dr Martin"), by gender
    ("a woman doctor") or by what they do (the HealthcareServices of their roles)."""

    ref: str  # "Practitioner/id"
    name: str  # "Dr Claire Martin"
    given: tuple[str, ...] = ()
    family: str | None = None
    gender: str | None = None  # FHIR administrative gender: male | female | other | unknown
    roles: tuple[str, ...] = ()  # PractitionerRole.code codes ("doctor", "nurse")
    services: tuple[str, ...] = ()  # "HealthcareService/id" of their roles


@dataclass(frozen=True)
class AppointmentInfo:
    """One of the patient's appointments as the server holds it."""

    id: str
    status: str
    start: dt.datetime | None
    end: dt.datetime | None
    start_text: str | None
    end_text: str | None
    service: str
    practitioner: str | None = None
    practitioner_ref: str | None = None
    location: str | None = None
    location_ref: str | None = None
    slot_ids: tuple[str, ...] = ()
    service_code: str | None = None
    specialty_code: str | None = None
    version_id: str | None = None
    service_token: str | None = None

    @property
    def reference(self) -> str:
        return f"Appointment/{self.id}"


@dataclass(frozen=True)
class BookingResult:
    """A booked appointment. ``created`` is False when an earlier request with the same key had
    already booked it (a retry), so callers can tell a replay from a new booking."""

    appointment: AppointmentInfo
    slot_id: str
    idempotency_key: str
    created: bool
    path: BookingPath

    @property
    def appointment_id(self) -> str:
        return self.appointment.id


@dataclass(frozen=True)
class RescheduleResult:
    """The new appointment and the old one. ``previous_cancelled`` is False only when the old one
    could not be cancelled after the new one was booked: the patient then holds both, never none."""

    booking: BookingResult
    previous: AppointmentInfo
    previous_cancelled: bool


# -- errors ---------------------------------------------------------------------------------------

BookingFailureReason = Literal[
    "slot_taken",  # someone else got it first (412/409), or it was not free any more
    "slot_not_found",  # no such slot
    "server_unavailable",  # the server failed or could not be reached; nothing was booked
    "outcome_unknown",  # the server did not answer in time; a retry with the same key is safe
    "invalid_request",  # the request itself was wrong (e.g. a key reused for another patient)
]


class SchedulingError(FhirError):
    """Base of the scheduling errors."""


class BookingFailed(SchedulingError):
    """Nothing was booked. ``reason`` says why, ``alternatives`` holds the next free slots.

    ``slot_held`` is True only when the server failed so badly that the slot is still marked busy
    by this booking; ``SchedulingClient.recover()`` (run at the start of every later call) frees it,
    and a retry with the same idempotency key completes the booking instead.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: BookingFailureReason,
        slot_id: str,
        alternatives: tuple[FreeSlot, ...] = (),
        slot_held: bool = False,
    ) -> None:
        super().__init__(message)
        self.reason: BookingFailureReason = reason
        self.slot_id = slot_id
        self.alternatives = alternatives
        self.slot_held = slot_held
        if reason == "invalid_request":
            self.exit_code = 2


class AppointmentNotFound(SchedulingError):
    """No such appointment, or not one of this patient's (the two are not told apart on purpose)."""

    exit_code = 2


class NotPatientsAppointment(AppointmentNotFound):
    """The appointment exists but belongs to someone else; callers report it as not found."""


class CancelFailed(SchedulingError):
    """The appointment could not be cancelled, or its slot could not be freed and verified."""


@dataclass
class _Hold:
    """A slot this process marked busy for a booking that has not finished (internal bookkeeping)."""

    key: str
    slot_id: str
    since: dt.datetime
    outcome_unknown: bool = False
    extra: dict[str, str] = field(default_factory=dict)
