"""The record card: the unit that retrieval indexes, ranks and hands to the assistant.

A card is plain data (no FHIR model inside) so it can be stored in the index, reloaded without the record,
compared by content hash for incremental re-sync, and cited by the references it carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Code:
    """One coding as the record carries it (system URL, code, display)."""

    system: str
    code: str
    display: str = ""

    @property
    def token(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class Card:
    """A short plain-language view of one resource (or of an observation series).

    ``refs`` lists every resource whose facts appear in ``text``: the assistant cites them and the
    grounding check verifies numbers against them. ``ref`` is the main one. ``date`` is as precise as the
    record wrote it (``precision``: "2015" is a year, not 1 January 2015).
    """

    id: str
    ref: str
    kind: str
    resource_type: str
    title: str
    text: str
    refs: tuple[str, ...] = ()
    category: str | None = None
    codes: tuple[Code, ...] = ()
    date: dt.date | None = None
    end: dt.date | None = None
    status: str | None = None
    value: float | str | None = None
    unit: str | None = None
    reference_range: str | None = None
    interpretation: str | None = None
    concept: str | None = None
    name_fr: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    precision: str = "day"  # "year" | "month" | "day": how precise ``date`` is in the record
    end_precision: str = "day"

    @property
    def embed_text(self) -> str:
        """What the vector represents: what the card is about, not its numbers or dates.

        Values and dates are matched exactly (BM25, filters, exact queries); leaving them out of the vector
        text makes cards about the same thing share one embedding, which keeps indexing of long histories
        cheap (tens of thousands of observations of a few dozen kinds).
        """
        parts = [self.kind, self.title_semantic]
        if self.category:
            parts.append(self.category)
        if self.status:
            parts.append(self.status)
        return " — ".join(parts)

    @property
    def title_semantic(self) -> str:
        return str(self.extra.get("semantic", self.title))

    def to_json(self) -> str:
        """Field by field rather than ``dataclasses.asdict`` (which deep-copies): re-sync hashes every card."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["codes"] = [{"system": c.system, "code": c.code, "display": c.display} for c in self.codes]
        data["refs"] = list(self.refs)
        data["date"] = self.date.isoformat() if self.date else None
        data["end"] = self.end.isoformat() if self.end else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, raw: str) -> Card:
        data = json.loads(raw)
        data["codes"] = tuple(Code(**c) for c in data.get("codes", []))
        data["refs"] = tuple(data.get("refs", []))
        data["date"] = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        data["end"] = dt.date.fromisoformat(data["end"]) if data.get("end") else None
        return cls(**data)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything shown or stored about the card changes (drives re-sync).

        Hashes the dataclass ``repr`` (every field, deterministic for these plain types) rather than the
        JSON: an unchanged re-sync hashes every card, and ``repr`` costs a third of ``json.dumps``.
        """
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:32]

    def code_tokens(self) -> set[str]:
        return {c.token for c in self.codes}
