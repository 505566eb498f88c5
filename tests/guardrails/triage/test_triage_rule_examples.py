"""Every rule's own examples must fire it and its near misses must not, in English and in French.

The examples live next to the patterns in the YAML files, so a clinic that adds or edits a rule gets the
same check for free. Ids in the parametrisation make a failure name the rule, the language and the text.
"""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import TriageEngine
from assistant.schemas import LANGUAGES

_ENGINE = TriageEngine.load()


def _cases(kind: str) -> list[object]:
    cases = []
    for rule in _ENGINE.rules:
        texts = rule.examples if kind == "examples" else rule.near_misses
        for lang in LANGUAGES:
            for n, text in enumerate(texts[lang]):
                cases.append(pytest.param(rule.id, lang, text, id=f"{rule.id}-{lang}-{n}"))
    return cases


@pytest.mark.parametrize(("rule_id", "lang", "text"), _cases("examples"))
def test_example_fires_its_rule(engine: TriageEngine, rule_id: str, lang: str, text: str) -> None:
    fired = [h.rule.id for h in engine.hits(text)]
    assert rule_id in fired, f"{text!r} fired {fired}"


@pytest.mark.parametrize(("rule_id", "lang", "text"), _cases("near_misses"))
def test_near_miss_does_not_fire_its_rule(engine: TriageEngine, rule_id: str, lang: str, text: str) -> None:
    fired = [h.rule.id for h in engine.hits(text)]
    assert rule_id not in fired


@pytest.mark.parametrize("rule", _ENGINE.rules, ids=lambda r: r.id)
def test_every_rule_is_tested_in_both_languages_and_cites_guidance(rule: object) -> None:
    from assistant.guardrails.triage.rules import Rule

    assert isinstance(rule, Rule)
    for lang in LANGUAGES:
        assert rule.examples[lang], f"{rule.id} has no {lang} example"
        assert rule.near_misses[lang], f"{rule.id} has no {lang} near miss"
        assert rule.advice[lang]
    assert any(
        name in rule.guidance for name in ("NHS", "NICE", "SAMU", "HAS", "ameli", "RCOG", "Resuscitation")
    )


def test_emergency_examples_reach_emergency_with_a_number(engine: TriageEngine) -> None:
    for rule in engine.rules:
        if rule.level.value != "emergency":
            continue
        for lang in LANGUAGES:
            for text in rule.examples[lang]:
                decision = engine.assess(text, language=lang, region="FR")
                assert decision.level.value == "emergency", text
                assert decision.call == "15", text
                assert decision.advice and "{" not in decision.advice


def test_the_set_covers_every_red_flag_family_the_issue_names(engine: TriageEngine) -> None:
    ids = {r.id for r in engine.rules}
    required = {
        "chest-pain-cardiac", "stroke-fast", "anaphylaxis", "breathing-severe", "sepsis-signs",
        "meningitis-signs", "bleeding-severe", "head-injury-red-flags", "seizure", "overdose-poisoning",
        "suicide-intent", "suicidal-thoughts", "self-harm", "cauda-equina", "pregnancy-emergency",
        "diabetic-ketoacidosis", "hypoglycaemia-severe", "infant-fever", "abdominal-pain-severe",
        "testicular-pain", "eye-emergency", "dehydration-severe", "cough", "sore-throat", "rash",
        "back-pain", "uti-symptoms", "minor-injury", "cold-flu", "headache",
    }  # fmt: skip
    assert required <= ids, sorted(required - ids)
