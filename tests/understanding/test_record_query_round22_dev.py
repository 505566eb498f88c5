"""Record questions from round-21 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- "was I last seen", "hospitalisé(e)", "admitted", "ma dernière consult": visits, and "en urgence" an
  emergency stay;
- a visit told in the past then asked "c'était quand ?" is a past visit, not a booking;
- "combien de fois mon fils a été vu" counts visits;
- "am I still down as having X", "toujours notée comme prenant": still on it;
- "does that mean I'm immune", "ça veut dire qu'elle est allergique": what a result on file means;
- a last question that names nothing and points back ("combien j'en ai fait depuis 2018 ?", "est-ce que je
  l'ai déjà fait ?") asks about what was named last before it; an illness beside a test counted is why the
  test is done.
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("when was she last seen, and who by?", "en"),
        ("c'était quand ma dernière consult chez le généraliste ?", "fr"),
    ],
)
def test_being_last_seen_and_a_clipped_consult_are_the_last_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.LAST_VISIT and "visits" in q.categories, q


def test_an_illness_wondered_about_after_the_question_does_not_narrow_the_last_visit() -> None:
    (u,) = converse("When was I last seen? not sure if it was for my ear infection or after that", lang="en")
    q = query(u)
    assert q.kind is K.LAST_VISIT and q.targets == (), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("combien de fois ma mère a été hospitalisée en urgence pour son coeur ?", "fr"),
        ("how many times was I hospitalised as an emergency for my asthma?", "en"),
    ],
)
def test_an_emergency_stay_is_counted_as_an_emergency_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories, q
    assert any(n in q.visit_names for n in ("emergency", "urgence")), q


def test_a_planned_stay_is_a_visit_but_not_an_emergency() -> None:
    (u,) = converse("combien de fois j'ai été hospitalisée pour mon genou ?", lang="fr")
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories and q.visit_names == (), q


def test_a_relative_seen_in_consultation_is_a_count_of_visits() -> None:
    (u,) = converse("Combien de fois ma fille a été vue en consultation depuis 2019 ?", lang="fr")
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    q = query(u)
    assert q.kind is K.COUNT and "visits" in q.categories, q


def test_a_visit_told_in_the_past_then_asked_when_is_a_past_visit() -> None:
    (u,) = converse(
        "Mon père a eu une consultation chez vous cet automne, c'était quand exactement ?", lang="fr"
    )
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert query(u).kind is K.LAST_VISIT


def test_a_visit_to_come_asked_when_is_still_a_booking() -> None:
    (u,) = converse("j'ai un rendez-vous chez vous la semaine prochaine, c'est quand exactement ?", lang="fr")
    assert not (
        u.intents
        and u.intents[0].kind is IntentKind.RECORD_QUESTION
        and u.record_query
        and u.record_query.kind is K.LAST_VISIT
    ), u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("is my dad still down as taking the warfarin? we think the hospital stopped it", "en"),
        ("je suis toujours notée comme prenant du Kardégic ?", "fr"),
    ],
)
def test_still_down_as_taking_is_still_on(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is K.STILL_ON


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("there's a rubella antibody test on my file, does that mean I'm immune?", "en"),
        ("J'ai vu une sérologie de la rubéole dans mon dossier. Ça veut dire que je suis immunisée ?", "fr"),
    ],
)
def test_a_result_on_file_asked_what_it_means_is_its_meaning(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is K.MEANING, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("is there a rubella antibody test on my file?", "en"),
        ("does that mean I need to fast before the blood test?", "en"),
    ],
)
def test_being_on_file_alone_or_meaning_without_a_result_is_not_a_judgement(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = u.record_query
    assert q is None or q.kind is not K.MEANING or not q.targets, q


def test_a_count_pointing_back_at_a_test_named_before_counts_the_test() -> None:
    (u,) = converse(
        "Le bilan lipidique c'est tous les ans quand on a du cholestérol non ? Combien j'en ai fait depuis 2017 ?",
        lang="fr",
    )
    q = query(u)
    assert q.kind is K.COUNT and q.period is not None and q.period.start is not None, q
    assert q.period.start.year == 2017, q


def test_a_count_naming_its_own_thing_is_not_pointed_back() -> None:
    (u,) = converse("Mon HbA1c c'est bien ? Combien de vaccins j'ai eu depuis 2017 ?", lang="fr")
    q = query(u)
    assert "hba1c" not in q.targets or q.kind is not K.COUNT, q


def test_a_pointer_to_the_thing_named_last_before_the_question() -> None:
    (u,) = converse(
        "Depuis mon diabète on me répète que le vaccin contre le pneumocoque est important. "
        "Est-ce que je l'ai déjà fait ?",
        lang="fr",
    )
    q = query(u)
    assert q.kind is K.EVER_HAD and len(q.targets) == 1 and "diabetes" not in q.targets, q


@pytest.mark.parametrize(
    ("turns", "lang"),
    [
        (("Ma dernière glycémie c'était combien ?", "et l'année d'avant ?"), "fr"),
        (("what was my last cholesterol?", "and the year before?"), "en"),
    ],
)
def test_the_year_before_a_latest_value_steps_back_a_calendar_year(turns: tuple[str, str], lang: str) -> None:
    *_, u = converse(*turns, lang=lang)
    q = query(u)
    assert q.kind is K.PREVIOUS and q.year_back and q.period is None, q


def test_the_year_before_a_value_of_a_year_shifts_that_year() -> None:
    *_, u = converse("what was my cholesterol in 2019?", "and the year before?", lang="en")
    q = query(u)
    assert not q.year_back and q.period is not None and q.period.start is not None, q
    assert q.period.start.year == 2018, q
