"""Later-pregnancy bleeding told the way round 19's dev data told it, read and triaged: the "bump" is the
belly once the message says she is pregnant, "not coming and going" describes a constant pain (it negates
nothing after it), "can't feel the baby kicking" is reduced movements, and "now bleeding" in a pregnancy
message is vaginal bleeding even when no site is named — the finding is the word "bleeding" itself, not the
whole stretch back to "pregnant". Paraphrases written here, each beside a look-alike."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide
from tests.understanding.reading import read


def current(text: str) -> dict[str, str]:
    return {f.concept: f.text for f in read(text, patient="Laurie_McCullough").findings if f.current}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "34 wks pregnant. steady pain in my bump for 40 mins, doesn't come and go, belly hard as a rock. "
            "just started bleeding, heavier than a period, and I can't feel the baby move",
            "en",
        ),
        (
            "enceinte de 33 semaines, mal au ventre sans arrêt depuis une heure, ça ne va pas et ne vient pas, "
            "le ventre est tout dur. Et là je saigne beaucoup, je ne sens plus bébé bouger",
            "fr",
        ),
    ],
)
def test_bleeding_with_constant_pain_late_in_pregnancy_is_an_emergency(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    assert_decides(engine, understander, (text, lang, EM, None))


def test_each_sign_is_read_and_none_is_negated_by_the_pain_pattern() -> None:
    found = current(
        "31 weeks pregnant, constant pain in my bump since lunch, not coming and going, tummy feels rock hard. "
        "now bleeding bright red. cant feel baby kicking since"
    )
    assert {"abdominal_pain", "rigid_abdomen", "vaginal_bleeding", "reduced_fetal_movements"} <= set(found)
    # the mention is the bleeding, not the span from "pregnant" to it
    assert found["vaginal_bleeding"] == "bleeding"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a bump on the head is a lump, not a belly, even in a pregnancy message
        ("I'm 20 weeks pregnant and my son has a bump on his head from the slide", "abdominal_pain"),
        ("the bump hurts where he hit it on the door", "abdominal_pain"),
        # bleeding somewhere named is not vaginal bleeding
        ("26 weeks pregnant, my gums keep bleeding when I brush", "vaginal_bleeding"),
        ("enceinte de 28 semaines. mon fils est tombé, il saigne du genou", "vaginal_bleeding"),
    ],
)
def test_look_alikes(text: str, absent: str) -> None:
    assert absent not in current(text), text


def test_a_pain_that_does_not_come_and_go_still_negates_nothing_else() -> None:
    found = current("tummy pain since this morning, not coming and going, and I've been sick twice")
    assert "abdominal_pain" in found
    assert "vomiting" in found


@pytest.mark.parametrize(
    "text",
    [
        "I'm 30 weeks and she kicks a lot, mostly at night",
        "enceinte de 30 semaines, il bouge beaucoup le soir",
    ],
)
def test_a_lively_baby_is_not_urgent(engine: ProtocolEngine, understander: Understander, text: str) -> None:
    lang: Language = "fr" if "enceinte" in text else "en"
    d = decide(engine, understander, text, lang)
    assert d.level not in (EM, URG), (text, d.level, d.rules)
