"""A real core for the app tests: AssistantService with the real guard, a SQLite store in tmp_path and
a shared Synthea record; booking tests add the real demo clinic (``sandbox`` fixture)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from streamlit.testing.v1 import AppTest

from assistant.guardrails import Guard
from assistant.service import AssistantService
from assistant.store import SessionStore, sqlite_url
from fhir_client import PatientRecord, load_bundle_file
from tests.clocks import frozen
from tests.ui import harness
from ui.backend import DemoPatient, InProcessClient, UploadedRecords

ROOT = Path(__file__).resolve().parents[2]
SYNTHEA = ROOT / "data" / "synthea"
JOSUE_SANDBOX_ID = "7d27f180-98d6-456d-98c0-d91df32cd023"  # the file's own Patient id differs
SCRIPT = str(Path(__file__).with_name("app_script.py"))


def bundle(name: str) -> Path:
    return next(SYNTHEA.glob(f"{name}_*.json"))


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (its own browser download does not work offline).

    Module-scoped on purpose: while Playwright's sync API is alive it leaves its event loop marked as
    running in this thread, so any ``async def`` test that a pytest-xdist worker ran later in the same
    session failed with "Runner.run() cannot be called from a running event loop" — which tests shared a
    worker changed from run to run, so CI was red on some days only. Closing it at the end of each
    browser module costs one Chromium start per module.
    """
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make chromium` (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def josue() -> PatientRecord:
    return load_bundle_file(bundle("Josue_Sipes"))


@pytest.fixture(scope="session")
def guard() -> Guard:
    return Guard.default(region="FR")


def no_server(patient_id: str) -> PatientRecord:
    raise LookupError(f"the app tests load records from files only, not {patient_id}")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    s = SessionStore(sqlite_url(tmp_path), clock=frozen)
    yield s
    s.close()


@pytest.fixture
def client(josue: PatientRecord, guard: Guard, store: SessionStore) -> InProcessClient:
    uploads = UploadedRecords(no_server)
    uploads.add(josue)
    service = AssistantService(store=store, guard=guard, load_record=uploads.load, clock=frozen)
    c = InProcessClient(
        service,
        uploads=uploads,
        demo_patients=[DemoPatient(josue.patient_id, "Josue Sipes")],
        default_patient=josue.patient_id,
    )
    harness.use(c)
    return c


@pytest.fixture
def app(client: InProcessClient) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def latest_loinc(path: Path, code: str) -> dict[str, object]:
    entries = json.loads(path.read_text(encoding="utf-8"))["entry"]
    obs = [
        e["resource"]
        for e in entries
        if e["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == code for c in e["resource"]["code"]["coding"])
    ]
    latest: dict[str, object] = max(obs, key=lambda o: o["effectiveDateTime"])
    return latest


Send = Callable[[AppTest, str], AppTest]
