"""Triage mechanisms from round 19's dev data, checked on paraphrases written here, each beside a look-alike
that must not move: blood passed at the toilet told as an event ("went to the loo and passed dark blood and
clots") is blood in the poo, so with faintness or paleness it is a massive bleed; blood in the urine, a
blood test, and a toilet visit without blood stay what they were."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides


@pytest.mark.parametrize(
    "case",
    [
        # blood passed at the toilet, with faintness or paleness: a massive bleed
        (
            "my husband is 74 and takes apixaban. he went to the loo twice this evening and passed loads of "
            "dark blood and clots, now he is white as a sheet and dizzy when he gets up",
            "en",
            EM,
            "bleeding-massive",
        ),
        (
            "Mon père, 80 ans, sous Xarelto, est allé aux toilettes deux fois et a perdu beaucoup de sang "
            "rouge foncé avec des caillots. Il est tout pâle et a des vertiges quand il se lève.",
            "fr",
            EM,
            "bleeding-massive",
        ),
        # the same passage without faintness is still blood in the poo (not nothing)
        (
            "went to the toilet this morning and passed some bright red blood, otherwise I feel fine",
            "en",
            SOON,
            None,
        ),
        # look-alikes: blood in the urine, a toilet visit with no blood
        ("I went to the toilet and passed blood in my urine, no pain", "en", SOON, "urinary-blood"),
        ("went to the loo and there was no blood at all, feel fine", "en", NONE, None),
        # breathless after a recent operation with a fast pulse or pink spit: a clot in the lungs
        (
            "I had a hip replacement 10 days ago, since lunchtime I get out of breath just walking to the "
            "bathroom and my watch says my heart rate is 122",
            "en",
            EM,
            "breathing-clot-risk",
        ),
        (
            "opérée de la hanche il y a 3 semaines, depuis ce matin je suis essoufflée au moindre pas et j'ai "
            "craché un peu de rosé",
            "fr",
            EM,
            None,
        ),
        # look-alikes: an operation years ago, or one only planned, with breathlessness on hills
        (
            "had my gallbladder out 3 years ago. out of breath climbing hills lately, pulse 104 after the stairs",
            "en",
            URG,
            None,
        ),
        (
            "on the waiting list for a knee replacement, a bit out of breath on hills, pulse 102",
            "en",
            URG,
            None,
        ),
    ],
)
def test_round19_dev_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
