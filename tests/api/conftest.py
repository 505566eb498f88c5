"""The clinic API for real: built by the same composition root as ``health-assistant serve``, served by
uvicorn on a free port of 127.0.0.1, reading records from the sandbox FHIR server over HTTP, with a
SQLite store and an on-disk chromadb index in a temporary data directory, and SMART tokens checked
against a JWKS served locally."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.auth import ApiTokenStore
from assistant.service import AssistantService
from health_assistant.asgi import build_api
from health_assistant.settings import Settings
from sandbox import Sandbox
from tests.api.jwks import AUDIENCE, ISSUER, Issuer, serve_jwks
from tests.clocks import NOW, TODAY_TEXT

# Two patients of the demo clinic (ids = the uuid in the shared Synthea file names).
EMERY = "298c62e6-b204-4a14-8e21-73d5be0ce22e"  # diabetes: HbA1c series
LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"  # hypertension, small record


@dataclass
class LiveApi:
    url: str
    app: FastAPI
    settings: Settings
    tokens: ApiTokenStore
    issuer: Issuer

    @property
    def service(self) -> AssistantService:
        service: AssistantService = self.app.state.api.service
        return service

    def token(self, patient: str, days: float = 30) -> str:
        return self.tokens.issue(patient, days=days).token

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


def wait_ready(url: str, timeout: float = 300.0) -> httpx.Response:
    """``/readyz`` once it says ready (a new worker builds its understanding stage first: seconds here,
    minutes on a loaded CI machine), or its last answer after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(url + "/readyz", timeout=30)
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


@contextmanager
def run_uvicorn(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on a free port in a thread; yields the base URL, stops the server on exit."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def api_settings(sandbox: Sandbox, data_dir: Path, issuer: Issuer, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "fhir_url": sandbox.base_url,
        "data_dir": data_dir,
        "smart_issuer": ISSUER,
        "smart_jwks_url": issuer.url,
        "smart_audience": AUDIENCE,
        "api_rate_limit_per_minute": 60_000,
        "api_rate_limit_burst": 10_000,
        "api_cors_origins": "https://portal.clinic.test",
        "locale": "en-US",
        "now": NOW,  # the tests' one clock: the API, its store and its booking count from it
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def issuer() -> Iterator[Issuer]:
    with serve_jwks() as running:
        yield running


@pytest.fixture(scope="session")
def live_api(sandbox: Sandbox, issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    settings = api_settings(sandbox, tmp_path_factory.mktemp("api-data"), issuer)
    app = build_api(settings)
    with run_uvicorn(app) as url:
        yield LiveApi(url, app, settings, ApiTokenStore(app.state.api.service.store.db), issuer)


@pytest.fixture(scope="session")
def private_clinic(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """An API over its own sandbox, for tests that book (they must not change what others read)."""
    with Sandbox(port=0, today=TODAY_TEXT) as private:
        settings = api_settings(private, tmp_path_factory.mktemp("booking-data"), issuer)
        app = build_api(settings)
        with run_uvicorn(app) as url:
            yield LiveApi(url, app, settings, ApiTokenStore(app.state.api.service.store.db), issuer)


@pytest.fixture(scope="session")
def emery_token(live_api: LiveApi) -> str:
    return live_api.token(EMERY)


@pytest.fixture(scope="session")
def liz_token(live_api: LiveApi) -> str:
    return live_api.token(LIZ)


@pytest.fixture
def emery(live_api: LiveApi, emery_token: str) -> Iterator[httpx.Client]:
    with live_api.client(emery_token) as client:
        yield client


@pytest.fixture
def liz(live_api: LiveApi, liz_token: str) -> Iterator[httpx.Client]:
    with live_api.client(liz_token) as client:
        yield client
