"""A hypo that cannot be treated by mouth, told the way round 20's dev data told it (paraphrased here): the
reading given as "sugar, it's 2.4" / "sa glycémie elle est à 0,45", and the person "not really swallowing" /
"can't get him to sip his juice". NHS and Diabetes UK: a hypo with drowsiness where sugar cannot be taken by
mouth needs an ambulance. Beside look-alikes: a hypo treated and over, a normal reading, tablets refused."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide
from tests.understanding.reading import read


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "grandad is on gliclazide, sugar it's 2.4, he's clammy and drowsy and I can't get him to sip his juice",
            "en",
        ),
        (
            "mamie est sous gliclazide, sa glycémie elle est à 0,45, elle est somnolente et n'arrive pas à avaler",
            "fr",
        ),
    ],
)
def test_a_hypo_that_cannot_be_swallowed_is_an_emergency(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    assert_decides(engine, understander, (text, lang, EM, None))


@pytest.mark.parametrize(
    ("text", "value"),
    [("checked my sugar it's 5.6 this morning", 5.6), ("ma glycémie c'était 1,10 ce matin", 6.11)],
)
def test_the_reading_is_read(text: str, value: float) -> None:
    glucose = [v.value for v in read(text).vitals if v.kind == "glucose"]
    assert glucose == [pytest.approx(value, abs=0.01)], text


@pytest.mark.parametrize(
    "text",
    [
        "my sugar it's 3.6, had a juice and a biscuit and I feel fine now",
        "he's not swallowing his tablets, he spits them out, can I crush them?",
    ],
)
def test_look_alikes_are_not_emergencies(
    engine: ProtocolEngine, understander: Understander, text: str
) -> None:
    d = decide(engine, understander, text, "en")
    assert d.level != EM, (text, d.level, d.rules)
