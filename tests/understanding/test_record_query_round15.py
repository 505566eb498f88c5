"""Record questions from round-15 development: the last visit asked with no routing entry, "c'est bien…"
as a confirmation, "whether I've ever had…" as a clause, a medicine the patient tells they are still on,
being seen counted as visits, "before the very last one", and a follow-up naming another vaccine
with "the … one".

Every sentence here is written for the test (paraphrases of what patients write), in English and French.
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ma dernière consultation chez la généraliste, c'était quand déjà ?", "fr"),
        ("quand est-ce que ma fille a vu la pédiatre pour la dernière fois ?", "fr"),
        ("my last check up with the nurse, when was that again?", "en"),
    ],
)
def test_the_last_visit_asked_without_a_routing_entry_is_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert query(u).kind is K.LAST_VISIT


def test_the_last_visit_asked_beside_a_past_story_of_symptoms_is_answered() -> None:
    (u,) = converse(
        "Au printemps je suis allé aux urgences car je toussais beaucoup, ils m'ont fait une radio. "
        "Mon médecin veut la date. Est-ce que c'est bien ma dernière visite au cabinet ? C'était quel jour ?",
        lang="fr",
    )
    assert any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents
    assert query(u).kind is K.LAST_VISIT


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("last time I went to the clinic they gave me a cream, can I use it again?", "en"),
        (
            "la dernière fois que je suis allée chez le médecin il m'a donné du sirop, je peux en reprendre ?",
            "fr",
        ),
    ],
)
def test_a_last_visit_told_beside_another_question_is_not_asked(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.LAST_VISIT, u.record_query


def test_c_est_bien_before_an_entry_asks_to_confirm_it_not_to_judge_it() -> None:
    (u,) = converse("c'est bien mon dernier rendez-vous enregistré, celui de juin ?", lang="fr")
    assert query(u).kind is K.LAST_VISIT
    (judged,) = converse("ma tension était à 12/8 au dernier contrôle, c'est bien ?", lang="fr")
    assert query(judged).kind is K.MEANING


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Could you check whether I've ever had asthma?", "asthma"),
        ("my new GP wants to know if she's ever had asthma, can you look?", "asthma"),
        ("Have I really ever had a tetanus jab?", "tetanus_vaccine"),
    ],
)
def test_whether_it_was_ever_had_asked_as_a_clause(text: str, target: str) -> None:
    q = query(converse(text)[0])
    assert q.kind is K.EVER_HAD
    assert target in q.targets


def test_a_medicine_the_patient_says_they_are_still_on_does_not_make_a_still_on_question() -> None:
    """The medicine of the story ("I'm still on an inhaler for it") is not what is asked."""
    q = query(
        converse(
            "The consultant asked if I've ever had asthma and whether it's written down. Is it in there? "
            "I'm still on an inhaler for it."
        )[0]
    )
    assert q.kind is K.EVER_HAD
    assert "asthma" in q.targets


@pytest.mark.parametrize(
    "text",
    [
        "I'm still on the clopidogrel?",
        "she's still on her inhaler, is that right?",
        "am I still on metformin?",
    ],
)
def test_still_on_asked_keeps_its_kind(text: str) -> None:
    assert query(converse(text)[0]).kind is K.STILL_ON


@pytest.mark.parametrize(
    "text",
    [
        "how many times was she seen at the practice in 2018?",
        "my son broke his arm in 2019 and we were in and out. how many times were we actually seen that year?",
    ],
)
def test_being_seen_is_counted_as_visits(text: str) -> None:
    q = query(converse(text)[0])
    assert q.kind is K.COUNT
    assert "visits" in q.categories


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("what was my potassium before the very last one?", "en", "potassium"),
        ("Ma tension juste avant la toute dernière mesure, c'était combien ?", "fr", "blood_pressure"),
    ],
)
def test_before_the_very_last_one_is_the_one_before(text: str, lang: str, target: str) -> None:
    q = query(converse(text, lang=lang)[0])
    assert q.kind is K.PREVIOUS
    assert target in q.targets


@pytest.mark.parametrize(
    ("first", "then", "lang", "target"),
    [
        ("did she get her flu jab this year?", "and what about the covid one?", "en", "covid_vaccine"),
        ("il a eu son vaccin contre la grippe ?", "et celui contre le covid ?", "fr", "covid_vaccine"),
    ],
)
def test_the_one_against_another_illness_is_that_vaccine(
    first: str, then: str, lang: str, target: str
) -> None:
    _, second = converse(first, then, lang=lang)
    q = query(second)
    assert q.targets == (target,)
    assert not any("flu" in t or "grippe" in t for t in q.terms), q.terms
