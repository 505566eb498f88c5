"""Over-triage mechanisms from round 13's dev data, checked on paraphrases written here, each beside a
look-alike that must keep its emergency: an emergency named in a question the writer asks ("heart
attack??") beside chest-wall pain, a usual fit in known epilepsy whose muddle the writer says is the usual
one, "hurt himself" as an injury rather than a pain, what a forum says a symptom could be, breathlessness on
the stairs with months of heavy periods (anaemia), and "je n'ai pas mes règles" (not on a period now)."""

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
        # chest-wall pain with the feared name asked about
        (
            "30, sore spot on the right of my chest since deadlifting yesterday, it hurts when I press on it "
            "and when I turn, fine sitting still, breathing normal. is this a heart attack?",
            "en",
            SC,
            "chest-pain-chest-wall",
        ),
        (
            "mal à gauche de la poitrine depuis que j'ai porté des cartons, ça fait mal quand j'appuie sur les "
            "côtes et quand je me tourne, pas essoufflé. crise cardiaque ou simple douleur musculaire ?",
            "fr",
            SC,
            "chest-pain-chest-wall",
        ),
        # look-alikes: the name said as happening, or the only thing said, stays an emergency
        ("I think I'm having a heart attack", "en", EM, "chest-pain-heart-attack"),
        ("could this be a heart attack?", "en", EM, "chest-pain-heart-attack"),
        ("je crois que mon père fait un infarctus ?", "fr", EM, None),
        ("crushing pain in my chest going into my left arm, heart attack??", "en", EM, None),
        # a usual fit in known epilepsy, muddled "like always" afterwards
        (
            "My daughter has epilepsy and is on lamotrigine. She had one of her usual fits tonight, about a "
            "minute of jerking, then she was sleepy and a bit muddled as always, breathing fine, no injury.",
            "en",
            SC,
            "seizure-known-epilepsy-usual",
        ),
        (
            "mon fils est épileptique, traité. il vient de faire une de ses crises habituelles, il a convulsé une minute, il "
            "est un peu confus comme d'habitude et respire bien, il ne s'est pas blessé.",
            "fr",
            SC,
            "seizure-known-epilepsy-usual",
        ),
        # still confused, not said to be the usual: the emergency stands
        (
            "he has epilepsy and had one of his usual seizures this morning but he's still confused now",
            "en",
            EM,
            None,
        ),
        # "hurt himself" is not a headache beside the usual fit
        (
            "My partner has epilepsy. He had one of his usual seizures, a minute, then a bit confused for five "
            "minutes, now himself. He didn't bang his head or hurt himself.",
            "en",
            SC,
            "seizure-known-epilepsy-usual",
        ),
        # anaemia picture: breathless on the stairs with months of heavy periods
        (
            "depuis des mois mes règles sont très abondantes avec des caillots, je suis épuisée, je m'essouffle "
            "dans l'escalier de la gare et on me trouve pâle. là je n'ai pas mes règles.",
            "fr",
            SOON,
            "breathing-exertion-with-heavy-periods",
        ),
    ],
)
def test_round13_over_triage_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
