"""The booking conversation: offer slots, let the patient pick, ask for a yes, then act.

The flow is a small state machine whose state lives in the session (plain JSON), never in this
object, so any process can carry on a conversation another one started:

    (no state) --request--> choose --pick--> confirm --yes--> booked / rescheduled / cancelled
                                               |--no--> nothing changed
                                               '--anything unclear--> ask again, still nothing done

Only a clear yes to a pending confirmation changes the schedule, and the yes books with the
confirmation token as the idempotency key, so repeating it (after a timeout, a double click) can
never book twice. A slot taken between offer and yes is found by the booking itself (it reads the
slot fresh) and answered with the next free slots.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from assistant.booking import parsing, wording
from assistant.booking.parsing import When, fold
from assistant.schemas import (
    Action,
    AppointmentDetails,
    Booked,
    Cancelled,
    ConfirmBooking,
    Language,
    OfferSlots,
    Rescheduled,
    SlotOffer,
    TriageLevel,
)
from assistant.schemas import BookingFailed as BookingFailedAction
from fhir_client.errors import FhirError
from fhir_client.scheduling import (
    AppointmentInfo,
    AppointmentNotFound,
    BookingFailed,
    CancelFailed,
    FreeSlot,
    SchedulingClient,
    SlotQuery,
)

OFFERS = 4
_NEAR_CLOCK = dt.timedelta(minutes=61)


@dataclass(frozen=True)
class BookingOutcome:
    """One reply of the flow: text in the patient's language, contract actions, and the state to
    keep in the session (``{}`` clears it)."""

    text: str
    actions: list[Action] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


def _slot_state(slot: FreeSlot) -> dict[str, Any]:
    return {
        "id": slot.id,
        "start": slot.start_text,
        "end": slot.end_text,
        "service": slot.service,
        "service_code": slot.service_code,
        "specialty_code": slot.specialty_code,
        "service_token": slot.service_token,
        "practitioner": slot.practitioner,
        "practitioner_ref": slot.practitioner_ref,
        "location": slot.location,
    }


def _appointment_state(info: AppointmentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "start": info.start_text,
        "end": info.end_text,
        "service": info.service,
        "service_code": info.service_code,
        "specialty_code": info.specialty_code,
        "service_token": info.service_token,
        "practitioner": info.practitioner,
        "practitioner_ref": info.practitioner_ref,
        "location": info.location,
    }


def _target_text(text: str) -> str:
    """For "move my Tuesday appointment to Thursday": the part naming the new time ("Thursday")."""
    parts = re.split(r"\b(?:to|until|for|a|au|pour|vers)\b", fold(text))
    return parts[-1] if len(parts) > 1 else fold(text)


class BookingFlow:
    """Scheduling in conversation for ONE patient (bound at construction, never taken from a message)."""

    def __init__(
        self,
        scheduling: SchedulingClient,
        *,
        patient_id: str,
        timezone: str = "Europe/Paris",
        clock: Callable[[], dt.datetime],
        region: str = "FR",
    ) -> None:
        self.scheduling = scheduling
        self.patient_id = patient_id
        self.tz = ZoneInfo(timezone)
        self.clock = clock  # from the composition root; "today", "tomorrow" and "next week" count from it
        self.region = region
        self._services: list[dict[str, Any]] | None = None

    # -- the assistant's questions ---------------------------------------------------------------

    def wants(self, text: str, language: Language, state: Mapping[str, Any]) -> bool:
        """A scheduling message, or an answer to the offer or confirmation this session is waiting on."""
        if parsing.intent_of(text) is not None:
            return True
        step = state.get("step")
        if step not in ("choose", "confirm", "choose_appointment"):
            return False
        if parsing.answer_of(text) is not None:
            return True
        items = state.get("offers") or state.get("appointments") or []
        if parsing.ordinal_of(text, len(items)) is not None:
            return True
        if not parsing.when_of(text, self._today()).empty:
            return True
        # A short or hedging reply while a question is pending is an (unclear) answer to it.
        words = len(fold(text).split())
        return (words <= 4 and "?" not in text) or (words <= 8 and parsing.hedges(text))

    def handle(
        self,
        text: str,
        *,
        language: Language,
        state: Mapping[str, Any],
        triage: TriageLevel = TriageLevel.NONE,
        reason: str | None = None,
    ) -> BookingOutcome:
        if triage == TriageLevel.EMERGENCY:
            # Never an appointment in place of the emergency number.
            return BookingOutcome(wording.emergency(language), [], {})
        try:
            return self._handle(text, language, state)
        except FhirError:
            return BookingOutcome(wording.not_available(language), [], dict(state))

    def offer_for_triage(
        self,
        level: TriageLevel,
        *,
        language: Language,
        state: Mapping[str, Any],
        reason: str | None,
    ) -> BookingOutcome | None:
        """Earliest suitable slots for ``urgent`` (today) or ``soon`` (within a week); None otherwise."""
        if level not in (TriageLevel.URGENT, TriageLevel.SOON) or state.get("step") == "confirm":
            return None
        now = self.clock().astimezone(self.tz)
        try:
            if level == TriageLevel.URGENT:
                end = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0), self.tz)
                slots = self._find(["general", "video"], SlotQuery(start=now, end=end, limit=3))
                if not slots:
                    return BookingOutcome(wording.urgent_none(language, self.region), [], {})
                intro = wording.urgent_intro(language)
            else:
                topic = parsing.topic_of(reason or "")
                topics = [topic, "general"] if topic and topic != "general" else ["general"]
                slots = self._find(topics, SlotQuery(start=now, end=now + dt.timedelta(days=7), limit=3))
                if not slots:
                    return None
                intro = wording.soon_intro(language)
        except (FhirError, ValueError):
            return None
        offers = [_slot_state(s) for s in slots]
        text = f"{intro}\n{wording.numbered(offers, language, self.tz)}\n{wording.pick_prompt(language)}"
        return BookingOutcome(
            text,
            [OfferSlots(slots=[self._offer(o, language) for o in offers])],
            {"step": "choose", "operation": "book", "offers": offers},
        )

    # -- steps -----------------------------------------------------------------------------------

    def _handle(self, text: str, language: Language, state: Mapping[str, Any]) -> BookingOutcome:
        step = state.get("step")
        intent = parsing.intent_of(text)
        answer = parsing.answer_of(text)
        when = parsing.when_of(text, self._today())
        if step == "confirm":
            if answer == "yes":
                return self._execute(state, language)
            if answer == "no":
                return BookingOutcome(wording.declined(language), [], {})
            offers = state.get("offers") or []
            index = self._pick(text, offers)
            if index is not None:
                return self._confirm(offers[index], state, language)
            if intent is None and when.empty:
                summary = str(state.get("summary") or "")
                return BookingOutcome(
                    wording.not_confirmed(summary, language), [self._confirm_action(state)], dict(state)
                )
        elif step == "choose":
            offers = state.get("offers") or []
            if answer == "no" and intent is None:
                return BookingOutcome(wording.declined(language), [], {})
            index = self._pick(text, offers)
            if index is not None:
                return self._confirm(offers[index], state, language)
            if intent in (None, "book") and not when.empty:
                return self._search(text, language, when, context=state)
            if intent is None:
                listed = wording.numbered(offers, language, self.tz)
                return BookingOutcome(wording.pick_again(listed, language), [], dict(state))
        elif step == "choose_appointment":
            appointments = state.get("appointments") or []
            index = parsing.ordinal_of(text, len(appointments))
            if index is None:
                index = self._match_appointment(text, appointments)
            if index is not None:
                chosen = appointments[index]
                if state.get("operation") == "cancel":
                    return self._confirm_cancel(chosen, language)
                target = parsing.when_of(str(state.get("target") or ""), self._today())
                return self._offer_move(chosen, target, language)
            if answer == "no":
                return BookingOutcome(wording.declined(language), [], {})

        if intent == "upcoming":
            return self._upcoming(language)
        if intent == "cancel":
            return self._cancel_request(text, language)
        if intent == "reschedule":
            return self._reschedule_request(text, language, state)
        return self._search(text, language, when, context={})

    def _today(self) -> dt.date:
        return self.clock().astimezone(self.tz).date()

    def _pick(self, text: str, offers: Sequence[Mapping[str, Any]]) -> int | None:
        """Which offer the patient means: "the second one", "Tuesday at 9", "le 9 h 30"; None if unclear."""
        if not offers:
            return None
        index = parsing.ordinal_of(text, len(offers))
        if index is not None:
            return index
        t = fold(text)
        weekday = parsing.weekday_named(t)
        clock = parsing.clock_of(t)
        if weekday is None and clock is None:
            return None
        matches = []
        for i, offer in enumerate(offers):
            local = dt.datetime.fromisoformat(str(offer["start"])).astimezone(self.tz)
            if weekday is not None and local.weekday() != weekday:
                continue
            if clock is not None and (local.hour, local.minute) != clock:
                continue
            matches.append(i)
        return matches[0] if len(matches) == 1 else None

    # -- finding and offering --------------------------------------------------------------------

    def _services_list(self) -> list[dict[str, Any]]:
        if self._services is None:
            self._services = self.scheduling.services()
        return self._services

    def _service_for(self, topic: str) -> str | None:
        """The clinic's HealthcareService for a topic: the one whose name carries the most topic
        words (a nurse clinic mentioning "diabetes education" loses to "Endocrinology and diabetes"),
        then the one whose other text (French name, type, specialty) does."""
        words = parsing.TOPICS[topic][1]
        services = self._services_list()
        for fields in (("name",), ("comment", "type", "specialty")):
            best: tuple[int, str] | None = None
            for hs in services:
                text = fold(" ".join(str(hs.get(f) or "") for f in fields))
                score = sum(1 for w in words if w in text)
                if score and isinstance(hs.get("id"), str) and (best is None or score > best[0]):
                    best = (score, str(hs["id"]))
            if best is not None:
                return best[1]
        return None

    def _find(self, topics: Sequence[str | None], query: SlotQuery) -> list[FreeSlot]:
        """Slots for the first topic that has any; a topic the clinic lacks is skipped."""
        for topic in topics:
            service = self._service_for(topic) if topic else None
            if topic and service is None:
                continue
            found = self.scheduling.find_slots(
                SlotQuery(
                    service=service,
                    practitioner=query.practitioner,
                    start=query.start,
                    end=query.end,
                    time_of_day=query.time_of_day,
                    limit=query.limit,
                    timezone=str(self.tz),
                )
            )
            if found:
                return found
        return []

    def _window(self, when: When) -> tuple[dt.datetime | None, dt.datetime | None]:
        start, end = when.window(self.tz)
        return start, end

    def _near_clock(self, slots: list[FreeSlot], when: When) -> list[FreeSlot]:
        if when.clock is None:
            return slots
        hour, minute = when.clock
        near = [
            s
            for s in slots
            if abs(
                dt.datetime.combine(s.start.astimezone(self.tz).date(), dt.time(hour, minute), self.tz)
                - s.start
            )
            <= _NEAR_CLOCK
        ]
        return near or slots

    def _search(
        self, text: str, language: Language, when: When, *, context: Mapping[str, Any]
    ) -> BookingOutcome:
        topic = parsing.topic_of(text)
        if topic is None:
            topic = str(context.get("topic") or "general")
        start, end = self._window(when)
        limit = OFFERS if when.clock is None else 40
        slots = self._find(
            [topic], SlotQuery(start=start, end=end, time_of_day=when.time_of_day, limit=limit)
        )
        slots = self._near_clock(slots, when)[:OFFERS]
        if not slots:
            return BookingOutcome(wording.none_found(language, self._when_words(when, language)), [], {})
        offers = [_slot_state(s) for s in slots]
        operation = str(context.get("operation") or "book")
        label = self._label(offers[0], language)
        text_out = wording.offer(
            label, wording.numbered(offers, language, self.tz), language, reschedule=operation == "reschedule"
        )
        new_state: dict[str, Any] = {
            "step": "choose",
            "operation": operation,
            "offers": offers,
            "topic": topic,
        }
        if context.get("appointment"):
            new_state["appointment"] = context["appointment"]
        return BookingOutcome(
            text_out, [OfferSlots(slots=[self._offer(o, language) for o in offers])], new_state
        )

    def _when_words(self, when: When, language: Language) -> str | None:
        if when.first_day is None:
            return None
        if when.last_day is not None and (when.last_day - when.first_day).days == 1:
            prefix = "le " if language == "fr" else "on "
            return prefix + wording.day_text(when.first_day, language)
        first = wording.day_text(when.first_day, language)
        return f"à partir du {first}" if language == "fr" else f"from {first}"

    def _label(self, item: Mapping[str, Any], language: Language) -> str:
        return wording.service_text(
            str(item.get("service") or "Appointment"),
            item.get("service_code"),
            item.get("specialty_code"),
            language,
        )

    def _offer(self, item: Mapping[str, Any], language: Language) -> SlotOffer:
        return SlotOffer(
            id=f"Slot/{item['id']}",
            start=str(item["start"]),
            end=item.get("end"),
            service=self._label(item, language),
            practitioner=item.get("practitioner"),
            location=item.get("location"),
        )

    def _details(self, item: Mapping[str, Any], language: Language) -> AppointmentDetails:
        return AppointmentDetails(
            start=str(item["start"]),
            end=item.get("end"),
            service=self._label(item, language),
            practitioner=item.get("practitioner"),
            location=item.get("location"),
        )

    # -- confirming ------------------------------------------------------------------------------

    def _confirm(
        self, offer: Mapping[str, Any], state: Mapping[str, Any], language: Language
    ) -> BookingOutcome:
        operation = str(state.get("operation") or "book")
        if not self.scheduling.slot_is_free(str(offer["id"])):
            return self._taken(offer, state, language, alternatives=None)
        token = uuid.uuid4().hex
        line = wording.slot_line(offer, language, self.tz)
        if operation == "reschedule" and state.get("appointment"):
            old = state["appointment"]
            old_line = wording.slot_line(old, language, self.tz)
            summary = wording.confirm_reschedule(old_line, line, language)
        else:
            operation = "book"
            summary = wording.confirm_book(self._label(offer, language), line, language)
        new_state: dict[str, Any] = {
            "step": "confirm",
            "operation": operation,
            "slot": dict(offer),
            "token": token,
            "summary": summary,
            "language": language,
            "offers": list(state.get("offers") or []),
            "topic": state.get("topic"),
        }
        if operation == "reschedule":
            new_state["appointment"] = state["appointment"]
        return BookingOutcome(summary, [self._confirm_action(new_state)], new_state)

    def _confirm_action(self, state: Mapping[str, Any]) -> ConfirmBooking:
        language: Language = "fr" if state.get("language") == "fr" else "en"
        slot = state.get("slot")
        appointment = state.get("appointment")
        return ConfirmBooking(
            operation=state.get("operation") or "book",
            slot=self._offer(slot, language) if slot else None,
            appointment=f"Appointment/{appointment['id']}" if appointment else None,
            token=str(state["token"]),
            summary=str(state.get("summary") or "?"),
        )

    def _confirm_cancel(self, appointment: Mapping[str, Any], language: Language) -> BookingOutcome:
        token = uuid.uuid4().hex
        summary = wording.confirm_cancel(
            self._label(appointment, language), wording.slot_line(appointment, language, self.tz), language
        )
        new_state = {
            "step": "confirm",
            "operation": "cancel",
            "appointment": dict(appointment),
            "token": token,
            "summary": summary,
            "language": language,
        }
        return BookingOutcome(summary, [self._confirm_action(new_state)], new_state)

    # -- acting (only after a clear yes) ---------------------------------------------------------

    def _execute(self, state: Mapping[str, Any], language: Language) -> BookingOutcome:
        operation = state.get("operation")
        token = str(state.get("token") or "")
        slot = state.get("slot") or {}
        try:
            if operation == "cancel":
                appointment = state["appointment"]
                info = self.scheduling.cancel(str(appointment["id"]), self.patient_id)
                item = _appointment_state(info)
                text = wording.cancelled(
                    self._label(item, language), wording.slot_line(item, language, self.tz), language
                )
                action: Action = Cancelled(appointment=info.reference, details=self._details(item, language))
                return BookingOutcome(text, [action], {})
            if operation == "reschedule":
                old = state["appointment"]
                moved = self.scheduling.reschedule(
                    str(old["id"]), str(slot["id"]), self.patient_id, idempotency_key=token
                )
                new_item = _appointment_state(moved.booking.appointment)
                old_item = _appointment_state(moved.previous)
                text = wording.rescheduled(
                    wording.slot_line(new_item, language, self.tz),
                    wording.slot_line(old_item, language, self.tz),
                    language,
                    old_cancelled=moved.previous_cancelled,
                )
                action = Rescheduled(
                    appointment=moved.booking.appointment.reference,
                    details=self._details(new_item, language),
                    previous_appointment=moved.previous.reference,
                    previous=self._details(old_item, language),
                )
                return BookingOutcome(text, [action], {"last_appointment": moved.booking.appointment_id})
            result = self.scheduling.book(str(slot["id"]), self.patient_id, idempotency_key=token)
        except BookingFailed as failure:
            return self._failed(failure, state, language)
        except AppointmentNotFound:
            return BookingOutcome(wording.no_appointment(language, None), [], {})
        except CancelFailed:
            return BookingOutcome(wording.server_down(language, unknown=False), [], dict(state))
        item = _appointment_state(result.appointment)
        text = wording.booked(
            self._label(item, language), wording.slot_line(item, language, self.tz), language
        )
        booked = Booked(appointment=result.appointment.reference, details=self._details(item, language))
        return BookingOutcome(text, [booked], {"last_appointment": result.appointment_id})

    def _failed(self, failure: BookingFailed, state: Mapping[str, Any], language: Language) -> BookingOutcome:
        slot = state.get("slot") or {}
        if failure.reason in ("slot_taken", "slot_not_found"):
            return self._taken(slot, state, language, alternatives=list(failure.alternatives))
        if failure.reason in ("server_unavailable", "outcome_unknown"):
            text = wording.server_down(language, unknown=failure.reason == "outcome_unknown")
            action = BookingFailedAction(reason=text)
            return BookingOutcome(text, [action], dict(state))  # the same yes retries, same key
        text = wording.declined(language)
        return BookingOutcome(text, [BookingFailedAction(reason=text)], {})

    def _taken(
        self,
        slot: Mapping[str, Any],
        state: Mapping[str, Any],
        language: Language,
        *,
        alternatives: list[FreeSlot] | None,
    ) -> BookingOutcome:
        """The slot is gone: say so, and offer what is free now (a fresh search when not given)."""
        if alternatives is None:
            start = dt.datetime.fromisoformat(str(slot["start"]))
            query = SlotQuery(service=slot.get("service_token"), start=start, limit=3)
            alternatives = [s for s in self.scheduling.find_slots(query) if s.id != slot.get("id")]
        offers = [_slot_state(s) for s in alternatives[:3]]
        line = wording.slot_line(slot, language, self.tz)
        listed = wording.numbered(offers, language, self.tz) if offers else None
        text = wording.taken(line, listed, language)
        action = BookingFailedAction(reason=text, alternatives=[self._offer(o, language) for o in offers])
        if not offers:
            return BookingOutcome(text, [action], {})
        new_state: dict[str, Any] = {
            "step": "choose",
            "operation": state.get("operation") or "book",
            "offers": offers,
            "topic": state.get("topic"),
        }
        if state.get("appointment") and state.get("operation") == "reschedule":
            new_state["appointment"] = state["appointment"]
        return BookingOutcome(text, [action], new_state)

    # -- the patient's existing appointments -----------------------------------------------------

    def _appointments(self) -> list[dict[str, Any]]:
        return [_appointment_state(a) for a in self.scheduling.upcoming(self.patient_id, now=self.clock())]

    def _line(self, item: Mapping[str, Any], language: Language) -> str:
        return f"{self._label(item, language)}, {wording.slot_line(item, language, self.tz)}"

    def _upcoming(self, language: Language) -> BookingOutcome:
        lines = [self._line(a, language) for a in self._appointments()]
        return BookingOutcome(wording.upcoming(lines, language), [], {})

    def _match_appointment(self, text: str, appointments: Sequence[Mapping[str, Any]]) -> int | None:
        """The appointment named by day ("on Tuesday", "tomorrow", "le 3 décembre"); None if unclear."""
        t = fold(text)
        weekday = parsing.weekday_named(t)
        when = parsing.when_of(t, self._today())
        day = None
        if (
            weekday is None
            and when.first_day
            and when.last_day
            and (when.last_day - when.first_day).days == 1
        ):
            day = when.first_day
        matches = []
        for i, item in enumerate(appointments):
            local = dt.datetime.fromisoformat(str(item["start"])).astimezone(self.tz)
            if (weekday is not None and local.weekday() == weekday) or (
                day is not None and local.date() == day
            ):
                matches.append(i)
        return matches[0] if matches else None

    def _cancel_request(self, text: str, language: Language) -> BookingOutcome:
        appointments = self._appointments()
        if not appointments:
            return BookingOutcome(wording.no_appointment(language, None), [], {})
        t = fold(text)
        named = parsing.weekday_named(t) is not None or not parsing.when_of(t, self._today()).empty
        if named:
            index = self._match_appointment(text, appointments)
            if index is None:
                when = parsing.when_of(t, self._today())
                day = wording.day_text(when.first_day, language) if when.first_day else None
                return BookingOutcome(wording.no_appointment(language, day), [], {})
            return self._confirm_cancel(appointments[index], language)
        if len(appointments) == 1 or re.search(r"\b(next|prochain)\b", t):
            return self._confirm_cancel(appointments[0], language)
        lines = [self._line(a, language) for a in appointments]
        state = {"step": "choose_appointment", "operation": "cancel", "appointments": appointments}
        return BookingOutcome(wording.which_appointment(lines, language, action="cancel"), [], state)

    def _reschedule_request(self, text: str, language: Language, state: Mapping[str, Any]) -> BookingOutcome:
        appointments = self._appointments()
        if not appointments:
            return BookingOutcome(wording.no_appointment(language, None), [], {})
        target_text = _target_text(text)
        target = parsing.when_of(target_text, self._today())
        source_text = fold(text)[: max(0, len(fold(text)) - len(target_text))]
        chosen: Mapping[str, Any] | None = None
        last = state.get("last_appointment")
        by_day = self._match_appointment(source_text, appointments) if source_text.strip() else None
        if by_day is not None:
            chosen = appointments[by_day]
        elif last and any(a["id"] == last for a in appointments):
            chosen = next(a for a in appointments if a["id"] == last)
        elif len(appointments) == 1:
            chosen = appointments[0]
        if chosen is None:
            lines = [self._line(a, language) for a in appointments]
            new_state = {
                "step": "choose_appointment",
                "operation": "reschedule",
                "appointments": appointments,
                "target": target_text,
            }
            return BookingOutcome(wording.which_appointment(lines, language, action="move"), [], new_state)
        return self._offer_move(chosen, target, language)

    def _offer_move(self, appointment: Mapping[str, Any], target: When, language: Language) -> BookingOutcome:
        start, end = self._window(target)
        base = SlotQuery(
            start=start, end=end, time_of_day=target.time_of_day, limit=OFFERS, timezone=str(self.tz)
        )
        slots: list[FreeSlot] = []
        for practitioner in (appointment.get("practitioner_ref"), None):
            slots = self.scheduling.find_slots(
                SlotQuery(
                    service=appointment.get("service_token") if practitioner is None else None,
                    practitioner=practitioner,
                    start=base.start,
                    end=base.end,
                    time_of_day=base.time_of_day,
                    limit=40 if target.clock else OFFERS,
                    timezone=base.timezone,
                )
            )
            slots = [s for s in slots if s.id not in (appointment.get("slot_ids") or [])]
            if slots:
                break
        slots = self._near_clock(slots, target)[:OFFERS]
        if not slots:
            return BookingOutcome(wording.none_found(language, self._when_words(target, language)), [], {})
        offers = [_slot_state(s) for s in slots]
        text = wording.offer(
            self._label(offers[0], language),
            wording.numbered(offers, language, self.tz),
            language,
            reschedule=True,
        )
        new_state = {
            "step": "choose",
            "operation": "reschedule",
            "offers": offers,
            "appointment": dict(appointment),
        }
        return BookingOutcome(text, [OfferSlots(slots=[self._offer(o, language) for o in offers])], new_state)
