"""Record questions from round-22 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- coming to the practice the assistant speaks for ("je suis venue quand la dernière fois ?", "combien de fois
  je suis venu en 2019 ?") is a visit, asked when or how many — as "when did I last come in" is in English;
- "combien" after the verb ("j'en ai fait combien depuis 2015 ?", "elle a eu combien de rappels ?") counts,
  as "how many" does;
- an illness named beside a procedure, vaccine or medicine that is counted ("combien de biopsies avant qu'on
  trouve le cancer ?") is when or why it was done, not one more thing counted.
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from tests.understanding.conversation import converse
from tests.understanding.test_record_query import query

K = RecordQueryKind


@pytest.mark.parametrize(
    "text",
    [
        "je suis venue quand la dernière fois ?",
        "quand est-ce que je suis passé vous voir pour la dernière fois ?",
        "il est venu quand en dernier, mon fils ?",
    ],
)
def test_coming_to_the_practice_asked_when_is_the_last_visit(text: str) -> None:
    (u,) = converse(text, lang="fr")
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    q = query(u)
    assert q.kind is K.LAST_VISIT and "visits" in q.categories, q


def test_the_english_coming_in_is_the_last_visit_too() -> None:
    (u,) = converse("when did I last come in to see you?", lang="en")
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "J'ai l'impression d'avoir vécu chez le médecin en 2019 avec mon AVC. Combien de fois je suis venu "
            "cette année-là ?",
            "fr",
        ),
        (
            "I practically lived at the surgery in 2019 after my stroke. How many times did I come in that year?",
            "en",
        ),
    ],
)
def test_how_many_times_one_came_in_counts_visits_of_the_year_named(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and q.categories == ("visits",) and q.targets == (), q
    assert q.period is not None and q.period.start is not None and q.period.start.year == 2019, q


@pytest.mark.parametrize(
    "text",
    [
        "le plombier est venu quand la dernière fois ?",
        "la dernière fois que je suis venue ici il pleuvait",
        "j'en ai mangé combien, des crêpes, hier soir ?",
    ],
)
def test_look_alikes_of_coming_and_counting_are_not_record_questions(text: str) -> None:
    (u,) = converse(text, lang="fr")
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


def test_combien_after_the_verb_counts_in_a_follow_up() -> None:
    _, then = converse(
        "mon dernier vaccin contre la grippe, c'était quand ?",
        "ok et j'en ai fait combien depuis 2015 ?",
        lang="fr",
    )
    q = query(then)
    assert q.kind is K.COUNT and q.targets == ("flu_vaccine",), q
    assert q.period is not None and q.period.start is not None and q.period.start.year == 2015, q


def test_combien_after_the_verb_asked_alone_counts() -> None:
    (u,) = converse("elle a eu combien de rappels du DTP ma fille ?", lang="fr")
    assert query(u).kind is K.COUNT


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mon père a eu combien de biopsies de la prostate avant qu'on trouve le cancer ?", "fr"),
        ("How many prostate biopsies did my dad have before they found the cancer?", "en"),
    ],
)
def test_an_illness_beside_a_procedure_counted_is_not_counted(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT and q.targets == ("prostate_biopsy",), q


def test_an_illness_counted_alone_is_still_counted() -> None:
    (u,) = converse("combien de fois j'ai eu un cancer ?", lang="fr")
    q = query(u)
    assert q.kind is K.COUNT and q.targets == ("cancer",), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Je suis le papa de Daisey. La fiche sanitaire demande tous ses traitements. Elle a ses pompes pour "
            "l'asthme et un stylo d'adrénaline je crois... vous pouvez me donner la liste exacte de ce qui est noté ?",
            "fr",
        ),
        (
            "I'm Daisey's dad. The camp form wants all her medicines. She has her asthma inhalers and an adrenaline "
            "pen I think... can you give me the exact list of what's on file?",
            "en",
        ),
    ],
)
def test_the_whole_list_asked_is_not_narrowed_by_the_entries_remembered(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.LIST and "medications" in q.categories and q.targets == (), q


def test_a_medicine_asked_about_without_a_list_keeps_its_target() -> None:
    (u,) = converse("est-ce que son stylo d'adrénaline est toujours sur son ordonnance ?", lang="fr")
    q = query(u)
    assert q.targets == ("epinephrine",), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("les piqûres pour l'anémie (aranesp), je suis toujours censée les faire ?", "fr"),
        ("the injections for my anaemia (aranesp), am I still supposed to be doing them?", "en"),
    ],
)
def test_still_meant_to_do_a_treatment_asks_whether_the_medicine_is_still_on(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.STILL_ON and q.targets == ("darbepoetin",), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("je suis toujours censée faire du sport avec mon genou ?", "fr"),
        ("am I still supposed to be doing my physio exercises?", "en"),
    ],
)
def test_still_meant_to_do_something_that_is_no_medicine_is_no_still_on(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.STILL_ON, u.record_query


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("cholesterol result 2016??", "en"),
        ("my a1c from 2019?", "en"),
        ("résultat cholestérol 2016 ??", "fr"),
        ("mon HbA1c de 2019 ?", "fr"),
    ],
)
def test_a_terse_value_with_its_year_is_the_value_of_that_year(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    q = query(u)
    assert q.kind is K.VALUE_AT and q.period is not None, q


@pytest.mark.parametrize(
    ("text", "lang"), [("world cup results 2018?", "en"), ("résultats du bac 2019 ?", "fr")]
)
def test_a_terse_result_of_something_else_is_no_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Le kiné voudrait le compte rendu de mon IRM du genou, il dit qu'elle est dans mon dossier. Vous la voyez ?",
            "fr",
        ),
        ("The physio wants the report of my knee MRI, he says it's in my record. Can you see it?", "en"),
    ],
)
def test_can_you_see_it_after_an_entry_named_is_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("there's a red car parked outside, can you see it?", "en"),
        ("il y a une voiture rouge garée devant le cabinet, vous la voyez ?", "fr"),
    ],
)
def test_can_you_see_it_about_something_else_is_no_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("what did my last diabetes blood test come back at", "ok and the one before that?", "en"),
        ("ma dernière prise de sang pour le diabète, ça donnait quoi ?", "et celle d'avant ?", "fr"),
    ],
)
def test_an_illness_named_as_what_a_blood_test_is_about_asks_for_its_test(
    first: str, then: str, lang: str
) -> None:
    a, b = converse(first, then, lang=lang)
    assert (query(a).kind, query(a).targets) == (K.LATEST, ("hba1c",)), query(a)
    assert (query(b).kind, query(b).targets, query(b).offset) == (K.PREVIOUS, ("hba1c",), 1), query(b)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("when was my diabetes diagnosed?", "en"), ("mon diabète date de quand ?", "fr")],
)
def test_an_illness_asked_about_without_a_test_stays_the_illness(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert "hba1c" not in query(u).targets, query(u)
