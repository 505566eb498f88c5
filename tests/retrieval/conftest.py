"""Session fixtures for retrieval tests: the real offline embedder (loaded once) and a shared index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from retrieval_data import record

from retrieval import MiniLMEmbedder, RecordRetriever


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """One real int8 MiniLM for the whole session (loading it costs about half a second)."""
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def shared_index(
    tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder
) -> Iterator[RecordRetriever]:
    """An on-disk index holding three shared patients, built once for ranking tests (read-only)."""
    retriever = RecordRetriever(tmp_path_factory.mktemp("shared-index"), embedder=embedder)
    for name in ("Josue_Sipes", "Fidel_Bins", "Martina_Murazik"):
        retriever.index_record(record(name))
    yield retriever
    retriever.close()
