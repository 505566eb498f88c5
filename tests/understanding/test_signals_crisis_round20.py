"""Crisis read on round 20's misses (dev data once scored), by mechanism, on paraphrases written here, each
beside a look-alike that must not open the crisis protocol.

Mechanisms: a last word next to appointments no longer needed; not planning to be around past a date;
treatment stopped so that "it comes sooner"; a question on whether taking everything would be quick next to a
stock saved up; "reading up on ways to do it" next to ending things on one's own terms; how easy it would be
to drive into something; tablets laid out on the car seat with a message that one loved them; a bridge's
height asked next to lingering there longer each time; burning oneself (French elided article); an accident
on the road that "would not be so bad"; a box emptied on the table and the tablets counted; and "I'm going
to die" said in a panic, which is fear, not intent.
"""

from __future__ import annotations

import pytest

from tests.understanding.reading import verdict

ADULT = "Lupe_Little"


@pytest.mark.parametrize(
    "text",
    [
        "thanks for all your help over the years. this will be the last message I send. cancel Friday's review please, I won't be needing it",
        "what's the point of the statin, I don't plan on being around past the new year",
        "I've stopped my heart tablets since Friday on purpose so it happens a bit quicker",
        "if someone swallowed every pill in the house would it be quick? I've got a fair few saved up, just wondering",
        "I'd rather end it on my own terms, I've been reading up on ways to do it",
        "on the school run I kept thinking how easy it would be to just drive into the wall by the roundabout",
        "I'm in the car park with all the tablets from the cupboard on the passenger seat. make sure someone tells my boys their dad loved them",
        "le viaduc de la nationale, il fait combien de mètres ? je m'y arrête de plus en plus longtemps le soir",
        "ça fait une semaine que je me brûle l'avant-bras avec un briquet, ça me calme",
        "des fois en rentrant je me dis que si je sortais de la route ce serait pas plus mal",
        "hier soir j'ai vidé toutes mes boîtes de cachets sur la table et je les ai comptées, j'en peux plus",
    ],
)
def test_opens_the_crisis_protocol(text: str) -> None:
    assert verdict(text, patient=ADULT).crisis is not None


@pytest.mark.parametrize(
    "text",
    [
        "this will be the last message from this number, I'm moving to a new GP. cancel my appointments, I won't need them after May",
        "I'm not planning to be around past June, we're moving abroad, can you send my records?",
        "I stopped the steroid tablets early so the side effects wear off quicker, is that ok?",
        "how high is the bridge on the ring road? my van is 3.2 metres",
        "my son drove into a tree on the ice last night, his neck is stiff today",
        "panic attack again, I feel like I can't get a full breath and I'm going to die, what helps?",
        "j'ai vidé ma boîte de comprimés sur la table et je les ai comptés avec la pharmacienne",
    ],
)
def test_look_alikes_do_not(text: str) -> None:
    assert verdict(text, patient=ADULT).crisis is None
