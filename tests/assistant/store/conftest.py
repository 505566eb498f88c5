"""Fixtures for the store tests: a real SQLite file in tmp_path and a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.store import SessionStore, sqlite_url


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "data")


@pytest.fixture
def store(db_url: str, clock: FakeClock) -> Iterator[SessionStore]:
    with SessionStore(db_url, clock=clock) as opened:
        yield opened
