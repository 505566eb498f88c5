"""A change of course said not to be happening is not read as that change ("it isn't getting worse",
"ça ne s'aggrave pas"), while the same words without a negator still are."""

from __future__ import annotations

import pytest

from assistant.understanding.model import Progression
from assistant.understanding.stage import Understander

U = Understander.default()


def _progression(text: str, concept: str) -> Progression | None:
    found = [f for f in U.understand(text).findings if f.concept == concept]
    assert found, (text, concept)
    return found[0].progression


@pytest.mark.parametrize(
    "text",
    [
        "the rash on my leg isn't getting worse",
        "the rash hasn't got any worse since Monday",
        "the rash doesn't seem to be spreading",
        "le bouton sur ma jambe ne s'aggrave pas",
        "l'éruption sur ma jambe n'a pas empiré depuis lundi",
    ],
)
def test_negated_worsening_is_not_worsening(text: str) -> None:
    concept = "rash" if "rash" in text else _first_concept(text)
    assert _progression(text, concept) is not Progression.WORSENING


@pytest.mark.parametrize(
    "text",
    [
        "the rash on my leg is getting worse",
        "not sure what it is, but the rash is spreading",
        "la plaque rouge sur ma jambe s'aggrave",
        "je ne sais pas ce que c'est mais l'éruption sur ma jambe s'étend",
    ],
)
def test_worsening_without_a_negator_stays(text: str) -> None:
    concept = "rash" if "rash" in text else _first_concept(text)
    assert _progression(text, concept) is Progression.WORSENING


def _first_concept(text: str) -> str:
    findings = U.understand(text).findings
    assert findings, text
    return findings[0].concept
