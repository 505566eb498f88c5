"""Over- and under-triage mechanisms from round 15's dev data, checked on paraphrases written here, each
beside a look-alike that must keep its level: a foot drop that crept in and holds steady (GP within days)
against one that is getting worse or came on suddenly, and a change of course said not to be happening
("it isn't getting worse", "ça ne s'aggrave pas")."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.test_protocol_gaps import assert_decides

EM, URG, SOON, SC = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE)


@pytest.mark.parametrize(
    "case",
    [
        # a foot drop that came on over weeks and is holding steady: the GP within days
        (
            "for three weeks I've been tripping on the pavement, I can't lift the front of my left foot "
            "properly and it slaps when I walk, it hasn't got any worse",
            "en",
            SOON,
            None,
        ),
        (
            "depuis 15 jours je n'arrive pas à relever la pointe du pied droit, je trébuche, ça ne s'aggrave pas",
            "fr",
            SOON,
            None,
        ),
        # look-alikes: the same foot drop getting worse is for today
        (
            "for three weeks I can't lift the front of my left foot properly and it's getting worse every day",
            "en",
            URG,
            "neuro-progressive",
        ),
        (
            "depuis 15 jours je n'arrive pas à relever la pointe du pied droit et ça s'aggrave",
            "fr",
            URG,
            "neuro-progressive",
        ),
    ],
)
def test_round15_over_and_under_triage_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
