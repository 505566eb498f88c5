"""Under-triage mechanisms from round 16's dev data (and the same ones in rounds 14–15), checked on
paraphrases written here, each beside a look-alike that must keep its level: complete acute urinary
retention with a swollen or painful lower tummy (999 / A&E, the 15) against a stream that is slow to start;
a third person who took a share of a box of sedatives and only groans when shaken (poisoning with reduced
consciousness) against a course taken over days as prescribed; a curtain or shadow come over one eye
(sudden loss of sight) against curtains at a window; and a message that opens with the relation and a
two-digit age ("son 16 got…"), whose later "he" is that child, not the writer."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, NONE, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides, decide


@pytest.mark.parametrize(
    "case",
    [
        # complete acute retention with a swollen or painful lower tummy: call now
        (
            "my partner's dad hasn't passed any urine since breakfast, keeps going to try, lower tummy bulging and tender",
            "en",
            EM,
            "urinary-retention-acute-painful",
        ),
        (
            "mon oncle n'arrive plus du tout à faire pipi depuis cette nuit, il a le ventre tout gonflé",
            "fr",
            EM,
            "urinary-retention-acute-painful",
        ),
        # look-alike: a stream slow to start, no pain, stays for today
        ("for a week I've had trouble starting to pee, no pain at all", "en", URG, "urinary-retention"),
        # someone else took part of a box of sedatives and responds only to shaking
        (
            "my flatmate swallowed most of a packet of her diazepam with vodka, she's snoring and only moans when we shake her",
            "en",
            EM,
            "poisoning-unconscious",
        ),
        (
            "mon fils a avalé une grande partie de sa plaquette de Lexomil, il ouvre à peine les yeux quand je le secoue",
            "fr",
            EM,
            "poisoning-unconscious",
        ),
        # look-alikes: half a box over a week as prescribed is not an overdose
        ("I've taken half of the pack of antibiotics over the week as prescribed", "en", NONE, None),
        ("ma mère a pris la moitié de sa boîte de Doliprane sur la semaine, comme prévu", "fr", NONE, None),
        # a curtain or shadow come over one eye: sudden loss of sight
        (
            "an hour ago a black shadow came across my left eye and I've lost the top of my sight",
            "en",
            EM,
            None,
        ),
        ("un voile noir est tombé sur mon oeil droit ce matin, je ne vois que le haut", "fr", EM, None),
        # look-alike: curtains at the window
        ("I pulled the curtain across the window so the baby could nap", "en", NONE, None),
        # the relation and a two-digit age open the message: the "he" after it is that teenager
        (
            "son 15 was knocked out for a few seconds at football, he's thrown up twice since",
            "en",
            EM,
            "head-injury-knocked-out-confused",
        ),
        (
            "daughter 12 was knocked out at hockey for a moment, she's fine now, no sickness, no confusion",
            "en",
            URG,
            "head-injury-knocked-out-or-memory",
        ),
    ],
)
def test_round16_under_triage_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


def test_relation_with_a_two_digit_age_names_the_teenager(
    engine: ProtocolEngine, understander: Understander
) -> None:
    u = understander.understand(
        "son 14 has had a headache since his fall, he keeps being sick", language="en"
    )
    others = [s for s in u.subjects if not s.is_record_patient]
    assert others and others[0].age_years == 14.0 and others[0].sex == "male"
    assert all(f.subject == others[0].index for f in u.findings if f.concept in {"vomiting", "headache"})
    assert decide(engine, understander, "son 14 has had a headache since his fall").level is not NONE
