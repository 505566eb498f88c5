"""The patient app in a real browser: Debian's Chromium driven by Playwright, against a private demo clinic.

``health-assistant ui`` runs as a user starts it (its own process, a free port, offline), in front of a
private sandbox (this test books, so it must not take slots other tests read). The browser asks a record
question, books a slot through the confirmation step, checks the booking on the FHIR server, opens the
trend charts, and saves screenshots at desktop and phone width into ``benchmarks/screenshots/`` (the
README shows them). At desktop and phone (390 px) width it checks what issue 14 asks of the app: the
emergency banner pinned at the top of the view while the chat scrolls, its ``tel:`` link reachable,
every tap target at least 44 px, text contrast at least 4.5:1 (measured on the painted colours), no
character a machine's fonts may lack, and a reload that keeps the language and the conversation.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from sandbox import Sandbox
from tests.clocks import NOW, TODAY_TEXT
from tests.ui.a11y import (
    MIN_CONTRAST,
    MIN_TAP_PX,
    low_contrast,
    page_unsafe_glyphs,
    small_targets,
    tap_targets,
)
from tests.ui.conftest import JOSUE_SANDBOX_ID
from ui.theme import EMERGENCY_KEY

# A whole app in a real browser, whose first reply builds the understanding stage: minutes on a loaded runner.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "benchmarks" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 90_000
# A reply may wait for the understanding stage to be built (the app starts building it at its first page
# load): seconds on a quiet machine, minutes on a loaded CI runner. Waiting longer costs nothing when it
# comes sooner.
REPLY_TIMEOUT_MS = 300_000
APP_CLI_PIDS: list[int] = []
APP_LOG = Path(tempfile.gettempdir()) / f"ui-browser-{os.getpid()}" / "app.log"
expect.set_options(timeout=TIMEOUT_MS)  # the first page load reads and indexes the record


@pytest.fixture(scope="module")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb


@pytest.fixture(scope="module")
def app_url(clinic: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from health_assistant.commands.ui import free_port

    data = tmp_path_factory.mktemp("ui-data")
    APP_LOG.parent.mkdir(parents=True, exist_ok=True)
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
            "--log",
            str(APP_LOG),
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(data),
            "HEALTH_ASSISTANT_DATA_DIR": str(data),
            "HEALTH_ASSISTANT_NOW": NOW.isoformat(),  # the clinic's fixed today, not the machine's
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    APP_CLI_PIDS.append(proc.pid)
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
    # Elements of the page being left stay on screen, faded ("stale"), until the new run has drawn its own;
    # on a loaded machine that takes seconds, and a contrast check would measure the faded text.
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
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
    """A reply adds the patient's message and the assistant's: wait for both, then for the app to settle.

    When no reply comes, the failure carries what the app was doing: every thread's stack (the app dumps
    them on SIGUSR1) and the end of its log."""
    try:
        messages = page.locator('[data-testid="stChatMessage"]')
        expect(messages).to_have_count(before + 2, timeout=REPLY_TIMEOUT_MS)
        # The reply's bubble is drawn empty while the turn is computed: wait for its words.
        reply = messages.nth(before + 1).locator('[data-testid="stMarkdownContainer"]').first
        expect(reply).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- the app's log ---\n{app_stacks_and_log()}") from exc
    settle(page)


def app_stacks_and_log() -> str:
    for cli in APP_CLI_PIDS:  # Streamlit runs as the `ui` command's child
        children = subprocess.run(["pgrep", "-P", str(cli)], capture_output=True, text=True).stdout.split()
        for pid in children:
            os.kill(int(pid), signal.SIGUSR1)
    time.sleep(2)
    return APP_LOG.read_text(encoding="utf-8", errors="replace")[-20_000:] if APP_LOG.exists() else "(no log)"


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


BANNER = f".st-key-{EMERGENCY_KEY}"


def scroll_main(page: Page, fraction: float) -> int:
    """Scroll the page's content to ``fraction`` of its height (0 = top, 1 = bottom); returns scrollTop."""
    top: int = page.evaluate(
        """(f) => { const m = document.querySelector('.stMain');
                    m.scrollTop = (m.scrollHeight - m.clientHeight) * f; return m.scrollTop; }""",
        fraction,
    )
    page.wait_for_timeout(200)
    return top


def banner_problem(page: Page, number: str, viewport: dict[str, int]) -> str | None:
    """Why the banner is not pinned with its call link reachable, or None when it is."""
    link = page.locator(f'{BANNER} a[href="tel:{number}"]')
    if link.count() != 1 or not link.is_visible():
        return f"no visible call link to tel:{number}"
    banner = page.locator(BANNER).bounding_box()
    box = link.bounding_box()
    if banner is None or box is None:
        return "the banner has no box"
    scrolled = page.evaluate("document.querySelector('.stMain').scrollTop")
    if not 0 <= banner["y"] <= 1:
        return f"the banner is not at the top of the view: {banner}, scrollTop {scrolled}"
    if (
        box["x"] < 0
        or box["x"] + box["width"] > viewport["width"]
        or box["y"] + box["height"] > viewport["height"]
    ):
        return f"the call link is off screen: {box}"
    hit = page.evaluate(
        """([x, y]) => { const e = document.elementFromPoint(x, y);
                         return !!e && !!e.closest('.st-key-emergency_banner a[href^="tel:"]'); }""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    return None if hit else "something covers the call link"


def assert_banner_pinned(
    page: Page, number: str, viewport: dict[str, int], *, scroll: float | None = None
) -> None:
    """The banner sits at the top of the view and a tap on its call link reaches the link. With
    ``scroll``, the page is first scrolled that far down (and must really scroll). Checked on the
    settled page: Streamlit may swap elements, or reset the scroll, for a moment after a rerun."""
    problem = None
    for _ in range(10):
        if scroll is not None and scroll_main(page, scroll) < 200:
            problem = "the page is too short to scroll"
            page.wait_for_timeout(300)
            continue
        problem = banner_problem(page, number, viewport)
        if problem is None:
            return
        page.wait_for_timeout(300)
    raise AssertionError(problem)


def assert_accessible(page: Page, where: str) -> None:
    """Tap targets >= 44 px, text contrast >= 4.5:1, and no character a machine's fonts may lack."""
    settle(page)
    # Streamlit's "skip to main content" link is 1 px until keyboard focus brings it on screen.
    small = [str(t) for t in small_targets(page) if t.testid != "stSkipToContent"]
    low = [str(c) for c in low_contrast(page)]
    assert small == [], f"{where}: tap targets under {MIN_TAP_PX:.0f} px: {small}"
    assert low == [], f"{where}: text under {MIN_CONTRAST}:1: {low}"
    assert page_unsafe_glyphs(page) == [], where
    measured = tap_targets(page)
    assert len(measured) >= 5 and all(t.big_enough for t in measured if t.testid != "stSkipToContent")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pinned_emergency_banner_tap_to_call_sizes_contrast_and_reload(
    browser: Browser, app_url: str, viewport: dict[str, int]
) -> None:
    page = open_app(browser, app_url, viewport)
    phone = viewport is PHONE
    n = assistant_messages(page)
    say(page, "What was my last HbA1c?")
    wait_for_reply(page, n)
    page.locator('[data-testid="stChatMessage"]').last.locator(
        '[data-testid="stExpander"] summary'
    ).first.click()
    assert_accessible(page, "chat with a cited answer")

    n = assistant_messages(page)
    say(page, "I have crushing chest pain and I am sweating")
    wait_for_reply(page, n)
    expect(page.locator(BANNER)).to_contain_text("Call 15 now")
    for message in ("I have had a sore throat since yesterday", "I have had a cough for three weeks"):
        n = assistant_messages(page)
        say(page, message)
        wait_for_reply(page, n)
    # The conversation is longer than the screen: wherever the patient scrolls, the number stays on top.
    for fraction in (1.0, 0.5):
        assert_banner_pinned(page, "15", viewport, scroll=fraction)
    if phone:
        page.screenshot(path=str(SHOTS / "emergency-phone.png"))
    assert_accessible(page, "chat after an emergency, with triage boxes")

    page.get_by_text("My record", exact=True).click()
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    settle(page)
    assert_banner_pinned(page, "15", viewport, scroll=1.0)
    assert_accessible(page, "my record")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways ({width}px)"
    if phone:
        scroll_to(page, '[data-testid="stVegaLiteChart"]')
        page.screenshot(path=str(SHOTS / "record-phone.png"))

    page.get_by_text("My data", exact=True).click()
    expect(page.get_by_role("heading", name="Delete my data")).to_be_visible()
    assert_accessible(page, "my data")

    # A reload keeps the language and the conversation (and so the emergency banner).
    page.get_by_text("Chat", exact=True).click()
    settle(page)
    page.get_by_text("Français", exact=True).click()
    expect(page.get_by_role("heading", name="Mon assistant santé")).to_be_visible()
    settle(page)
    messages = assistant_messages(page)
    page.reload()
    expect(page.get_by_role("heading", name="Mon assistant santé")).to_be_visible()
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(messages)
    settle(page)
    assert_banner_pinned(page, "15", viewport)
    expect(page.locator(BANNER)).to_contain_text("Appelez le 15 maintenant")
    assert_accessible(page, "French chat after a reload")

    # A new conversation: empty, no banner; the old one is listed and reopens.
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(1)
    expect(page.locator(BANNER)).to_have_count(0)
    earlier = page.get_by_text("Conversations précédentes", exact=False)
    expect(earlier).to_be_visible()
    page.close()


def test_a_second_message_sent_before_the_first_is_answered_loses_neither(
    browser: Browser, app_url: str
) -> None:
    """Patients send a second message without waiting ("hello?"): Streamlit stops the run that was drawing
    the first reply. Both messages are answered, each reply after its own message."""
    page = open_app(browser, app_url, DESKTOP)
    n = assistant_messages(page)
    first, second = "I have had a sore throat since yesterday", "What was my last HbA1c?"
    say(page, first)
    say(page, second)  # at once: the first run is still going
    wait_for_reply(page, n + 2)
    texts = page.locator('[data-testid="stChatMessage"]').all_inner_texts()[n:]
    assert first in texts[0] and second in texts[2], texts
    assert "HbA1c" not in texts[1] and "%" in texts[3], texts  # each reply follows its own message
    assert page.get_by_text("interrupted").count() == 0
