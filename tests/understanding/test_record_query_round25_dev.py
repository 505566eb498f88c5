"""Record questions from round-25 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- "and the year after?", "et l'année suivante ?" after a value of a named year asks for the same value one
  year later (as "the year before" steps back);
- being seen for something ("elle a été vue pour…", "il a consulté pour…") is a visit, so a count of it counts
  visits, not the illness's entries;
- a blood test done to know whether one is protected against an illness ("a blood test to check I was immune
  to measles", "une prise de sang pour savoir si j'étais protégée contre la rougeole") asks for the antibody
  test, not for the vaccine the illness also names.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.understanding.model import RecordQueryKind
from tests.understanding.conversation import converse
from tests.understanding.test_record_query import query

K = RecordQueryKind


# --- the year after ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("what was my cholesterol in 2015?", "and the following year?", "en"),
        ("what was my cholesterol in 2015?", "what about the year after?", "en"),
        ("c'était combien ma glycémie en 2015 ?", "et l'année suivante ?", "fr"),
        ("c'était combien ma glycémie en 2015 ?", "et l'an d'après ?", "fr"),
    ],
)
def test_the_year_after_steps_the_named_year_forward(first: str, then: str, lang: str) -> None:
    a, b = converse(first, then, lang=lang)
    qa, qb = query(a), query(b)
    assert qa.period is not None and qa.period.start == date(2015, 1, 1), qa
    assert qb.followup and qb.targets == qa.targets, qb
    assert qb.period is not None and qb.period.start == date(2016, 1, 1), qb
    assert qb.period.end == date(2016, 12, 31), qb


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("what was my cholesterol in 2015?", "and the year before?", "en"),
        ("c'était combien ma glycémie en 2015 ?", "et l'année d'avant ?", "fr"),
    ],
)
def test_the_year_before_still_steps_back(first: str, then: str, lang: str) -> None:
    _, b = converse(first, then, lang=lang)
    qb = query(b)
    assert qb.period is not None and qb.period.start == date(2014, 1, 1), qb


# --- being seen for something is a visit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dans son dossier, combien de fois mon fils a déjà été vu pour une otite ?",
        "elle a été vue combien de fois pour de l'asthme ?",
        "j'ai consulté combien de fois pour mon asthme ?",
    ],
)
def test_being_seen_for_an_illness_counts_visits(text: str) -> None:
    (u,) = converse(text, lang="fr")
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories, q


@pytest.mark.parametrize(
    "text",
    [
        "combien de fois elle a eu une otite ?",
        "il a été vacciné combien de fois contre la grippe ?",
    ],
)
def test_having_an_illness_or_a_jab_is_not_a_visit(text: str) -> None:
    (u,) = converse(text, lang="fr")
    q = query(u)
    assert "visits" not in q.categories, q


# --- a blood test for immunity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I had a blood test before uni to check I was immune to measles, is the result on my record?", "en"),
        (
            "on m'a fait une prise de sang pour voir si j'étais protégée contre la rougeole, ça a donné quoi ?",
            "fr",
        ),
    ],
)
def test_a_blood_test_for_protection_asks_for_the_antibody_test(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).targets == ("measles_immunity",), query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("have I had the measles jab?", "en"),
        ("I had a blood test last week; did I ever have the measles jab?", "en"),
        ("est-ce que je suis protégée contre la rougeole, j'ai eu le vaccin ?", "fr"),
    ],
)
def test_the_vaccine_stays_the_vaccine_without_both_words(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "measles_immunity" not in query(u).targets, query(u)


# --- an illness named as the time of the question -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when my son had covid in 2020 did they also test him for flu, and was it positive?", "en"),
        ("quand mon fils a eu le covid en 2020, ils ont testé la grippe aussi ? c'était positif ?", "fr"),
    ],
)
def test_the_illness_that_dates_the_question_is_not_what_is_asked(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.targets == ("flu_test",), q
    assert q.period is not None and q.period.start == date(2020, 1, 1), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when did I have covid?", "en"),
        ("quand est-ce que j'ai eu le covid ?", "fr"),
    ],
)
def test_an_illness_asked_about_stays_asked(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "covid19" in query(u).targets, query(u)


# --- an allergen beside an allergy blood test ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [
        ("he had allergy blood tests as a toddler. what was his result for egg?", "en", "egg_ige"),
        (
            "elle a eu un bilan allergique l'an dernier, son résultat pour le lait c'était combien ?",
            "fr",
            "milk_ige",
        ),
        ("ma fille a fait des tests d'allergie, c'était combien pour les cacahuètes ?", "fr", "peanut_ige"),
    ],
)
def test_an_allergen_beside_an_allergy_test_is_its_test(text: str, lang: str, key: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).targets == (key,), query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("is she allergic to peanuts?", "en"),
        ("est-ce qu'il est allergique aux oeufs d'après son dossier ?", "fr"),
    ],
)
def test_an_allergen_alone_stays_the_allergy(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = u.record_query
    assert q is None or not any(t.endswith("_ige") for t in q.targets), q


# --- "is that one in there?" after a list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("what jabs have I had over the years?", "and tetanus, is that on the list?", "en"),
        ("what vaccines has she had?", "what about measles? is it in there", "en"),
        ("quels vaccins il a eus ?", "et le tétanos, il y est ?", "fr"),
        ("elle a eu quels vaccins ?", "et la rougeole, elle est dans la liste ?", "fr"),
    ],
)
def test_is_it_in_there_after_a_list_asks_whether_the_record_has_it(first: str, then: str, lang: str) -> None:
    _, b = converse(first, then, lang=lang)
    q = query(b)
    assert q.kind is K.EVER_HAD and q.followup and q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ma fille a de la fièvre depuis hier, elle y est allée ce matin chez le médecin", "fr"),
    ],
)
def test_going_there_is_not_being_in_the_list(text: str, lang: str) -> None:
    _, b = converse("quels vaccins elle a eus ?", text, lang=lang)
    q = b.record_query
    assert q is None or q.kind is not K.EVER_HAD, q


# --- operations asked as "what", a vaccine not in the concept map, asked for someone ----------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("what operations has he had?", "en"),
        ("de quoi il a été opéré dans sa vie ?", "fr"),
        ("de quoi j'ai déjà été opérée ? l'anesthésiste veut savoir", "fr"),
    ],
)
def test_what_operations_lists_the_procedures(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.LIST and "procedures" in q.categories, q


def test_whether_operated_stays_a_yes_or_no() -> None:
    (u,) = converse("dans mon dossier, est-ce que j'ai déjà été opérée du genou ?", lang="fr")
    assert query(u).kind is not K.LIST, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("has my son had the BCG?", "en"),
        ("est-ce qu'elle a eu le vaccin BCG ?", "fr"),
    ],
)
def test_bcg_is_a_vaccine_of_the_record(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).targets == ("bcg_vaccine",), query(u)


@pytest.mark.parametrize(
    "text",
    [
        "mon fils est à côté de moi : il voudrait savoir quand a été fait son dernier rappel du tétanos.",
        "ma mère voudrait savoir si elle a eu le vaccin contre le zona.",
    ],
)
def test_a_question_asked_on_someones_behalf_is_a_record_question(text: str) -> None:
    (u,) = converse(text, lang="fr")
    assert query(u).targets, query(u)


def test_wanting_to_know_something_else_is_not_a_record_question() -> None:
    (u,) = converse("il voudrait savoir si la piscine est ouverte dimanche.", lang="fr")
    assert u.record_query is None, u.record_query


# --- seeing someone about a part of the body ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("how many times have I seen someone about my knee?", "knee"),
        ("how many times has she seen anyone for her shoulder?", "shoulder"),
    ],
)
def test_seeing_someone_about_a_body_part_counts_those_visits(text: str, term: str) -> None:
    (u,) = converse(text)
    q = query(u)
    assert "visits" in q.categories and term in q.terms, q


def test_seeing_someone_new_is_not_a_visit() -> None:
    (u,) = converse("should I see someone else about my blood pressure tablets, what am I on?")
    q = u.record_query
    assert q is None or "visits" not in q.categories, q
