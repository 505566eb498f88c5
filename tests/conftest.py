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


# Tests whose answer depends on what day and time it is: booking and scheduling ("tomorrow", "next week",
# today's free slots), the demo clinic's slot horizon, and turns and triage that take a clock. They are
# marked ``clock`` so that ``make test`` runs them a second time with the machine's clock faked (a
# Saturday, a Friday at 23:30, New Year's Eve, the night the clocks change): they must not notice.
CLOCK_SENSITIVE = (
    "tests/booking/",
    "tests/scheduling/",
    "tests/clinic_sandbox/test_sandbox_clinic.py",
    "tests/api/test_api_booking.py",
    "tests/ui/test_ui_booking.py",
    "tests/assistant/test_assistant_turns.py",
    "tests/guardrails/triage/test_triage_records.py",
    "tests/test_architecture_clock.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if path.startswith(CLOCK_SENSITIVE):
            item.add_marker(pytest.mark.clock)
