"""Negation, time and person: what a symptom checker most often gets wrong, in both languages."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import TriageEngine
from assistant.schemas import TriageLevel


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain",
        "pas de douleur thoracique",
        "I don't have any chest pain or shortness of breath",
        "je n'ai pas de douleur dans la poitrine",
        "had chest pain as a child",
        "j'avais mal à la poitrine quand j'étais petit",
        "my father had a stroke",
        "mon père a fait un AVC",
        "family history of heart attacks",
        "antécédents familiaux d'infarctus",
        "I had a stroke in 2019, what tablets am I on?",
        "j'ai fait un AVC il y a 5 ans",
        "no fever, no rash, no stiff neck",
        "ni fièvre ni raideur de nuque",
        "never had a seizure",
        "my mother passed away from a heart attack",
        "ma grand-mère est morte d'un AVC",
        "je n'ai jamais fait de convulsions",
    ],
)
def test_negated_past_or_someone_elses_red_flag_does_not_raise_an_emergency(
    engine: TriageEngine, text: str
) -> None:
    decision = engine.assess(text)
    assert decision.level is not TriageLevel.EMERGENCY, decision.rules
    assert decision.call is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my son is floppy and won't wake", "unresponsive"),
        ("mon bébé est tout mou", "unresponsive"),
        ("my daughter is struggling to breathe", "breathing-severe"),
        ("ma fille n'arrive plus à respirer", "breathing-severe"),
        ("my husband is having a stroke, his face is drooping", "stroke-fast"),
        ("mon mari a la bouche de travers depuis ce matin", "stroke-fast"),
        ("my dad just collapsed and isn't responding", "unresponsive"),
        ("I had chest pain as a child but now I have crushing chest pain", "chest-pain-cardiac"),
        ("j'avais de l'asthme petit, mais là j'étouffe", "breathing-severe"),
        (
            "no fever but my neck is stiff and the light hurts, and I have a headache and a temperature",
            "meningitis-signs",
        ),
        ("I'm not sure but my face drooped for a few minutes and it's gone now", "stroke-fast"),
        ("I've never had pain like this, crushing in my chest", "chest-pain-cardiac"),
        ("my wife passed out and we can't wake her", "unresponsive"),
        ("I think I had a stroke", "stroke-named"),  # a worry about now, not a history
        ("j'ai peur d'avoir fait un AVC", "stroke-named"),  # past tense, but happening now
        ("my son hit his head and passed out", "head-injury-red-flags"),
        ("il y a du sang partout et ça ne s'arrête pas", "bleeding-severe"),  # impersonal "il y a"
    ],
)
def test_affirmed_red_flags_fire_including_a_child_in_the_patients_care(
    engine: TriageEngine, text: str, rule: str
) -> None:
    decision = engine.assess(text)
    assert decision.level is TriageLevel.EMERGENCY
    assert rule in decision.rules


@pytest.mark.parametrize(
    "text",
    [
        "What was my last HbA1c?",
        "Can I book an appointment for next Tuesday?",
        "Quel était mon dernier taux de cholestérol ?",
        "Je voudrais annuler mon rendez-vous",
        "thanks, that's helpful",
        "what allergies are in my record?",
        "when is my next blood test?",
        "What are the signs of a heart attack?",
    ],
)
def test_messages_without_a_symptom_are_level_none(engine: TriageEngine, text: str) -> None:
    decision = engine.assess(text)
    assert decision.level is TriageLevel.NONE
    assert decision.rules == () and decision.advice == "" and decision.call is None


def test_negation_does_not_reach_past_a_new_clause(engine: TriageEngine) -> None:
    assert (
        "meningitis-signs"
        in engine.assess("I don't have a rash but my neck is stiff and I have a fever").rules
    )
    assert "meningitis-signs" in engine.assess("pas de boutons mais la nuque raide et de la fièvre").rules


def test_a_suppressed_match_does_not_hide_an_affirmed_one_after_it(engine: TriageEngine) -> None:
    # "fait une crise, ..." is told as another adult's past; "les yeux révulsés" is still affirmed
    decision = engine.assess("elle a fait une crise hier, et maintenant elle a les yeux révulsés")
    assert "seizure" in decision.rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my son is having a siezure", "seizure"),
        ("chest pian and sweating", "chest-pain-cardiac"),
        ("heart attak", "heart-attack-named"),
        ("feaver and a stiff neck", "meningitis-signs"),
        ("il fait des convultions", "seizure"),
        ("douleur thoracic qui serre", "chest-pain-cardiac"),
        ("j'ai peur que ce soit une menengite", "meningitis-signs"),
    ],
)
def test_frequent_misspellings_of_red_flags_are_corrected(engine: TriageEngine, text: str, rule: str) -> None:
    decision = engine.assess(text)
    assert decision.level is TriageLevel.EMERGENCY and rule in decision.rules
