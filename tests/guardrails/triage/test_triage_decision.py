"""The decision object: raise-only, numbers per region, the turn contract, language detection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.guardrails.triage import ProtocolEngine, TriageDecision, detect_language, region_numbers
from assistant.schemas import Language, TriageInfo, TriageLevel
from assistant.understanding.stage import Understander

_ENGINE = ProtocolEngine.load()  # hypothesis and function-scoped fixtures do not mix
_UNDERSTANDER = Understander.default()


def assess(text: str, *, region: str = "FR", language: Language | None = None) -> TriageDecision:
    return _ENGINE.assess(_UNDERSTANDER.understand(text, language=language), region=region)


def test_an_llm_may_raise_but_never_lower() -> None:
    urgent = assess("I have chest pain")
    assert urgent.level is TriageLevel.URGENT and urgent.call is None and urgent.questions
    same = urgent.raised_to(TriageLevel.SELF_CARE, "llm-opinion")
    assert same is urgent
    raised = urgent.raised_to(TriageLevel.EMERGENCY, "llm-opinion")
    assert raised.level is TriageLevel.EMERGENCY and raised.call == "15"
    assert raised.rules == ("llm-opinion", "chest-pain:default") and "15" in raised.advice
    assert raised.questions == () and raised.pending == ()
    with pytest.raises(ValueError):
        urgent.raised_to(TriageLevel.EMERGENCY, "")


@pytest.mark.parametrize(
    ("region", "emergency", "crisis"),
    [
        ("FR", "15", "3114"),
        ("US", "911", "988"),
        ("DE", "112", "0800 111 0 111"),
        ("es", "112", "112"),
        ("GB", "999", "111"),
    ],
)
def test_numbers_follow_the_region(region: str, emergency: str, crisis: str) -> None:
    assert region_numbers(region).emergency == emergency
    heart = assess("crushing chest pain", region=region)
    assert heart.call == emergency and emergency in heart.advice
    thoughts = assess("I have suicidal thoughts", region=region)
    assert thoughts.level is TriageLevel.URGENT and thoughts.call == crisis and crisis in thoughts.advice


def test_to_info_is_the_turn_contract() -> None:
    info = assess("my baby is floppy", region="US").to_info()
    assert isinstance(info, TriageInfo)
    dumped = info.model_dump()
    assert dumped["level"] == "emergency" and dumped["call"] == "911" and dumped["protocol"] == "collapse"
    assert "questions" not in dumped and dumped["rules"]
    assert TriageInfo.model_validate(dumped) == info
    asked = assess("I have a headache", region="US").to_info().model_dump()
    assert asked["protocol"] == "headache" and asked["questions"]
    assert all(set(q) == {"id", "text"} for q in asked["questions"])
    assert assess("hello").to_info().model_dump() == {
        "level": "none",
        "rules": [],
        "advice": "",
        "call": None,
    }


def test_advice_and_watch_for_are_in_the_messages_language() -> None:
    fr = assess("j'ai de la fièvre")
    assert fr.language == "fr" and "repos" in fr.advice.lower() and all("{" not in w for w in fr.watch_for)
    en = assess("j'ai de la fièvre", language="en")
    assert en.language == "en" and "rest" in en.advice.lower()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I have a headache since this morning", "en"),
        ("j'ai mal à la tête depuis ce matin", "fr"),
        ("je vais me suicider ce soir", "fr"),
        ("fièvre", "fr"),
        ("my chest hurts", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


_WORDS = st.sampled_from(
    [
        "no",
        "not",
        "pas",
        "de",
        "chest",
        "pain",
        "douleur",
        "poitrine",
        "my",
        "son",
        "mon",
        "bébé",
        "fever",
        "fièvre",
        "38.5",
        "stiff",
        "neck",
        "nuque",
        "raide",
        "can't",
        "breathe",
        "respirer",
        "had",
        "as",
        "a",
        "child",
        "father",
        "père",
        "stroke",
        "AVC",
        ",",
        ".",
        "and",
        "et",
        "but",
        "mais",
        "won't",
        "wake",
        "pregnant",
        "enceinte",
        "bleeding",
        "saigne",
        "years",
        "ago",
        "il",
        "y",
        "a",
        "5",
        "ans",
        "🙂",
        "ñ",
        "'",
        "\n",
    ]
)


@given(st.lists(_WORDS, max_size=30).map(" ".join), st.sampled_from(["FR", "US", "DE", "GB"]))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_valid_contract(text: str, region: str) -> None:
    decision = assess(text, region=region)
    info = decision.to_info()  # validates: an emergency must name a number
    assert info.level is decision.level
    if decision.level is TriageLevel.NONE:
        assert decision.rules == () and decision.call is None and decision.advice == ""
    else:
        assert decision.rules and decision.advice and "{" not in decision.advice
    if decision.level is TriageLevel.EMERGENCY:
        assert decision.call == region_numbers(region).emergency
