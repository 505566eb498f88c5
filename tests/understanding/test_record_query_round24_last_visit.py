"""Record questions from round-24 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- an illness told beside the last visit, in a statement of its own ("she has diabetes and she forgets when
  she last saw the doctor"), is background: the last visit is the latest of all; an illness in the visit's
  own words ("my last asthma review", "son dernier rendez-vous pour le diabète") still narrows it;
- "the diagnosis" asked in the sentence that names the last visit is that visit's reason, not the list of
  every illness;
- a record question no routing entry named is read from the sentence that asks when it names what is asked
  ("he died of bowel cancer. how many colonoscopies had he had?" counts colonoscopies, not cancers);
- French names a thing with or without the article after "de" ("biopsies de prostate", "de la prostate").
"""

from __future__ import annotations

import pytest

from assistant.understanding.model import RecordQueryKind
from retrieval import ConceptMap
from tests.understanding.conversation import converse
from tests.understanding.test_record_query import query

K = RecordQueryKind
CONCEPTS = ConceptMap.load()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My mum has diabetes and she can't remember her last appointment. When was it and what for?", "en"),
        ("Il a de l'asthme et il a oublié son dernier rendez-vous. C'était quand et pour quoi ?", "fr"),
    ],
)
def test_an_illness_told_beside_the_last_visit_does_not_narrow_it(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.LAST_VISIT, q
    assert q.targets == (), q


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("when was my last asthma review and what did they say?", "en", "asthma"),
        ("c'était quand mon dernier rendez-vous pour le diabète ?", "fr", "diabetes"),
    ],
)
def test_an_illness_in_the_visits_own_words_still_narrows_it(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert target in q.targets, q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my most recent visit, what diagnosis did they put down? it was for a bad cough", "en"),
        ("mon dernier rendez-vous, c'était quoi le diagnostic ? j'avais de la fièvre", "fr"),
    ],
)
def test_the_diagnosis_of_the_last_visit_is_that_visit(text: str, lang: str) -> None:
    u = converse(text, lang=lang)[0]
    assert query(u).kind is K.LAST_VISIT, query(u)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("what diagnoses are on my record?", "en"), ("quels sont mes diagnostics dans le dossier ?", "fr")],
)
def test_diagnoses_asked_without_a_visit_are_not_a_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert query(u).kind is not K.LAST_VISIT, query(u)
    assert query(u).categories == ("conditions",), query(u)


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "Mon oncle a eu un cancer de la prostate. Combien de biopsies de prostate a-t-il eues ?",
            "fr",
            "prostate_biopsy",
        ),
    ],
)
def test_the_sentence_that_asks_names_what_is_counted(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.COUNT, q
    assert q.targets == (target,), q


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("combien de biopsies de prostate", "prostate_biopsy"),
        ("une biopsie de la prostate", "prostate_biopsy"),
        ("biopsie de sa prostate", "prostate_biopsy"),
    ],
)
def test_a_french_name_is_known_with_or_without_its_article(text: str, key: str) -> None:
    assert [c.key for c in CONCEPTS.find_named(text)] == [key]


def test_a_name_that_opens_with_an_article_keeps_it() -> None:
    from retrieval.concepts import _without_article

    assert _without_article("biopsie de la prostate") == "biopsie de prostate"
    assert _without_article("des vaccins") == "des vaccins"
    assert _without_article("test du diabete") == "test de diabete"


# --- a result read on the record, asked about beside advice --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "I'm diabetic and my latest blood test showed a cholesterol figure I didn't like. I walk a lot "
            "these days. Is that figure bad or should I be worried?",
            "en",
        ),
        (
            "Je suis diabétique et sur ma dernière prise de sang il y avait un taux de cholestérol un peu haut. "
            "Je fais attention à ce que je mange. C'est grave ?",
            "fr",
        ),
    ],
)
def test_a_result_read_on_the_record_is_asked_about_beside_advice(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.kind is K.MEANING, q
    assert any(t in q.targets for t in ("total_cholesterol", "cholesterol_tests")), q


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm diabetic. Is a cholesterol of 5 bad, and what should I eat to lower it?", "en"),
        (
            "Je suis diabétique. Un cholestérol à 2 g/L c'est grave ? Que faut-il manger pour le baisser ?",
            "fr",
        ),
    ],
)
def test_a_value_that_is_not_their_own_result_stays_advice(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any("record-query-unprompted" in i.evidence for i in u.intents), u.intents
