"""Reading booking messages (en, fr) with ``read_message`` — a pure function of the text, the frozen
clock, the conversation state and the clinic's directory — and writing dates the way each language
writes them. No server: these are the parser's own cases, each with look-alikes that must not fire."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.booking import BookingState, SlotRequest, parsing, read_message, wording
from assistant.booking.state import OfferedSlot
from fhir_client.scheduling import Clinician

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
FRIDAY = dt.datetime(2026, 12, 4, 16, 0, tzinfo=PARIS)
SATURDAY = dt.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
CLINIC = json.loads((Path(__file__).resolve().parents[2] / "sandbox" / "clinic.json").read_text("utf-8"))
STAFF = [
    Clinician(
        ref=f"Practitioner/{m['id']}",
        name=" ".join(x for x in (m.get("prefix"), m["given"], m["family"]) if x),
        given=(m["given"],),
        family=m["family"],
        gender=m["gender"],
        roles=(m["role"],),
        services=(f"HealthcareService/{m['service']}",),
    )
    for m in CLINIC["staff"]
]
IDLE = BookingState()


def ref_of(family: str) -> str:
    return next(c.ref for c in STAFF if c.family == family)


def read(
    text: str, now: dt.datetime = FRIDAY, state: BookingState = IDLE, language: str = "en"
) -> parsing.BookingMessage:
    return read_message(text, language=language, now=now, state=state, clinicians=STAFF)  # type: ignore[arg-type]


def offers_at(*times: tuple[int, int, int, str]) -> tuple[OfferedSlot, ...]:
    """Offered slots on given (day of December 2026, hour, minute, family name)."""
    return tuple(
        OfferedSlot(
            id=f"s{i}",
            start=dt.datetime(2026, 12, day, hour, minute, tzinfo=PARIS).isoformat(),
            practitioner=f"Dr {family}",
            practitioner_ref=ref_of(family),
        )
        for i, (day, hour, minute, family) in enumerate(times)
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I need to see someone about my sugar next week, mornings", "book"),
        ("Can I book an appointment tomorrow afternoon?", "book"),
        ("je voudrais un rendez-vous la semaine prochaine le matin", "book"),
        ("anything free wednesday afternoon?", "book"),
        ("I'd prefer a woman doctor", "book"),
        ("Can I see Claire Martin?", "book"),
        ("cancel my appointment on Tuesday", "cancel"),
        ("annule mon rendez-vous de mardi", "cancel"),
        ("move it to Thursday", "reschedule"),
        ("déplace-le à jeudi", "reschedule"),
        ("Could we reschedule to Friday?", "reschedule"),
        ("when is my next appointment?", "upcoming"),
        ("When is my appointment?", "upcoming"),
        ("what time is my appointment again", "upcoming"),
        ("do I have an appointment?", "upcoming"),
        ("is my appointment still on?", "upcoming"),
        ("when's my appt", "upcoming"),
        ("c'est quand mon prochain rendez-vous ?", "upcoming"),
        ("c est quand mon rdv déjà ?", "upcoming"),
        ("mon rdv c'est quand ?", "upcoming"),
        ("à quelle heure est mon rendez-vous ?", "upcoming"),
        ("j'ai un rdv ?", "upcoming"),
        # look-alikes
        ("when can I get an appointment?", "book"),
        ("I want to book my next appointment", "book"),
        ("what was my last HbA1c?", None),
        ("What did Dr Martin say about my results?", None),
        ("I have had a headache since yesterday", None),
        ("quel est mon dernier taux de cholestérol ?", None),
        ("I am free to talk", None),
    ],
)
def test_intents(text: str, intent: str | None) -> None:
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("tomorrow", dt.date(2026, 12, 5), dt.date(2026, 12, 6)),  # a Saturday: read, not dropped
        ("demain", dt.date(2026, 12, 5), dt.date(2026, 12, 6)),
        ("on Monday", dt.date(2026, 12, 7), dt.date(2026, 12, 8)),
        ("vendredi", dt.date(2026, 12, 11), dt.date(2026, 12, 12)),  # never today
        ("next week", dt.date(2026, 12, 7), dt.date(2026, 12, 14)),
        ("la semaine prochaine", dt.date(2026, 12, 7), dt.date(2026, 12, 14)),
        ("mardi de la semaine prochaine", dt.date(2026, 12, 8), dt.date(2026, 12, 9)),
        ("in two weeks", dt.date(2026, 12, 14), dt.date(2026, 12, 21)),
        ("in 2 weeks", dt.date(2026, 12, 14), dt.date(2026, 12, 21)),
        ("dans deux semaines", dt.date(2026, 12, 14), dt.date(2026, 12, 21)),
        ("dans 15 jours", dt.date(2026, 12, 14), dt.date(2026, 12, 21)),
        ("in 3 days", dt.date(2026, 12, 7), dt.date(2026, 12, 8)),
        ("next month", dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
        ("le mois prochain", dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
        ("le 3 décembre", dt.date(2027, 12, 3), dt.date(2027, 12, 4)),  # past this year: next year's
        ("January 5th", dt.date(2027, 1, 5), dt.date(2027, 1, 6)),
        ("this weekend", dt.date(2026, 12, 5), dt.date(2026, 12, 7)),
    ],
)
def test_days_resolve_against_the_frozen_clock(text: str, first: dt.date, last: dt.date) -> None:
    request = read(text).request
    assert (request.first_day, request.last_day) == (first, last)


def test_day_words_on_a_saturday_and_across_the_year_end() -> None:
    assert read("tomorrow", SATURDAY).request.first_day == dt.date(2026, 12, 6)
    assert read("next week", SATURDAY).request.first_day == dt.date(2026, 12, 7)
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS)
    assert read("tomorrow", new_year).request.first_day == dt.date(2027, 1, 1)
    assert read("next month", new_year).request.first_day == dt.date(2027, 1, 1)
    assert read("next month", new_year).request.last_day == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "part"),
    [
        ("after 2pm", dt.time(14), None, None),
        ("after 2", dt.time(14), None, None),
        ("après 14h", dt.time(14), None, None),
        ("à partir de 15 h 30", dt.time(15, 30), None, None),
        ("before 11", None, dt.time(11), None),
        ("avant midi", None, dt.time(12), None),
        ("no, afternoon please. after 2pm", dt.time(14), None, "afternoon"),
        ("anything wednesday afternoon?", None, None, "afternoon"),
        ("l'après-midi", None, None, "afternoon"),
        ("le matin", None, None, "morning"),
        ("I am free tomorrow", None, None, None),  # "am" is not a morning
        ("from 5 December", None, None, None),  # a date, not 5 pm
        ("in 2 weeks", None, None, None),
    ],
)
def test_times_of_day(text: str, earliest: dt.time | None, latest: dt.time | None, part: str | None) -> None:
    request = read(text).request
    assert (request.earliest, request.latest, request.time_of_day) == (earliest, latest, part)


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("Tuesday at 9", dt.time(9)),
        ("mardi à 9 h 30", dt.time(9, 30)),
        ("9h30", dt.time(9, 30)),
        ("at 2pm", dt.time(14)),
        ("14:15 works", dt.time(14, 15)),
        ("vers 17h", dt.time(17)),
        ("the 9 o'clock one", dt.time(9)),
        ("the 9 oclock one", dt.time(9)),
        ("celui de 14 h", dt.time(14)),
        ("the second one", None),
        ("after 2pm", None),  # a constraint, not a clock time
    ],
)
def test_clock_times(text: str, clock: dt.time | None) -> None:
    assert read(text).request.clock == clock


def test_who_and_how() -> None:
    assert read("with Dr Martin").request.clinician == ref_of("Martin")
    assert read("avec le docteur Nguyen").request.clinician == ref_of("Nguyen")
    assert read("Can I see Claire Martin?").request.clinician == ref_of("Martin")
    assert read("un petit rendez-vous").request.clinician is None  # "petit" is a word, not Dr Petit
    assert read("a woman doctor please").request.gender == "female"
    assert read("une femme médecin").request.gender == "female"
    assert read("a female GP").request.gender == "female"
    assert read("un médecin homme").request.gender == "male"
    assert read("a doctor").request.gender is None
    assert read("by video").request.kind == "video"
    assert read("en visio").request.topic == "video"
    assert read("in person please").request.kind == "in_person"
    assert read("about my sugar").request.topic == "diabetes"
    assert read("pour mon cœur").request.topic == "cardiology"
    assert read("une prise de sang").request.topic == "nurse"
    assert read("just an appointment").request.topic is None


def test_choosing_among_the_offers() -> None:
    offers = offers_at(
        (8, 9, 0, "Martin"), (8, 14, 15, "Nguyen"), (9, 9, 30, "Martin"), (10, 16, 0, "Martin")
    )
    state = BookingState(step="choose", offers=offers)
    assert read("the 9 o'clock one", state=state).choice == 0
    assert read("the 2:15 one", state=state).choice == 1
    assert read("celui de 9 h 30", state=state).choice == 2
    assert read("the one with Dr Nguyen", state=state).choice == 1
    assert read("the second one", state=state).choice == 1
    assert read("Le premier, 2026-12-08T09:00:00+01:00, s'il vous plaît.", state=state).choice == 0
    assert read("le dernier", state=state).choice == 3
    assert read("Thursday at 4pm", state=state).choice == 3
    # not a choice: a constraint, a new day, or none of them
    assert read("after 2pm", state=state).choice is None
    assert read("what about Wednesday?", state=state).choice is None
    assert read("the 11 o'clock one", state=state).choice is None
    assert read("the fifth one", state=state).choice is None
    two_at_nine = BookingState(step="choose", offers=offers_at((8, 9, 0, "Martin"), (8, 9, 0, "Nguyen")))
    assert read("the 9 o'clock one", state=two_at_nine).choice is None  # two fit: ask, never guess


def test_a_new_constraint_is_not_a_refusal() -> None:
    state = BookingState(step="choose", offers=offers_at((8, 9, 0, "Martin")))
    message = read("no, afternoon please. after 2pm", state=state)
    assert message.constrains and message.request.earliest == dt.time(14)
    assert message.choice is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Cancel the appointment", "yes"),
        ("Annuler le rendez-vous", "yes"),
        ("No, cancel", "yes"),
        ("non, annulez-le", "yes"),
        ("yes", "yes"),
        ("oui", "yes"),
        ("Keep it", "no"),
        ("Le garder", "no"),
        ("no", "no"),
        ("no, don't cancel it", "no"),
        ("non, ne l'annulez pas", "no"),
        ("cancel it, no wait, keep it", None),
        ("hmm", None),
    ],
)
def test_answers_to_a_cancellation_prompt_read_the_verbs_first(text: str, answer: str | None) -> None:
    state = BookingState(step="confirm", operation="cancel", token="t0k3n-123")
    assert read(text, state=state).answer == answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", "yes"),
        ("Yes please book it", "yes"),
        ("ok, go ahead", "yes"),
        ("d'accord, confirmez", "yes"),
        ("Oui, je confirme", "yes"),
        ("no", "no"),
        ("No, cancel", "no"),  # to "shall I book it?", cancel means don't
        ("non merci", "no"),
        ("laisse tomber", "no"),
        ("Non, finalement ne réservez rien.", "no"),
        ("yes but is there something later?", None),
        ("maybe", None),
        ("oui mais plutôt l'après-midi", None),
        ("what time is it?", None),
    ],
)
def test_answers_to_a_booking_prompt(text: str, answer: str | None) -> None:
    state = BookingState(step="confirm", operation="book", token="t0k3n-123")
    assert read(text, state=state).answer == answer


def test_a_move_names_the_appointment_and_where_it_goes() -> None:
    message = read("I want to move my Tuesday appointment to Thursday afternoon", WEDNESDAY)
    assert message.intent == "reschedule"
    assert message.source.first_day == dt.date(2026, 12, 1)
    assert message.request.first_day == dt.date(2026, 11, 26)
    assert message.request.time_of_day == "afternoon"
    french = read("décale mon rdv de mardi à jeudi", WEDNESDAY)
    assert (french.source.first_day, french.request.first_day) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 11, 26),
    )


def test_refining_keeps_what_was_not_changed() -> None:
    asked = SlotRequest(topic="diabetes", first_day=dt.date(2026, 12, 8), last_day=dt.date(2026, 12, 9))
    refined = asked.merged(read("no, afternoon please. after 2pm").request)
    assert (refined.topic, refined.first_day, refined.earliest) == (
        "diabetes",
        dt.date(2026, 12, 8),
        dt.time(14),
    )
    by_name = asked.merged(read("with Dr Nguyen").request)
    assert by_name.clinician == ref_of("Nguyen") and by_name.topic is None
    woman = SlotRequest(kind="video", topic="video").merged(read("a woman doctor please").request)
    assert (woman.topic, woman.gender) == ("video", "female")  # "doctor" does not undo the video


def test_dates_in_each_language_and_the_patients_time_zone() -> None:
    moment = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)  # 9:30 in Paris
    assert wording.when_text(moment, "fr", PARIS) == "mardi 1 décembre à 9 h 30"
    assert wording.when_text(moment, "en", PARIS) == "Tuesday 1 December at 9:30"
    assert wording.when_text(moment.replace(minute=0), "fr", PARIS) == "mardi 1 décembre à 9 h"
    assert wording.when_text(moment, "en", ZoneInfo("America/New_York")) == "Tuesday 1 December at 3:30"


def test_what_was_asked_reads_back_in_words() -> None:
    request = read("tomorrow after 2pm with a woman doctor by video").request
    assert (
        wording.describe(request, "en") == "on Saturday 5 December after 14:00 with a woman doctor by video"
    )
    french = read("demain après 14 h avec une femme médecin en visio").request
    assert wording.describe(french, "fr") == "le samedi 5 décembre après 14 h avec une femme médecin en vidéo"
