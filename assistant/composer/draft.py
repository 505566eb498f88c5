"""What a composer produces before the output guard sees it: text, numbered sources, actions, flags."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.schemas import Action, Citation, Refusal
from assistant.understanding.model import RecordQuery


class CitationList:
    """Numbers sources in the order the text first mentions them; one number per resource.

    The same resource cited twice keeps its first number, so "[1]" always means one record entry and
    the grounding check can verify every fact against exactly that entry.
    """

    def __init__(self) -> None:
        self._items: list[Citation] = []
        self._by_ref: dict[str, int] = {}

    @classmethod
    def continuing(cls, citations: list[Citation]) -> CitationList:
        """A list that goes on numbering after ``citations`` (a note added to an existing reply)."""
        cites = cls()
        for c in sorted(citations, key=lambda c: c.n):
            cites._by_ref.setdefault(c.resource, c.n)
            cites._items.append(c)
        return cites

    def cite(self, resource: str, label: str) -> str:
        """Register ``resource`` and return its marker, e.g. "[2]"."""
        n = self._by_ref.get(resource)
        if n is None:
            n = len(self._items) + 1
            self._by_ref[resource] = n
            self._items.append(Citation(n=n, resource=resource, label=label[:300] or resource))
        return f"[{n}]"

    @property
    def items(self) -> list[Citation]:
        return list(self._items)

    @property
    def resources(self) -> list[str]:
        return [c.resource for c in self._items]

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Draft:
    """A reply before the output guard: ``resources_read`` feeds the audit log."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    refusal: Refusal | None = None
    flags: list[str] = field(default_factory=list)
    resources_read: list[str] = field(default_factory=list)
    guidance: bool = False  # general advice was given: the output carries a short disclaimer
    record_query: RecordQuery | None = None  # the record question this answered (kept for follow-ups)


_MARKER = re.compile(r"\[(\d+)\]")


def join_drafts(drafts: Sequence[Draft], separator: str = "\n\n") -> Draft:
    """One reply from several parts, in order: citations renumbered so "[n]" keeps meaning one entry.

    A resource cited by two parts keeps its first number; the markers of later parts are rewritten in one
    pass (so "[1]" → "[3]" and "[3]" → "[1]" cannot collide). Actions, flags and resources read are
    concatenated; the first refusal stands; guidance is given when any part gives it. A paragraph that an
    earlier part already holds is left out, so a reply never says the same thing twice.
    """
    if not drafts:
        return Draft(text="")
    if len(drafts) == 1:
        return drafts[0]
    cites = CitationList()
    texts: list[str] = []
    seen: set[str] = set()
    out = Draft(text="")
    for part in drafts:
        mapping: dict[int, int] = {}
        for c in sorted(part.citations, key=lambda c: c.n):
            new = cites.cite(c.resource, c.label)
            mapping[c.n] = int(new.strip("[]"))
        text = _renumber(part.text, mapping)
        # Two parts may say the same thing (a record list asked for, and the same list under a medicine
        # answer): a paragraph already in the reply is not said again.
        kept = [p.strip() for p in text.split(separator) if p.strip() and p.strip() not in seen]
        seen.update(kept)
        if kept:
            texts.append(separator.join(kept))
        out.actions.extend(part.actions)
        out.flags.extend(part.flags)
        out.resources_read.extend(part.resources_read)
        out.refusal = out.refusal or part.refusal
        out.guidance = out.guidance or part.guidance
        out.record_query = out.record_query or part.record_query
    out.text = separator.join(texts)
    out.citations = cites.items
    return out


def _renumber(text: str, mapping: dict[int, int]) -> str:
    return _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)
