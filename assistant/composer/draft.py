"""What a composer produces before the output guard sees it: text, numbered sources, actions, flags."""

from __future__ import annotations

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
