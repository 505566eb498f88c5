"""Hands the test's ``CoreClient`` to the app script AppTest runs in this process."""

from __future__ import annotations

from ui.backend import CoreClient

_CLIENT: list[CoreClient] = []


def use(client: CoreClient) -> None:
    _CLIENT[:] = [client]


def client() -> CoreClient:
    if not _CLIENT:
        raise RuntimeError("the test did not set a client (tests.ui.harness.use)")
    return _CLIENT[0]
