"""The card index kept in a Chroma server: what lets N API workers on different machines share one index.

With a server, nothing of the index touches local disk. Each patient still gets their own collection
(named by ``patient_key``, so isolation holds at the storage level and erasure is one ``delete_collection``),
and that collection holds everything the on-disk store keeps in three places:

- one record per distinct card meaning (id ``text_key``, the real vector, the text as document) — the
  vectors ranking uses, exactly as in the embedded store;
- card bodies in a few *shard* records (id ``cards:N``, a JSON object ``{card id: "hash json"}`` as the
  document): one record per card would cost an HNSW insert per card, which is what made the first
  on-disk layout slow (93 s for 45,000 cards); a shard of a few hundred cards is one insert;
- a *manifest* (id ``manifest``): every card's content hash and the vector texts held, read by an
  incremental re-sync in one request, plus a ``generation`` in its metadata that changes on every write.
  A worker compares that one small field before each search and reloads when another worker re-synced
  or erased the patient, so no worker answers from a stale copy.

Shards and the manifest carry a fixed unit vector as embedding (the server requires one); they are told
apart from vectors by their ``kind`` metadata and never take part in ranking, which happens in memory.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import uuid
from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from retrieval.index import BATCH, patient_key
from retrieval.model import Card

MANIFEST_ID = "manifest"
SHARD_PREFIX = "cards:"
CARDS_PER_SHARD = 400
# Shard records written per request: a shard of 400 cards is about 0.4 MB of JSON.
SHARDS_PER_REQUEST = 8
LAYOUT_VERSION = 1

T = TypeVar("T")


class IndexUnavailable(RuntimeError):
    """The index server cannot be reached or refused a request (an upstream failure, not bad input)."""


class ChromaServer:
    """A connection to one Chroma server, shared by every patient's store; opened on first use so that a
    worker starts (and reports not ready) while the server is down."""

    def __init__(self, url: str, *, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the Chroma URL must look like http://host:8000, got {url!r}")
        if parts.path not in ("", "/") or parts.query:
            raise ValueError(f"the Chroma URL takes no path or query, got {url!r}")
        self.url = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.hostname
        self.ssl = parts.scheme == "https"
        self.port = parts.port or (443 if self.ssl else 8000)
        self._headers = headers
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                self._client = self.call(
                    chromadb.HttpClient,
                    host=self.host,
                    port=self.port,
                    ssl=self.ssl,
                    headers=self._headers,
                    settings=ChromaSettings(anonymized_telemetry=False),
                )
            return self._client

    def call(self, operation: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run one request; a server that is down or failing becomes ``IndexUnavailable`` with the URL."""
        from chromadb.errors import ChromaError, NotFoundError

        try:
            return operation(*args, **kwargs)
        except NotFoundError:
            raise
        except (ChromaError, OSError, ValueError) as exc:
            raise IndexUnavailable(f"the Chroma server at {self.url} failed: {exc}") from exc
        except Exception as exc:  # httpx transport errors and the like, without importing httpx here
            if type(exc).__module__.startswith(("httpx", "httpcore")):
                raise IndexUnavailable(f"the Chroma server at {self.url} cannot be reached: {exc}") from exc
            raise

    def ping(self) -> str:
        self.call(self.client.heartbeat)
        return f"chroma server at {self.url}"

    def close(self) -> None:
        with self._lock:
            self._client = None


def shard_of(card_id: str, shards: int) -> int:
    return int(hashlib.sha256(card_id.encode("utf-8")).hexdigest()[:8], 16) % shards


def shard_id(n: int) -> str:
    return f"{SHARD_PREFIX}{n}"


class ServerPatientStore:
    """One patient's collection on a Chroma server; the same interface as the on-disk ``PatientStore``."""

    def __init__(self, server: ChromaServer, patient_id: str) -> None:
        self.key = patient_key(patient_id)
        self._server = server
        self._collection: Any = None
        self._manifest: dict[str, Any] | None = None
        self._generation: str | None = None
        self._read = False

    # -- collection access -------------------------------------------------------------------------
    def _open(self, *, create: bool) -> Any | None:
        if self._collection is None:
            from chromadb.errors import NotFoundError

            client = self._server.client
            if create:
                self._collection = self._server.call(
                    client.get_or_create_collection,
                    name=self.key,
                    embedding_function=None,
                    metadata={"hnsw:space": "cosine"},
                )
            else:
                try:
                    self._collection = self._server.call(
                        client.get_collection, name=self.key, embedding_function=None
                    )
                except NotFoundError:
                    return None
        return self._collection

    def _get(self, **kwargs: Any) -> dict[str, Any] | None:
        """``collection.get`` that treats a collection deleted meanwhile (by another worker) as empty."""
        from chromadb.errors import NotFoundError

        for _ in range(2):
            collection = self._open(create=False)
            if collection is None:
                return None
            try:
                got: dict[str, Any] = self._server.call(collection.get, **kwargs)
                return got
            except NotFoundError:
                self._collection = None  # deleted, maybe re-created: look it up again once
        return None

    # -- reads -------------------------------------------------------------------------------------
    def generation(self) -> str | None:
        """The manifest's generation, read fresh (one small request); ``None`` if nothing is indexed."""
        got = self._get(ids=[MANIFEST_ID], include=["metadatas"])
        if not got or not got["ids"]:
            return None
        return str(got["metadatas"][0].get("generation"))

    def refresh(self) -> None:
        """Forget what was read: the next read sees what other workers wrote since."""
        self._manifest = None
        self._generation = None
        self._read = False

    def _current(self) -> dict[str, Any] | None:
        if not self._read:
            got = self._get(ids=[MANIFEST_ID], include=["documents", "metadatas"])
            if got and got["ids"]:
                self._manifest = json.loads(got["documents"][0])
                self._generation = str(got["metadatas"][0].get("generation"))
            else:
                self._manifest, self._generation = None, None
            self._read = True
        return self._manifest

    @property
    def loaded_generation(self) -> str | None:
        """The generation of the manifest the last reads came from."""
        return self._generation

    def exists(self) -> bool:
        return self.generation() is not None

    def needs_rebuild(self) -> bool:
        manifest = self._current()
        return manifest is not None and manifest.get("layout") != LAYOUT_VERSION

    def hashes(self) -> dict[str, str]:
        manifest = self._current()
        return dict(manifest["hashes"]) if manifest else {}

    def text_keys(self) -> Collection[str]:
        manifest = self._current()
        return set(manifest["texts"]) if manifest else set()

    def count(self) -> int:
        manifest = self._current()
        return len(manifest["hashes"]) if manifest else 0

    def _bodies(self, shard_numbers: Sequence[int]) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {n: {} for n in shard_numbers}
        ids = [shard_id(n) for n in shard_numbers]
        for start in range(0, len(ids), SHARDS_PER_REQUEST):
            got = self._get(ids=ids[start : start + SHARDS_PER_REQUEST], include=["documents"])
            for sid, doc in zip(got["ids"] if got else [], got["documents"] if got else [], strict=True):
                out[int(sid.removeprefix(SHARD_PREFIX))] = json.loads(doc)
        return out

    def cards(self) -> list[Card]:
        """The manifest's cards, in the manifest's order (the order the on-disk store keeps too)."""
        manifest = self._current()
        if not manifest:
            return []
        bodies: dict[str, str] = {}
        for shard in self._bodies(range(manifest["shards"])).values():
            bodies.update(shard)
        return [Card.from_json(bodies[cid][33:]) for cid in manifest["hashes"] if cid in bodies]

    def vectors(self) -> dict[str, npt.NDArray[np.float32]]:
        manifest = self._current()
        keys = list(manifest["texts"]) if manifest else []
        out: dict[str, npt.NDArray[np.float32]] = {}
        for start in range(0, len(keys), BATCH):
            got = self._get(ids=keys[start : start + BATCH], include=["embeddings"])
            if got:
                for tid, vec in zip(got["ids"], got["embeddings"], strict=True):
                    out[tid] = np.asarray(vec, dtype=np.float32)
        return out

    # -- writes ------------------------------------------------------------------------------------
    def apply(
        self,
        changed: Sequence[Card],
        removed: Sequence[str],
        new_texts: dict[str, str],
        vectors: npt.NDArray[np.float32],
        dead_texts: Sequence[str],
    ) -> None:
        """Vectors first, then the touched shards, the manifest last: a crash in between leaves the old
        manifest, whose hashes no longer match, so the next sync writes the same changes again."""
        manifest = self._current() or {"layout": LAYOUT_VERSION, "shards": 0, "hashes": {}, "texts": []}
        collection = self._open(create=True)
        assert collection is not None
        call = self._server.call
        keys = list(new_texts)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            call(
                collection.upsert,
                ids=chunk,
                embeddings=vectors[start : start + BATCH],
                documents=[new_texts[k] for k in chunk],
                metadatas=[{"kind": "vector"}] * len(chunk),
            )
        for start in range(0, len(dead_texts), BATCH):
            call(collection.delete, ids=list(dead_texts[start : start + BATCH]))

        hashes: dict[str, str] = manifest["hashes"]
        for cid in removed:
            hashes.pop(cid, None)
        for card in changed:
            hashes[card.id] = card.content_hash
        old_shards = int(manifest["shards"])
        wanted = max(1, math.ceil(len(hashes) / CARDS_PER_SHARD))
        reshard = old_shards == 0 or wanted > 4 * old_shards
        if reshard:
            shards = self._reshard(old_shards, wanted, changed, hashes)
        else:
            shards = self._touched(old_shards, changed, removed)
        self._write_shards(collection, shards, vectors.shape[1])
        manifest["shards"] = wanted if reshard else old_shards
        manifest["hashes"] = hashes
        manifest["texts"] = sorted((set(manifest["texts"]) - set(dead_texts)) | set(new_texts))
        manifest["layout"] = LAYOUT_VERSION
        generation = uuid.uuid4().hex
        call(
            collection.upsert,
            ids=[MANIFEST_ID],
            embeddings=_placeholder(1, vectors.shape[1]),
            documents=[json.dumps(manifest, ensure_ascii=False)],
            metadatas=[{"kind": "manifest", "generation": generation, "cards": len(hashes)}],
        )
        self._manifest, self._generation, self._read = manifest, generation, True

    def _touched(
        self, shards: int, changed: Sequence[Card], removed: Sequence[str]
    ) -> dict[int, dict[str, str]]:
        """Only the shards holding a changed or removed card are read and rewritten."""
        touched = sorted({shard_of(c.id, shards) for c in changed} | {shard_of(i, shards) for i in removed})
        bodies = self._bodies(touched)
        for cid in removed:
            bodies[shard_of(cid, shards)].pop(cid, None)
        for card in changed:
            bodies[shard_of(card.id, shards)][card.id] = f"{card.content_hash} {card.to_json()}"
        return bodies

    def _reshard(
        self, old: int, shards: int, changed: Sequence[Card], hashes: dict[str, str]
    ) -> dict[int, dict[str, str]]:
        """First write, or a record that grew far past its shard count: every body into ``shards`` shards."""
        everything: dict[str, str] = {}
        for shard in self._bodies(range(old)).values():
            everything.update(shard)
        for card in changed:
            everything[card.id] = f"{card.content_hash} {card.to_json()}"
        out: dict[int, dict[str, str]] = {n: {} for n in range(shards)}
        for cid in hashes:
            if cid in everything:
                out[shard_of(cid, shards)][cid] = everything[cid]
        return out

    def _write_shards(self, collection: Any, shards: dict[int, dict[str, str]], dimensions: int) -> None:
        numbers = sorted(shards)
        for start in range(0, len(numbers), SHARDS_PER_REQUEST):
            chunk = numbers[start : start + SHARDS_PER_REQUEST]
            self._server.call(
                collection.upsert,
                ids=[shard_id(n) for n in chunk],
                embeddings=_placeholder(len(chunk), dimensions),
                documents=[json.dumps(shards[n], ensure_ascii=False) for n in chunk],
                metadatas=[{"kind": "cards"}] * len(chunk),
            )

    def close(self) -> None:
        self._collection = None
        self.refresh()

    def erase(self) -> bool:
        """Delete the patient's collection on the server; ``True`` if there was one."""
        from chromadb.errors import NotFoundError

        client = self._server.client
        self.close()
        try:
            self._server.call(client.delete_collection, self.key)
        except NotFoundError:
            return False
        return True


def _placeholder(rows: int, dimensions: int) -> npt.NDArray[np.float32]:
    """A fixed unit vector for records that are not vectors (shards, manifest); never ranked."""
    out = np.zeros((rows, max(1, dimensions)), dtype=np.float32)
    out[:, 0] = 1.0
    return out
