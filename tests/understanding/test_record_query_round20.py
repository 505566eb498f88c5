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
