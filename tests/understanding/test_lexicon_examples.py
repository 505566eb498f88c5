"""Every lexicon concept's own examples are found as a current finding, and its near misses are not.

The examples and look-alikes live next to the terms (data/lexicon/*.yaml), so a change to a term is
checked against them at once; a concept without examples is an error (nobody could tell it works).
"""

from __future__ import annotations

import pytest

from assistant.understanding.lexicon import Lexicon
from assistant.understanding.stage import Understander

LEXICON = Lexicon.load()
UNDERSTANDER = Understander.default()

EXAMPLES = [
    (cid, lang, text)
    for cid, concept in LEXICON.concepts.items()
    for lang in ("en", "fr")
    for text in concept.examples.get(lang, ())
]
NEAR_MISSES = [
    (cid, lang, text)
    for cid, concept in LEXICON.concepts.items()
    for lang in ("en", "fr")
    for text in concept.near_misses.get(lang, ())
]


def test_every_concept_has_examples_in_both_languages() -> None:
    missing = [
        cid for cid, c in LEXICON.concepts.items() if not (c.examples.get("en") and c.examples.get("fr"))
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("concept", "lang", "text"), EXAMPLES, ids=[f"{c}-{lang}-{i}" for i, (c, lang, _) in enumerate(EXAMPLES)]
)
def test_example_is_found(concept: str, lang: str, text: str) -> None:
    u = UNDERSTANDER.understand(text, language=lang)  # type: ignore[arg-type]
    found = {f.concept for f in u.findings if f.current}
    assert concept in found, f"{text!r} → {sorted(found)}"


@pytest.mark.parametrize(
    ("concept", "lang", "text"),
    NEAR_MISSES,
    ids=[f"{c}-{lang}-{i}" for i, (c, lang, _) in enumerate(NEAR_MISSES)],
)
def test_near_miss_is_not_a_current_finding_of_the_writer(concept: str, lang: str, text: str) -> None:
    u = UNDERSTANDER.understand(text, language=lang)  # type: ignore[arg-type]
    current_self = {
        f.concept for f in u.findings if f.current and u.subjects[f.subject].relation.value == "self"
    }
    assert concept not in current_self, f"{text!r} → {[(f.concept, f.assertion) for f in u.findings]}"
