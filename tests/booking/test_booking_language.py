"""Reading requests and answers (en, fr) and writing dates the way each language writes them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.booking import parsing, wording

WEDNESDAY = dt.date(2026, 11, 25)
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I need to see someone about my sugar next week, mornings", "book"),
        ("Can I book an appointment tomorrow afternoon?", "book"),
        ("je voudrais un rendez-vous la semaine prochaine le matin", "book"),
        ("cancel my appointment on Tuesday", "cancel"),
        ("annule mon rendez-vous de mardi", "cancel"),
        ("move it to Thursday", "reschedule"),
        ("déplace-le à jeudi", "reschedule"),
        ("Could we reschedule to Friday?", "reschedule"),
        ("when is my next appointment?", "upcoming"),
        ("c'est quand mon prochain rendez-vous ?", "upcoming"),
        ("what was my last HbA1c?", None),
        ("I have had a headache since yesterday", None),
        ("quel est mon dernier taux de cholestérol ?", None),
    ],
)
def test_intents(text: str, intent: str | None) -> None:
    assert parsing.intent_of(text) == intent


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", "yes"),
        ("Yes please book it", "yes"),
        ("ok, go ahead", "yes"),
        ("oui", "yes"),
        ("d'accord, confirmez", "yes"),
        ("Oui, je confirme", "yes"),
        ("no", "no"),
        ("no thanks", "no"),
        ("non merci", "no"),
        ("laisse tomber", "no"),
        ("yes but is there something later?", None),
        ("maybe", None),
        ("oui mais plutôt l'après-midi", None),
        ("hmm", None),
        ("what time is it?", None),
    ],
)
def test_only_a_clear_yes_is_yes(text: str, answer: str | None) -> None:
    assert parsing.answer_of(text) == answer


@pytest.mark.parametrize(
    ("text", "count", "index"),
    [
        ("the second one", 4, 1),
        ("le premier", 4, 0),
        ("la troisième", 4, 2),
        ("2", 4, 1),
        ("option 3 please", 4, 2),
        ("the last one", 4, 3),
        ("the fifth one", 4, None),
        ("7", 4, None),
        ("the one on Tuesday", 4, None),
    ],
)
def test_ordinals(text: str, count: int, index: int | None) -> None:
    assert parsing.ordinal_of(text, count) == index


def test_day_words_resolve_against_today() -> None:
    tomorrow = parsing.when_of("tomorrow afternoon", WEDNESDAY)
    assert (tomorrow.first_day, tomorrow.last_day, tomorrow.time_of_day) == (
        dt.date(2026, 11, 26),
        dt.date(2026, 11, 27),
        "afternoon",
    )
    next_week = parsing.when_of("la semaine prochaine le matin", WEDNESDAY)
    assert (next_week.first_day, next_week.last_day, next_week.time_of_day) == (
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 7),
        "morning",
    )
    assert parsing.when_of("on Thursday", WEDNESDAY).first_day == dt.date(2026, 11, 26)
    assert parsing.when_of("jeudi", WEDNESDAY).first_day == dt.date(2026, 11, 26)
    assert parsing.when_of("on Wednesday", WEDNESDAY).first_day == dt.date(2026, 12, 2)  # never today
    assert parsing.when_of("le 3 décembre", WEDNESDAY).first_day == dt.date(2026, 12, 3)
    assert parsing.when_of("January 5th", WEDNESDAY).first_day == dt.date(2027, 1, 5)
    assert parsing.when_of("sometime soon", WEDNESDAY).empty


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("Tuesday at 9", (9, 0)),
        ("mardi à 9 h 30", (9, 30)),
        ("9h30", (9, 30)),
        ("at 2pm", (14, 0)),
        ("14:15 works", (14, 15)),
        ("vers 17h", (17, 0)),
        ("the second one", None),
    ],
)
def test_clock_times(text: str, clock: tuple[int, int] | None) -> None:
    assert parsing.clock_of(parsing.fold(text)) == clock


def test_service_topics_from_everyday_words() -> None:
    assert parsing.topic_of("about my sugar") == "diabetes"
    assert parsing.topic_of("pour mon diabète") == "diabetes"
    assert parsing.topic_of("my heart races") == "cardiology"
    assert parsing.topic_of("pour mon cœur") == "cardiology"
    assert parsing.topic_of("a blood test") == "nurse"
    assert parsing.topic_of("une prise de sang") == "nurse"
    assert parsing.topic_of("just an appointment") is None


def test_dates_in_each_language_and_the_patients_time_zone() -> None:
    moment = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)  # 9:30 in Paris
    assert wording.when_text(moment, "fr", PARIS) == "mardi 1 décembre à 9 h 30"
    assert wording.when_text(moment, "en", PARIS) == "Tuesday 1 December at 9:30"
    assert wording.when_text(moment.replace(minute=0), "fr", PARIS) == "mardi 1 décembre à 9 h"
    assert wording.when_text(moment, "en", ZoneInfo("America/New_York")) == "Tuesday 1 December at 3:30"
