"""Mechanisms added on round 14's missed emergencies (dev data once scored), each checked on paraphrases
written here, with look-alikes that must not move: a small round battery that cannot be found; a
cleaning product named by the job ("cleaning the oven") rather than by the product, going into an eye; a
reliever that is "barely touching it" many words after the puffs; pausing between words to breathe;
saddle numbness said as "numb down below when I wipe" or "gone to sleep"."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, SC, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides


@pytest.mark.parametrize(
    "case",
    [
        # a button battery that has gone missing near a small child is swallowed until proved otherwise
        (
            "my 3 year old was playing with the kitchen scales, the back is off and I cannot find the little "
            "coin battery anywhere, she's dribbling a lot",
            "en",
            EM,
            None,
        ),
        (
            "la balance est ouverte par terre et je retrouve plus la pile plate, mon fils a 2 ans",
            "fr",
            EM,
            None,
        ),
        # a household chemical named by the job it was doing
        (
            "she was descaling the shower and some of the foam splashed right into her left eye, it stings "
            "like mad and she can't open it",
            "en",
            EM,
            None,
        ),
        # an asthma reliever not helping, said long after the puffs, and pausing between words to breathe
        (
            "my daughter is 6 with asthma, she's had 10 puffs of her blue inhaler with the spacer over the last "
            "hour and honestly it isn't making any difference, she's pausing between words to breathe",
            "en",
            EM,
            None,
        ),
        (
            "ma fille de 8 ans est asthmatique, 10 bouffées de ventoline et elle doit s'arrêter entre chaque "
            "mot pour respirer",
            "fr",
            EM,
            None,
        ),
        # saddle numbness in everyday words, with a bad back
        (
            "my lower back has been bad for a week, and since last night it's numb down below when I wipe",
            "en",
            EM,
            "back-cauda-equina",
        ),
        (
            "bad back again since Sunday and now my bottom and the insides of my thighs have gone to sleep",
            "en",
            EM,
            "back-cauda-equina",
        ),
        # a stroke told in everyday French: a hand that no longer obeys, speech "as if drunk"
        (
            "depuis ce matin sa main gauche ne lui obéit plus et il parle comme s'il avait trop bu, il a 70 ans",
            "fr",
            EM,
            None,
        ),
        (
            "my husband is 66, he's sounding like he's been drinking and his right hand won't do what he wants",
            "en",
            EM,
            None,
        ),
        # a faint with the heart beating fast and irregularly
        (
            "je suis tombée dans les pommes au travail et là le cœur qui tape très vite et pas régulier",
            "fr",
            EM,
            None,
        ),
        # passing out while bleeding heavily
        (
            "my period is so heavy I'm changing pads every hour and I passed out in the kitchen",
            "en",
            EM,
            "genital-heavy-bleeding-collapse",
        ),
    ],
)
def test_round14_missed_emergencies(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    "case",
    [
        # a battery that is only looked for, with no small child and no missing button cell
        (
            "I couldn't find the remote so I bought a new battery for the clock, silly question but",
            "en",
            NONE,
            None,
        ),
        # cleaning with no eye involved
        ("I was cleaning the oven yesterday and my hands are a bit dry and red now", "en", SC, None),
        # reading aloud, not breathless
        ("she stops between words when she reads aloud, she's still learning", "en", NONE, None),
        # a leg that went to sleep from sitting is not the saddle
        ("my leg went to sleep sitting on the loo, is that normal?", "en", NONE, None),
        # a dog that does not obey; a phone dropped once
        ("mon chien ne m'obéit plus du tout, c'est l'âge ?", "fr", NONE, None),
        # heavy bleeding with dizziness only stays same-day
        (
            "very heavy period today and I feel a bit dizzy when I stand up",
            "en",
            URG,
            "genital-heavy-bleeding-faint",
        ),
    ],
)
def test_round14_look_alikes_stay_put(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
