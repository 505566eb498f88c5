"""Concepts, readings and contexts added after the switch to protocols, each as a property of the decision.

Messages here are paraphrases written for the tests, not the eval sets' sentences: the point is that the
mechanism (a lexicon concept, a measured value, a context cue, a protocol criterion) generalises.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.guardrails.triage import ProtocolEngine, TriageDecision
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import VitalKind
from assistant.understanding.stage import Understander

TODAY = date(2026, 3, 2)


def decide(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language = "en"
) -> TriageDecision:
    return engine.assess(understander.understand(text, language=lang, today=TODAY), region="GB", today=TODAY)


def assert_decides(
    engine: ProtocolEngine,
    understander: Understander,
    case: tuple[str, Language, TriageLevel, str | None],
) -> None:
    """The message gets the level, and (when one is named) the criterion is among those that decided."""
    text, lang, level, criterion = case
    d = decide(engine, understander, text, lang)
    assert d.level is level, (text, d.level, d.rules)
    if criterion is not None:
        assert criterion in d.rules, (text, d.rules)


@pytest.mark.parametrize(
    ("text", "lang", "level", "criterion"),
    [
        # an overdose counted in words
        ("she swallowed about forty of her tablets after the argument", "en", TriageLevel.EMERGENCY, None),
        ("il a avalé une vingtaine de comprimés de Doliprane", "fr", TriageLevel.EMERGENCY, None),
        # a sting with swollen lips is anaphylaxis until proved otherwise
        (
            "a wasp got him on the neck and now his face and lips are puffing up",
            "en",
            TriageLevel.EMERGENCY,
            "allergy-anaphylaxis",
        ),
        # fluid on the lungs
        (
            "dad is breathless and bringing up foamy pink spit",
            "en",
            TriageLevel.EMERGENCY,
            "breathing-pulmonary-oedema",
        ),
        (
            "ma mère étouffe et crache des expectorations mousseuses",
            "fr",
            TriageLevel.EMERGENCY,
            "breathing-pulmonary-oedema",
        ),
        # a low reading with symptoms, untreated, and the same once treated
        ("sweaty and dizzy, the glucose meter reads 2.9", "en", TriageLevel.URGENT, "diabetes-hypo-symptoms"),
        (
            "sugar was 2.9 and I was sweaty and dizzy, had some lucozade and it's come back up to 5.8",
            "en",
            TriageLevel.SELF_CARE,
            "diabetes-hypo-treated",
        ),
        (
            "je transpire et j'ai des vertiges, glycémie à 0,52",
            "fr",
            TriageLevel.URGENT,
            "diabetes-hypo-symptoms",
        ),
        # an old person with diarrhoea who is passing little urine
        (
            "my 90 year old gran has had diarrhoea for 3 days and has barely weed since yesterday",
            "en",
            TriageLevel.URGENT,
            "gastro-dehydration",
        ),
        (
            "mon père de 88 ans a la diarrhée et urine très peu",
            "fr",
            TriageLevel.URGENT,
            "gastro-dehydration",
        ),
        # a new breast lump
        ("felt a small lump in my left breast in the shower", "en", TriageLevel.SOON, "lump-new"),
        ("j'ai trouvé une petite boule sous l'aisselle", "fr", TriageLevel.SOON, "lump-new"),
        # choking, a high-energy injury, meningitis signs, a hand clutching the chest
        ("the baby is choking on a bit of banana", "en", TriageLevel.EMERGENCY, "breathing-choking"),
        (
            "mon fils s'étouffe avec une cacahuète et ne peut pas tousser",
            "fr",
            TriageLevel.EMERGENCY,
            "breathing-choking",
        ),
        ("my sister was hit by a car crossing the road", "en", TriageLevel.EMERGENCY, "injury-severe"),
        ("il est tombé du balcon du premier étage", "fr", TriageLevel.EMERGENCY, "injury-severe"),
        (
            "fever since last night, stiff neck and the light hurts my eyes",
            "en",
            TriageLevel.EMERGENCY,
            "fever-meningitis-signs",
        ),
        (
            "dad is grey, sweating and clutching his chest",
            "en",
            TriageLevel.EMERGENCY,
            "chest-pain-heart-attack",
        ),
        # uncontrolled bleeding, a swollen tongue, one side that will not move, a rat poison
        ("the cut on his leg is pumping blood", "en", TriageLevel.EMERGENCY, None),
        (
            "her tongue is swelling up after the peanut biscuit",
            "en",
            TriageLevel.EMERGENCY,
            "allergy-anaphylaxis",
        ),
        ("il n'arrive plus à bouger le côté gauche", "fr", TriageLevel.EMERGENCY, None),
        (
            "le chien a mangé... non, c'est mon fils qui a avalé du raticide",
            "fr",
            TriageLevel.EMERGENCY,
            None,
        ),
        # breathless with effort, back to normal within minutes
        (
            "I'm out of breath after jogging up the hill but it passes within a couple of minutes",
            "en",
            TriageLevel.SOON,
            "breathing-exertion-settles",
        ),
    ],
)
def test_new_criteria_decide(
    engine: ProtocolEngine,
    understander: Understander,
    text: str,
    lang: Language,
    level: TriageLevel,
    criterion: str | None,
) -> None:
    assert_decides(engine, understander, (text, lang, level, criterion))


def test_breathless_with_effort_is_not_waved_off_with_chest_pain(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(
        engine,
        understander,
        "out of breath climbing the stairs with chest pain, it passes within a few minutes",
    )
    assert "breathing-exertion-settles" not in d.rules
    assert d.level in (TriageLevel.URGENT, TriageLevel.EMERGENCY)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("what does the word stroke mean? it was in a magazine", "en"),
        ("que signifie « embolie » ? je l'ai lu dans un article", "fr"),
        ("I go dizzy at the mere thought of injections, any tips for my jab?", "en"),
        ("j'ai des vertiges rien qu'à l'idée d'une prise de sang", "fr"),
    ],
)
def test_definition_questions_and_anticipation_do_not_escalate(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    assert decide(engine, understander, text, lang).level in (TriageLevel.NONE, TriageLevel.SELF_CARE)


def test_what_does_it_mean_about_a_real_symptom_still_counts(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(engine, understander, "what does it mean when my chest hurts and goes down my left arm?")
    assert d.level is TriageLevel.EMERGENCY


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hay fever again, sneezing and a streaming nose", "en"),
        ("il éternue sans cesse avec les pollens", "fr"),
    ],
)
def test_hay_fever_is_an_allergy_not_an_infection(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language
) -> None:
    d = decide(engine, understander, text, lang)
    assert d.protocol == "allergy"
    assert not any(r.startswith("respiratory-infection") for r in d.rules)


def test_a_cold_is_still_a_respiratory_infection(engine: ProtocolEngine, understander: Understander) -> None:
    assert (
        decide(engine, understander, "a stinking cold, sneezing all morning").protocol
        == "respiratory-infection"
    )


def test_a_negated_normal_is_not_a_normal(understander: Understander) -> None:
    u = understander.understand(
        "mon père n'arrive plus à parler normalement depuis midi", language="fr", today=TODAY
    )
    speech = [f for f in u.findings if f.concept == "speech_difficulty"]
    assert speech and speech[0].current


def test_a_never_known_intensity_is_not_a_negation(understander: Understander) -> None:
    u = understander.understand(
        "une douleur d'une violence jamais ressentie, comme un coup de tonnerre", language="fr", today=TODAY
    )
    assert any(f.concept == "thunderclap_headache" and f.current for f in u.findings)


def test_a_swelling_of_two_places_keeps_both_sites(understander: Understander) -> None:
    u = understander.understand("her eyes and lips are swollen", language="en", today=TODAY)
    swelling = [f for f in u.findings if f.concept == "face_swelling"]
    assert len(swelling) == 1
    assert set(swelling[0].sites) == {"eye", "mouth"}


@pytest.mark.parametrize(
    ("text", "lang", "mmol"),
    [
        ("my meter says 3.1", "en", 3.1),
        ("the sugar monitor shows 2.7 mmol", "en", 2.7),
        ("lecteur de glycémie à 0,6", "fr", 3.33),
    ],
)
def test_a_meter_reading_is_a_blood_sugar(
    understander: Understander, text: str, lang: Language, mmol: float
) -> None:
    u = understander.understand(text, language=lang, today=TODAY)
    glucose = [v for v in u.vitals if v.kind is VitalKind.GLUCOSE]
    assert glucose and glucose[0].value == pytest.approx(mmol, abs=0.01)


def test_a_peak_flow_meter_is_not_a_blood_sugar(understander: Understander) -> None:
    u = understander.understand("my peak flow meter says 300 today", language="en", today=TODAY)
    assert not [v for v in u.vitals if v.kind is VitalKind.GLUCOSE]
