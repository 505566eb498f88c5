"""The protocol engine's behaviour on messages read by the real understanding stage.

What the issue asks of triage on findings, each as a property of the decision: negated, past, explained
and fictional findings; minimisation; every symptom a level; the advice of the protocol that decided;
ages and measured values; people kept apart; questions asked only when a yes would raise the level.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine, TriageDecision
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import Signal, SignalKind, Understanding
from assistant.understanding.stage import Understander


def decide(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language = "en"
) -> TriageDecision:
    return engine.assess(understander.understand(text, language=lang), region="GB")


@pytest.mark.parametrize(
    ("text", "lang", "not_protocol"),
    [
        (
            "his tongue isn't swollen, he isn't drooling, he breathes normally, just a few hives",
            "en",
            "allergy-anaphylaxis",
        ),
        ("I'm breathing fine, just a blocked nose", "en", "breathing:default"),
        ("pas de fièvre, il respire bien, juste le nez qui coule", "fr", "breathing:default"),
        ("I had chest pain as a child", "en", "chest-pain:default"),
        ("my father died of a heart attack", "en", "chest-pain-heart-attack"),
    ],
)
def test_negated_and_past_findings_do_not_fire(
    engine: ProtocolEngine, understander: Understander, text: str, lang: Language, not_protocol: str
) -> None:
    d = decide(engine, understander, text, lang)
    assert not_protocol not in d.rules
    assert d.level in (TriageLevel.NONE, TriageLevel.SELF_CARE)


def test_an_explanation_is_weighed_by_the_protocol(
    engine: ProtocolEngine, understander: Understander
) -> None:
    calm = decide(engine, understander, "black stools since I started iron tablets, I feel fine")
    assert (calm.level, calm.protocol) == (TriageLevel.SELF_CARE, "bleeding")
    assert "bleeding-black-stool-explained" in calm.criteria
    # the same explanation does not hide a warning sign
    dizzy = decide(
        engine, understander, "black stools since I started iron tablets and I feel dizzy and faint"
    )
    assert dizzy.level is TriageLevel.EMERGENCY


@pytest.mark.parametrize(
    ("plain", "minimised", "lang"),
    [
        (
            "crushing chest pain going down my left arm and I'm sweating",
            "it's probably nothing and my wife says I'm overreacting, but crushing chest pain going down my left arm and I'm sweating",
            "en",
        ),
        (
            "mon fils de 2 ans a de la fièvre et des taches qui ne s'effacent pas",
            "c'est rien je pense, mais mon fils de 2 ans a de la fièvre et des taches qui ne s'effacent pas",
            "fr",
        ),
        ("I've had a cough for 4 weeks", "prob nothing, I've had a cough for 4 weeks", "en"),
    ],
)
def test_minimisation_changes_nothing(
    engine: ProtocolEngine, understander: Understander, plain: str, minimised: str, lang: Language
) -> None:
    a, b = decide(engine, understander, plain, lang), decide(engine, understander, minimised, lang)
    assert (a.level, a.protocol, a.criteria) == (b.level, b.protocol, b.criteria)


def test_the_advice_is_the_deciding_protocols(engine: ProtocolEngine, understander: Understander) -> None:
    thunder = decide(engine, understander, "sudden worst headache of my life and my neck is stiff")
    assert (thunder.level, thunder.protocol) == (TriageLevel.EMERGENCY, "headache")
    assert "headache" in thunder.advice.lower()
    assert "sepsis" not in thunder.advice.lower()
    rash = decide(engine, understander, "my daughter is 2, she has a fever and purple spots that don't fade")
    assert (rash.level, rash.protocol) == (TriageLevel.EMERGENCY, "fever-child")
    assert "glass" in rash.advice


def test_people_are_triaged_apart(engine: ProtocolEngine, understander: Understander) -> None:
    d = decide(engine, understander, "my husband has crushing chest pain and I have a mild headache")
    assert (d.level, d.protocol) == (TriageLevel.EMERGENCY, "chest-pain")
    by_protocol = {o.protocol: o.person for o in d.outcomes}
    assert by_protocol["chest-pain"].startswith("partner")
    assert by_protocol["headache"] == "self"
    # a headache of the writer and a fever of a child are not "headache with fever"
    apart = decide(engine, understander, "I have a headache and my son has a temperature of 38")
    assert "headache-fever-vomiting" not in apart.rules and "headache-meningitis" not in apart.rules


@pytest.mark.parametrize(
    ("text", "level", "criterion"),
    [
        ("I've been really tired for about a month now", TriageLevel.SOON, "general-persistent"),
        ("tingling in my fingers on and off for a month", TriageLevel.SOON, None),
        ("feeling a bit tired today", TriageLevel.SELF_CARE, None),
    ],
)
def test_every_symptom_gets_a_considered_level(
    engine: ProtocolEngine, understander: Understander, text: str, level: TriageLevel, criterion: str | None
) -> None:
    d = decide(engine, understander, text)
    assert d.level is level
    if criterion is not None:
        assert criterion in d.criteria
    assert d.watch_for, "a self-care or soon level always says what to watch for"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my 6 week old has a temperature of 38.2", TriageLevel.URGENT),
        ("my 6 week old has a temperature of 38.2 and is floppy and hard to wake", TriageLevel.EMERGENCY),
        ("my 4 month old has a temperature of 38.4, feeding fine", TriageLevel.SELF_CARE),
        ("my 4 month old has a temperature of 39.3", TriageLevel.URGENT),
        ("fever and cough, my oxygen is 91", TriageLevel.EMERGENCY),
        ("fever and cough, sats 93", TriageLevel.URGENT),
        ("type 1 diabetic, sugar 27, ketones 3.5 and vomiting", TriageLevel.EMERGENCY),
        ("had a hypo at 3.1, had some juice, now 6.4 and fine", TriageLevel.SELF_CARE),
        ("j'ai 38,5 de fièvre et des courbatures", TriageLevel.SELF_CARE),
    ],
)
def test_measured_values_decide_by_age(
    engine: ProtocolEngine, understander: Understander, text: str, level: TriageLevel
) -> None:
    lang: Language = "fr" if "fièvre" in text else "en"
    assert decide(engine, understander, text, lang).level is level


def test_questions_are_asked_only_when_a_yes_would_raise(
    engine: ProtocolEngine, understander: Understander
) -> None:
    plain = decide(engine, understander, "I have a headache")
    asked = [q.id for q in plain.questions]
    assert "headache-sudden" in asked
    # a stiff neck alone would not raise a headache without fever: not asked
    assert "headache-stiff-neck" not in asked
    with_fever = decide(engine, understander, "I have a headache and a fever")
    assert "headache-stiff-neck" in [q.id for q in with_fever.questions]
    # answered in the message: not asked again
    said = decide(engine, understander, "I have a headache and a fever, my neck isn't stiff")
    assert "headache-stiff-neck" not in [q.id for q in said.questions]
    assert len(with_fever.questions) <= 3
    # an emergency asks nothing
    assert decide(engine, understander, "crushing chest pain and sweating").questions == ()


def test_questions_are_in_the_messages_language(engine: ProtocolEngine, understander: Understander) -> None:
    d = decide(engine, understander, "j'ai mal à la poitrine", "fr")
    assert d.questions and all(q.text.endswith("?") for q in d.questions)
    assert any("bras" in q.text for q in d.questions)
    assert {p.concept for p in d.pending} >= {"radiating_pain"}


def test_a_fiction_signal_drops_what_is_said_of_strangers(
    engine: ProtocolEngine, understander: Understander
) -> None:
    u = understander.understand("in the film a man has crushing chest pain and collapses", language="en")
    story = u.model_copy(update={"signals": (Signal(kind=SignalKind.FICTION, evidence=("fiction-frame",)),)})
    assert engine.assess(story).level is TriageLevel.NONE


def test_a_self_harm_signal_reaches_the_crisis_protocol(
    engine: ProtocolEngine, understander: Understander
) -> None:
    def with_signal(detail: str) -> Understanding:
        u = understander.understand("I can't go on", language="en")
        return u.model_copy(update={"signals": (Signal(kind=SignalKind.SELF_HARM, detail=detail),)})

    plan = engine.assess(with_signal("plan"), region="FR")
    assert (plan.level, plan.protocol, plan.call) == (TriageLevel.EMERGENCY, "mental-health", "15")
    assert "suicide-intent" in plan.rules
    passive = engine.assess(with_signal("passive"), region="FR")
    assert (passive.level, passive.call) == (TriageLevel.URGENT, "3114")
    assert "suicidal-thoughts" in passive.rules


def test_numbers_and_out_of_hours_follow_the_region(
    engine: ProtocolEngine, understander: Understander
) -> None:
    u = understander.understand("I've got a pain in my chest", language="en")
    uk, us = engine.assess(u, region="GB"), engine.assess(u, region="US")
    assert "999" in uk.advice or "111" in uk.advice
    assert "999" not in us.advice and "111" not in us.advice
    emergency = understander.understand("crushing chest pain and sweating", language="en")
    assert engine.assess(emergency, region="US").call == "911"
    assert engine.assess(emergency, region="FR").call == "15"


def test_the_json_shows_findings_protocol_criteria_and_questions(
    engine: ProtocolEngine, understander: Understander
) -> None:
    d = decide(engine, understander, "I have a headache, no fever")
    shown = d.as_dict()
    assert shown["protocol"] == "headache"
    assert {"concept": "headache", "person": "self", "status": "current", "text": "headache"} in shown[
        "findings"
    ]
    assert any(f["concept"] == "fever" and f["status"] == "negated" for f in shown["findings"])  # type: ignore[index]
    assert shown["criteria"] and shown["questions"]
    assert any(p["protocol"] == "headache" for p in shown["protocols"])  # type: ignore[index]
