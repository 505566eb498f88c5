"""Record questions from round-20 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- the last visit named first, then asked when it was ("ma dernière visite au cabinet c'était quand ?") —
  a past visit, not a booking to come;
- the last time a clinician was seen, then "when was that" / "what did they see me for".
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("derniere visite chez le kiné c'était quand ?", "fr"),
        ("mon dernier rendez-vous à la maison de santé ça date de quand ?", "fr"),
        ("The last time I saw the practice nurse — when was it? the school needs the date", "en"),
        ("what did the doctor see me for last time? I forgot", "en"),
    ],
)
def test_the_last_visit_named_then_asked_when_is_a_past_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert query(u).kind is K.LAST_VISIT


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("c'est quand mon prochain rendez-vous chez le kiné ?", "fr"),
        ("when is my next appointment with the nurse?", "en"),
    ],
)
def test_a_visit_to_come_is_still_a_booking(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.BOOKING, u.intents


@pytest.mark.parametrize(
    ("turns", "lang"),
    [
        (("was my covid swab positive in March 2021?", "and flu, did they test for it too?"), "en"),
        (
            ("son test covid de janvier était positif ?", "et pour la grippe ils l'avaient testée aussi ?"),
            "fr",
        ),
    ],
)
def test_an_illness_said_to_be_tested_is_its_test_not_its_vaccine(turns: tuple[str, str], lang: str) -> None:
    *_, u = converse(*turns, lang=lang)
    q = query(u)
    assert "flu_test" in q.targets and "flu_vaccine" not in q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [("when did I last have the flu jab?", "en"), ("mon vaccin contre la grippe, c'était quand ?", "fr")],
)
def test_the_vaccine_asked_without_a_test_stays_the_vaccine(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "flu_vaccine" in query(u).targets


def test_a_test_of_another_illness_leaves_the_vaccine_asked() -> None:
    (u,) = converse("I did a covid test at work on Monday. When was my last flu jab?", lang="en")
    assert "flu_vaccine" in query(u).targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "They do my breathing test once a year because of my emphysema. This year's number is down, "
            "what was the result the time before?",
            "en",
        ),
        (
            "Je fais une spirométrie tous les ans pour ma BPCO. Le dernier rapport est moins bon : c'était quoi "
            "le résultat de celle d'avant ?",
            "fr",
        ),
    ],
)
def test_a_result_asked_after_a_procedure_told_in_another_sentence_is_what_it_measures(
    text: str, lang: str
) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.PREVIOUS and q.targets == ("fev1_fvc",), q


def test_a_result_asked_with_no_test_named_anywhere_stays_unnamed() -> None:
    (u,) = converse(
        "I had a checkup in May. This year's number is down. What was the result the time before?"
    )
    assert u.record_query is None or u.record_query.targets == ()


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("what percentage did the echo give for how well my heart pumps?", "en", "ejection_fraction"),
        (
            "l'écho a donné un chiffre pour la force de pompage du cœur, c'était combien ?",
            "fr",
            "ejection_fraction",
        ),
        ("how many times did they do a biopsy on his prostate? he died in 1990", "en", "prostate_biopsy"),
        ("combien de fois ils lui ont fait une biopsie sur la prostate ?", "fr", "prostate_biopsy"),
    ],
)
def test_lay_ways_of_naming_a_measure_or_a_procedure(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert target in query(u).targets, query(u)


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("what was my heart rate at the last visit?", "en", "ejection_fraction"),
        ("how many biopsies have I had on my skin?", "en", "prostate_biopsy"),
    ],
)
def test_look_alikes_of_those_names_do_not_read_them(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or target not in u.record_query.targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Dad tripped in the garden, only a graze. The nurse asked when his last tetanus jab was, can you look?",
            "en",
        ),
        ("l'ophtalmo demande quand a eu lieu mon dernier fond d'œil", "fr"),
    ],
)
def test_a_last_date_asked_for_someone_who_needs_it_is_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the teacher asked when the last school trip was", "en"),
        ("il m'a demandé quand était le dernier bus", "fr"),
    ],
)
def test_a_last_date_of_something_outside_the_record_is_not(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("turns", "lang"),
    [
        (("am I still on the amlodipine?", "since when though?"), "en"),
        (("combien de prises de sang pour le cholestérol j'ai eu ?", "laquelle était la plus haute ?"), "fr"),
        (("le nom de mon comprimé pour le cœur c'est quoi ?", "je le prends depuis quand ?"), "fr"),
    ],
)
def test_since_when_or_which_was_highest_follows_the_record_question_before(
    turns: tuple[str, str], lang: str
) -> None:
    first, second = converse(*turns, lang=lang)
    assert second.intents and second.intents[0].kind is IntentKind.RECORD_QUESTION, second.intents
    assert second.record_query is not None and second.record_query.followup
    assert first.record_query is not None
    assert second.record_query.targets == first.record_query.targets
    assert second.record_query.categories == first.record_query.categories


def test_since_when_asked_alone_is_not_a_record_follow_up() -> None:
    (u,) = converse("since when do you need a referral to see a physio?")
    assert u.record_query is None or not u.record_query.followup


def test_how_heavy_asks_for_the_weight() -> None:
    (u,) = converse("how heavy was my son at his last baby check?")
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert "body_weight" in query(u).targets


@pytest.mark.parametrize("text", ["how heavy is a bag of cement?", "my arms feel heavy and tingly"])
def test_heavy_about_things_or_a_feeling_is_not_the_weight(text: str) -> None:
    (u,) = converse(text)
    assert u.record_query is None or "body_weight" not in u.record_query.targets
