"""Shared fixtures for the triage tests: one engine per session (loading compiles ~80 rules)."""

from __future__ import annotations

import pytest

from assistant.guardrails.triage import TriageEngine


@pytest.fixture(scope="session")
def engine() -> TriageEngine:
    return TriageEngine.load()
