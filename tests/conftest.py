"""Shared fixtures: one real demo clinic server per test session, on a free port of 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The demo clinic, seeded. Tests that write must create their own resources (or use a private
    ``Sandbox``) so that they never change what other tests read."""
    with Sandbox(port=0) as sb:
        yield sb


@pytest.fixture(scope="session")
def sandbox_url(sandbox: Sandbox) -> str:
    return sandbox.base_url
