"""The literal prefilter never skips a pattern that matches (so the stage's results cannot change).

Checked on every pattern of the lexicon and of the routing table, against every example and near miss
the tables hold, and against texts hypothesis builds from their words.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.understanding.intents import RoutingTable
from assistant.understanding.lexicon import Lexicon
from assistant.understanding.prefilter import Grams, Prefilter
from assistant.understanding.text import fold

LEXICON = Lexicon.load()
TABLE = RoutingTable.load()
PATTERNS: list[re.Pattern[str]] = (
    [p for c in LEXICON.concepts.values() for p in c.patterns.values() if p is not None]
    + [p for part in LEXICON.parts.values() for p in part.patterns.values()]
    + [e.pattern for e in TABLE.entries if e.pattern is not None]
)
TEXTS = sorted(
    {
        fold(t)
        for c in LEXICON.concepts.values()
        for table in (c.examples, c.near_misses)
        for lang in ("en", "fr")
        for t in table.get(lang, ())
    }
    | {
        fold(t)
        for e in TABLE.entries
        for table in (e.examples, e.near_misses)
        for lang in ("en", "fr")
        for t in table.get(lang, ())
    }
)
WORDS = sorted({w for t in TEXTS for w in t.split()})


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (
            r"(?<![a-z0-9])(?:chest (?:pain|ache)|short of breath)(?![a-z0-9])",
            {"chest pain", "chest ache", "short of breath"},
        ),
        (
            r"(?:(?<![a-z0-9])(?=[a-z0-9])|(?=[^a-z0-9]))(?:not)(?:(?<=[a-z0-9])(?![a-z0-9])|(?<=[^a-z0-9]))",
            {"not"},
        ),
        (r"fe+ver", {"fe"}),  # too short to use: no prefilter
        (r"x?abc", None),
        (r"[a-z]+ pain", None),
    ],
)
def test_starts_of_a_pattern(pattern: str, starts: set[str] | None) -> None:
    f = Prefilter.of(re.compile(pattern))
    if starts is None or any(len(s) < 3 for s in starts):
        assert f.keys is None
    else:
        assert set(f.starts) == starts


def test_most_lexicon_patterns_get_a_prefilter() -> None:
    filtered = [Prefilter.of(p).keys is not None for p in PATTERNS]
    assert sum(filtered) > 0.6 * len(filtered)


def test_no_pattern_is_skipped_on_the_tables_own_texts() -> None:
    missed = [
        (p.pattern[:60], t)
        for p in PATTERNS
        for t in TEXTS
        if p.search(t) is not None and not Prefilter.of(p).may_match(Grams.of(t))
    ]
    assert missed == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
def test_no_pattern_is_skipped_on_texts_made_of_their_words(words: list[str]) -> None:
    text = " ".join(words)
    grams = Grams.of(text)
    for p in PATTERNS:
        if p.search(text) is not None:
            assert Prefilter.of(p).may_match(grams), (p.pattern[:80], text)
