"""Symptoms given one message at a time combine across the conversation."""

from __future__ import annotations

from assistant.guardrails.triage import TriageEngine
from assistant.schemas import TriageLevel


def test_headache_then_stiff_neck_and_fever_escalates_to_meningitis(engine: TriageEngine) -> None:
    first = engine.assess("I have a headache")
    assert first.level is TriageLevel.SELF_CARE
    second = engine.assess(
        "and now the light hurts my eyes and I have a fever", history=["I have a headache"]
    )
    assert second.level is TriageLevel.EMERGENCY
    assert "meningitis-signs" in second.rules and second.call == "15"
    # the same second message alone is not meningitis: the headache came from the earlier turn
    assert "meningitis-signs" not in engine.assess("and now the light hurts my eyes and I have a fever").rules


def test_french_symptoms_over_three_turns(engine: TriageEngine) -> None:
    history = ["j'ai de la fièvre depuis hier", "et mal à la tête"]
    decision = engine.assess("maintenant j'ai la nuque raide", history=history)
    assert decision.level is TriageLevel.EMERGENCY and "meningitis-signs" in decision.rules
    assert decision.language == "fr" and "15" in decision.advice


def test_an_emergency_stated_earlier_stays_in_force(engine: TriageEngine) -> None:
    decision = engine.assess(
        "can I just book something for tomorrow?", history=["I have crushing chest pain"]
    )
    assert decision.level is TriageLevel.EMERGENCY
    assert "chest-pain-cardiac" in decision.rules


def test_lower_levels_from_earlier_turns_are_not_repeated(engine: TriageEngine) -> None:
    decision = engine.assess("what was my last cholesterol?", history=["I have a cold"])
    assert decision.level is TriageLevel.NONE


def test_negated_history_does_not_complete_a_combination(engine: TriageEngine) -> None:
    decision = engine.assess("my neck is stiff", history=["no fever, no headache"])
    assert "meningitis-signs" not in decision.rules


def test_only_the_last_turns_count(engine: TriageEngine) -> None:
    old = ["I have a fever"] + ["thanks"] * 12
    assert "meningitis-signs" not in engine.assess("my neck is really stiff", history=old).rules
