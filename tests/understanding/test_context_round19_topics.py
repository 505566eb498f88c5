"""Context read on round 19's everyday messages that escalated though nobody is ill (dev data), paraphrased
here: knowing how to spot a condition ("the test for spotting a stroke", "repérer un AVC"), a condition named
in the plural about people in general ("diabetics can have silent heart attacks"), a report seen about others
("a programme about people losing toes", "un reportage sur les convulsions"), and a wound that bled "at the
time" and has stopped ("sur le coup"). Each beside a look-alike where the same words are a current finding."""

from __future__ import annotations

import pytest

from tests.understanding.reading import current


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "what's the quickest way of spotting a stroke? grandad is fine, I just want to be ready",
            "stroke_named",
        ),
        ("c'est quoi le truc pour repérer un AVC ? papa va très bien, c'est pour savoir", "stroke_named"),
        (
            "how would I recognise a heart attack in a woman? asking for a first aid poster",
            "heart_attack_named",
        ),
        ("is it true smokers can have heart attacks without any pain?", "heart_attack_named"),
        ("watched a documentary about people having seizures in their sleep, scary stuff", "seizure"),
        (
            "j'ai lu un article sur les convulsions des enfants qui ont de la fièvre, ça arrive souvent ?",
            "seizure",
        ),
        ("trapped my finger in the car door, it bled loads at the time, fine now", "local_bleeding"),
        (
            "coupé en épluchant les légumes, ça a saigné beaucoup sur le coup, c'est fermé maintenant",
            "heavy_bleeding",
        ),
    ],
)
def test_not_current(text: str, concept: str) -> None:
    assert concept not in current(text), text


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("I think dad is having a heart attack, he's grey and sweating", "heart_attack_named"),
        ("mum is having a stroke right now, her arm is weak", "stroke_named"),
        ("he's having a seizure right now on the kitchen floor", "seizure"),
        ("it's bleeding heavily at the moment and won't stop", "uncontrolled_bleeding"),
        ("8 weeks pregnant and spotting since this morning", "vaginal_bleeding"),
        # found after round 20 was scored: "spotting when I wiped" is the usual way to say it
        ("11 weeks and a bit of brown spotting when I wipe, no pain", "vaginal_bleeding"),
        # well in themselves apart from it: the finding stays
        ("passed bright red blood from my back passage this morning, feel fine otherwise", "bloody_stool"),
        ("du sang rouge dans les selles depuis hier, sinon je vais bien", "bloody_stool"),
    ],
)
def test_current_stays_current(text: str, concept: str) -> None:
    assert concept in current(text), text
