"""The literal prefilter must never hide a match: it is a speed-up, not a second opinion."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.guardrails.triage import TriageEngine, normalise
from assistant.guardrails.triage.literals import LiteralIndex, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:crushing|tight) (?:\w+ ){0,3}chest", frozenset({"chest"})),
        (r"seizures?|convuls\w*", frozenset({"seizure", "convuls"})),
        (r"(?:3[89]|4[0-2]) ?c", frozenset({"38", "39", "40", "41", "42"})),
        (r"a|b", None),
        (r"\w+", None),
    ],
)
def test_required_literals(pattern: str, expected: frozenset[str] | None) -> None:
    assert required_literals(pattern) == expected


def _all_branches(engine: TriageEngine) -> list[object]:
    out: list[object] = []
    for rule in engine.rules:
        if rule.single:
            out.append(rule.single)
        out.extend(part for combo in rule.combos for part in combo.parts)
    return out


def test_no_branch_that_matches_an_example_is_filtered_out(engine: TriageEngine) -> None:
    texts = [
        t for r in engine.rules for lang in ("en", "fr") for t in (*r.examples[lang], *r.near_misses[lang])
    ]
    index = engine._index  # the engine's own index over every rule literal
    checked = 0
    for raw in texts:
        text = normalise(raw)
        found = index.found(text)
        for branch in _all_branches(engine):
            if branch.regex.search(text):  # type: ignore[attr-defined]
                assert branch.may_match(found), (raw, branch.regex.pattern[:80])  # type: ignore[attr-defined]
                checked += 1
    assert checked > 300


@given(
    st.lists(
        st.sampled_from(["pain", "pa", "chest", "che", "ches", "x", "in", "ain", " ", "chest pain"]),
        max_size=12,
    )
)
def test_literal_index_finds_exactly_the_literals_present(parts: list[str]) -> None:
    literals = {"pain", "chest", "chest pain", "ain", "in", "che"}
    text = "".join(parts)
    assert LiteralIndex(literals).found(text) == {lit for lit in literals if lit in text}


def test_literal_index_handles_regex_metacharacters() -> None:
    index = LiteralIndex({"3.5", "a+b", "(x)"})
    assert index.found("sugar 3.5 and a+b (x)") == {"3.5", "a+b", "(x)"}
    assert index.found("sugar 345") == set()
    assert re.escape("3.5") != "3.5"  # the index must escape, not interpret


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("chest ~ pain", "chest pain", True),
        ("chest ~ pain", "chest, arm and pain", True),
        ("chest ~ pain", "chest is really very bad pain", False),  # 4 words: too far for ~
        ("chest ~~ pain", "chest is really very bad pain", True),
        ("(?:one|some) (?:of )?~ pills", "one of his grandads heart pills", True),
        ("(?:one|some) (?:of )?~ pills", "some pills", True),
        ("chest ~ pain", "chestpain", False),
    ],
)
def test_word_gaps(pattern: str, text: str, matches: bool) -> None:
    from assistant.guardrails.triage.rules import _bounded, _Expander

    regex = re.compile(_bounded(_Expander({}).expand(pattern, ("test", None, "patterns"))))
    assert bool(regex.search(text)) is matches
