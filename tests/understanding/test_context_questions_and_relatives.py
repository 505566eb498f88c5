"""ConText rules with no examples in their data file (``context.yaml``): a general question about a
condition, a relative's past illness, an age given for the past — and the messages that must stay current
next to them (a relative having it now, a stroke "this morning", a child's age today)."""

from __future__ import annotations

import pytest

from assistant.understanding.stage import Understander

U = Understander.default()

# (lang, message, concept, expected status of that concept's first mention)
CASES = [
    # a general question about a condition is not a symptom
    ("en", "what causes a stroke?", "stroke_named", "hypothetical"),
    ("en", "what is a heart attack?", "heart_attack_named", "hypothetical"),
    ("fr", "qu'est-ce qui cause un AVC ?", "stroke_named", "hypothetical"),
    ("fr", "c'est quoi un AVC ?", "stroke_named", "hypothetical"),
    ("fr", "combien de temps durent les saignements après l'accouchement ?", "after_birth", "hypothetical"),
    ("en", "what causes my headaches? I have one now", "headache", "current"),
    # a relative's past illness
    ("en", "my brother had a heart attack at 50", "heart_attack_named", "family_history"),
    ("en", "my uncle had a heart attack", "heart_attack_named", "family_history"),
    ("fr", "mon oncle a fait une crise cardiaque", "heart_attack_named", "family_history"),
    ("en", "my sister had a seizure last month", "seizure", "family_history"),
    ("fr", "ma sœur a fait une crise d'épilepsie le mois dernier", "seizure", "family_history"),
    # …but not what is happening to them now
    ("en", "my dad is having a heart attack", "heart_attack_named", "current"),
    ("en", "my son had a seizure", "seizure", "current"),
    ("en", "my mum had a stroke this morning", "stroke_named", "current"),
    ("fr", "ma mère a fait un AVC ce matin", "stroke_named", "current"),
    # an age given for the past
    ("en", "I had a seizure when I was 12", "seizure", "historical"),
    ("fr", "j'ai fait une crise d'épilepsie à 12 ans", "seizure", "historical"),
    ("fr", "ma fille a 3 ans et a de la fièvre", "fever", "current"),
    ("fr", "de la fièvre, elle a 3 ans", "fever", "current"),
]


def _status(message: str, lang: str, concept: str) -> str:
    u = U.understand(message, language=lang)  # type: ignore[arg-type]
    found = [f for f in u.findings if f.concept == concept]
    if not found:
        return "absent"
    a = found[0].assertion
    for name in ("negated", "historical", "hypothetical", "family_history", "fictional"):
        if getattr(a, name):
            return name
    return "current"


@pytest.mark.parametrize(("lang", "message", "concept", "expected"), CASES)
def test_context_status(lang: str, message: str, concept: str, expected: str) -> None:
    assert _status(message, lang, concept) == expected
