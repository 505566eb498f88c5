"""The booking conversation: offer slots, let the patient pick, ask for a yes, then act.

The flow is a small state machine over ``BookingState`` (kept in the session, never in this object,
so any process can carry on a conversation another one started):

    idle --request--> choose --pick--> confirm --yes--> booked / rescheduled / cancelled
                        |                  |--no--> nothing changed
                        '--"after 2pm"--> choose (a refined request, new offers)

Messages are read by ``parsing.read_message`` (a pure function); buttons and API clients send
``commands`` instead of words. Both end in the same steps. Only a clear yes to a pending confirmation
— or a ``Confirm`` command carrying its token — changes the schedule, and the change uses the
confirmation token as the idempotency key, so repeating it (after a timeout, a double click) can
never book twice. A slot taken between offer and yes is found by the booking itself (it reads the
slot fresh) and answered with the nearest free slots.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from assistant.booking import parsing, wording
from assistant.booking.commands import (
    BookingCommand,
    CancelAppointment,
    ChooseSlot,
    Confirm,
    Decline,
    MoveAppointment,
    NotPending,
)
from assistant.booking.directory import ClinicDirectory
from assistant.booking.parsing import BookingMessage
from assistant.booking.search import Found, SlotFinder
from assistant.booking.state import BookingState, Completed, HeldAppointment, OfferedSlot, SlotRequest
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
    AppointmentNotFound,
    BookingFailed,
    CancelFailed,
    Clinician,
    FreeSlot,
    SchedulingClient,
)

log = logging.getLogger(__name__)
_MAY_NAME = re.compile(
    r"\b(dr|doctor|docteure?|doc|nurse|infirmiere|with|avec|chez|see|voir|madame|monsieur|mme|mr|mrs|ms)\b"
)


@dataclass(frozen=True)
class BookingOutcome:
    """One reply of the flow: text in the patient's language, contract actions, the next state, and
    for a command, what the patient chose in words (``said``, kept as their turn in the history)."""

    text: str
    actions: list[Action] = field(default_factory=list)
    state: BookingState = field(default_factory=BookingState)
    said: str | None = None


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
        self.directory = ClinicDirectory(scheduling)
        self.finder = SlotFinder(scheduling, self.directory, self.tz)

    # -- reading ---------------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self.clock().astimezone(self.tz)

    def _clinicians(self, text: str, state: BookingState) -> Sequence[Clinician]:
        """The clinic's staff, read only when the message could name someone (a title, "with", "see")
        or a booking is under way: most messages a patient sends are not about booking at all."""
        if not state.pending and not _MAY_NAME.search(parsing.fold(text)):
            return ()
        try:
            return self.directory.clinicians()
        except FhirError as exc:  # names are not understood while the clinic is unreachable
            log.warning("clinic directory unavailable: %s", exc)
            return ()

    def read(self, text: str, language: Language, state: BookingState) -> BookingMessage:
        return parsing.read_message(
            text, language=language, now=self.now(), state=state, clinicians=self._clinicians(text, state)
        )

    def wants(self, text: str, language: Language, state: BookingState) -> bool:
        """A scheduling message, or an answer to the offer or question this session is waiting on."""
        message = self.read(text, language, state)
        if message.intent is not None:
            return True
        if not state.pending:
            return False
        if message.answer is not None or message.choice is not None or message.constrains:
            return True
        # A short or hedging reply while a question is pending is an (unclear) answer to it.
        return (message.words <= 4 and "?" not in text) or (message.words <= 8 and message.hedged)

    # -- the assistant's entry points ------------------------------------------------------------

    def handle(
        self,
        text: str,
        *,
        language: Language,
        state: BookingState,
        triage: TriageLevel = TriageLevel.NONE,
        reason: str | None = None,
    ) -> BookingOutcome:
        if triage == TriageLevel.EMERGENCY:
            # Never an appointment in place of the emergency number.
            return BookingOutcome(wording.emergency(language), [], state.idle())
        state = state.model_copy(update={"language": language})
        try:
            return self._handle(self.read(text, language, state), language, state)
        except FhirError:
            return BookingOutcome(wording.not_available(language), [], state)

    def command(self, command: BookingCommand, *, language: Language, state: BookingState) -> BookingOutcome:
        """Carry out a button's command. Raises ``NotPending`` when it does not match the
        conversation (nothing changed) and ``AppointmentNotFound`` for an appointment that is not
        one of this patient's upcoming ones."""
        state = state.model_copy(update={"language": language})
        if isinstance(command, ChooseSlot):
            slot_id = command.slot.removeprefix("Slot/")
            offer = next((o for o in state.offers if o.id == slot_id), None)
            if offer is None or state.step not in ("choose", "confirm"):
                raise NotPending(f"{command.slot} is not among the slots this conversation offered")
            outcome = self._confirm(offer, state, language)
            return _said(outcome, wording.said_choose(wording.slot_line(offer, language, self.tz), language))
        if isinstance(command, Confirm):
            if state.step == "confirm" and state.token == command.token:
                outcome = self._execute(state, language)
                return _said(outcome, wording.said_confirm(state.operation, language))
            if state.done is not None and state.done.token == command.token:
                outcome = self._replay(state.done, state, language)
                return _said(outcome, wording.said_confirm(state.done.operation, language))
            raise NotPending("this confirmation is not the one the conversation is waiting for")
        if isinstance(command, Decline):
            if not state.pending or (command.token is not None and command.token != state.token):
                raise NotPending("there is no such offer or confirmation pending")
            return _said(self._declined(state, language), wording.said_decline(state.operation, language))
        if isinstance(command, CancelAppointment | MoveAppointment):
            wanted = command.appointment.removeprefix("Appointment/")
            held = next((a for a in self._appointments() if a.id == wanted), None)
            if held is None:
                raise AppointmentNotFound(f"no upcoming appointment {wanted} for this patient")
            line = wording.slot_line(held, language, self.tz)
            if isinstance(command, CancelAppointment):
                return _said(self._confirm_cancel(held, state, language), wording.said_cancel(line, language))
            outcome = self._offer_move(held, SlotRequest(), state, language)
            return _said(outcome, wording.said_move(line, language))
        raise NotPending(f"unknown command {command!r}")

    def offer_for_triage(
        self,
        level: TriageLevel,
        *,
        language: Language,
        state: BookingState,
        reason: str | None,
    ) -> BookingOutcome | None:
        """Earliest suitable slots for ``urgent`` (today) or ``soon`` (within a week); None otherwise."""
        if level not in (TriageLevel.URGENT, TriageLevel.SOON) or state.step == "confirm":
            return None
        now = self.now()
        try:
            if level == TriageLevel.URGENT:
                end = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0), self.tz)
                slots = self._earliest(["general", "video"], now, end, count=3)
                if not slots:
                    return BookingOutcome(wording.urgent_none(language, self.region), [], state.idle())
                intro = wording.urgent_intro(language)
                request = SlotRequest(first_day=now.date(), last_day=now.date() + dt.timedelta(days=1))
            else:
                topic = parsing.topic_of(reason or "")
                topics = [topic, "general"] if topic and topic != "general" else ["general"]
                slots = self._earliest(topics, now, now + dt.timedelta(days=7), count=3)
                if not slots:
                    return None
                intro = wording.soon_intro(language)
                request = SlotRequest(topic=topics[0])
        except (FhirError, ValueError):
            return None
        offers = tuple(OfferedSlot.of(s) for s in slots)
        new_state = state.idle().model_copy(
            update={"step": "choose", "operation": "book", "offers": offers, "request": request}
        )
        text = f"{intro} {wording.pick_prompt(language)}"
        return BookingOutcome(text, [self._offer_action(offers, language)], new_state)

    def _earliest(
        self, topics: Sequence[str], start: dt.datetime, end: dt.datetime, *, count: int
    ) -> list[FreeSlot]:
        """Spread slots for the first topic the clinic has that has any."""
        for topic in topics:
            service = self.directory.service_for(topic)
            if service is None:
                continue
            found = self.finder.find(
                SlotRequest(topic=topic, first_day=start.date(), last_day=end.astimezone(self.tz).date()),
                start,
                count=count,
            )
            slots = [s for s in found.slots if s.start < end]
            if slots and found.exact:
                return slots
        return []

    # -- reading a message against the state -----------------------------------------------------

    def _handle(self, message: BookingMessage, language: Language, state: BookingState) -> BookingOutcome:
        if message.intent == "upcoming":
            # A question about what is booked never offers new slots, and keeps what is pending.
            return BookingOutcome(self._upcoming_text(language), [], state)
        if state.step == "confirm":
            outcome = self._answer_confirm(message, language, state)
            if outcome is not None:
                return outcome
        elif state.step == "choose":
            outcome = self._answer_choose(message, language, state)
            if outcome is not None:
                return outcome
        elif state.step == "choose_appointment":
            outcome = self._answer_which(message, language, state)
            if outcome is not None:
                return outcome
        if message.intent == "cancel":
            return self._cancel_request(message, language, state)
        if message.intent == "reschedule":
            return self._reschedule_request(message, language, state)
        return self._search(message.request, language, state.idle(), operation="book")

    def _answer_confirm(
        self, message: BookingMessage, language: Language, state: BookingState
    ) -> BookingOutcome | None:
        pending = state.slot if state.operation != "cancel" else None
        if message.choice is not None and state.offers:
            chosen = state.offers[message.choice]
            if pending is None or chosen.id != pending.id:
                return self._confirm(chosen, state, language)  # another slot: ask again, never book it
        item = state.appointment if state.operation == "cancel" else state.slot
        elsewhere = message.constrains and not self._fits(item, message.request)
        if message.answer == "yes" and not elsewhere and message.intent in (None, "book", state.operation):
            return self._execute(state, language)
        if message.answer == "no" and not elsewhere:
            return self._declined(state, language)
        if message.intent is None and not message.constrains:
            return BookingOutcome(
                wording.not_confirmed(state.summary or "", language, operation=state.operation),
                [self._confirm_action(state)],
                state,
            )
        if message.constrains and message.intent in (None, "book") and state.operation != "cancel":
            # "no, afternoon please": a new constraint on the same search, not a refusal
            return self._search(
                (state.request or SlotRequest()).merged(message.request),
                language,
                state,
                operation=state.operation,
                appointment=state.appointment if state.operation == "reschedule" else None,
            )
        return None

    def _answer_choose(
        self, message: BookingMessage, language: Language, state: BookingState
    ) -> BookingOutcome | None:
        if message.choice is not None:
            return self._confirm(state.offers[message.choice], state, language)
        fitting = [
            o for o in state.offers if parsing.fits(o.starts, o.practitioner_ref, message.request, self.tz)
        ]
        if message.picks and message.intent is None and (len(fitting) > 1 or not message.constrains):
            # "the second one" of three, "the 2 o'clock one" when two are at 2: which one?
            return BookingOutcome(
                wording.pick_again(language), [self._offer_action(state.offers, language)], state
            )
        if message.constrains and message.intent in (None, "book"):
            return self._search(
                (state.request or SlotRequest()).merged(message.request),
                language,
                state,
                operation=state.operation,
                appointment=state.appointment if state.operation == "reschedule" else None,
            )
        if message.answer == "no" and message.intent is None:
            return self._declined(state, language)
        if message.intent is None:
            return BookingOutcome(
                wording.pick_again(language), [self._offer_action(state.offers, language)], state
            )
        return None

    def _answer_which(
        self, message: BookingMessage, language: Language, state: BookingState
    ) -> BookingOutcome | None:
        index = message.choice
        if index is None and message.request.has_days:
            index = self._by_day(message.request, state.appointments)
        if index is not None:
            chosen = state.appointments[index]
            if state.operation == "cancel":
                return self._confirm_cancel(chosen, state, language)
            return self._offer_move(chosen, state.target or SlotRequest(), state, language)
        if message.answer == "no":
            return self._declined(state, language)
        if message.intent is None:
            return BookingOutcome(wording.which_appointment_again(language), [], state)
        return None

    def _fits(self, item: OfferedSlot | HeldAppointment | None, request: SlotRequest) -> bool:
        """The message's day/time/clinician all describe the pending slot or appointment ("yes,
        Tuesday at 9 is fine"), so they do not make it a new request."""
        if item is None:
            return False
        if request.topic or request.kind or request.gender or request.time_of_day:
            return False
        if request.earliest or request.latest:
            return False
        return parsing.fits(item.starts, item.practitioner_ref, request, self.tz)

    # -- finding and offering --------------------------------------------------------------------

    def _search(
        self,
        request: SlotRequest,
        language: Language,
        state: BookingState,
        *,
        operation: str,
        appointment: HeldAppointment | None = None,
        exclude: Sequence[str] = (),
    ) -> BookingOutcome:
        found = self.finder.find(
            request,
            self.now(),
            exclude={*exclude, *(appointment.slot_ids if appointment else ())},
            service=appointment.service_token if appointment else None,
        )
        base = state.idle()
        if not found.slots:
            return BookingOutcome(wording.none_found(language), [], base)
        offers = tuple(OfferedSlot.of(s) for s in found.slots)
        text = self._offers_text(found, request, offers, language, reschedule=operation == "reschedule")
        new_state = base.model_copy(
            update={
                "step": "choose",
                "operation": "reschedule" if operation == "reschedule" and appointment else "book",
                "request": request,
                "offers": offers,
                "appointment": appointment if operation == "reschedule" else None,
            }
        )
        return BookingOutcome(text, [self._offer_action(offers, language)], new_state)

    def _offers_text(
        self,
        found: Found,
        request: SlotRequest,
        offers: Sequence[OfferedSlot],
        language: Language,
        *,
        reschedule: bool,
    ) -> str:
        named = self.directory.clinician(request.clinician) if request.clinician else None
        who = named.name if named else None
        return wording.offers_intro(
            self._label(offers[0], language),
            wording.describe(request, language, who),
            found.relaxed,
            language,
            reschedule=reschedule,
            who=who,
        )

    def _label(self, item: OfferedSlot | HeldAppointment, language: Language) -> str:
        return wording.service_text(item.service, item.service_code, item.specialty_code, language)

    def _slot_offer(self, item: OfferedSlot, language: Language) -> SlotOffer:
        return SlotOffer(
            id=item.reference,
            start=item.start,
            end=item.end,
            service=self._label(item, language),
            practitioner=item.practitioner,
            location=item.location,
        )

    def _offer_action(self, offers: Sequence[OfferedSlot], language: Language) -> OfferSlots:
        return OfferSlots(slots=[self._slot_offer(o, language) for o in offers])

    def _details(self, item: HeldAppointment, language: Language) -> AppointmentDetails:
        return AppointmentDetails(
            start=item.start or "",
            end=item.end,
            service=self._label(item, language),
            practitioner=item.practitioner,
            location=item.location,
        )

    # -- confirming ------------------------------------------------------------------------------

    def _confirm(self, offer: OfferedSlot, state: BookingState, language: Language) -> BookingOutcome:
        if not self.scheduling.slot_is_free(offer.id):
            return self._taken(offer, state, language, alternatives=None)
        line = wording.slot_line(offer, language, self.tz)
        reschedule = state.operation == "reschedule" and state.appointment is not None
        if reschedule and state.appointment is not None:
            summary = wording.confirm_reschedule(
                wording.slot_line(state.appointment, language, self.tz), line, language
            )
        else:
            summary = wording.confirm_book(self._label(offer, language), line, language)
        new_state = state.model_copy(
            update={
                "step": "confirm",
                "operation": "reschedule" if reschedule else "book",
                "slot": offer,
                "token": uuid.uuid4().hex,
                "summary": summary,
                "appointment": state.appointment if reschedule else None,
            }
        )
        return BookingOutcome(summary, [self._confirm_action(new_state)], new_state)

    def _confirm_action(self, state: BookingState) -> ConfirmBooking:
        assert state.token is not None
        return ConfirmBooking(
            operation=state.operation,
            slot=self._slot_offer(state.slot, state.language) if state.slot else None,
            appointment=state.appointment.reference if state.appointment else None,
            token=state.token,
            summary=state.summary or "?",
        )

    def _confirm_cancel(
        self, appointment: HeldAppointment, state: BookingState, language: Language
    ) -> BookingOutcome:
        summary = wording.confirm_cancel(
            self._label(appointment, language), wording.slot_line(appointment, language, self.tz), language
        )
        new_state = state.idle().model_copy(
            update={
                "step": "confirm",
                "operation": "cancel",
                "appointment": appointment,
                "token": uuid.uuid4().hex,
                "summary": summary,
            }
        )
        return BookingOutcome(summary, [self._confirm_action(new_state)], new_state)

    def _declined(self, state: BookingState, language: Language) -> BookingOutcome:
        if state.operation == "cancel" and state.appointment is not None:
            text = wording.kept(wording.slot_line(state.appointment, language, self.tz), language)
        else:
            text = wording.declined(language)
        return BookingOutcome(text, [], state.idle())

    # -- acting (only after a clear yes) ---------------------------------------------------------

    def _execute(self, state: BookingState, language: Language) -> BookingOutcome:
        assert state.token is not None
        done = Completed(
            token=state.token, operation=state.operation, slot=state.slot, appointment=state.appointment
        )
        try:
            if state.operation == "cancel" and state.appointment is not None:
                return self._cancelled(state.appointment, state, done, language)
            if state.operation == "reschedule" and state.appointment is not None and state.slot is not None:
                return self._rescheduled(state.appointment, state.slot, state, done, language)
            if state.slot is None:
                raise NotPending("nothing to book")
            result = self.scheduling.book(state.slot.id, self.patient_id, idempotency_key=state.token)
        except BookingFailed as failure:
            return self._failed(failure, state, language)
        except AppointmentNotFound:
            return BookingOutcome(wording.no_appointment(language, None), [], state.idle())
        except CancelFailed:
            return BookingOutcome(wording.server_down(language, unknown=False), [], state)
        item = HeldAppointment.of(result.appointment)
        text = wording.booked(
            self._label(item, language), wording.slot_line(item, language, self.tz), language
        )
        booked = Booked(appointment=item.reference, details=self._details(item, language))
        after = state.idle().model_copy(update={"last_appointment": item.id, "done": done})
        return BookingOutcome(text, [booked], after)

    def _cancelled(
        self, appointment: HeldAppointment, state: BookingState, done: Completed, language: Language
    ) -> BookingOutcome:
        info = self.scheduling.cancel(appointment.id, self.patient_id)
        item = HeldAppointment.of(info)
        text = wording.cancelled(
            self._label(item, language), wording.slot_line(item, language, self.tz), language
        )
        action = Cancelled(appointment=item.reference, details=self._details(item, language))
        last = None if state.last_appointment == item.id else state.last_appointment
        return BookingOutcome(
            text, [action], state.idle().model_copy(update={"last_appointment": last, "done": done})
        )

    def _rescheduled(
        self,
        old: HeldAppointment,
        slot: OfferedSlot,
        state: BookingState,
        done: Completed,
        language: Language,
    ) -> BookingOutcome:
        assert state.token is not None
        moved = self.scheduling.reschedule(old.id, slot.id, self.patient_id, idempotency_key=state.token)
        new_item = HeldAppointment.of(moved.booking.appointment)
        old_item = HeldAppointment.of(moved.previous)
        text = wording.rescheduled(
            wording.slot_line(new_item, language, self.tz),
            wording.slot_line(old_item, language, self.tz),
            language,
            old_cancelled=moved.previous_cancelled,
        )
        action = Rescheduled(
            appointment=new_item.reference,
            details=self._details(new_item, language),
            previous_appointment=old_item.reference,
            previous=self._details(old_item, language),
        )
        after = state.idle().model_copy(update={"last_appointment": new_item.id, "done": done})
        return BookingOutcome(text, [action], after)

    def _replay(self, done: Completed, state: BookingState, language: Language) -> BookingOutcome:
        """The confirmation just carried out, sent again: the same idempotency key finds the same
        appointment (nothing new is booked), and the reply says what is in place."""
        try:
            if done.operation == "cancel" and done.appointment is not None:
                return self._cancelled(done.appointment, state, done, language)
            if done.slot is None:
                raise NotPending("nothing was booked with this confirmation")
            result = self.scheduling.book(done.slot.id, self.patient_id, idempotency_key=done.token)
        except BookingFailed as failure:
            return self._failed(failure, state, language)
        except (AppointmentNotFound, CancelFailed):
            return BookingOutcome(wording.server_down(language, unknown=False), [], state)
        item = HeldAppointment.of(result.appointment)
        line = wording.slot_line(item, language, self.tz)
        action: Action
        if done.operation == "reschedule" and done.appointment is not None:
            text = wording.rescheduled(
                line, wording.slot_line(done.appointment, language, self.tz), language, old_cancelled=True
            )
            action = Rescheduled(
                appointment=item.reference,
                details=self._details(item, language),
                previous_appointment=done.appointment.reference,
                previous=self._details(done.appointment, language),
            )
        else:
            text = wording.booked(self._label(item, language), line, language)
            action = Booked(appointment=item.reference, details=self._details(item, language))
        return BookingOutcome(text, [action], state)

    def _failed(self, failure: BookingFailed, state: BookingState, language: Language) -> BookingOutcome:
        if failure.reason in ("slot_taken", "slot_not_found") and state.slot is not None:
            return self._taken(state.slot, state, language, alternatives=list(failure.alternatives))
        if failure.reason in ("server_unavailable", "outcome_unknown"):
            text = wording.server_down(language, unknown=failure.reason == "outcome_unknown")
            return BookingOutcome(text, [BookingFailedAction(reason=text)], state)  # the same yes retries
        text = wording.declined(language)
        return BookingOutcome(text, [BookingFailedAction(reason=text)], state.idle())

    def _taken(
        self,
        slot: OfferedSlot,
        state: BookingState,
        language: Language,
        *,
        alternatives: list[FreeSlot] | None,
    ) -> BookingOutcome:
        """The slot is gone: say so, and offer the nearest free ones to what was asked."""
        request = state.request or SlotRequest()
        appointment = state.appointment if state.operation == "reschedule" else None
        if alternatives is None or not alternatives or request != SlotRequest():
            found = self.finder.find(
                request,
                self.now(),
                exclude={slot.id, *(appointment.slot_ids if appointment else ())},
                service=slot.service_token,
                count=3,
            )
            alternatives = list(found.slots)
        alternatives = [s for s in alternatives if s.id != slot.id][:3]
        offers = tuple(OfferedSlot.of(s) for s in alternatives)
        text = wording.taken(wording.slot_line(slot, language, self.tz), bool(offers), language)
        action = BookingFailedAction(
            reason=text, alternatives=[self._slot_offer(o, language) for o in offers]
        )
        if not offers:
            return BookingOutcome(text, [action], state.idle())
        new_state = state.idle().model_copy(
            update={
                "step": "choose",
                "operation": "reschedule" if appointment else "book",
                "offers": offers,
                "request": request,
                "appointment": appointment,
            }
        )
        return BookingOutcome(text, [action], new_state)

    # -- the patient's existing appointments -----------------------------------------------------

    def _appointments(self) -> list[HeldAppointment]:
        return [HeldAppointment.of(a) for a in self.scheduling.upcoming(self.patient_id, now=self.clock())]

    def _line(self, item: HeldAppointment, language: Language) -> str:
        return f"{self._label(item, language)}, {wording.slot_line(item, language, self.tz)}"

    def _upcoming_text(self, language: Language) -> str:
        return wording.upcoming([self._line(a, language) for a in self._appointments()], language)

    def _by_day(self, request: SlotRequest, appointments: Sequence[HeldAppointment]) -> int | None:
        """The appointment on the day a message names ("on Tuesday", "tomorrow", "le 3 décembre");
        the first of that day's when several."""
        if request.first_day is None or request.last_day is None:
            return None
        for i, item in enumerate(appointments):
            start = item.starts.astimezone(self.tz) if item.starts is not None else None
            if start is None or not request.first_day <= start.date() < request.last_day:
                continue
            if request.clock is None or (start.hour, start.minute) == (
                request.clock.hour,
                request.clock.minute,
            ):
                return i
        return None

    def _cancel_request(
        self, message: BookingMessage, language: Language, state: BookingState
    ) -> BookingOutcome:
        appointments = self._appointments()
        base = state.idle()
        if not appointments:
            return BookingOutcome(wording.no_appointment(language, None), [], base)
        if message.request.has_days:
            index = self._by_day(message.request, appointments)
            if index is None:
                assert message.request.first_day is not None
                day = wording.day_text(message.request.first_day, language)
                return BookingOutcome(wording.no_appointment(language, day), [], base)
            return self._confirm_cancel(appointments[index], base, language)
        if len(appointments) == 1:
            return self._confirm_cancel(appointments[0], base, language)
        last = next((a for a in appointments if a.id == state.last_appointment), None)
        if last is not None and message.words <= 4:  # "cancel it" right after booking it
            return self._confirm_cancel(last, base, language)
        lines = [self._line(a, language) for a in appointments]
        new_state = base.model_copy(
            update={"step": "choose_appointment", "operation": "cancel", "appointments": tuple(appointments)}
        )
        return BookingOutcome(wording.which_appointment(lines, language, action="cancel"), [], new_state)

    def _reschedule_request(
        self, message: BookingMessage, language: Language, state: BookingState
    ) -> BookingOutcome:
        appointments = self._appointments()
        base = state.idle()
        if not appointments:
            return BookingOutcome(wording.no_appointment(language, None), [], base)
        chosen: HeldAppointment | None = None
        by_day = self._by_day(message.source, appointments) if message.source.has_days else None
        if by_day is not None:
            chosen = appointments[by_day]
        elif state.last_appointment and any(a.id == state.last_appointment for a in appointments):
            chosen = next(a for a in appointments if a.id == state.last_appointment)
        elif len(appointments) == 1:
            chosen = appointments[0]
        if chosen is None:
            lines = [self._line(a, language) for a in appointments]
            new_state = base.model_copy(
                update={
                    "step": "choose_appointment",
                    "operation": "reschedule",
                    "appointments": tuple(appointments),
                    "target": message.request,
                }
            )
            return BookingOutcome(wording.which_appointment(lines, language, action="move"), [], new_state)
        return self._offer_move(chosen, message.request, base, language)

    def _offer_move(
        self, appointment: HeldAppointment, target: SlotRequest, state: BookingState, language: Language
    ) -> BookingOutcome:
        """Slots to move to: with the same clinician first (unless another is asked for), then the
        same service; never the appointment's own slot."""
        request = target
        if not target.has_who and appointment.practitioner_ref:
            request = target.merged(SlotRequest(clinician=appointment.practitioner_ref))
        return self._search(request, language, state.idle(), operation="reschedule", appointment=appointment)


def _said(outcome: BookingOutcome, said: str) -> BookingOutcome:
    return BookingOutcome(outcome.text, outcome.actions, outcome.state, said)
