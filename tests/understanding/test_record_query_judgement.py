"""A follow-up that asks how to read the value just given ("is mine too high?", "what's normal for someone my
age", "il était bien ?", "je suis dans la normale ?") is the meaning of that same value after a record answer;
the same words alone, or after a symptom, are not a record question (``followup-judgement`` in intents.yaml,
the meaning cues of record_query.yaml)."""

from __future__ import annotations

import pytest

from assistant.understanding.model import (
    IntentKind,
    RecordQuery,
    RecordQueryKind,
)
from tests.understanding.conversation import converse

K = RecordQueryKind


JUDGEMENTS = [
    ("en", "is mine too high?"),
    ("en", "is it a bit low"),
    ("en", "whats normal for someone my age"),
    ("en", "is that ok for a woman?"),
    ("en", "am i in the normal range or not"),
    ("en", "what's a healthy level tho"),
    ("fr", "il était bien ?"),
    ("fr", "elle est correcte ?"),
    ("fr", "du coup je suis dans la normale ou pas ?"),
    ("fr", "c'est trop haut pour mon âge ?"),
    ("fr", "c'est quoi la normale ?"),
    ("fr", "je dois m'inquiéter ?"),
]


@pytest.mark.parametrize(("lang", "follow"), JUDGEMENTS)
def test_a_judgement_after_a_value_asks_the_meaning_of_that_value(lang: str, follow: str) -> None:
    first = "what was my last a1c?" if lang == "en" else "c'était combien ma dernière HbA1c ?"
    _, judged = converse(first, follow, lang=lang)
    assert judged.intent == IntentKind.RECORD_QUESTION, judged.intents
    assert judged.followup
    q = judged.record_query
    assert isinstance(q, RecordQuery)
    assert q.kind == K.MEANING
    assert q.targets == ("hba1c",)


@pytest.mark.parametrize(("lang", "follow"), JUDGEMENTS[::3])
def test_the_value_judged_is_the_one_of_the_last_answer_not_the_first(lang: str, follow: str) -> None:
    # the glucose was asked, then the A1c: the judgement is about the A1c just given
    first, second = (
        ("show me my fasting glucose", "and the a1c?")
        if lang == "en"
        else ("montre moi ma glycémie à jeun", "et l'hba1c ?")
    )
    *_, judged = converse(first, second, follow, lang=lang)
    assert judged.record_query is not None and judged.record_query.targets == ("hba1c",)


@pytest.mark.parametrize(("lang", "follow"), JUDGEMENTS)
def test_the_same_words_as_a_first_message_are_no_record_question(lang: str, follow: str) -> None:
    (alone,) = converse(follow, lang=lang)
    assert alone.intent != IntentKind.RECORD_QUESTION
    assert not alone.followup


@pytest.mark.parametrize(("lang", "follow"), JUDGEMENTS)
def test_after_a_symptom_the_same_words_stay_about_the_symptom(lang: str, follow: str) -> None:
    first = "I've had a headache since this morning" if lang == "en" else "j'ai mal à la tête depuis ce matin"
    _, after = converse(first, follow, lang=lang)
    assert after.intent != IntentKind.RECORD_QUESTION
    assert after.record_query is None
