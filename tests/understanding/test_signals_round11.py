"""Self-harm said in ways round 11's writers used (dev data once scored), checked on paraphrases written
here, with look-alikes that must stay quiet: "hope I just don't wake up", "how many would it take so I
don't wake up", "m'endormir et plus jamais me réveiller", burning oneself, what is needed bought "pour en
finir", boxes of tablets bought next to despair, "thoughts of ending it all" — and a denial said through
"thoughts of" ("not having any thoughts of hurting myself") is a denial."""

from __future__ import annotations

import pytest

from assistant.understanding.model import SignalKind
from tests.understanding.reading import read


@pytest.mark.parametrize(
    "text",
    [
        "most nights I pray I just don't wake up in the morning",
        "how many of my sleeping tablets would it take so I don't wake up",
        "des fois je voudrais m'endormir et plus jamais me réveiller",
        "when it gets too much I burn my arm with a lighter, it calms me down",
        "quand ça va trop mal je me brûle les bras avec une cigarette",
        "j'ai tout ce qu'il faut pour en finir, c'est décidé",
        "I've got everything I need to end it, don't worry about me",
        "j'en peux plus, j'ai acheté trois boîtes de cachets ce matin",
        "I've been having thoughts of ending it all",
    ],
)
def test_round11_ways_of_saying_it_raise_self_harm(text: str) -> None:
    assert read(text, patient="Lupe_Little").has_signal(SignalKind.SELF_HARM), text


@pytest.mark.parametrize(
    "text",
    [
        "I hope I don't wake up tired tomorrow, big day at work",
        "I wish I didn't wake up with this headache every morning",
        "I'm not having any thoughts of hurting myself, I just feel flat all the time",
        "no plans to end it, just really low lately, should I see someone?",
        "j'ai acheté deux boîtes de doliprane pour la semaine, mon dos me fait mal",
        "I burnt my hand on the oven door while cooking",
        "the band ended it all on a high with their last album",
        "je veux en finir avec cette toux qui traîne",
    ],
)
def test_look_alikes_stay_quiet(text: str) -> None:
    assert not read(text, patient="Lupe_Little").has_signal(SignalKind.SELF_HARM), text
