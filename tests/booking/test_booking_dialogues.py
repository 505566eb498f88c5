"""Whole booking conversations against the demo clinic over HTTP, in English and French, at frozen
moments (a Friday afternoon, a Saturday, a Wednesday, a Friday at 23:30, the Sunday clocks go forward).

Each turn goes through ``wants`` then ``handle`` with the state the previous turn returned, as the
assistant does, and the state goes through JSON as the session stores it; what the server holds is
checked after every step that could have changed it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter

from assistant.booking import BookingFlow, BookingOutcome, BookingState
from assistant.booking.wording import day_text
from assistant.schemas import Action, Language, SlotOffer, TriageLevel
from fhir_client import FhirClient, Search
from fhir_client.scheduling import SchedulingClient
from sandbox import Sandbox
from tests.booking.conftest import MOMENTS, PARIS, Frozen, freeze

pytestmark = pytest.mark.integration
JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"
ACTIONS = TypeAdapter(list[Action])
LANGS: tuple[Language, ...] = ("en", "fr")


class Chat:
    """One patient's conversation: keeps the session state between turns like the assistant."""

    def __init__(self, flow: BookingFlow, language: Language) -> None:
        self.flow = flow
        self.language = language
        self.state = BookingState()

    def say(self, text: str) -> BookingOutcome:
        assert self.flow.wants(text, self.language, self.state), f"the flow should take {text!r}"
        outcome = self.flow.handle(text, language=self.language, state=self.state)
        ACTIONS.validate_python([a.model_dump() for a in outcome.actions])  # valid turn actions
        self.state = BookingState.load(json.loads(json.dumps(outcome.state.dump())))  # as the session does
        assert self.state == outcome.state
        return outcome


@pytest.fixture
def fhir(clinic: Sandbox) -> Iterator[FhirClient]:
    with FhirClient(clinic.base_url) as client:
        yield client


def flow_for(fhir: FhirClient, frozen: Frozen, patient: str = JOSUE) -> BookingFlow:
    scheduling = SchedulingClient(fhir, clock=frozen.clock)
    return BookingFlow(scheduling, patient_id=patient, timezone="Europe/Paris", clock=frozen.clock)


def appointments(fhir: FhirClient, patient: str, status: str = "booked") -> list[dict[str, Any]]:
    return list(fhir.iter(Search("Appointment").where(patient=f"Patient/{patient}", status=status)))


def kinds(outcome: BookingOutcome) -> list[str]:
    return [a.kind for a in outcome.actions]


def only(outcome: BookingOutcome, kind: str) -> Any:
    found = [a for a in outcome.actions if a.kind == kind]
    assert len(found) == 1, f"expected one {kind}, got {kinds(outcome)}: {outcome.text}"
    return found[0]


def offered(outcome: BookingOutcome) -> list[SlotOffer]:
    slots: list[SlotOffer] = only(outcome, "offer_slots").slots
    return slots


def local(start: str) -> dt.datetime:
    return dt.datetime.fromisoformat(start).astimezone(PARIS)


def slot_status(fhir: FhirClient, slot_ref: str) -> str:
    return str((fhir.read(slot_ref).resource or {})["status"])


def no_free_slot(language: Language, day: dt.date) -> str:
    return (
        f"no free slot on {day_text(day, 'en')}"
        if language == "en"
        else f"aucun créneau libre le {day_text(day, 'fr')}"
    )


def assert_spread(slots: list[SlotOffer]) -> None:
    """No two offers with the same clinician less than 45 minutes apart."""
    for a in slots:
        for b in slots:
            if a is not b and a.practitioner == b.practitioner:
                assert abs(local(a.start) - local(b.start)) >= dt.timedelta(minutes=45), (a, b)


# -- a request never dead-ends -------------------------------------------------------------------

TOMORROW = {
    "en": "Can I get an appointment with a GP tomorrow?",
    "fr": "Je voudrais un rendez-vous chez le généraliste demain",
}


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_tomorrow_with_nothing_free_offers_the_nearest_slots_in_the_same_reply(
    fhir: FhirClient, clinic: Sandbox, moment: str, language: Language
) -> None:
    frozen = freeze(clinic, moment)
    tomorrow = frozen.now.date() + dt.timedelta(days=1)
    reply = Chat(flow_for(fhir, frozen), language).say(TOMORROW[language])
    slots = offered(reply)
    assert 1 <= len(slots) <= 4
    assert all(local(s.start) > frozen.now for s in slots)
    assert all(
        s.service in ("General practice consultation", "consultation de médecine générale") for s in slots
    )
    days = {local(s.start).date() for s in slots}
    if tomorrow.weekday() >= 5:  # the GPs do not work at weekends: the nearest days instead, said so
        assert no_free_slot(language, tomorrow) in reply.text
        assert tomorrow not in days
        assert max(days) - tomorrow <= dt.timedelta(days=3)  # the Monday (or the Friday before)
        assert "another day" not in reply.text.lower() or slots  # never the question alone
    else:
        assert days == {tomorrow}, reply.text
        assert "no free slot" not in reply.text and "aucun créneau" not in reply.text
    assert_spread(slots)
    # the slots are shown once, as the action's buttons: the text does not list them again
    assert all(local(s.start).strftime("%H:%M") not in reply.text for s in slots)


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Can I see Dr Nguyen on Wednesday?"), ("fr", "Je voudrais voir le docteur Nguyen mercredi")],
)
def test_a_clinician_who_is_not_in_that_day_is_offered_on_the_nearest_days(
    fhir: FhirClient, clinic: Sandbox, language: Language, text: str
) -> None:
    frozen = freeze(clinic, "friday")  # Dr Nguyen works Monday, Tuesday, Thursday and Friday
    wednesday = dt.date(2026, 12, 9)
    reply = Chat(flow_for(fhir, frozen), language).say(text)
    slots = offered(reply)
    assert {s.practitioner for s in slots} == {"Dr Thomas Nguyen"}
    assert {local(s.start).date() for s in slots} <= {dt.date(2026, 12, 8), dt.date(2026, 12, 10)}
    assert no_free_slot(language, wednesday) in reply.text and "Dr Thomas Nguyen" in reply.text


Check = Callable[[dt.datetime, SlotOffer], bool]
FEMALE = {"Dr Claire Martin", "Dr Julie Leroy", "Dr Marie Petit", "Dr Amina Haddad", "Sophie Bernard"}
REQUESTS: list[tuple[str, str, str, Check]] = [
    # (what it checks, English, French, a test every offered slot passes given the frozen now)
    (
        "next week",
        "I'd like a GP appointment next week",
        "Je voudrais un rendez-vous chez le généraliste la semaine prochaine",
        lambda now, s: 7 - now.weekday() <= (local(s.start).date() - now.date()).days < 14 - now.weekday(),
    ),
    (
        "in two weeks",
        "an appointment in two weeks please",
        "un rendez-vous dans deux semaines svp",
        lambda now, s: local(s.start).isocalendar()[1] == (now + dt.timedelta(days=14)).isocalendar()[1],
    ),
    (
        "next month",
        "Can I book something next month?",
        "Je peux prendre rendez-vous le mois prochain ?",
        lambda now, s: local(s.start).month == (now.month % 12) + 1,
    ),
    (
        "wednesday afternoon",
        "anything wednesday afternoon?",
        "il y a quelque chose de libre mercredi après-midi ?",
        lambda now, s: local(s.start).weekday() == 2 and local(s.start).hour >= 12,
    ),
    (
        "after 2pm",
        "a GP appointment on Thursday after 2pm",
        "un rendez-vous chez le généraliste jeudi après 14h",
        lambda now, s: local(s.start).weekday() == 3 and local(s.start).time() >= dt.time(14),
    ),
    (
        "a clinician's name",
        "I'd like to see Dr Martin on Monday",
        "je voudrais voir le Dr Martin lundi",
        lambda now, s: s.practitioner == "Dr Claire Martin" and local(s.start).weekday() == 0,
    ),
    (
        "a woman doctor",
        "an appointment with a woman doctor please",
        "un rendez-vous avec une femme médecin svp",
        lambda now, s: s.practitioner in FEMALE,
    ),
    (
        "video",
        "can I have a video consultation?",
        "je voudrais une téléconsultation en visio",
        lambda now, s: (
            s.service in ("Video consultation with a GP", "téléconsultation avec un médecin généraliste")
        ),
    ),
]


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("moment", ["friday", "saturday"])
def test_days_times_people_and_kinds_are_understood(
    fhir: FhirClient, clinic: Sandbox, moment: str, language: Language
) -> None:
    frozen = freeze(clinic, moment)
    for label, en, fr, check in REQUESTS:
        chat = Chat(flow_for(fhir, frozen), language)
        reply = chat.say(en if language == "en" else fr)
        slots = offered(reply)
        bad = [s.start for s in slots if not check(frozen.now, s)]
        assert not bad, f"{label}: {bad} — {reply.text}"
        assert chat.state.step == "choose"
        assert_spread(slots) if label not in ("a clinician's name",) else None


@pytest.mark.parametrize(
    ("language", "first", "refine"),
    [
        ("en", "I'd like a GP appointment on Tuesday", "no, afternoon please. after 2pm"),
        (
            "fr",
            "Je voudrais un rendez-vous chez le généraliste mardi",
            "non, plutôt l'après-midi, après 14 h",
        ),
    ],
)
@pytest.mark.parametrize("moment", ["friday", "saturday"])
def test_no_afternoon_please_is_a_new_constraint_not_a_refusal(
    fhir: FhirClient, clinic: Sandbox, moment: str, language: Language, first: str, refine: str
) -> None:
    frozen = freeze(clinic, moment)
    chat = Chat(flow_for(fhir, frozen), language)
    before = offered(chat.say(first))
    tuesday = {local(s.start).date() for s in before}
    assert len(tuesday) == 1 and next(iter(tuesday)).weekday() == 1
    reply = chat.say(refine)
    after = offered(reply)
    assert {local(s.start).date() for s in after} == tuesday  # still Tuesday, still a GP
    assert all(local(s.start).time() >= dt.time(14) for s in after)
    assert chat.state.step == "choose" and chat.state.request is not None
    assert chat.state.request.earliest == dt.time(14) and chat.state.request.topic == "general"
    assert "nothing has been booked" not in reply.text and "rien n'a été réservé" not in reply.text


@pytest.mark.parametrize(
    ("language", "ask", "pick", "yes"),
    [
        ("en", "Can I see Dr Martin on Tuesday at 9?", "the 9 o'clock one", "yes"),
        ("fr", "Je peux voir le Dr Martin mardi à 9 h ?", "celui de 9 h", "oui"),
    ],
)
def test_the_nine_oclock_one(
    fhir: FhirClient, clinic: Sandbox, language: Language, ask: str, pick: str, yes: str
) -> None:
    frozen = freeze(clinic, "friday")
    chat = Chat(flow_for(fhir, frozen), language)
    slots = offered(chat.say(ask))
    nine = [s for s in slots if local(s.start).time() == dt.time(9)]
    assert len(nine) == 1, [s.start for s in slots]  # the clinic's 9:00 with Dr Martin is free that day
    confirm = only(chat.say(pick), "confirm_booking")
    assert confirm.slot.id == nine[0].id and appointments(fhir, JOSUE) == []
    booked = only(chat.say(yes), "booked")
    assert booked.details.start == nine[0].start


ASK_WHEN = {
    "en": [
        "when is my appointment?",
        "When's my appt?",
        "do I have an appointment?",
        "what time is my appointment again",
    ],
    "fr": [
        "c est quand mon rdv déjà ?",
        "c'est quand mon prochain rendez-vous ?",
        "mon rendez-vous c'est quand ?",
        "à quelle heure est mon rendez-vous ?",
    ],
}


@pytest.mark.parametrize("language", LANGS)
def test_when_is_my_appointment_shows_it_and_offers_nothing(
    fhir: FhirClient, clinic: Sandbox, language: Language
) -> None:
    frozen = freeze(clinic, "saturday")
    chat = Chat(flow_for(fhir, frozen), language)
    slots = offered(chat.say(TOMORROW[language]))
    chat.say("the first one" if language == "en" else "le premier")
    only(chat.say("yes" if language == "en" else "oui"), "booked")
    booked_day = day_text(local(slots[0].start).date(), language)
    for question in ASK_WHEN[language]:
        reply = chat.say(question)
        assert booked_day in reply.text, (question, reply.text)
        assert reply.actions == []
    # With an offer pending, the question is answered and the offer stays as it was.
    pending = offered(
        chat.say("I need a nurse appointment" if language == "en" else "un rendez-vous infirmier")
    )
    kept = chat.state
    reply = chat.say(ASK_WHEN[language][0])
    assert booked_day in reply.text and reply.actions == [] and chat.state == kept
    assert chat.state.offers and [o.reference for o in chat.state.offers] == [s.id for s in pending]


@pytest.mark.parametrize(
    ("language", "book", "ask_cancel", "keep", "cancel", "labels"),
    [
        (
            "en",
            "a GP appointment on Monday",
            "cancel my appointment",
            "Keep it",
            "No, cancel",
            ("“Cancel the appointment”", "“Keep it”"),
        ),
        (
            "fr",
            "un rendez-vous chez le généraliste lundi",
            "annule mon rdv",
            "Le garder",
            "Non, annuler",
            ("« Annuler le rendez-vous »", "« Le garder »"),
        ),
    ],
)
def test_a_cancellation_prompt_reads_keep_it_and_cancel_the_appointment(
    fhir: FhirClient,
    clinic: Sandbox,
    language: Language,
    book: str,
    ask_cancel: str,
    keep: str,
    cancel: str,
    labels: tuple[str, str],
) -> None:
    frozen = freeze(clinic, "friday")
    chat = Chat(flow_for(fhir, frozen), language)
    chat.say(book)
    chat.say("the first one" if language == "en" else "le premier")
    booked = only(chat.say("yes" if language == "en" else "oui"), "booked")

    prompt = chat.say(ask_cancel)
    assert only(prompt, "confirm_booking").operation == "cancel"
    assert all(label in prompt.text for label in labels)
    kept = chat.say(keep)
    assert kept.actions == [] and chat.state.step == "idle"
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [booked.appointment]

    chat.say(ask_cancel)
    kept_again = chat.say("no, don't cancel it" if language == "en" else "non, ne l'annulez pas")
    assert kept_again.actions == [] and len(appointments(fhir, JOSUE)) == 1

    chat.say(ask_cancel)
    done = only(chat.say(cancel), "cancelled")  # "No, cancel" cancels: it must not read backwards
    assert done.appointment == booked.appointment
    assert appointments(fhir, JOSUE) == []


# -- the whole flow, both booking paths ----------------------------------------------------------


@pytest.mark.parametrize("path", ["slot-appointment", "argonaut"])
def test_english_book_check_move_and_cancel(fhir: FhirClient, clinic: Sandbox, path: str) -> None:
    frozen = freeze(clinic, "wednesday", argonaut=path == "argonaut")
    chat = Chat(flow_for(fhir, frozen), "en")
    monday = dt.date(2026, 12, 14)

    slots = offered(chat.say("I need to see someone about my sugar next week, mornings"))
    assert 3 <= len(slots) <= 4
    for slot in slots:
        assert slot.service == "Endocrinology and diabetes"
        assert monday <= local(slot.start).date() < monday + dt.timedelta(days=7)
        assert local(slot.start).hour < 12
    assert_spread(slots)

    confirm = only(chat.say("the second one"), "confirm_booking")
    assert confirm.operation == "book" and confirm.slot.id == slots[1].id
    assert appointments(fhir, JOSUE) == []  # asking is not booking

    booked = only(chat.say("yes please book it"), "booked")
    assert booked.details.start == slots[1].start
    held = appointments(fhir, JOSUE)
    assert [f"Appointment/{a['id']}" for a in held] == [booked.appointment]
    assert held[0]["slot"][0]["reference"] == slots[1].id
    assert slot_status(fhir, slots[1].id) == "busy"

    moved_offer = offered(chat.say("move it to Thursday"))
    assert all(local(s.start).weekday() == 3 for s in moved_offer)
    confirm_move = only(chat.say("the first one"), "confirm_booking")
    assert confirm_move.operation == "reschedule" and confirm_move.appointment == booked.appointment
    moved = only(chat.say("yes"), "rescheduled")
    assert moved.previous_appointment == booked.appointment
    assert moved.details.start == moved_offer[0].start
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [moved.appointment]
    assert slot_status(fhir, slots[1].id) == "free"

    confirm_cancel = only(chat.say("cancel my appointment on Thursday"), "confirm_booking")
    assert confirm_cancel.operation == "cancel" and confirm_cancel.appointment == moved.appointment
    assert len(appointments(fhir, JOSUE)) == 1  # still there until the yes
    cancelled = only(chat.say("Cancel the appointment"), "cancelled")
    assert cancelled.appointment == moved.appointment
    assert appointments(fhir, JOSUE) == []
    assert slot_status(fhir, moved_offer[0].id) == "free"
    assert chat.state.step == "idle"


def test_french_dialogue(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "saturday")
    chat = Chat(flow_for(fhir, frozen), "fr")
    slots = offered(chat.say("je voudrais un rendez-vous la semaine prochaine le matin"))
    assert 3 <= len(slots) <= 4
    assert all(s.service == "consultation de médecine générale" for s in slots)
    assert all(local(s.start).hour < 12 for s in slots)

    confirm = chat.say("le premier")
    assert only(confirm, "confirm_booking").slot.id == slots[0].id
    assert "Rien n'est réservé" in confirm.text and "lundi 7 décembre" in confirm.text
    booked = only(chat.say("d'accord, confirmez"), "booked")
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, LIZ)] == []
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [booked.appointment]

    moved_offer = offered(chat.say("déplace-le à jeudi"))
    assert all(local(s.start).weekday() == 3 for s in moved_offer)
    chat.say("le premier")
    moved = only(chat.say("oui"), "rescheduled")
    assert moved.previous_appointment == booked.appointment
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [moved.appointment]

    cancel = chat.say("annule mon rendez-vous de jeudi")
    assert only(cancel, "confirm_booking").operation == "cancel" and "jeudi 10 décembre" in cancel.text
    only(chat.say("Annuler le rendez-vous"), "cancelled")
    assert appointments(fhir, JOSUE) == []


def test_moving_never_offers_the_appointments_own_slot(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "friday")
    chat = Chat(flow_for(fhir, frozen), "en")
    slots = offered(chat.say("Can I see Dr Martin on Tuesday at 9?"))
    nine = next(s for s in slots if local(s.start).time() == dt.time(9))
    only(chat.say("the 9 o'clock one"), "confirm_booking")
    only(chat.say("yes"), "booked")
    # The front desk frees the slot by mistake: it is free again but still this appointment's.
    raw = fhir.read(nine.id).resource or {}
    fhir.update({**{k: v for k, v in raw.items() if k != "meta"}, "status": "free"})
    assert slot_status(fhir, nine.id) == "free"
    assert chat.state.last_appointment is not None
    moved = offered(chat.say("move it to Tuesday at 9"))
    assert nine.id not in {s.id for s in moved}  # the appointment's slot ids are kept and excluded
    assert all(s.practitioner == "Dr Claire Martin" for s in moved)  # same clinician first


def test_no_clear_yes_books_nothing(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "wednesday")
    chat = Chat(flow_for(fhir, frozen), "en")
    slots = offered(chat.say("Can I get an appointment with a GP tomorrow?"))
    chat.say("the first one")
    unclear = chat.say("hmm, maybe later?")
    assert kinds(unclear) == ["confirm_booking"] and "Nothing is booked yet" in unclear.text
    assert appointments(fhir, JOSUE) == []
    declined = chat.say("no")
    assert declined.actions == [] and declined.state.step == "idle"
    assert "nothing has been booked" in declined.text
    assert appointments(fhir, JOSUE) == []
    assert slot_status(fhir, slots[0].id) == "free"
    # With the confirmation gone, a late "yes" is not taken as one.
    assert not chat.flow.wants("yes", "en", chat.state)


def test_a_yes_that_picks_another_slot_asks_again(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "wednesday")
    chat = Chat(flow_for(fhir, frozen), "en")
    slots = offered(chat.say("a GP appointment tomorrow"))
    chat.say("the first one")
    again = only(chat.say("yes, the second one"), "confirm_booking")
    assert again.slot.id == slots[1].id and appointments(fhir, JOSUE) == []


@pytest.mark.parametrize("path", ["slot-appointment", "argonaut"])
def test_yes_to_a_slot_taken_meanwhile_checks_again_and_offers_the_nearest(
    fhir: FhirClient, clinic: Sandbox, path: str
) -> None:
    frozen = freeze(clinic, "friday", argonaut=path == "argonaut")
    chat = Chat(flow_for(fhir, frozen), "en")
    slots = offered(chat.say("I'd like an appointment about my heart"))
    chat.say("the first one")
    clinic.take_slot(slots[0].id.split("/", 1)[1])  # the front desk books it by phone

    stale = chat.say("yes")
    failed = only(stale, "booking_failed")
    assert "taken" in stale.text and "nothing was booked" in stale.text
    assert failed.alternatives and slots[0].id not in {a.id for a in failed.alternatives}
    assert appointments(fhir, JOSUE) == []
    assert chat.state.step == "choose"

    chat.say("the first one")
    booked = only(chat.say("yes"), "booked")
    assert booked.details.start == failed.alternatives[0].start
    assert len(appointments(fhir, JOSUE)) == 1


def test_a_repeated_yes_books_once(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "saturday")
    flow = flow_for(fhir, frozen)
    chat = Chat(flow, "en")
    chat.say("book me a nurse appointment for a blood test")
    chat.say("the second one")
    pending = chat.state
    first = only(flow.handle("yes", language="en", state=pending), "booked")
    again = only(flow.handle("yes", language="en", state=pending), "booked")  # a double submit
    assert first.appointment == again.appointment
    assert len(appointments(fhir, JOSUE)) == 1


def test_server_down_at_the_yes_keeps_the_confirmation_and_a_later_yes_books_once(
    fhir: FhirClient, clinic: Sandbox
) -> None:
    frozen = freeze(clinic, "friday-late")
    chat = Chat(flow_for(fhir, frozen), "en")
    chat.say("I need an appointment next week")
    chat.say("the first one")
    token = chat.state.token
    clinic.add_fault(method="POST", path=r"^/Appointment", status=503, times=1)
    down = chat.say("yes")
    assert kinds(down) == ["booking_failed"] and "not working" in down.text
    assert chat.state.token == token and appointments(fhir, JOSUE) == []
    only(chat.say("yes"), "booked")
    assert len(appointments(fhir, JOSUE)) == 1


def test_a_patient_cannot_reach_another_patients_appointment(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "wednesday")
    josue = Chat(flow_for(fhir, frozen, JOSUE), "en")
    josue.say("I need to see a doctor tomorrow")
    josue.say("the first one")
    theirs = only(josue.say("yes"), "booked")

    liz = Chat(flow_for(fhir, frozen, LIZ), "en")
    answer = liz.say("cancel my appointment")
    assert answer.actions == [] and "no upcoming appointment" in answer.text
    assert "no upcoming appointment" in liz.say("when is my next appointment?").text.lower()
    assert [f"Appointment/{a['id']}" for a in appointments(fhir, JOSUE)] == [theirs.appointment]


@pytest.mark.parametrize("moment", ["wednesday", "friday-late"])
def test_triage_levels_decide_whether_slots_are_offered(
    fhir: FhirClient, clinic: Sandbox, moment: str
) -> None:
    frozen = freeze(clinic, moment)
    flow = flow_for(fhir, frozen)
    idle = BookingState()
    for level in (TriageLevel.EMERGENCY, TriageLevel.SELF_CARE, TriageLevel.NONE):
        assert flow.offer_for_triage(level, language="en", state=idle, reason="chest pain") is None
    emergency = flow.handle("book me an appointment", language="en", state=idle, triage=TriageLevel.EMERGENCY)
    assert emergency.actions == [] and emergency.state.step == "idle" and "emergency" in emergency.text

    urgent = flow.offer_for_triage(TriageLevel.URGENT, language="en", state=idle, reason="high fever")
    assert urgent is not None
    if moment == "wednesday":  # 9:00 on a weekday: slots today
        assert all(local(s.start).date() == frozen.now.date() for s in offered(urgent))
        assert urgent.state.step == "choose"
    else:  # 23:30: nothing left today, so it says to call
        assert urgent.actions == [] and "call the clinic" in urgent.text

    soon = flow.offer_for_triage(TriageLevel.SOON, language="fr", state=idle, reason="mon sucre est haut")
    assert soon is not None
    slots = offered(soon)
    assert all(s.service == "endocrinologie et diabétologie" for s in slots)
    assert all(frozen.now < local(s.start) <= frozen.now + dt.timedelta(days=7) for s in slots)
    assert appointments(fhir, JOSUE) == []


def test_unrelated_messages_are_left_to_the_assistant_even_with_an_offer_pending(
    fhir: FhirClient, clinic: Sandbox
) -> None:
    frozen = freeze(clinic, "saturday")
    chat = Chat(flow_for(fhir, frozen), "en")
    chat.say("I need an appointment")
    assert not chat.flow.wants("What was my last cholesterol result and what does it mean?", "en", chat.state)
    assert not chat.flow.wants("What did Dr Martin say about my results?", "en", chat.state)
    assert chat.flow.wants("the third one", "en", chat.state)
    assert chat.flow.wants("after 2pm please", "en", chat.state)


def test_dates_across_the_daylight_saving_change(fhir: FhirClient, clinic: Sandbox) -> None:
    frozen = freeze(clinic, "dst-sunday")  # Paris moved from +01:00 to +02:00 at 2:00 this morning
    slots = offered(Chat(flow_for(fhir, frozen), "en").say("a GP appointment tomorrow morning"))
    assert all(s.start.endswith("+02:00") for s in slots)
    assert all(local(s.start).date() == dt.date(2027, 3, 29) and 8 <= local(s.start).hour < 12 for s in slots)
