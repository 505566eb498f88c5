"""Requests outside health that round 18's everyday writers phrased in ways the scope entries did not read
(dev data once scored), checked on paraphrases written here: whom one "ought to" vote for, "tu votes qui",
holding back rent, whether a team won, comparing health plans on price, a health savings account, a
self-employed person's contributions, school homework that "wants" facts. Their look-alikes stay in scope:
voting from a hospital bed, a plan that covers a pump, back pain from desk work, homework made hard by a
medicine's side effect."""

from __future__ import annotations

import pytest

from assistant.understanding.model import SignalKind
from tests.understanding.reading import read


def _out_of_scope(text: str) -> bool:
    return any(s.kind is SignalKind.OUT_OF_SCOPE for s in read(text).signals)


@pytest.mark.parametrize(
    "text",
    [
        "honestly who should I vote for in May, they all promise shorter waiting lists",
        "vous votez pour qui aux européennes, vous ?",
        "the damp in the kids' room is terrible and the agent ignores us, are we allowed to hold back the rent?",
        "est-ce que le Stade Toulousain a gagné hier ? j'étais de garde",
        "we got three supplemental plans in the mail, which plan is cheapest for someone on two inhalers?",
        "can I pay the dentist from my HSA or does it have to be a claim afterwards?",
        "ma micro-entreprise vient de démarrer, comment on calcule les cotisations URSSAF ?",
        "her history homework wants the Tudor kings in order, any idea?",
    ],
)
def test_requests_outside_health_are_out_of_scope(text: str) -> None:
    assert _out_of_scope(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll be in hospital on election day, can the ward help me with a postal vote and my tablets?",
        "does my health plan cover the insulin pump the nurse recommended?",
        "auto-entrepreneur, assis toute la journée, j'ai mal au dos : quels étirements ?",
        "since starting the new tablets she's too drowsy to do her homework, is that a side effect?",
        "is the mould in the rented flat making my son's asthma worse?",
    ],
)
def test_health_questions_beside_those_topics_stay_in_scope(text: str) -> None:
    assert not _out_of_scope(text)
