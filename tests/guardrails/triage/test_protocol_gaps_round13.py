"""Mechanisms added on round 13's failures (dev data once scored), each checked on paraphrases written
here, with look-alikes that must not move: sight going black "in my eye" composed from an eye and what
was seen going; a French meter's bare "g/L" read as a blood sugar when diabetes is spoken of; blood in a
vomit told several words after it; numbness of the saddle area composed from a body site; "normally …"
describing the usual state rather than negating; a list of findings about one body part cut by commas;
urine that "has been" pink; sugar readings high for days (soon, not self-care); a small cut that stopped
bleeding; "do I need stitches?" as a question; redness spreading past a pen line; severe pain with a
fever alone kept as cellulitis (urgent) rather than the necrotising picture."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import Language, TriageLevel
from assistant.understanding.measures import find_vitals
from assistant.understanding.model import VitalKind
from assistant.understanding.stage import Understander
from tests.guardrails.triage.levels import EM, SC, SOON, URG
from tests.guardrails.triage.test_protocol_gaps import assert_decides
from tests.understanding.reading import read


@pytest.mark.parametrize(
    ("folded", "lang", "mmol"),
    [
        ("il est diabetique, le lecteur marque 0.38 g/l et il transpire", "fr", 2.11),
        ("diabete de type 2, ce matin 2.60 g/l a jeun", "fr", 14.43),
        ("type 2 on tablets, my readings have been 15 to 17 every morning", "en", 15.0),
    ],
)
def test_sugar_read_from_a_bare_unit_or_a_run_of_readings(folded: str, lang: Language, mmol: float) -> None:
    sugars = [v.value for v in find_vitals(folded, lang) if v.kind is VitalKind.GLUCOSE]
    assert sugars and round(sugars[0], 2) == mmol


@pytest.mark.parametrize(
    ("folded", "lang"),
    [
        ("proteines dans les urines a 0.4 g/l a la derniere analyse", "fr"),  # no diabetes or sugar word
        ("diabetique, proteinurie a 0.5 g/l au dernier bilan", "fr"),  # a urine protein, not a sugar
        ("my readings have been 15 days late because of the strike", "en"),  # a time, not a reading
        ("my sugar was 12 weeks ago when they checked it", "en"),
    ],
)
def test_no_sugar_from_other_numbers(folded: str, lang: Language) -> None:
    assert [v for v in find_vitals(folded, lang) if v.kind is VitalKind.GLUCOSE] == []


@pytest.mark.parametrize(
    "case",
    [
        # sight going black in one eye, said of "everything" rather than of "my vision"
        ("twenty minutes ago everything went dark in his right eye, no pain, he is 72", "en", EM, None),
        ("d'un coup tout est devenu noir dans mon œil gauche, ça ne fait pas mal", "fr", EM, None),
        # severe hypo: a meter's g/L with no word before it, confused and drowsy
        (
            "mon fils est diabétique type 1, le lecteur affiche 0,38 g/L, il répond n'importe quoi et "
            "commence à somnoler",
            "fr",
            EM,
            "diabetes-severe-hypo",
        ),
        # blood in a vomit, several words after the vomiting
        (
            "I've thrown up four times since midnight and the last lot had bright red blood in it",
            "en",
            EM,
            None,
        ),
        ("elle a vomi toute la matinée, au début de la bile et ensuite il y avait du sang", "fr", EM, None),
        # saddle numbness composed from a site and a sensation
        (
            "sciatica for a week, and since this morning there's tingling across both buttocks and I "
            "struggled to start peeing",
            "en",
            EM,
            None,
        ),
        ("lombalgie depuis lundi et depuis ce matin le périnée est engourdi", "fr", EM, None),
        ("the bottom of my foot has gone numb since I started the new trainers", "en", SC, None),
        # reduced fetal movements: "normally …" is the usual state, not a negation; words in between
        (
            "I'm 33 weeks and she's barely moved since breakfast, normally really wriggly after lunch",
            "en",
            URG,
            None,
        ),
        ("enceinte de 31 semaines, je sens mon bébé nettement moins taper depuis hier soir", "fr", URG, None),
        # a list of findings about one body part, cut by commas
        (
            "back from a long-haul flight on Monday, my left calf is hard, swollen and sore when I walk",
            "en",
            URG,
            "limb-dvt",
        ),
        # urine that "has been" pink
        (
            "my dad is 70, his pee has been pinkish a few times this week, no pain",
            "en",
            SOON,
            "urinary-blood",
        ),
        # sugar readings high for days in someone well: a review within days, not self-care
        (
            "type 2 on metformin, my readings have been 15 to 17 every morning since my steroid injection, "
            "I feel fine",
            "en",
            SOON,
            None,
        ),
        (
            "diabétique sous metformine, mes glycémies restent entre 2,5 et 3 g/L depuis une semaine, je vais bien",
            "fr",
            SOON,
            None,
        ),
        (
            "my sugar was 13 after a big slice of cake, fine again before dinner and I feel well",
            "en",
            SC,
            None,
        ),
        # a small cut that stopped bleeding; "do I need stitches?" is a question, not a gaping wound
        (
            "sliced the side of my finger opening a parcel, small cut, bled a bit and stopped after I "
            "pressed on it, do I need stitches?",
            "en",
            SC,
            None,
        ),
        (
            "petite coupure au pouce avec un cutter, mon pouce a saigné et ça s'est arrêté en appuyant, "
            "besoin de points ?",
            "fr",
            SC,
            None,
        ),
        # redness spreading past the pen line with a fever: cellulitis, seen today
        (
            "my mum is 68, the red patch on her shin has crept past the pen line since this morning and "
            "she's shivery with 38.3",
            "en",
            URG,
            "skin-cellulitis",
        ),
        (
            "diabétique, une écorchure au mollet, la rougeur a dépassé le trait de stylo et j'ai 38,4",
            "fr",
            URG,
            "skin-cellulitis",
        ),
    ],
)
def test_round13_mechanisms(
    engine: ProtocolEngine, understander: Understander, case: tuple[str, Language, TriageLevel, str | None]
) -> None:
    assert_decides(engine, understander, case)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I felt hot and dizzy, everything went black and I fainted for a second, fine now", "en"),
        ("the bruise round his eye has gone dark purple", "en"),
        ("j'ai eu chaud, tout est devenu noir et je suis tombée dans les pommes", "fr"),
    ],
)
def test_darkness_without_an_eye_losing_sight_is_not_vision_loss(text: str, lang: Language) -> None:
    u = read(text, language=lang)
    assert "vision_loss" not in {f.concept for f in u.findings}
