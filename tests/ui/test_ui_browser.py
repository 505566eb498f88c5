"""The patient app in a real browser: Debian's Chromium driven by Playwright, against a private demo clinic.

``health-assistant ui`` runs as a user starts it (its own process, a free port, offline), in front of a
private sandbox (this test books, so it must not take slots other tests read). The browser asks a record
question, books a slot through the confirmation step, checks the booking on the FHIR server, opens the
trend charts, and saves screenshots at desktop and phone width into ``benchmarks/screenshots/`` (the
README shows them).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from sandbox import Sandbox
from tests.ui.conftest import JOSUE_SANDBOX_ID

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "benchmarks" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 90_000
expect.set_options(timeout=TIMEOUT_MS)  # the first page load reads and indexes the record


@pytest.fixture(scope="module")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0) as sb:
        yield sb


@pytest.fixture(scope="module")
def app_url(clinic: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from health_assistant.commands.ui import free_port

    data = tmp_path_factory.mktemp("ui-data")
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "health_assistant.cli",
            "ui",
            "--port",
            str(port),
            "--fhir-url",
            clinic.base_url,
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(data),
            "HEALTH_ASSISTANT_DATA_DIR": str(data),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(f"Patient app ready at http://127.0.0.1:{port}"), line + (
        proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make chromium` (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield b
        b.close()


def open_app(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_role("heading", name="My health assistant")).to_be_visible()
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(1)  # the welcome
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
    return page


def say(page: Page, text: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")


def assistant_messages(page: Page) -> int:
    return page.locator('[data-testid="stChatMessage"]').count()


def settle(page: Page) -> None:
    """Wait until the script run is over (no "Running..." widget) and the page has stopped changing."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    page.wait_for_timeout(300)


def scroll_to(page: Page, selector: str) -> None:
    # Streamlit may swap an element for an identical one while it finishes a run: find it again.
    for _ in range(5):
        try:
            page.locator(selector).first.scroll_into_view_if_needed(timeout=5_000)
            return
        except PlaywrightError:
            settle(page)
    page.locator(selector).first.scroll_into_view_if_needed()


def wait_for_reply(page: Page, before: int) -> None:
    """A reply adds the patient's message and the assistant's: wait for both, then for the app to settle."""
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(before + 2)
    settle(page)


def test_chat_booking_and_charts_in_a_real_browser(browser: Browser, app_url: str, clinic: Sandbox) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_app(browser, app_url, DESKTOP)
    expect(page.get_by_text("Nothing you type leaves this machine")).to_be_visible()
    expect(page.get_by_text("Record of Josue Sipes")).to_be_visible()

    # A record question: the answer cites its source, and the footnote opens the entry.
    n = assistant_messages(page)
    say(page, "What was my last HbA1c?")
    wait_for_reply(page, n)
    reply = page.locator('[data-testid="stChatMessage"]').last
    expect(reply).to_contain_text("[1]")
    reply.locator('[data-testid="stExpander"] summary').first.click()
    settle(page)
    expect(reply).to_contain_text("Hemoglobin A1c")
    page.screenshot(path=str(SHOTS / "chat-desktop.png"), full_page=True)

    # Booking: the offered slots are buttons; choosing one asks for confirmation; yes books.
    n = assistant_messages(page)
    say(page, "I would like to book an appointment with a GP")
    wait_for_reply(page, n)
    slot = page.get_by_role("button", name="1.", exact=False).first
    expect(slot).to_be_visible()
    n = assistant_messages(page)
    slot.click()
    wait_for_reply(page, n)
    expect(page.get_by_text("Please confirm").last).to_be_visible()
    n = assistant_messages(page)
    page.get_by_role("button", name="Yes, book it").click()
    wait_for_reply(page, n)
    expect(page.get_by_text("Booked:").last).to_be_visible()
    page.screenshot(path=str(SHOTS / "booking-desktop.png"), full_page=True)

    # The appointment really exists on the clinic's FHIR server.
    found = httpx.get(
        f"{clinic.base_url}/Appointment",
        params={"patient": f"Patient/{JOSUE_SANDBOX_ID}", "status": "booked"},
        timeout=30,
    ).json()
    assert found.get("total", len(found.get("entry", []))) >= 1

    # My record: the booking is listed, and the trend charts are drawn with their ranges.
    page.get_by_text("My record", exact=True).click()
    expect(page.get_by_role("heading", name="Upcoming appointments")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel")).to_have_count(1)
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    settle(page)
    scroll_to(page, '[data-testid="stVegaLiteChart"]')
    page.screenshot(path=str(SHOTS / "record-desktop.png"), full_page=True)
    page.close()


def test_phone_width_emergency_banner_and_chart(browser: Browser, app_url: str) -> None:
    page = open_app(browser, app_url, PHONE)
    n = assistant_messages(page)
    say(page, "I have crushing chest pain and I am sweating")
    wait_for_reply(page, n)
    # Two alerts: the banner on top of the page and the triage box in the reply.
    expect(page.get_by_role("alert")).to_have_count(2)
    banner = page.get_by_role("alert").first
    expect(banner).to_contain_text("Call 15 now")
    # The banner is the first thing on the page, above the title, and fits the phone's width.
    box, title = banner.bounding_box(), page.get_by_role("heading", name="My health assistant").bounding_box()
    assert box is not None and title is not None and box["y"] < title["y"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    scroll_to(page, '[data-testid="stAlert"]')
    page.screenshot(path=str(SHOTS / "emergency-phone.png"))

    page.get_by_text("My record", exact=True).click()
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    settle(page)
    scroll_to(page, '[data-testid="stVegaLiteChart"]')
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(SHOTS / "record-phone.png"))
    page.close()
