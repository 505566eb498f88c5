"""Mechanisms added on the round-8 and round-9 triage failures (dev data), each checked on paraphrases written here.

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
        # … nor to a sensation its clause says is over
        (
            "caught my thumb on the grater, it stopped bleeding quickly with a plaster",
            "en",
            TriageLevel.NONE,
            None,
        ),
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
        # round 9: a sudden headache with a stiff neck or vomiting, even when not called the worst ever
        (
            "out of the blue my head exploded with pain while I was on the treadmill and I've been sick",
            "en",
            EM,
            "headache-sudden-with-warning-signs",
        ),
        (
            "my head is pounding, it came on like being whacked on the back of the head, worst one I've ever had",
            "en",
            EM,
            None,
        ),
        # too breathless to say more than a few words
        ("asthma attack, he's had 10 puffs and can only say one or two words at a time", "en", EM, None),
        # pregnancy said as "I'm 30 wks", with heavy bleeding
        ("I'm 28 wks and bleeding heavily, soaked a pad in half an hour, cramps", "en", EM, None),
        # acute heart failure: sleeping sitting up and pink froth, said in French
        (
            "depuis cette nuit je dois dormir assise sinon j'étouffe et je crache une sorte de mousse rose",
            "fr",
            EM,
            "breathing-pulmonary-oedema",
        ),
        # a broken hip: the leg shorter and turned out, words in between
        (
            "mamie est tombée, sa jambe gauche a l'air vraiment plus courte et le pied tourne vers l'extérieur",
            "fr",
            EM,
            "fracture-hip",
        ),
        # pre-eclampsia at 34 weeks, antenatal classes are not a birth
        (
            "je suis à 35 semaines, préparation à l'accouchement lundi, mais là mal de tête, je vois des éclairs et j'ai le visage gonflé",
            "fr",
            URG,
            "pregnancy-pre-eclampsia",
        ),
        # a toddler into a relative's tablet box
        ("my toddler got into grandad's pill box, a couple of his heart tablets are gone", "en", EM, None),
        # barely felt the baby, a few flutters
        ("34 weeks, barely felt anything since last night, maybe three weak flutters", "en", URG, None),
        # a faint while running with the heart racing just before (French verbs in the past)
        (
            "je suis tombée dans les pommes en plein jogging, le cœur s'emballait juste avant",
            "fr",
            EM,
            "faint-cardiac",
        ),
        # French foot drop: the tip of the foot falls, cannot walk on the heel
        (
            "sciatique depuis un mois et maintenant le bout du pied gauche tombe, je n'arrive plus à marcher sur le talon",
            "fr",
            URG,
            None,
        ),
        # bright red blood on the paper after a hard stool with known piles is not a pregnancy bleed
        (
            "du sang rouge vif sur le papier toilette quand je vais à la selle, hémorroïdes connues depuis ma grossesse",
            "fr",
            SC,
            None,
        ),
        # a cold sore is not a fever with numbness of the lip
        ("cold sore on my lip since yesterday, it tingles, what cream can I get?", "en", SC, None),
        ("ma fille a un bouton de fièvre sur la lèvre, ça picote, on met quoi ?", "fr", SC, None),
    ],
)
def test_round8_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
