"""The browser fixture must leave no event loop running behind it.

Playwright's sync API marks its loop as running in the calling thread for as long as it is open. When the
fixture lived for the whole session, an ``async def`` test scheduled after a browser test on the same
pytest-xdist worker failed — on the days the scheduler happened to put them together. This runs that
order on purpose, in a child pytest: a browser module first, then an async test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BROWSER_MODULE = """
from playwright.sync_api import Browser


def test_opens_a_page(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content("<p id='x'>hello</p>")
    assert page.inner_text("#x") == "hello"
    page.close()
"""

ASYNC_MODULE = """
import asyncio


async def test_runs_on_a_fresh_loop() -> None:
    await asyncio.sleep(0)
    assert asyncio.get_running_loop() is not None
"""

CONFTEST = """
from tests.ui.conftest import browser  # noqa: F401  (the fixture under test)
"""


@pytest.mark.timeout(300)
def test_an_async_test_after_a_browser_module_gets_its_own_loop(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_a_browser.py").write_text(BROWSER_MODULE)
    (tmp_path / "test_b_async.py").write_text(ASYNC_MODULE)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--rootdir",
            str(tmp_path),
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            str(tmp_path / "test_a_browser.py"),
            str(tmp_path / "test_b_async.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
