"""Over-triage mechanisms from round 18's dev data, checked on paraphrases written here, each beside a
look-alike that keeps its level: a swollen tummy told alone (bloating with a medicine) is not a blockage,
while a swollen tummy with pain or vomiting still is; a sedating medicine that "knocks me out all morning"
is drowsiness, not a blackout."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, URG
from tests.guardrails.triage.test_protocol_gaps import decide


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since I started the new tablets I feel bloated after breakfast, is that normal?", "en"),
        ("depuis que je prends ce traitement j'ai le ventre gonflé le matin, c'est normal ?", "fr"),
        ("those hay fever tablets knocked me out all morning, can I still drive?", "en"),
        ("ce sirop contre la toux me met KO toute la soirée, je peux conduire ?", "fr"),
    ],
)
def test_not_urgent(engine: ProtocolEngine, understander: Understander, text: str, lang: Language) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level not in (EM, URG), (text, d.level, d.rules)


@pytest.mark.parametrize(
    ("text", "lang", "criterion"),
    [
        ("my tummy is swollen and hard and I keep being sick", "en", "abdomen-appendicitis"),
        ("j'ai le ventre gonflé et très mal au ventre depuis ce matin", "fr", "abdomen-appendicitis"),
    ],
)
def test_blockage_signs_stay_urgent(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, criterion: str
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level in (EM, URG), (text, d.level, d.rules)
    assert criterion in d.rules, (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("he was knocked out for a few seconds by a cricket ball", "en"),
        ("il a pris un coup de coude au rugby et il est resté KO une minute", "fr"),
    ],
)
def test_a_knock_out_is_still_a_blackout(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.level in (EM, URG), (text, d.level, d.rules)
