"""Cheap prefilter: the literal words a regex cannot match without.

Screening must stay well under 2 ms per message with ~80 rules and hundreds of patterns. Most patterns
cannot match most messages, and a substring test (``"seizure" in text``) costs a fraction of a regex
search that has to try every position. For every pattern we derive, from the regex's own parse tree, a
set of literal strings of which at least one must occur in any text it matches; only when one occurs do
we run the regex. Deriving it from the pattern (instead of asking rule authors for keywords) means a
clinic's rule can never be silently skipped because someone forgot a keyword.
"""

from __future__ import annotations

import re
import re._compiler as _k  # type: ignore[import-not-found]  # stable in CPython 3.11-3.13
import re._constants as _c  # type: ignore[import-not-found]
import re._parser as _p  # type: ignore[import-not-found]
from typing import Any

__all__ = ["LiteralIndex", "ParsedPattern", "parse_pattern", "required_literals"]

_MIN_LEN = 2  # shorter literals filter almost nothing


_MAX_SET = 64  # expanding character classes into literals stops being useful beyond this


def _seq(items: Any) -> frozenset[str] | None:
    """Best necessary disjunction for a sequence of parsed items (or None if none is known)."""
    candidates: list[frozenset[str]] = []
    run: set[str] = set()

    def flush() -> None:
        if run and "" not in run:
            candidates.append(frozenset(run))
        run.clear()

    for op, av in items:
        chars = _chars(op, av)
        if chars is not None and len(run or {""}) * len(chars) <= _MAX_SET:
            grown = {prefix + ch for prefix in (run or {""}) for ch in chars}
            run.clear()
            run.update(grown)
            continue
        flush()
        found = _item(op, av)
        if found is not None:
            candidates.append(found)
    flush()
    good = [c for c in candidates if min(len(s) for s in c) >= _MIN_LEN]
    if not good:
        return None
    # the most selective: longest shortest-literal, then fewest alternatives
    return max(good, key=lambda c: (min(len(s) for s in c), -len(c)))


def _chars(op: Any, av: Any) -> list[str] | None:
    """The characters a single-character item can be: a literal, or a small class like [89] or [0-2]."""
    if op is _c.LITERAL:
        return [chr(av)]
    if op is _c.IN:
        out: list[str] = []
        for kind, value in av:
            if kind is _c.LITERAL:
                out.append(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < 10:
                out.extend(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None
        return out
    return None


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        return _seq(av[-1])
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _seq(branch)
            if found is None:
                return None
            out |= found
        return frozenset(out)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, item = av
        return _seq(item) if low >= 1 else None
    if op is _c.ATOMIC_GROUP:
        return _seq(av)
    return None  # assertions, classes, any, anchors: no literal requirement


class ParsedPattern:
    """A regex parsed once (Python's parser is the slow part of compiling): literals, then compile."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._tree = _p.parse(source)  # raises re.error like re.compile
        self.literals: frozenset[str] | None = _seq(self._tree)

    def compile(self) -> re.Pattern[str]:
        return _k.compile(self._tree, 0)  # type: ignore[no-any-return]


def parse_pattern(source: str) -> ParsedPattern:
    return ParsedPattern(source)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which at least one occurs in every match of ``pattern``; None if unknown.

    ``"(?:crushing|tight) ~ chest"`` -> {"chest"}; ``"seizures?|convuls\\w*"`` -> {"seizure", "convuls"}.
    """
    re.compile(pattern)  # same errors as the caller would see
    return _seq(_p.parse(pattern))


def _trie_regex(words: list[str]) -> str:
    """A regex that walks a trie of ``words``: per text position it costs the length of the match, not
    the number of words (Python's ``re`` tries plain alternatives one by one)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # greedy: prefer the longer literal, fall back to ending here
            return f"(?:{body})?"
        return body

    return build(trie)


class LiteralIndex:
    """Finds, in one pass over a text, every literal (of many) that occurs in it."""

    def __init__(self, literals: set[str]) -> None:
        words = sorted(literals)
        self._regex = re.compile("(?=(" + _trie_regex(words) + "))") if words else None
        known = set(words)
        # every literal found at a position implies the shorter literals that are its prefixes
        self._implied = {w: frozenset(w[:k] for k in range(1, len(w) + 1) if w[:k] in known) for w in words}

    def found(self, text: str) -> set[str]:
        out: set[str] = set()
        if self._regex is None:
            return out
        implied = self._implied
        for m in self._regex.finditer(text):
            hit = m.group(1)
            if hit:
                out |= implied[hit]
        return out
