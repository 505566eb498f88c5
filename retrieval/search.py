"""Hybrid ranking of a patient's cards: vector similarity + BM25 + concept match + recency + filters.

Each signal covers another's blind spot: the vector finds "am I allergic to anything" without shared
words; BM25 finds exact names and numbers; the concept map turns "glycémie" or "tension" into the coded
entries (the embedding model reads English only); recency puts the latest value first when a patient asks
"what was my last ...". Scores are kept per signal so a ranking can be explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.concepts import ConceptMap
from retrieval.embedding import Embedder
from retrieval.index import DATE_MISSING, CardStore, date_ordinal, text_key
from retrieval.lexical import BM25
from retrieval.model import Card
from retrieval.query_dates import DateHint, date_hint

WEIGHTS = {"vector": 0.40, "lexical": 0.30, "concept": 0.35, "type": 0.15, "date": 0.25, "recency": 0.12}
RECENCY_DAYS = 3 * 365
# At most this many cards of one repeated measurement (same kind and code) in a result list: a yearly
# lipid panel must not fill the top 5 with five copies; the series card and the neighbours get the room.
PER_GROUP = 2
REPEATED_KINDS = frozenset(["Observation", "DiagnosticReport", "Immunization"])
SERIES_WORDS = frozenset(
    [
        "trend",
        "change",
        "changed",
        "changes",
        "evolution",
        "over",
        "time",
        "history",
        "since",
        "progress",
        "graph",
        "chart",
        "evolue",
        "evolution",
        "historique",
        "depuis",
        "tendance",
        "courbe",
    ]
)


@dataclass(frozen=True)
class SearchHit:
    card: Card
    score: float
    signals: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.card.id,
            "ref": self.card.ref,
            "refs": list(self.card.refs),
            "type": self.card.resource_type,
            "kind": self.card.kind,
            "title": self.card.title,
            "date": self.card.date.isoformat() if self.card.date else None,
            "score": round(self.score, 4),
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
            "text": self.card.text,
        }


class LoadedIndex:
    """A patient's cards held in memory for lexical scoring and filtering (built once per process)."""

    def __init__(self, store: CardStore, cards: list[Card]) -> None:
        self.store = store
        self.cards = cards
        self.position = {c.id: i for i, c in enumerate(cards)}
        self.lexical = BM25([c.text for c in cards])
        self.dates = np.array([date_ordinal(c.date) for c in cards], dtype=np.int64)
        self.ends = np.array([date_ordinal(c.end or c.date) for c in cards], dtype=np.int64)
        # Types and concepts as small integers: comparing 50,000 strings per query costs milliseconds.
        self.type_ids = {name: i for i, name in enumerate(sorted({c.resource_type for c in cards}))}
        self.types = np.array([self.type_ids[c.resource_type] for c in cards], dtype=np.int32)
        self.concept_ids = {name: i for i, name in enumerate(sorted({c.concept or "" for c in cards}))}
        self.concepts = np.array([self.concept_ids[c.concept or ""] for c in cards], dtype=np.int32)
        known = self.dates[self.dates != DATE_MISSING]
        self.latest = int(known.max()) if known.size else 0
        self.months = np.array([c.date.month if c.date else 0 for c in cards], dtype=np.int64)
        self.is_series = np.array([c.kind == "ObservationSeries" for c in cards], dtype=bool)
        self.is_list = np.array([c.id.startswith("summary:") for c in cards], dtype=bool)
        self.groups = [group_key(c) for c in cards]
        # One vector per distinct card meaning (see PatientStore); each card points at its row.
        stored = store.vectors()
        keys = list(stored)
        row = {k: i for i, k in enumerate(keys)}
        self.matrix = (
            np.stack([stored[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)
        ).astype(np.float32)
        self.vector_row = np.array([row.get(text_key(c.embed_text), -1) for c in cards], dtype=np.int64)
        age = np.maximum(0, self.latest - self.dates).astype(np.float32)
        self.recency = np.where(self.dates == DATE_MISSING, 0.3, np.exp(-age / RECENCY_DAYS)).astype(
            np.float32
        )

    def has_type(self, names: list[str]) -> npt.NDArray[np.bool_]:
        return np.isin(self.types, [self.type_ids[n] for n in names if n in self.type_ids])

    def has_concept(self, keys: list[str]) -> npt.NDArray[np.bool_]:
        return np.isin(self.concepts, [self.concept_ids[k] for k in keys if k and k in self.concept_ids])

    def date_signal(self, hint: DateHint | None) -> npt.NDArray[np.float32]:
        """1 where a card's date falls inside the window the question mentions, else 0."""
        if hint is None:
            return np.zeros(len(self.cards), dtype=np.float32)
        ok = self.dates != DATE_MISSING
        if hint.start:
            ok &= self.ends >= hint.start.toordinal()
        if hint.end:
            ok &= self.dates <= hint.end.toordinal()
        if hint.month and not (hint.start or hint.end):
            ok &= self.months == hint.month
        signal: npt.NDArray[np.float32] = ok.astype(np.float32)
        return signal

    def mask(self, types: list[str] | None, since: date | None, until: date | None) -> npt.NDArray[np.bool_]:
        keep = np.ones(len(self.cards), dtype=bool)
        if types:
            keep &= self.has_type(types)
        if since:
            keep &= self.ends >= since.toordinal()
        if until:
            keep &= (self.dates != DATE_MISSING) & (self.dates <= until.toordinal())
        return keep


def rank(
    loaded: LoadedIndex,
    embedder: Embedder,
    concepts: ConceptMap,
    query: str,
    *,
    k: int = 5,
    types: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[SearchHit]:
    if not loaded.cards:
        return []
    keep = loaded.mask(types, since, until)
    if not keep.any():
        return []
    found = concepts.find(query)
    wanted_types = concepts.find_types(query)
    hint = date_hint(query)
    wants_series = bool(SERIES_WORDS & set(query.lower().split())) or (hint is not None and hint.end is None)
    expansion = " ".join(f"{c.en} {c.en_plain}" for c in found)
    expanded = f"{query} {expansion}".strip()

    vec = _vector_scores(loaded, _query_vector(embedder, query, [f"{c.en} {c.en_plain}" for c in found]))
    lexical = loaded.lexical.scores(expanded)
    lexical[~keep] = 0.0
    lex_max = float(lexical.max()) if lexical.size else 0.0

    n = len(loaded.cards)
    concept_keys = [c.key for c in found]
    signals = {
        "vector": np.clip(vec, 0.0, 1.0),
        "lexical": lexical / lex_max if lex_max > 0 else np.zeros(n, dtype=np.float32),
        "concept": loaded.has_concept(concept_keys).astype(np.float32)
        if concept_keys
        else np.zeros(n, dtype=np.float32),
        "type": loaded.has_type(wanted_types).astype(np.float32)
        if wanted_types
        else np.zeros(n, dtype=np.float32),
        "date": loaded.date_signal(hint),
        "recency": loaded.recency,
    }
    score = sum(WEIGHTS[name] * value for name, value in signals.items())
    assert isinstance(score, np.ndarray)
    series_bonus = 0.10 if wants_series else 0.03
    score = score + series_bonus * (loaded.is_series & (signals["concept"] > 0))
    # A question about a whole kind of entry ("my medicines", "any allergies?") is best answered by the list.
    score = score + 0.15 * (loaded.is_list & (signals["type"] > 0))
    score[~keep] = -np.inf
    order = _diverse_top(loaded, score, keep, k)
    return [
        SearchHit(
            card=loaded.cards[i],
            score=float(score[i]),
            signals={name: float(value[i]) for name, value in signals.items()},
        )
        for i in order
    ]


def group_key(card: Card) -> str | None:
    """Cards that repeat one measurement (same kind, same first code) share a group; others stand alone."""
    if card.kind not in REPEATED_KINDS:
        return None
    return f"{card.kind}|{card.codes[0].token if card.codes else card.title_semantic}"


def _diverse_top(
    loaded: LoadedIndex, score: npt.NDArray[np.float32], keep: npt.NDArray[np.bool_], k: int
) -> list[int]:
    """The best ``k`` kept cards, at most ``PER_GROUP`` per repeated measurement unless nothing else is left."""
    allowed = int(keep.sum())
    n = len(loaded.cards)
    pool_size = min(n, max(k * 8, 40), allowed)
    if pool_size <= 0:
        return []
    pool = np.argpartition(-score, pool_size - 1)[:pool_size] if pool_size < n else np.arange(n)
    ranked = sorted((int(i) for i in pool if keep[i]), key=lambda i: (-score[i], loaded.cards[i].id))
    chosen: list[int] = []
    spill: list[int] = []
    per_group: dict[str, int] = {}
    for i in ranked:
        group = loaded.groups[i]
        if group is not None and per_group.get(group, 0) >= PER_GROUP:
            spill.append(i)
            continue
        if group is not None:
            per_group[group] = per_group.get(group, 0) + 1
        chosen.append(i)
        if len(chosen) == k:
            return chosen
    return (chosen + spill)[:k]


# Vectors of concept descriptions, by (model, text): a few hundred fixed texts, embedded once per process.
_CONCEPT_VECTORS: dict[tuple[str, str], npt.NDArray[np.float32]] = {}


def _query_vector(embedder: Embedder, query: str, expansions: list[str]) -> npt.NDArray[np.float32]:
    """The question's vector, pulled towards the concepts it names ("glycémie" → the A1c description).

    Only the patient's own words go through the model per query; concept descriptions are embedded once
    and averaged in. Embedding the question with its expansion as one text costs three to four times more
    (the model's cost grows with tokens) for the same ranking on the question set.
    """
    query_vec: npt.NDArray[np.float32] = embedder.embed([query])[0]
    if not expansions:
        return query_vec
    missing = [e for e in expansions if (embedder.model_id, e) not in _CONCEPT_VECTORS]
    if missing:
        for text, vec in zip(missing, embedder.embed(missing), strict=True):
            _CONCEPT_VECTORS[(embedder.model_id, text)] = vec
    concept_vec = np.mean([_CONCEPT_VECTORS[(embedder.model_id, e)] for e in expansions], axis=0)
    combined = query_vec + concept_vec
    norm = float(np.linalg.norm(combined))
    out: npt.NDArray[np.float32] = (combined / norm if norm > 0 else combined).astype(np.float32)
    return out


def _vector_scores(loaded: LoadedIndex, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Cosine similarity of the question to every card (exact: a few hundred distinct vectors)."""
    if loaded.matrix.shape[0] == 0:
        return np.zeros(len(loaded.cards), dtype=np.float32)
    sims = loaded.matrix @ query
    per_card: npt.NDArray[np.float32] = np.where(loaded.vector_row >= 0, sims[loaded.vector_row], 0.0).astype(
        np.float32
    )
    return per_card
