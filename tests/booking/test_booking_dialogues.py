"""Whole booking conversations against the demo clinic over HTTP, in English and French.

Each turn goes through ``wants`` then ``handle`` with the state the previous turn returned, as the
assistant does; what the server holds is checked after every step that could have changed it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from assistant.booking import BookingFlow, BookingOutcome
from assistant.schemas import Action, Language, TriageLevel
from fhir_client import FhirClient, Search
from fhir_client.scheduling import SchedulingClient
from sandbox import Sandbox
from tests.clocks import NOW, TODAY, frozen

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"
FR_DATE = re.compile(
    r"(lundi|mardi|mercredi|jeudi|vendredi) \d{1,2} "
    r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) à \d{1,2} h( \d{2})?"
)
ACTIONS = TypeAdapter(list[Action])


class Chat:
    """One patient's conversation: keeps the session state between turns like the assistant."""

    def __init__(self, flow: BookingFlow, language: Language) -> None:
        self.flow = flow
        self.language = language
        self.state: dict[str, Any] = {}

    def say(self, text: str) -> BookingOutcome:
        assert self.flow.wants(text, self.language, self.state), f"the flow should take {text!r}"
        outcome = self.flow.handle(text, language=self.language, state=self.state)
        json.dumps(outcome.state)  # the session stores it as JSON
        ACTIONS.validate_python([a.model_dump() for a in outcome.actions])  # valid turn actions
        self.state = outcome.state
        return outcome


@pytest.fixture(params=["slot-appointment", "argonaut"])
def fhir(request: pytest.FixtureRequest, clinic: Sandbox) -> Iterator[FhirClient]:
    clinic.set_argonaut(request.param == "argonaut")
    with FhirClient(clinic.base_url) as client:
        yield client


def flow_for(fhir: FhirClient, patient: str) -> BookingFlow:
    return BookingFlow(
        SchedulingClient(fhir, clock=frozen), patient_id=patient, timezone="Europe/Paris", clock=frozen
    )


def appointments(fhir: FhirClient, patient: str, status: str = "booked") -> list[dict[str, Any]]:
    return list(fhir.iter(Search("Appointment").where(patient=f"Patient/{patient}", status=status)))


def kinds(outcome: BookingOutcome) -> list[str]:
    return [a.kind for a in outcome.actions]


def only(outcome: BookingOutcome, kind: str) -> Any:
    found = [a for a in outcome.actions if a.kind == kind]
    assert len(found) == 1, f"expected one {kind}, got {kinds(outcome)}"
    return found[0]


def local(start: str) -> dt.datetime:
    return dt.datetime.fromisoformat(start).astimezone(PARIS)


def slot_status(fhir: FhirClient, slot_ref: str) -> str:
    return str((fhir.read(slot_ref).resource or {})["status"])


def test_english_book_check_move_and_cancel(fhir: FhirClient) -> None:
    chat = Chat(flow_for(fhir, JOSUE), "en")
    today = TODAY
    monday = today + dt.timedelta(days=7 - today.weekday())

    offered = chat.say("I need to see someone about my sugar next week, mornings")
    slots = only(offered, "offer_slots").slots
    assert 3 <= len(slots) <= 5
    for slot in slots:
        assert slot.service == "Endocrinology and diabetes"
        assert monday <= local(slot.start).date() < monday + dt.timedelta(days=7)
        assert local(slot.start).hour < 12

    confirm = only(chat.say("the second one"), "confirm_booking")
    assert confirm.operation == "book" and confirm.slot.id == slots[1].id
    assert appointments(fhir, JOSUE) == []  # asking is not booking

    booked = only(chat.say("yes please book it"), "booked")
    assert booked.details.start == slots[1].start
    held = appointments(fhir, JOSUE)
    assert [f"Appointment/{a['id']}" for a in held] == [booked.appointment]
    assert held[0]["slot"][0]["reference"] == slots[1].id
    assert slot_status(fhir, slots[1].id) == "busy"

    upcoming = chat.say("when is my next appointment?")
    when = local(slots[1].start)
    assert f"{when.day} " in upcoming.text and f"at {when.hour}:{when.minute:02d}" in upcoming.text

    moved_offer = only(chat.say("move it to Thursday"), "offer_slots")
    assert all(local(s.start).weekday() == 3 for s in moved_offer.slots)
    confirm_move = only(chat.say("the first one"), "confirm_booking")
    assert confirm_move.operation == "reschedule" and confirm_move.appointment == booked.appointment
    moved = only(chat.say("yes"), "rescheduled")
    assert moved.previous_appointment == booked.appointment
    assert moved.details.start == moved_offer.slots[0].start
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [moved.appointment]
    assert slot_status(fhir, slots[1].id) == "free"

    confirm_cancel = only(chat.say("cancel my appointment on Thursday"), "confirm_booking")
    assert confirm_cancel.operation == "cancel" and confirm_cancel.appointment == moved.appointment
    assert len(appointments(fhir, JOSUE)) == 1  # still there until the yes
    cancelled = only(chat.say("yes"), "cancelled")
    assert cancelled.appointment == moved.appointment
    assert appointments(fhir, JOSUE) == []
    assert slot_status(fhir, moved_offer.slots[0].id) == "free"
    assert chat.state == {}


def test_french_dialogue_with_french_dates(fhir: FhirClient) -> None:
    chat = Chat(flow_for(fhir, LIZ), "fr")
    offered = chat.say("je voudrais un rendez-vous la semaine prochaine le matin")
    slots = only(offered, "offer_slots").slots
    assert 3 <= len(slots) <= 5
    assert FR_DATE.search(offered.text), offered.text
    assert all(s.service == "consultation de médecine générale" for s in slots)

    confirm = chat.say("le premier")
    assert only(confirm, "confirm_booking").slot.id == slots[0].id
    assert "Rien n'est réservé" in confirm.text
    booked = only(chat.say("d'accord, confirmez"), "booked")
    next_one = chat.flow.handle("c'est quand mon prochain rendez-vous ?", language="fr", state={})
    assert next_one.text.startswith("Votre prochain rendez-vous") and FR_DATE.search(next_one.text)
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, LIZ)] == [booked.appointment]

    moved_offer = only(chat.say("déplace-le à jeudi"), "offer_slots")
    assert all(local(s.start).weekday() == 3 for s in moved_offer.slots)
    chat.say("le premier")
    moved = only(chat.say("oui"), "rescheduled")
    assert moved.previous_appointment == booked.appointment
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, LIZ)] == [moved.appointment]

    cancel = chat.say("annule mon rendez-vous de jeudi")
    assert only(cancel, "confirm_booking").operation == "cancel"
    assert FR_DATE.search(cancel.text)
    only(chat.say("oui"), "cancelled")
    assert appointments(fhir, LIZ) == []


def test_no_clear_yes_books_nothing(fhir: FhirClient) -> None:
    chat = Chat(flow_for(fhir, JOSUE), "en")
    slots = only(chat.say("Can I get an appointment with a GP tomorrow?"), "offer_slots").slots
    chat.say("the first one")
    unclear = chat.say("hmm, maybe later?")
    assert kinds(unclear) == ["confirm_booking"] and "Nothing is booked yet" in unclear.text
    assert appointments(fhir, JOSUE) == []
    declined = chat.say("no")
    assert declined.actions == [] and declined.state == {}
    assert "nothing has been booked" in declined.text
    assert appointments(fhir, JOSUE) == []
    assert slot_status(fhir, slots[0].id) == "free"
    # With the confirmation gone, a late "yes" is not taken as one.
    assert not chat.flow.wants("yes", "en", chat.state)


def test_yes_to_a_slot_taken_meanwhile_checks_again_and_offers_the_next(
    fhir: FhirClient, clinic: Sandbox
) -> None:
    chat = Chat(flow_for(fhir, JOSUE), "en")
    slots = only(chat.say("I'd like an appointment about my heart"), "offer_slots").slots
    chat.say("the first one")
    clinic.take_slot(slots[0].id.split("/", 1)[1])  # the front desk books it by phone

    stale = chat.say("yes")
    failed = only(stale, "booking_failed")
    assert "taken" in stale.text and "nothing was booked" in stale.text
    assert failed.alternatives and slots[0].id not in {a.id for a in failed.alternatives}
    assert appointments(fhir, JOSUE) == []
    assert chat.state["step"] == "choose"

    chat.say("the first one")
    booked = only(chat.say("yes"), "booked")
    assert booked.details.start == failed.alternatives[0].start
    assert len(appointments(fhir, JOSUE)) == 1


def test_a_repeated_yes_books_once(fhir: FhirClient) -> None:
    flow = flow_for(fhir, JOSUE)
    chat = Chat(flow, "en")
    chat.say("book me a nurse appointment for a blood test")
    chat.say("the second one")
    pending = dict(chat.state)
    first = only(flow.handle("yes", language="en", state=pending), "booked")
    again = only(flow.handle("yes", language="en", state=pending), "booked")  # a double submit
    assert first.appointment == again.appointment
    assert len(appointments(fhir, JOSUE)) == 1


def test_server_down_at_the_yes_keeps_the_confirmation_and_a_later_yes_books_once(
    fhir: FhirClient, clinic: Sandbox
) -> None:
    chat = Chat(flow_for(fhir, JOSUE), "en")
    chat.say("I need an appointment next week")
    chat.say("the first one")
    token = chat.state["token"]
    clinic.add_fault(method="POST", path=r"^/Appointment", status=503, times=1)
    down = chat.say("yes")
    assert kinds(down) == ["booking_failed"] and "not working" in down.text
    assert chat.state["token"] == token and appointments(fhir, JOSUE) == []
    only(chat.say("yes"), "booked")
    assert len(appointments(fhir, JOSUE)) == 1


def test_a_patient_cannot_reach_another_patients_appointment(fhir: FhirClient) -> None:
    josue = Chat(flow_for(fhir, JOSUE), "en")
    josue.say("I need to see a doctor tomorrow")
    josue.say("the first one")
    theirs = only(josue.say("yes"), "booked")

    liz = Chat(flow_for(fhir, LIZ), "en")
    answer = liz.say("cancel my appointment")
    assert answer.actions == [] and "no upcoming appointment" in answer.text
    assert "no upcoming appointment" in liz.say("when is my next appointment?").text.lower()
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [theirs.appointment]


def test_triage_levels_decide_whether_slots_are_offered(fhir: FhirClient) -> None:
    flow = flow_for(fhir, JOSUE)
    for level in (TriageLevel.EMERGENCY, TriageLevel.SELF_CARE, TriageLevel.NONE):
        assert flow.offer_for_triage(level, language="en", state={}, reason="chest pain") is None
    emergency = flow.handle("book me an appointment", language="en", state={}, triage=TriageLevel.EMERGENCY)
    assert emergency.actions == [] and emergency.state == {} and "emergency" in emergency.text

    now = NOW.astimezone(PARIS)
    urgent = flow.offer_for_triage(TriageLevel.URGENT, language="en", state={}, reason="high fever")
    assert urgent is not None
    if urgent.actions:  # late in the day there may be nothing left today: then it says to call
        assert all(local(s.start).date() == now.date() for s in only(urgent, "offer_slots").slots)
        assert urgent.state["step"] == "choose"
    else:
        assert "call the clinic" in urgent.text

    soon = flow.offer_for_triage(TriageLevel.SOON, language="fr", state={}, reason="mon sucre est haut")
    assert soon is not None
    offered = only(soon, "offer_slots").slots
    assert all(s.service == "endocrinologie et diabétologie" for s in offered)
    assert all(local(s.start) <= now + dt.timedelta(days=7) for s in offered)
    assert appointments(fhir, JOSUE) == []


def test_unrelated_messages_are_left_to_the_assistant_even_with_an_offer_pending(fhir: FhirClient) -> None:
    chat = Chat(flow_for(fhir, JOSUE), "en")
    chat.say("I need an appointment")
    assert not chat.flow.wants("What was my last cholesterol result and what does it mean?", "en", chat.state)
    assert chat.flow.wants("the third one", "en", chat.state)
