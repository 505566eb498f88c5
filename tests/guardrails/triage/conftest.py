"""Shared fixtures for the triage tests: one protocol engine and one understanding stage per session."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import ProtocolEngine
from assistant.understanding.stage import Understander


@pytest.fixture(scope="session")
def engine() -> ProtocolEngine:
    return ProtocolEngine.load()


@pytest.fixture(scope="session")
def understander() -> Understander:
    return Understander.default()
