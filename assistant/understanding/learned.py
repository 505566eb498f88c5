"""A learned signal for intents: the routing table's own examples, nearest in meaning to the message.

When no entry of the routing table matches a message, the reader may still guess what is asked from the
examples the table holds: each example is embedded once with the embedding model the project already ships
(all-MiniLM-L6-v2 as int8 ONNX, ``retrieval.MiniLMEmbedder``, offline, CPU), and the message is compared
with them. The closest example, when it is close enough, gives its entry's intent — with a low score
(``LEARNED_SCORE``, below every entry of the table) and ``learned:<entry id>`` as evidence, so the audit
shows where it came from.

It is only ever one signal among others: it never runs when the table has read an intent, never removes
or outranks one, and is never a risk signal — safety (self-harm, emergencies, refusals) is decided by the
signal table, the triage protocols and the guard, which do not read it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.understanding.intents import TOPIC_DETAIL, RoutingTable
from assistant.understanding.model import ConversationContext, Intent
from assistant.understanding.stage import Draft
from retrieval import Embedder

__all__ = ["LEARNED_SCORE", "NearestExamples"]

LEARNED_SCORE = 0.15  # below every routing-table entry (the lowest priority is 20)
DEFAULT_THRESHOLD = (
    0.62  # cosine similarity; on the dev set the signal did not help at any threshold (RESULTS.md)
)


@dataclass(frozen=True)
class _Example:
    entry: str
    text: str


class NearestExamples:
    """``LearnedIntents`` for ``IntentReader``: the intent of the nearest routing-table example."""

    def __init__(
        self, table: RoutingTable, embedder: Embedder, *, threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.table = table
        self.embedder = embedder
        self.threshold = threshold
        self._examples = [
            _Example(entry.id, text)
            for entry in table.entries
            if entry.intent is not None  # follow-up entries mean nothing without their context
            for lang in ("en", "fr")
            for text in entry.examples.get(lang, ())
        ]
        self._vectors: npt.NDArray[np.float32] | None = None
        self._lock = threading.Lock()

    def _matrix(self) -> npt.NDArray[np.float32]:
        with self._lock:  # embedded once, on first use (start-up stays fast when the signal is never needed)
            if self._vectors is None:
                self._vectors = self.embedder.embed([e.text for e in self._examples])
            return self._vectors

    def nearest(self, text: str) -> tuple[str, float]:
        """The nearest example's entry id and its cosine similarity."""
        vector = self.embedder.embed([text])[0]
        sims = self._matrix() @ vector
        best = int(np.argmax(sims))
        return self._examples[best].entry, float(sims[best])

    def __call__(self, draft: Draft, context: ConversationContext) -> Sequence[Intent]:
        if not self._examples or not draft.text.clean.strip():
            return ()
        entry_id, similarity = self.nearest(draft.text.clean)
        if similarity < self.threshold:
            return ()
        entry = self.table.entry(entry_id)
        assert entry.intent is not None
        detail = entry.detail
        if detail == TOPIC_DETAIL:
            detail = self.table.topic_in(draft.text.folded)
        return (
            Intent(
                kind=entry.intent,
                score=LEARNED_SCORE,
                clause=0 if draft.clauses else None,
                detail=detail,
                evidence=(f"learned:{entry.id}",),
            ),
        )
