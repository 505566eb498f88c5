"""The booking conversation's state: one typed model, kept in the session between turns.

Everything the flow needs to carry on a conversation another process started lives here, so the
session store holds plain JSON and any worker can answer the next message. The flow is the only
writer: it reads a ``BookingState`` at the start of a turn and returns the next one in its outcome;
the assistant stores it as it is (``dump()``). Nothing else builds or edits it.

Slots and appointments are kept whole (``OfferedSlot``, ``HeldAppointment``), never as partial
copies: the slot ids of an appointment being moved are what keeps its own slot out of the offers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.schemas import Language
from fhir_client.scheduling import AppointmentInfo, FreeSlot

log = logging.getLogger(__name__)

Step = Literal["idle", "choose", "confirm", "choose_appointment"]
Operation = Literal["book", "reschedule", "cancel"]
TimeOfDay = Literal["morning", "afternoon", "evening"]
Gender = Literal["female", "male"]
Kind = Literal["video", "in_person"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OfferedSlot(_Frozen):
    """A free slot as it was offered: what the patient saw, and what booking it needs."""

    id: str  # bare Slot id
    start: str  # ISO 8601 with offset, as the server gave it
    end: str | None = None
    service: str = "Appointment"
    service_code: str | None = None
    specialty_code: str | None = None
    service_token: str | None = None
    practitioner: str | None = None
    practitioner_ref: str | None = None
    location: str | None = None

    @classmethod
    def of(cls, slot: FreeSlot) -> OfferedSlot:
        return cls(
            id=slot.id,
            start=slot.start_text or slot.start.isoformat(),
            end=slot.end_text,
            service=slot.service or "Appointment",
            service_code=slot.service_code,
            specialty_code=slot.specialty_code,
            service_token=slot.service_token,
            practitioner=slot.practitioner,
            practitioner_ref=slot.practitioner_ref,
            location=slot.location,
        )

    @property
    def reference(self) -> str:
        return f"Slot/{self.id}"

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.start.replace("Z", "+00:00"))


class HeldAppointment(_Frozen):
    """One of the patient's appointments, with the slots it holds."""

    id: str  # bare Appointment id
    start: str | None = None
    end: str | None = None
    service: str = "Appointment"
    service_code: str | None = None
    specialty_code: str | None = None
    service_token: str | None = None
    practitioner: str | None = None
    practitioner_ref: str | None = None
    location: str | None = None
    slot_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, info: AppointmentInfo) -> HeldAppointment:
        return cls(
            id=info.id,
            start=info.start_text or (info.start.isoformat() if info.start else None),
            end=info.end_text or (info.end.isoformat() if info.end else None),
            service=info.service or "Appointment",
            service_code=info.service_code,
            specialty_code=info.specialty_code,
            service_token=info.service_token,
            practitioner=info.practitioner,
            practitioner_ref=info.practitioner_ref,
            location=info.location,
            slot_ids=tuple(info.slot_ids),
        )

    @property
    def reference(self) -> str:
        return f"Appointment/{self.id}"

    @property
    def starts(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.start.replace("Z", "+00:00")) if self.start else None


class SlotRequest(_Frozen):
    """What the patient asked for, each part optional: the days (local dates, ``last_day``
    exclusive), the time (part of day, "after 2pm", "at 9"), who (a clinician, a gender), what
    (a topic that picks the clinic's service) and how (video or in person)."""

    topic: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    time_of_day: TimeOfDay | None = None
    earliest: dt.time | None = None
    latest: dt.time | None = None
    clock: dt.time | None = None
    clinician: str | None = None  # "Practitioner/id"
    gender: Gender | None = None
    kind: Kind | None = None

    @property
    def empty(self) -> bool:
        return self == SlotRequest()

    @property
    def has_days(self) -> bool:
        return self.first_day is not None

    @property
    def has_time(self) -> bool:
        return any(x is not None for x in (self.time_of_day, self.earliest, self.latest, self.clock))

    @property
    def has_who(self) -> bool:
        return self.clinician is not None or self.gender is not None

    def merged(self, newer: SlotRequest) -> SlotRequest:
        """This request refined by a later message: what the later one names replaces what this one
        said about the same thing ("no, afternoon please" keeps the day and the doctor, changes the
        time). Days and times are replaced as a whole, never mixed; naming a clinician replaces the
        service and kind (the clinician decides them), and a new service or kind drops a clinician
        who does not provide it. A mere "doctor" ("a woman doctor") does not undo a chosen service."""
        values = self.model_dump()
        if newer.has_days:
            values.update(first_day=newer.first_day, last_day=newer.last_day)
        if newer.has_time:
            values.update(
                time_of_day=newer.time_of_day, earliest=newer.earliest, latest=newer.latest, clock=newer.clock
            )
        topic = newer.topic if newer.topic != "general" or self.topic is None else None
        if newer.clinician is not None:
            values.update(clinician=newer.clinician, gender=None, topic=topic, kind=newer.kind)
        elif topic is not None or newer.kind is not None:
            values.update(clinician=None, topic=topic or newer.topic, kind=newer.kind)
        if newer.gender is not None:
            values.update(gender=newer.gender, clinician=newer.clinician)
        return SlotRequest(**values)

    def without_days(self) -> SlotRequest:
        return self.model_copy(update={"first_day": None, "last_day": None})

    def without_time(self) -> SlotRequest:
        return self.model_copy(update={"time_of_day": None, "earliest": None, "latest": None, "clock": None})

    def without_who(self) -> SlotRequest:
        return self.model_copy(update={"clinician": None, "gender": None})


class Completed(_Frozen):
    """The last confirmed change, so the same confirmation sent again (a double click, a retry after a
    timeout) replays it with the same idempotency key instead of doing anything new."""

    token: str
    operation: Operation
    slot: OfferedSlot | None = None
    appointment: HeldAppointment | None = None


class BookingState(_Frozen):
    """Where the booking conversation stands.

    ``idle`` (nothing pending) → ``choose`` (slots offered) → ``confirm`` (one chosen, waiting for an
    explicit yes with ``token``) → idle again. ``choose_appointment`` asks which appointment to cancel
    or move. ``request`` is what the patient asked for, so a later "no, afternoon please" refines it.
    """

    step: Step = "idle"
    operation: Operation = "book"
    language: Language = "en"
    request: SlotRequest | None = None
    offers: tuple[OfferedSlot, ...] = ()
    appointments: tuple[HeldAppointment, ...] = ()
    slot: OfferedSlot | None = None
    appointment: HeldAppointment | None = None
    token: str | None = None
    summary: str | None = None
    target: SlotRequest | None = None  # where to move the appointment, while asking which one
    last_appointment: str | None = None  # bare id of the appointment this conversation last made
    done: Completed | None = None

    @property
    def pending(self) -> bool:
        return self.step != "idle"

    @classmethod
    def load(cls, data: Mapping[str, Any] | None) -> BookingState:
        """The state a session holds; an unreadable one (written by an older version) starts over,
        which only ever forgets an offer — it can never book anything."""
        if not data:
            return cls()
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            log.warning("booking state in the session is unreadable, starting over: %s", exc.errors()[:1])
            return cls()

    def dump(self) -> dict[str, Any]:
        """JSON for the session store; an idle state with nothing to remember is ``{}``."""
        if self == BookingState(language=self.language):
            return {}
        return self.model_dump(mode="json", exclude_defaults=True)

    def idle(self) -> BookingState:
        """Nothing pending any more; what was done is remembered (for a repeated confirmation)."""
        return BookingState(language=self.language, last_appointment=self.last_appointment, done=self.done)
