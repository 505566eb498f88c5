"""'Connect my health record' end to end in a real browser (Debian's Chromium + Playwright), at desktop
and phone width: the app (``health-assistant ui``, its own process) in front of the demo clinic with
SMART sign-in on. Sign in at the clinic, pick the child (a parent), allow, agree in the app, read the
record, chat, see the consent in "My data", disconnect — then check at the clinic that the sign-in was
revoked and in the app's data that nothing of the child is left. The clinic's pages and the app's pages
are held to the same accessibility checks as the rest of the app (tap sizes, contrast, glyphs); the
screenshots go to ``benchmarks/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.store import AuditLog, SessionStore, sqlite_url
from health_assistant.smart_demo import environment, system_key
from sandbox import Sandbox
from tests.clocks import frozen
from tests.ui.a11y import low_contrast, page_unsafe_glyphs, small_targets
from tests.ui.test_ui_browser import (
    DESKTOP,
    PHONE,
    SHOTS,
    TIMEOUT_MS,
    assert_accessible,
    assistant_messages,
    settle,
    wait_for_reply,
)

# A whole app in a real browser, whose first reply builds the understanding stage: minutes on a loaded runner.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
LUIGI = "e27d88b0-c5e5-4042-ad49-184f6a900ee3"
DAISEY = "e916a083-8ee6-4df8-acbe-b711fa791253"
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, auth=True) as sb:
        yield sb


@pytest.fixture(scope="module")
def app(clinic: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from health_assistant.commands.ui import free_port

    data = tmp_path_factory.mktemp("connect-ui")
    assert clinic.system_key is not None
    _, key_file = system_key(data)
    key_file.write_bytes(clinic.system_key.as_pem(private=True))  # the key this clinic knows
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data),
        "HEALTH_ASSISTANT_DATA_DIR": str(data),
        **environment(clinic, key_file),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "health_assistant.cli", "ui", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(f"Patient app ready at http://127.0.0.1:{port}"), line
    try:
        yield f"http://127.0.0.1:{port}", data
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def assert_page_accessible(page: Page, where: str) -> None:
    """The clinic's own pages: the same thresholds as the app's."""
    small = [str(t) for t in small_targets(page)]
    low = [str(c) for c in low_contrast(page)]
    assert small == [] and low == [], f"{where}: {small} {low}"
    assert page_unsafe_glyphs(page) == [], where


@pytest.mark.parametrize(
    ("viewport", "child", "name"),
    [(DESKTOP, LUIGI, "Luigi Wiegand"), (PHONE, DAISEY, "Daisey Johns")],
    ids=["desktop", "phone"],
)
def test_connect_consent_record_chat_and_disconnect_in_a_real_browser(
    browser: Browser,
    app: tuple[str, Path],
    clinic: Sandbox,
    viewport: dict[str, int],
    child: str,
    name: str,
) -> None:
    url, data = app
    size = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_text("Record of Josue Sipes")).to_be_visible()  # the demo path, no sign-in
    before = clinic.auth_stats()

    # At the clinic: sign in as the parent, pick the child, see the scopes, allow.
    page.get_by_role("link", name="Connect my health record").first.click()
    expect(
        page.get_by_role("heading", name="Sign in to Maison de santé des Lilas (demo clinic)")
    ).to_be_visible()
    assert_page_accessible(page, "clinic sign-in")
    page.screenshot(path=str(SHOTS / f"connect-signin-{size}.png"))
    page.get_by_label("Username").fill("alex")
    page.get_by_label("Password").fill("alex-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Whose record do you want to open?")).to_be_visible()
    expect(page.get_by_text("Read the health record", exact=False)).to_be_visible()
    page.get_by_label(f"My child: {name}").check()
    assert_page_accessible(page, "clinic consent and patient picker")
    page.screenshot(path=str(SHOTS / f"connect-picker-{size}.png"), full_page=True)
    page.get_by_role("button", name="Allow", exact=True).click()

    # Back in the app: nothing is read before the patient (here the parent) agrees.
    page.wait_for_url(f"{url}/**")
    expect(page.get_by_role("heading", name="May the assistant read this record?")).to_be_visible()
    expect(page.get_by_text(f"You are using the record of your child, {name}")).to_be_visible()
    settle(page)
    assert "code=" not in page.url and "state=" not in page.url
    assert_accessible(page, "consent request")
    page.screenshot(path=str(SHOTS / f"connect-consent-{size}.png"), full_page=True)
    page.get_by_role("button", name="I agree").click()

    # The record and the chat, about the child.
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_visible()
    settle(page)
    n = assistant_messages(page)
    box.fill("what vaccines are recorded?")
    box.press("Enter")
    wait_for_reply(page, n)
    expect(page.locator('[data-testid="stChatMessage"]').last).to_contain_text("your child's record")
    assert_accessible(page, "chat about the child")
    # Show the question and the start of the answer (the page scrolls inside Streamlit's container).
    page.locator('[data-testid="stChatMessage"]').nth(-2).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"connect-chat-{size}.png"), full_page=True)
    page.get_by_text("My record", exact=True).click()
    expect(
        page.get_by_role("heading", name="Recent visits").or_(page.get_by_text("Recent visits")).first
    ).to_be_visible()
    settle(page)

    # My data: the consent recorded at the clinic, and Disconnect.
    page.get_by_text("My data", exact=True).click()
    expect(page.get_by_text("The assistant may read this record — agreed on", exact=False)).to_be_visible()
    settle(page)
    assert_accessible(page, "my data with consents")
    page.get_by_role("heading", name="Your clinic connection").evaluate(
        "e => e.scrollIntoView({block: 'start'})"
    )
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"connect-data-{size}.png"), full_page=True)
    page.get_by_text("I understand, disconnect and delete").click()
    settle(page)
    page.get_by_role("button", name="Disconnect").click()
    expect(
        page.get_by_text("Disconnected: the clinic no longer accepts this sign-in", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("Record of Josue Sipes")).to_be_visible()  # back to the demo record

    # The clinic revoked the sign-in; the app kept nothing of the child, and the consent is audited.
    after = clinic.auth_stats()
    assert after["grants"] == before["grants"] + 1 and after["revoked"] == before["revoked"] + 1
    store = SessionStore(sqlite_url(data), clock=frozen)
    try:
        assert store.list_sessions(child) == []
    finally:
        store.close()
    audit = AuditLog(sqlite_url(data), clock=frozen)
    try:
        assert [e.action for e in audit.query(child, action="consent.grant")]
    finally:
        audit.close()
    page.close()
