"""Shared fixtures: one real demo clinic server per test session, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from tests.clocks import NOW, TODAY_TEXT

# Every composition root a test starts in process (the CLI through CliRunner, ``build_api``) or as a child
# process that inherits the environment reads its clock from settings: freeze it at the tests' ``NOW``.
os.environ["HEALTH_ASSISTANT_NOW"] = NOW.isoformat()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The demo clinic, seeded with the tests' fixed today (``tests.clocks``). Tests that write must create their own resources (or use a private
    ``Sandbox``) so that they never change what other tests read."""
    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb


@pytest.fixture(scope="session")
def sandbox_url(sandbox: Sandbox) -> str:
    return sandbox.base_url
