"""Shared fixtures: one real demo clinic server per test session, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from sandbox import Sandbox
from tests.clocks import NOW, TODAY_TEXT

# Every composition root a test starts in process (the CLI through CliRunner, ``build_api``) or as a child
# process that inherits the environment reads its clock from settings: freeze it at the tests' ``NOW``.
os.environ["HEALTH_ASSISTANT_NOW"] = NOW.isoformat()

# Property tests draw the same examples on every run: a red run must mean the code changed, not that the
# random draw found a new corner that day (a leetspeak oracle failed once on "g4 g4 mp4"). Explore freely
# with HYPOTHESIS_PROFILE=explore; a failure found there becomes a fixed example or a fixed oracle.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
    "tests/api/test_api_booking_commands.py",
    "tests/ui/test_ui_booking.py",
    "tests/assistant/test_assistant_turns.py",
    "tests/guardrails/triage/test_triage_records.py",
    "tests/test_architecture_clock.py",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fake-now",
        default=None,
        help="run with the machine clock faked from this instant on (ISO 8601 with an offset, it ticks): "
        "what `make test` does for the tests marked `clock`",
    )


def pytest_configure(config: pytest.Config) -> None:
    value = config.getoption("--fake-now")
    if value:
        import datetime as dt

        import time_machine

        start = dt.datetime.fromisoformat(value)
        if start.utcoffset() is None:
            raise pytest.UsageError("--fake-now needs a UTC offset, e.g. 2026-12-05T10:00:00+01:00")
        traveller = time_machine.travel(start, tick=True)
        traveller.start()
        config.stash[_TRAVELLER] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--fake-now")
    return f"machine clock faked: it read {value} when the run started" if value else None


_TRAVELLER = pytest.StashKey[object]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if path.startswith(CLOCK_SENSITIVE):
            item.add_marker(pytest.mark.clock)
