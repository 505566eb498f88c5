"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX from a PyPI wheel) run with onnxruntime."""

from retrieval.embedding.minilm import Embedder, EmbeddingModelMissing, MiniLMEmbedder, default_model_path

__all__ = ["Embedder", "EmbeddingModelMissing", "MiniLMEmbedder", "default_model_path"]
