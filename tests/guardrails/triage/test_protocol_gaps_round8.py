"""Mechanisms added on the round-8 triage failures (dev data), each checked on paraphrases written here.

Each case names a general mechanism — a pronoun pointing back to a body part, a relative named as a label,
a staggered paracetamol overdose, a splash in the eye, a concept that names a known minor problem — with
a look-alike that must not move.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.test_protocol_gaps import assert_decides

EM, URG, SOON, SC = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE


@pytest.mark.parametrize(
    "case",
    [
        # "it" in a clause that names no body part points back to the last one named
        (
            "my knee has ached for two days. today it's swollen and hot and I've got a temperature of 38.5",
            "en",
            URG,
            None,
        ),
        (
            "woke up with my elbow hot. it's red and really swollen now and I've got chills",
            "en",
            URG,
            "limb-hot-joint-fever",
        ),
        # … but not past a negation, and not in French where "ça" often means the whole situation
        ("je me suis cogné le genou, ça gonfle pas et je marche normalement", "fr", SC, "injury:default"),
        # a relative named as a label at the start: the sugar reading is theirs, with their drowsiness
        (
            "wife type 1, sugar 2.1, she's sweaty, confused and can't swallow the juice",
            "en",
            EM,
            "diabetes-severe-hypo",
        ),
        ("dad, 81, sugar 2.9 on the meter, he's very drowsy and slurring", "en", EM, "diabetes-severe-hypo"),
        # a staggered paracetamol overdose: doses every hour or two, or a day's count of tablets
        (
            "my tooth is agony so I've been taking paracetamol every hour or two since breakfast, feel ok though",
            "en",
            EM,
            None,
        ),
        ("j'ai mal au dos, j'ai pris en tout 14 comprimés de doliprane depuis ce matin", "fr", EM, None),
        (
            "I have 20 paracetamol tablets in the cupboard, is it ok to take two for a headache?",
            "en",
            SC,
            None,
        ),
        # a household chemical sprayed into an eye, whatever words sit between
        (
            "drain cleaner splashed up into her right eye while she was unblocking the sink",
            "en",
            EM,
            "eye-chemical",
        ),
        # the baby who has barely moved
        ("33 weeks pregnant and the baby has hardly kicked since yesterday lunchtime", "en", URG, None),
        # urine symptoms said as "passing water", "every half hour", "aux toilettes toutes les 20 minutes";
        # over 65 the pharmacy pathway does not apply
        (
            "my mother, 79, says it stings when she passes water and she keeps needing to go, no fever",
            "en",
            SOON,
            "urinary-men-or-lasting",
        ),
        (
            "ma grand-mère de 84 ans court aux toilettes toutes les 30 minutes et ça brûle, pas de fièvre",
            "fr",
            SOON,
            None,
        ),
        ("it stings when I pass water and I'm going every hour, 30, no fever, not pregnant", "en", SC, None),
        # an infant's dehydration said as the parent sees it
        (
            "my 10 month old has watery poos and keeps vomiting, only two wet nappies today and no real tears when she cries",
            "en",
            URG,
            None,
        ),
        # "what counts as an overdose" asks about an amount; it is not an overdose
        ("what number of my blood pressure tablets counts as an overdose?", "en", TriageLevel.NONE, None),
        # a cold sore is not a fever with numbness of the lip
        ("cold sore on my lip since yesterday, it tingles, what cream can I get?", "en", SC, None),
        ("ma fille a un bouton de fièvre sur la lèvre, ça picote, on met quoi ?", "fr", SC, None),
    ],
)
def test_round8_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
