"""Record questions from round-19 development (dev data once scored), by mechanism, on sentences written
here — with look-alikes that must keep their old reading:

- a value asked in a few words, with no verb ("latest potassium please", "ma dernière glycémie svp");
- a value pointed back at with a pronoun ("il était à combien sur le bilan d'avant ?"), named in an earlier
  sentence;
- how often ("tous les 2 ans") is not a window of time;
- a past visit pointed at ("c'était quand déjà cette consultation ?") or how far back it goes ("remonte à
  quand").
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.understanding.model import IntentKind, RecordQueryKind
from assistant.understanding.record_query import read_period
from tests.understanding.test_record_query import converse, query

K = RecordQueryKind


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        ("latest potassium please", "en", "potassium"),
        ("most recent HbA1c?", "en", "hba1c"),
        ("my last blood pressure reading pls", "en", "blood_pressure"),
        ("le dernier cholestérol ?", "fr", "total_cholesterol"),
        ("le taux de potassium le plus récent, merci", "fr", "potassium"),
    ],
)
def test_a_value_asked_in_a_few_words_is_its_latest(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    q = query(u)
    assert q.kind is K.LATEST and target in q.targets


@pytest.mark.parametrize(
    ("text", "lang"),
    [("latest news please", "en"), ("the last bus please", "en"), ("le dernier bus svp", "fr")],
)
def test_a_few_words_naming_nothing_of_the_record_are_not_a_record_question(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("text", "lang", "target"),
    [
        (
            "Mon potassium était un peu haut cette fois. Il était à combien sur la prise de sang d'avant ?",
            "fr",
            "potassium",
        ),
        ("My good cholesterol dropped on the last bloods. How much was it on the test before?", "en", "hdl"),
        # a value asked with "c'était combien", named in the sentence before: the latest
        (
            "On me surveille le potassium depuis des années. C'était combien à la dernière prise de sang ?",
            "fr",
            "potassium",
        ),
    ],
)
def test_a_value_pointed_back_at_is_the_one_named_before(text: str, lang: str, target: str) -> None:
    (u,) = converse(text, lang=lang)
    q = query(u)
    assert q.targets == (target,), q
    assert q.kind is (K.PREVIOUS if ("avant" in text or "before" in text) else K.LATEST), q


def test_how_often_is_not_a_window_of_time() -> None:
    today = date(2026, 12, 4)
    assert read_period("j ai une otite tous les 2 ans combien en tout", today) is None
    assert read_period("toutes les 3 annees environ", today) is None
    window = read_period("combien j en ai eu ces 2 dernieres annees", today)
    assert window is not None and window.start == date(2024, 12, 4)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "La cardiologue m'a parlé d'un nouveau traitement, c'était quand exactement cette consultation ?",
            "fr",
        ),
        ("mon dernier frottis remonte à quand ?", "fr"),
        ("the nurse talked about my feet, when was that appointment exactly?", "en"),
    ],
)
def test_a_past_visit_pointed_at_is_asked_about(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.intents and u.intents[0].kind is IntentKind.RECORD_QUESTION, u.intents
    assert query(u).kind in (K.LAST_VISIT, K.LATEST)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("c'est quand ce rendez-vous chez le dentiste, demain ?", "fr"),
        ("cette tradition remonte à quand ?", "fr"),
    ],
)
def test_a_visit_to_come_or_a_story_is_not_a_past_visit(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert u.record_query is None or u.record_query.kind is not K.LAST_VISIT


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        # a test's results, then please
        ("thyroid results pls, both of them", "en", K.LATEST),
        ("résultats de cholestérol svp", "fr", K.LATEST),
        # how a value came out, asked with "comment", after something else entirely
        ("je dors mal en ce moment. ma ferritine elle était comment au dernier bilan", "fr", K.LATEST),
        # a list of what the writer is prescribed, asked for a form
        ("for the new surgery, can you give me a list of everything I'm currently taking?", "en", K.LIST),
        # a formal indirect question ("je souhaiterais savoir…") ending with a full stop
        ("Je souhaiterais savoir combien de fois j'ai eu une otite depuis 2012. Merci.", "fr", K.COUNT),
        # a vaccine asked as done, in a clause after "I just need to know"
        ("sorry to bother you. I just need to know her preschool booster is done", "en", None),
    ],
)
def test_record_questions_asked_without_the_usual_frame(text: str, lang: str, kind: K | None) -> None:
    (u,) = converse(text, lang=lang)
    assert any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents
    if kind is not None:
        assert query(u).kind is kind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("football results pls", "en"),
        ("les résultats du loto svp", "fr"),
        ("le film il était comment hier soir ?", "fr"),
        ("give me a list of all the things I'm on about at work, I need to sort them", "en"),
    ],
)
def test_look_alikes_without_the_record_are_not_record_questions(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert not any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "the GP wants me to have a camera up the bottom test. I'm fairly sure I already had one ages ago?",
            "en",
        ),
        ("on me propose une coloscopie, je crois que j'en ai déjà fait une il y a longtemps ?", "fr"),
    ],
)
def test_a_procedure_told_in_lay_words_and_doubted_is_looked_up(text: str, lang: str) -> None:
    (u,) = converse(text, lang=lang)
    assert any(i.kind is IntentKind.RECORD_QUESTION for i in u.intents), u.intents
    assert "colonoscopy" in query(u).targets
