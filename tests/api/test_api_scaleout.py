"""Scale-out: two API worker processes share nothing in process. Sessions, turns, tokens and audit live in
a PostgreSQL server (Debian package, started here on 127.0.0.1); the record index in a Chroma server
(`chroma run`, started here too), nothing on local disk. A conversation started on one worker continues on
the other with record search working, an erasure on one removes the index for both, and a revocation on
one is seen by both."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.auth import ApiTokenStore
from assistant.store import AuditLog, Database
from retrieval import patient_key
from sandbox import Sandbox
from tests.api.conftest import EMERY, wait_ready
from tests.chroma_server import chroma_server
from tests.clocks import frozen

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EMERY_BUNDLE = next((ROOT / "data" / "synthea").glob(f"*_{EMERY}.json"))
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; the Debian package creates a "postgres" user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if not PG_BIN:
        pytest.skip(
            "PostgreSQL is not installed (apt-get install postgresql; `make test` does it when allowed)"
        )
    bin_dir = PG_BIN[-1]
    # Not under pytest's tmp root: that is private to this user, and the server runs as "postgres".
    base = Path(tempfile.mkdtemp(prefix="ha-pg-"))
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    init = subprocess.run(
        _as_postgres([f"{bin_dir}/initdb", "-D", str(data), "-A", "trust", "-U", "assistant", "--no-sync"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    port = free_port()
    server = subprocess.Popen(
        _as_postgres(
            [
                f"{bin_dir}/postgres",
                "-D",
                str(data),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-k",
                str(data),
                "-F",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(
                f"host=127.0.0.1 port={port} user=assistant dbname=postgres", autocommit=True
            ) as conn:
                conn.execute("CREATE DATABASE assistant")
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.2)
    try:
        yield f"postgresql+psycopg://assistant@127.0.0.1:{port}/assistant"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma") / "data") as url:
        yield url


def chroma_collections(url: str) -> set[str]:
    response = httpx.get(f"{url}/api/v2/tenants/default_tenant/databases/default_database/collections")
    response.raise_for_status()
    return {c["name"] for c in response.json()}


def emery_refs(resource_type: str) -> set[str]:
    bundle = json.loads(EMERY_BUNDLE.read_text(encoding="utf-8"))
    return {f"{resource_type}/{e['resource']['id']}" for e in bundle["entry"]
            if e["resource"]["resourceType"] == resource_type}  # fmt: skip


def start_worker(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "health_assistant.asgi:app", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(
                f"worker did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
            )
        time.sleep(0.2)


def test_conversation_continues_across_two_workers(
    postgres_url: str, chroma_url: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "HEALTH_ASSISTANT_DATABASE_URL": postgres_url,
        "HEALTH_ASSISTANT_CHROMA_URL": chroma_url,
        "HEALTH_ASSISTANT_DATA_DIR": str(tmp_path),
        "HEALTH_ASSISTANT_FHIR_URL": sandbox.base_url,
    }
    workers = [start_worker(env), start_worker(env)]
    try:
        (_, one), (_, two) = workers
        with Database(postgres_url, clock=frozen) as db:
            assert "0003_create_api_tokens" in [
                r[0] for r in db.engine.connect().exec_driver_sql("SELECT name FROM schema_migrations")
            ]
            issued = ApiTokenStore(db).issue(EMERY)
        auth = {"Authorization": f"Bearer {issued.token}"}

        session = httpx.post(one + "/v1/sessions", json={"language": "en"}, headers=auth, timeout=120).json()[
            "session_id"
        ]
        first = httpx.post(
            f"{one}/v1/sessions/{session}/messages",
            json={"text": "what was my last A1c?"},
            headers=auth,
            timeout=120,
        )
        assert first.status_code == 200 and first.json()["citations"]
        second = httpx.post(
            f"{two}/v1/sessions/{session}/messages",
            json={"text": "what are my allergies?"},
            headers=auth,
            timeout=120,
        )
        assert second.status_code == 200, second.text
        assert second.json()["session_id"] == session
        # Answered by a search of the index (procedures are listed from the record cards), on worker two.
        third = httpx.post(
            f"{two}/v1/sessions/{session}/messages",
            json={"text": "what procedures have I had?"},
            headers=auth,
            timeout=120,
        )
        assert third.status_code == 200, third.text
        cited = {c["resource"] for c in third.json()["citations"]}
        assert cited and cited <= emery_refs("Procedure")
        fourth = httpx.post(
            f"{one}/v1/sessions/{session}/messages", json={"text": "thanks"}, headers=auth, timeout=120
        )
        assert fourth.status_code == 200
        listed = httpx.get(two + "/v1/sessions", headers=auth).json()["sessions"]
        assert [(s["session_id"], s["turn_count"]) for s in listed] == [(session, 8)]
        for url in (one, two):
            ready = wait_ready(url).json()
            assert ready["status"] == "ready" and ready["checks"]["database"]["detail"] == "postgresql"
            assert ready["checks"]["index"]["detail"] == f"chroma server at {chroma_url}"
        # The index lives in the Chroma server only: one collection for Emery, nothing under DATA_DIR.
        assert patient_key(EMERY) in chroma_collections(chroma_url)
        assert not (tmp_path / "index").exists()

        # Erasure on one worker removes the index from the server; the other worker notices and rebuilds
        # it from the FHIR server when Emery searches again (never from its own memory).
        erased = httpx.delete(f"{one}/v1/me", headers=auth, timeout=60)
        assert erased.status_code == 200 and erased.json()["index_removed"] is True
        assert patient_key(EMERY) not in chroma_collections(chroma_url)
        found = httpx.get(f"{two}/v1/record/search", params={"q": "procedures"}, headers=auth, timeout=120)
        assert found.status_code == 200, found.text
        assert {h["resource"] for h in found.json()["hits"]} & emery_refs("Procedure")
        assert patient_key(EMERY) in chroma_collections(chroma_url)
        session = httpx.post(one + "/v1/sessions", json={"language": "en"}, headers=auth, timeout=120).json()[
            "session_id"
        ]

        assert httpx.delete(f"{two}/v1/sessions/{session}", headers=auth).status_code == 204
        assert (
            httpx.post(f"{one}/v1/sessions/{session}/messages", json={"text": "hi"}, headers=auth).status_code
            == 404
        )
        with Database(postgres_url, clock=frozen) as db:
            ApiTokenStore(db).revoke(issued.info.id)
            audited = [e.action for e in AuditLog(db, clock=frozen).query(EMERY)]
        for url in (one, two):
            assert httpx.get(url + "/v1/sessions", headers=auth).status_code == 401
        assert audited.count("api.message") == 4
    finally:
        for proc, _ in workers:
            proc.terminate()
            proc.wait(timeout=30)
