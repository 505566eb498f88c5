"""A literal prefilter for the stage's regular expressions: skip a pattern that cannot match a text.

The lexicon, the routing table and the other tables are hundreds of alternations tried on every message;
most of them cannot match a given message, and Python's ``re`` still scans the whole text to find that
out. Each pattern is analysed once (``Prefilter.of``): the set of literal strings one of which every match
must start with ("chest pa", "short of br"…). A message is cut once into its character n-grams
(``Grams``), and a pattern runs only when the first ``n`` characters of one of its starts are among them.

The analysis is conservative, so results never change: a pattern whose matches may start with anything
(a character class, an optional part, a wildcard) gets no prefilter and always runs. Zero-width assertions
(word edges, look-arounds) are skipped because they consume nothing.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

# The parser of the standard ``re`` module (Python 3.11+: ``re._parser``; it has no type stubs).
_p: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

__all__ = ["Grams", "Prefilter"]

GRAM = 3  # every start kept is at least this long; the n-grams of a text are of this length
MAX_STARTS = 400  # beyond this many alternatives the analysis is not worth it: no prefilter
MAX_LISTED = 64  # up to this many starts, each is looked for in the text after the n-gram check
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _Unknown(Exception):
    """A match may start with something the analysis does not follow."""


def _starts(items: list[tuple[Any, Any]]) -> set[str]:
    """Literal strings one of which every match of ``items`` starts with (possibly "")."""
    buf: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            buf.append(chr(av))
            continue
        if op is _c.BRANCH and all(all(o in _ZERO_WIDTH for o, _ in branch) for branch in av[1]):
            continue  # a choice between assertions ("a word starts here, or a symbol does") consumes nothing
        head = "".join(buf)
        if op is _c.BRANCH:
            inner: set[str] = set()
            for branch in av[1]:
                inner |= _starts(list(branch))
            return _join(head, inner)
        if op is _c.SUBPATTERN:
            return _join(head, _starts(list(av[-1])))
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _join(head, _starts(list(av[2])))
        if head:
            return {head}
        raise _Unknown
    return {"".join(buf)}


def _join(head: str, inner: set[str]) -> set[str]:
    if len(inner) > MAX_STARTS:
        raise _Unknown
    out = {head + s for s in inner}
    if any(len(s) < GRAM for s in out):
        if len(head) >= GRAM:
            return {head}
        raise _Unknown
    return out


@dataclass(frozen=True)
class Prefilter:
    """The first ``GRAM`` characters of every possible start of a pattern's matches (None: always run), and
    the starts themselves when there are few enough to look for one by one."""

    keys: frozenset[str] | None
    starts: tuple[str, ...] = ()

    @classmethod
    def of(cls, pattern: re.Pattern[str] | None) -> Prefilter:
        if pattern is None:
            return cls(frozenset())  # nothing can match
        try:
            starts = _starts(list(_p.parse(pattern.pattern, pattern.flags)))
        except (_Unknown, RecursionError, Exception):
            return cls(None)
        if not starts or any(len(s) < GRAM for s in starts):
            return cls(None)
        listed = tuple(sorted(starts, key=len)) if len(starts) <= MAX_LISTED else ()
        return cls(frozenset(s[:GRAM] for s in starts), listed)

    def may_match(self, grams: Grams) -> bool:
        if self.keys is None:
            return True
        if self.keys.isdisjoint(grams.set):
            return False
        return not self.starts or any(s in grams.text for s in self.starts)


@dataclass(frozen=True)
class Grams:
    """The character n-grams of one text (computed once per message, read by every prefilter)."""

    set: frozenset[str]
    text: str

    @classmethod
    def of(cls, text: str) -> Grams:
        return cls(frozenset(text[i : i + GRAM] for i in range(len(text) - GRAM + 1)), text)
