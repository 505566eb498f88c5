"""Numbered sources for one reply: what the model may cite, and what its ``[n]`` markers point to.

Every fact the model sees (a context card, an item of a tool result) gets a number the first time it is
shown, and the same resource keeps its number for the whole turn. The model cites ``[n]``; afterwards the
markers are read back into ``Citation(n, resource, label)``. A number the model invents is removed from
the text and reported, so a made-up citation can never point at a real resource by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.llm.tools import Source
from assistant.schemas import Citation

__all__ = ["CitedText", "SourceBook"]

# "[2]", "[2, 5]", "[2; 5]", "[source 2]", "[sources 2, 5]" (weak models vary the form).
_MARKER = re.compile(r"\s?\[(?:sources?\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]", re.IGNORECASE)


@dataclass(frozen=True)
class CitedText:
    text: str
    citations: list[Citation]
    unknown: list[int]


class SourceBook:
    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._labels: dict[int, str] = {}
        self._refs: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._refs)

    def number(self, source: Source) -> int:
        n = self._numbers.get(source.ref)
        if n is None:
            n = len(self._numbers) + 1
            self._numbers[source.ref] = n
            self._refs[n] = source.ref
            self._labels[n] = source.label or source.ref
        return n

    def ref(self, n: int) -> str | None:
        return self._refs.get(n)

    def annotate(self, payload: Any, sources: Iterable[Source]) -> Any:
        """A copy of a tool payload where every item with a "ref" also has its "source" number."""
        labels = {s.ref: s.label for s in sources}

        def walk(value: Any) -> Any:
            if isinstance(value, Mapping):
                out = {k: walk(v) for k, v in value.items()}
                ref = value.get("ref")
                if isinstance(ref, str) and ref:
                    label = labels.get(ref) or str(value.get("label") or ref)
                    return {"source": self.number(Source(ref, label)), **out}
                return out
            if isinstance(value, list | tuple):
                return [walk(v) for v in value]
            return value

        return walk(payload)

    def cite(self, text: str) -> CitedText:
        """Read the markers in ``text``: known numbers become citations (in order of first use), unknown
        ones are dropped from the text and listed."""
        cited: list[int] = []
        unknown: list[int] = []

        def replace(match: re.Match[str]) -> str:
            numbers = [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
            kept = []
            for n in numbers:
                if n in self._refs:
                    kept.append(n)
                    if n not in cited:
                        cited.append(n)
                elif n not in unknown:
                    unknown.append(n)
            if not kept:
                return ""
            lead = " " if match.group(0).startswith((" ", "\t")) else ""
            return lead + "".join(f"[{n}]" for n in kept)

        cleaned = _MARKER.sub(replace, text)
        citations = [Citation(n=n, resource=self._refs[n], label=self._labels[n]) for n in cited]
        return CitedText(cleaned, citations, unknown)
