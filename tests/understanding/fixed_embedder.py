"""An embedder for unit tests at the embedder seam: known texts map to hand-chosen directions.

Why: the learned readers' decision rules (nearest example, trained head) are tested with vectors whose
similarities are known exactly, not with a model whose numbers move between versions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.embedding.minilm import DIMENSIONS

NEUTRAL = (0.0, 0.0, 1.0)  # what every text without a given direction maps to


class FixedEmbedder:
    """Known texts to the given directions (normalised), every other text to ``NEUTRAL``."""

    model_id = "fixed"

    def __init__(self, vectors: dict[str, Sequence[float]]) -> None:
        self.vectors = vectors

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            given = self.vectors.get(text, NEUTRAL)
            v = np.zeros(DIMENSIONS, dtype=np.float32)
            v[: len(given)] = given
            out[i] = v / np.linalg.norm(v)
        return out
