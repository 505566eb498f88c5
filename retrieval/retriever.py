"""``RecordRetriever``: the one object the assistant and the CLI hold for a record's index lifecycle.

It builds cards, syncs them into the patient's own store, answers ranked searches and erases a patient's
data. Everything it needs (index directory or Chroma server URL, embedder, concept map) comes in through
the constructor.

Without ``chroma_url`` the stores are embedded chromadb directories under ``index_dir`` and a process
trusts what it loaded. With ``chroma_url`` every store is a collection on that server, nothing is written
locally, and each search first compares the patient's manifest generation on the server (one small
request) so that a worker sees another worker's re-sync or erasure at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fhir_client import PatientRecord
from retrieval.cards import build_cards
from retrieval.chroma_server import ChromaServer, ServerPatientStore
from retrieval.concepts import ConceptMap
from retrieval.embedding import Embedder, MiniLMEmbedder
from retrieval.index import CardStore, PatientStore, SyncReport, patient_key, sync_cards
from retrieval.model import Card
from retrieval.search import LoadedIndex, SearchHit, rank


@dataclass(frozen=True)
class IndexReport:
    """What ``index_record`` did, with the time spent building cards and syncing the store."""

    patient: str
    cards_seconds: float
    sync: SyncReport

    def as_dict(self) -> dict[str, Any]:
        return {"patient": self.patient, "cards_seconds": round(self.cards_seconds, 3), **self.sync.as_dict()}


class RecordRetriever:
    def __init__(
        self,
        index_dir: Path,
        *,
        embedder: Embedder | None = None,
        concepts: ConceptMap | None = None,
        chroma_url: str | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.concepts = concepts or ConceptMap.load()
        self._embedder = embedder
        self.server = ChromaServer(chroma_url) if chroma_url else None
        self._stores: dict[str, CardStore] = {}
        self._loaded: dict[str, LoadedIndex] = {}
        self._generations: dict[str, str | None] = {}
        # API requests run in a thread pool: a patient's store is opened once, and its syncs and loads
        # (which share the manifest with a server, the card files on disk) happen one at a time per
        # patient. Every cache here is keyed by patient id; nothing of one patient is kept in a shared slot.
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """Created on first use so that exact queries and erasure never load the model (once, even when
        several threads ask at the same moment)."""
        if self._embedder is None:
            with self._locks_guard:
                if self._embedder is None:
                    self._embedder = MiniLMEmbedder()
        return self._embedder

    def cards_for(self, record: PatientRecord) -> list[Card]:
        return build_cards(record, self.concepts)

    def index_record(self, record: PatientRecord) -> IndexReport:
        t0 = time.perf_counter()
        cards = self.cards_for(record)
        t1 = time.perf_counter()
        report = self.sync(record.patient_id, cards)
        return IndexReport(patient=record.patient_ref, cards_seconds=t1 - t0, sync=report)

    def sync(self, patient_id: str, cards: list[Card]) -> SyncReport:
        with self._lock(patient_id):
            report = sync_cards(self._store(patient_id), cards, self.embedder)
            if report.added or report.updated or report.removed:
                self._loaded.pop(patient_id, None)
        return report

    def is_indexed(self, patient_id: str) -> bool:
        if self.server is not None:
            store = self._store(patient_id)
            assert isinstance(store, ServerPatientStore)
            return store.exists()
        return (self.index_dir / patient_key(patient_id) / PatientStore.CARDS_FILE).is_file()

    def ping(self) -> str:
        """Readiness: the index can be written (embedded) or the server answers; raises otherwise."""
        if self.server is not None:
            return self.server.ping()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        marker = self.index_dir / ".ready-probe"
        marker.write_text("ok", encoding="utf-8")
        marker.unlink()
        return f"embedded chromadb at {self.index_dir}"

    def search(
        self,
        patient_id: str,
        query: str,
        *,
        k: int = 5,
        types: list[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SearchHit]:
        """Ranked cards of this patient only. An empty or whitespace query is a caller error."""
        if not query or not query.strip():
            raise ValueError("the search query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        return rank(
            self._load(patient_id),
            self.embedder,
            self.concepts,
            query,
            k=k,
            types=types,
            since=since,
            until=until,
        )

    def stored_cards(self, patient_id: str) -> list[Card]:
        return list(self._load(patient_id).cards)

    def erase(self, patient_id: str) -> bool:
        """Right to erasure: delete the patient's collection and every file of their store (with a server,
        the patient's collection on it; nothing was stored locally)."""
        key = patient_key(patient_id)
        self._loaded.pop(patient_id, None)
        self._generations.pop(patient_id, None)
        store = self._stores.pop(patient_id, None)
        if self.server is not None:
            if store is not None:
                store.close()
            return bool(ServerPatientStore(self.server, patient_id).erase())
        path = self.index_dir / key
        existed = path.exists()
        if store is None and existed:
            store = PatientStore(self.index_dir, patient_id)
        if store is not None:
            store.erase()
        return existed

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()
        self._loaded.clear()
        self._generations.clear()
        if self.server is not None:
            self.server.close()

    def _store(self, patient_id: str) -> CardStore:
        with self._locks_guard:
            store = self._stores.get(patient_id)
            if store is None:
                if self.server is not None:
                    store = ServerPatientStore(self.server, patient_id)
                else:
                    store = PatientStore(self.index_dir, patient_id)
                self._stores[patient_id] = store
            return store

    def _load(self, patient_id: str) -> LoadedIndex:
        if self.server is not None:
            return self._load_from_server(patient_id)
        loaded = self._loaded.get(patient_id)
        if loaded is not None:
            return loaded
        with self._lock(patient_id):
            loaded = self._loaded.get(patient_id)
            if loaded is None:
                if not self.is_indexed(patient_id):
                    raise LookupError("this patient's record has not been indexed yet (run ingest first)")
                store = self._store(patient_id)
                loaded = LoadedIndex(store, store.cards())
                self._loaded[patient_id] = loaded
            return loaded

    def _load_from_server(self, patient_id: str) -> LoadedIndex:
        """Reuse the cards in memory while the server's generation is the one they were read at."""
        store = self._store(patient_id)
        assert isinstance(store, ServerPatientStore)
        generation = store.generation()
        if generation is None:
            self._loaded.pop(patient_id, None)
            self._generations.pop(patient_id, None)
            raise LookupError("this patient's record has not been indexed yet (run ingest first)")
        with self._lock(patient_id):
            loaded = self._loaded.get(patient_id)
            if loaded is None or self._generations.get(patient_id) != generation:
                store.refresh()
                loaded = LoadedIndex(store, store.cards())
                self._loaded[patient_id] = loaded
                self._generations[patient_id] = store.loaded_generation
            return loaded

    def _lock(self, patient_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(patient_id, threading.Lock())
