"""The on-disk card index: one chromadb store per patient, incremental re-sync, erasure.

(The same index kept in a Chroma server instead, for workers on several machines, is
``retrieval.chroma_server``; ``sync_cards`` works on either through ``CardStore``.)

Each patient gets their own directory *and* their own collection under the index root the caller names, so
isolation holds at the storage level (no query can reach another patient's vectors) and erasure is a
directory removal that leaves nothing behind in a shared database file. Directory and collection names are
derived from a hash of the patient id, so ids never appear in file names and any id is safe to use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from retrieval.embedding import Embedder
from retrieval.model import Card

BATCH = 4000
DATE_MISSING = -1


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed and where the time went (cards are built by the caller)."""

    patient_key: str
    total: int
    added: int
    updated: int
    removed: int
    unchanged: int
    embedded_texts: int
    embed_seconds: float
    index_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "cards": self.total,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "embedded_texts": self.embedded_texts,
            "embed_seconds": round(self.embed_seconds, 3),
            "index_seconds": round(self.index_seconds, 3),
        }


def patient_key(patient_id: str) -> str:
    """A storage-safe name for a patient: chromadb accepts [a-zA-Z0-9._-], 3–512 characters."""
    if not patient_id or not patient_id.strip():
        raise ValueError("a patient id is required to index a record")
    return "p-" + hashlib.sha256(patient_id.strip().encode("utf-8")).hexdigest()[:32]


def date_ordinal(d: date | None) -> int:
    return d.toordinal() if d else DATE_MISSING


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class CardStore(Protocol):
    """What a sync and a search need from a patient's store: ``PatientStore`` on local disk, or
    ``ServerPatientStore`` in a Chroma server (``retrieval.chroma_server``)."""

    key: str

    def refresh(self) -> None: ...
    def needs_rebuild(self) -> bool: ...
    def hashes(self) -> dict[str, str]: ...
    def text_keys(self) -> Collection[str]: ...
    def cards(self) -> list[Card]: ...
    def vectors(self) -> dict[str, npt.NDArray[np.float32]]: ...
    def apply(
        self,
        changed: Sequence[Card],
        removed: Sequence[str],
        new_texts: dict[str, str],
        vectors: npt.NDArray[np.float32],
        dead_texts: Sequence[str],
    ) -> None: ...
    def close(self) -> None: ...
    def erase(self) -> Any: ...


class PatientStore:
    """One patient's store under ``root / patient_key``: a chromadb collection of vectors, ``cards.json``
    (card bodies and content hashes) and ``texts.json`` (which vector texts the collection holds).

    The collection holds one vector per distinct card meaning (``Card.embed_text``), not one per card: a
    long history repeats a few hundred kinds of entry (every blood pressure reading means the same thing),
    so 45,000 cards need about 200 vectors. Storing 45,000 copies cost 93 s of HNSW inserts for nothing;
    filters and per-card scores are applied in memory over the card list, so nothing is lost. Card bodies
    live beside the collection, and an unchanged re-sync reads only the two JSON files.
    """

    CARDS_FILE = "cards.json"
    TEXTS_FILE = "texts.json"

    def __init__(self, root: Path, patient_id: str) -> None:
        self.key = patient_key(patient_id)
        self.path = Path(root) / self.key
        self._client: Any = None
        self._collection: Any = None
        self._cards: dict[str, str] | None = None
        self._texts: dict[str, str] | None = None

    @property
    def collection(self) -> Any:
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            self.path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(
                path=str(self.path / "chroma"),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
            self._collection = self._client.get_or_create_collection(
                name=self.key, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        return self._collection

    def exists(self) -> bool:
        return (self.path / self.CARDS_FILE).is_file()

    def refresh(self) -> None:
        """Nothing to do: this process is the only writer it assumes (what it read stays true)."""

    def needs_rebuild(self) -> bool:
        """Written by the first layout (one vector per card, no ``texts.json``): rebuild rather than mix."""
        return self.exists() and not (self.path / self.TEXTS_FILE).is_file()

    def _read(self, name: str) -> dict[str, str]:
        file = self.path / name
        data: dict[str, str] = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
        return data

    def _bodies(self) -> dict[str, str]:
        if self._cards is None:
            self._cards = self._read(self.CARDS_FILE)
        return self._cards

    def texts(self) -> dict[str, str]:
        """Vector texts held in the collection, by ``text_key``."""
        if self._texts is None:
            self._texts = self._read(self.TEXTS_FILE)
        return self._texts

    def text_keys(self) -> Collection[str]:
        return self.texts().keys()

    def hashes(self) -> dict[str, str]:
        return {cid: body[:32] for cid, body in self._bodies().items()}

    def cards(self) -> list[Card]:
        return [Card.from_json(body[33:]) for body in self._bodies().values()]

    def count(self) -> int:
        return len(self._bodies())

    def vectors(self) -> dict[str, npt.NDArray[np.float32]]:
        """Every vector of the collection by ``text_key`` (a few hundred at most, read once per load)."""
        if not self.texts():
            return {}
        got = self.collection.get(include=["embeddings"])
        return {
            tid: np.asarray(vec, dtype=np.float32)
            for tid, vec in zip(got["ids"], got["embeddings"], strict=True)
        }

    def apply(
        self,
        changed: Sequence[Card],
        removed: Sequence[str],
        new_texts: dict[str, str],
        vectors: npt.NDArray[np.float32],
        dead_texts: Sequence[str],
    ) -> None:
        """Write vectors first and the JSON files last, so a crash in between only causes a re-embed."""
        keys = list(new_texts)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            self.collection.upsert(
                ids=chunk, embeddings=vectors[start : start + BATCH], documents=[new_texts[k] for k in chunk]
            )
        for start in range(0, len(dead_texts), BATCH):
            self.collection.delete(ids=list(dead_texts[start : start + BATCH]))
        bodies = self._bodies()
        for cid in removed:
            bodies.pop(cid, None)
        for card in changed:
            bodies[card.id] = f"{card.content_hash} {card.to_json()}"
        texts = self.texts()
        for key in dead_texts:
            texts.pop(key, None)
        texts.update(new_texts)
        self.path.mkdir(parents=True, exist_ok=True)
        self._write(self.TEXTS_FILE, texts)
        self._write(self.CARDS_FILE, bodies)

    def _write(self, name: str, data: dict[str, str]) -> None:
        tmp = self.path / (name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path / name)

    def close(self) -> None:
        if self._client is not None:
            with suppress(Exception):
                self._client.close()
        self._client = self._collection = None

    def erase(self) -> None:
        if (self.path / "chroma").exists():
            with suppress(Exception):
                _ = self.collection
                self._client.delete_collection(self.key)
        self.close()
        self._cards = self._texts = None
        shutil.rmtree(self.path, ignore_errors=True)


def sync_cards(store: CardStore, cards: Sequence[Card], embedder: Embedder) -> SyncReport:
    """Bring the store in line with ``cards``: embed only texts the store lacks, drop what nothing uses."""
    t0 = time.perf_counter()
    store.refresh()
    if store.needs_rebuild():
        store.erase()
    unique: dict[str, Card] = {}
    for card in cards:
        unique[card.id] = card
    stored = store.hashes()
    changed = [c for c in unique.values() if stored.get(c.id) != c.content_hash]
    removed = [i for i in stored if i not in unique]
    added = sum(1 for c in changed if c.id not in stored)
    held = store.text_keys()
    new_texts: dict[str, str] = {}
    dead: list[str] = []
    if changed or removed:
        needed = {text_key(c.embed_text): c.embed_text for c in unique.values()}
        new_texts = {k: v for k, v in needed.items() if k not in held}
        dead = [k for k in held if k not in needed]
    t1 = time.perf_counter()
    vectors = (
        embedder.embed(list(new_texts.values()))
        if new_texts
        else np.zeros((0, embedder.dimensions), dtype=np.float32)
    )
    t2 = time.perf_counter()
    if changed or removed:
        store.apply(changed, removed, new_texts, vectors, dead)
    t3 = time.perf_counter()
    return SyncReport(
        patient_key=store.key,
        total=len(unique),
        added=added,
        updated=len(changed) - added,
        removed=len(removed),
        unchanged=len(unique) - len(changed),
        embedded_texts=len(new_texts),
        embed_seconds=t2 - t1,
        index_seconds=(t1 - t0) + (t3 - t2),
    )


def stored_keys(root: Path) -> Iterator[str]:
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.is_dir() and child.name.startswith("p-"):
                yield child.name
