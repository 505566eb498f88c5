"""Thread safety of per-patient state, through the real API and uvicorn's thread pool.

A lighter run of ``tests/api/concurrency.py`` than the benchmark's 10,000 turns (``python -m benchmarks
concurrency``, figures in benchmarks/RESULTS.md): enough interleaving that a shared per-patient slot in the
guard, the pseudonymiser or the service shows up as a wrongly triaged or wrongly cited turn.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api.concurrency import KNOCK, check, drive, two_patient_api

pytestmark = pytest.mark.integration

TURNS = 1_200
THREADS = 16


def test_every_decision_cites_only_its_own_patient_under_many_threads(tmp_path: Path) -> None:
    with two_patient_api(tmp_path) as (url, josue, lupe):
        outcome = drive(url, josue, lupe, turns=TURNS, threads=THREADS)
    assert outcome.turns == TURNS
    assert outcome.problems == []


def test_the_checks_would_see_a_crossed_decision(tmp_path: Path) -> None:
    """The per-turn checks are not vacuous: Lupe's reply judged as Josue's fails them."""
    with (
        two_patient_api(tmp_path) as (url, josue, lupe),
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {lupe.token}"}) as client,
    ):
        session = client.post("/v1/sessions", json={}).json()["session_id"]
        turn = client.post(f"/v1/sessions/{session}/messages", json={"text": KNOCK}).json()
    assert check(turn, KNOCK, lupe, josue) == []
    assert check(turn, KNOCK, josue, lupe) != []
