"""Mechanisms added on round 10's failures (dev data once scored), each checked on paraphrases written here
with look-alikes that must not move: the oximeter by its lay name, "a cold" (the illness) is not a cold
limb, "can't get a breath in", French saddle numbness as people say it, and a past event asked about by
its date or used as a landmark."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import VitalKind
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, SC
from tests.guardrails.triage.test_protocol_gaps import assert_decides
from tests.understanding.reading import read


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("wheezy all night and the finger thing says 90", 90.0),
        ("the finger clip was showing 93% when I checked", 93.0),
        ("le truc au doigt affiche 89 depuis tout à l'heure", 89.0),
        ("son capteur au doigt indique 91 %", 91.0),
    ],
)
def test_the_oximeter_by_its_lay_name_gives_a_saturation(text: str, value: float) -> None:
    sats = [v.value for v in read(text).vitals if v.kind is VitalKind.SPO2]
    assert sats == [value], (text, read(text).vitals)


@pytest.mark.parametrize(
    "text",
    [
        # a pulse shown by the same device, below what a saturation would be without a %
        "the finger thing says 72, is that my heart rate?",
        "my finger is swollen, I think the ring is 18 carat",
    ],
)
def test_other_numbers_near_a_finger_are_not_a_saturation(text: str) -> None:
    assert not [v for v in read(text).vitals if v.kind is VitalKind.SPO2], text


@pytest.mark.parametrize(
    "case",
    [
        # too breathless to talk, and a low reading on the oximeter
        (
            "asthma flare, had my blue inhaler loads, still can't get a breath in, can't finish a sentence",
            "en",
            EM,
            None,
        ),
        ("crise d'asthme, 8 bouffées de ventoline, le truc au doigt affiche 90", "fr", EM, None),
        # "a cold" is the illness, not a cold hand or foot
        ("chesty with a cold, the finger thing says 97", "en", SC, None),
        ("his foot has gone cold and pale since the fall", "en", EM, "limb-no-blood-supply"),
        # saddle numbness said without "ne", or as "asleep" around the buttocks, with a known disc
        (
            "hernie discale connue, sciatique des deux côtés depuis hier et je sens presque rien quand je m'essuie",
            "fr",
            EM,
            None,
        ),
        (
            "mon mari a mal au dos depuis 3 jours, il dit que c'est tout endormi au niveau des fesses",
            "fr",
            EM,
            None,
        ),
        ("mal au dos depuis hier après le déménagement, je sens rien de spécial à part ça", "fr", SC, None),
        # a past event asked about by its date, or named as a landmark
        ("my heart attack, what year was that? the insurer wants it", "en", NONE, None),
        ("mon infarctus c'était en quelle année ? c'est pour un formulaire", "fr", NONE, None),
        ("was my knee op before or after the stroke? I can never remember", "en", NONE, None),
        ("I think I'm having a heart attack, my chest is crushing", "en", EM, None),
        # the event that caused an old problem is not happening now
        (
            "there might be an old sprain on my notes from when I fell off a ladder, can you check?",
            "en",
            NONE,
            None,
        ),
        ("my wrist is still swollen from when I fell off my bike this morning", "en", SC, None),
        # "how many would be an overdose?" asks where an amount becomes one; having taken them is one
        ("how many of my iron tablets would be an overdose? just curious", "en", NONE, None),
        ("combien de cachets de fer ça ferait une overdose ?", "fr", NONE, None),
        ("I took 30 of my iron tablets an hour ago, would that be an overdose?", "en", EM, None),
        ("he swallowed twenty of his sleeping tablets, would that be an overdose?", "en", EM, None),
        # round 11: saddle symptoms as pins and needles, the toilet paper "felt badly"; a toddler and a
        # pill organiser with tablets missing
        (
            "lumbago connu mais là des fourmis entre les jambes depuis hier et je sens mal le papier toilette",
            "fr",
            EM,
            None,
        ),
        ("ma fille de 2 ans a trouvé la boîte de médicaments de papi, il manque 3 comprimés", "fr", EM, None),
    ],
)
def test_round10_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)
