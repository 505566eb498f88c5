"""Cue patterns for the tables the stage reads requests with (the routing table, the record-question table).

A cue is a regular expression over the FOLDED text (``text.fold``: lower case, no accents, "can't" →
"cant", "j'ai" → "j ai", "check-up" → "check up"). Two shorthands keep the tables readable:

- ``<<name>>`` inserts a named fragment of the table (fragments may use each other), or one the loader
  injects from other data: ``<<target>>`` (every lay name of the record's concept map, ``retrieval``),
  ``<<medicine_name>>`` (the medicine names the guards know) and ``<<topic>>`` (the health-advice topics);
- `` ~ `` between two parts allows up to three words in between, `` ~~ `` up to six.

Each entry's cues compile into ONE alternation bounded by word edges, so an entry costs one ``search`` per
clause however many cues it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["CueError", "alternation", "compile_cues", "expand"]

_FRAGMENT = re.compile(r"<<([a-z_][a-z0-9_]*)>>")
_GAPS = {" ~~ ": r"(?: \S+){0,6} ", " ~ ": r"(?: \S+){0,3} "}


class CueError(ValueError):
    """A table is invalid; the message names the file, the entry and the cue."""


def expand(cue: str, fragments: Mapping[str, str], where: str) -> str:
    """``cue`` with its fragments and gaps written out (not compiled)."""
    text = cue.strip()
    for _ in range(6):  # fragments may use fragments, a few levels deep
        missing = [name for name in _FRAGMENT.findall(text) if name not in fragments]
        if missing:
            raise CueError(f"{where}: unknown fragment <<{missing[0]}>> in {cue!r}")
        new = _FRAGMENT.sub(lambda m: f"(?:{fragments[m.group(1)]})", text)
        if new == text:
            break
        text = new
    for token, regex in _GAPS.items():
        text = text.replace(token, regex)
    return text


def compile_cues(cues: Iterable[str], fragments: Mapping[str, str], where: str) -> re.Pattern[str] | None:
    """One pattern for all ``cues`` (None when there are none); longest first, bounded by word edges."""
    parts = sorted({expand(str(c), fragments, where) for c in cues if str(c).strip()}, key=len, reverse=True)
    if not parts:
        return None
    source = r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])"
    try:
        return re.compile(source)
    except re.error as exc:
        raise CueError(f"{where}: invalid cue ({exc})") from exc


def alternation(words: Iterable[str]) -> str:
    """A fragment matching any of ``words`` (already folded), longest first; spaces match spaces."""
    unique = sorted({w.strip() for w in words if w and w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique) if unique else "(?!)"
