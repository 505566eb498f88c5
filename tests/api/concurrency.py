"""Many threads, two patients, one clinic API: does every decision stay with its own patient?

Two records that triage differently: Josue Sipes with an active warfarin prescription added (the
``record-anticoagulant`` modifier raises a knock on the head to *urgent*, citing that MedicationRequest)
and Lupe Little, on no anticoagulant (the same knock stays *self-care*). Each client thread sends turns
for both patients through the real app served by uvicorn on 127.0.0.1 — the routes run in uvicorn's own
worker thread pool, where a shared per-patient slot (``Guard._coded``/``_names`` before) would let one
patient be triaged against the other's record. Every reply is checked: the modifier appears for Josue
and never for Lupe, every citation names a resource of the patient's own record and none of the other's,
and a request naming Josue is answered for Josue and refused for Lupe.

Used by ``tests/api/test_api_concurrency.py`` (a few hundred turns) and ``benchmarks/bench_concurrency.py``
(10,000 turns, figures in ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api import create_app
from api.auth import ApiTokenStore
from fhir_client import PatientRecord, load_bundle
from health_assistant.factory import build_service
from health_assistant.settings import Settings
from tests.clocks import NOW

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
WARFARIN_ID = "0b5c7f2e-0000-4000-8000-00000000c001"
KNOCK = "I banged my head on a shelf"
MEDICINES = "what medicines am I taking?"
ABOUT_JOSUE = "What was Josue Sipes's last blood pressure?"
MESSAGES = (KNOCK, MEDICINES, ABOUT_JOSUE)


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(next(DATA.glob(f"{name}_*.json")).read_text(encoding="utf-8"))
    return data


def josue_on_warfarin() -> PatientRecord:
    """Josue Sipes's record plus an active warfarin prescription (the shape a record_patch adds)."""
    bundle = copy.deepcopy(_bundle("Josue_Sipes"))
    patient_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    bundle["entry"].append(
        {
            "fullUrl": f"urn:uuid:{WARFARIN_ID}",
            "resource": {
                "resourceType": "MedicationRequest",
                "id": WARFARIN_ID,
                "status": "active",
                "intent": "order",
                "authoredOn": "2026-10-01",
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                            "code": "855332",
                            "display": "Warfarin Sodium 5 MG Oral Tablet",
                        }
                    ]
                },
                "subject": {"reference": patient_url},
            },
            "request": {"method": "POST", "url": "MedicationRequest"},
        }
    )
    return load_bundle(bundle, source="josue+warfarin")


def lupe() -> PatientRecord:
    return load_bundle(_bundle("Lupe_Little"), source="lupe")


def refs_of(record: PatientRecord) -> frozenset[str]:
    return frozenset(f"{rtype}/{r.id}" for rtype, items in record.resources.items() for r in items)


@dataclass
class Patient:
    name: str
    record: PatientRecord
    token: str
    refs: frozenset[str]
    anticoagulated: bool


@dataclass
class Outcome:
    turns: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """uvicorn on a free port of 127.0.0.1 in a thread, routes in its worker thread pool. Idle keep-alive
    connections are kept 60 s (not 5): a client thread starved of CPU for a few seconds on a busy 2-core
    machine would otherwise send its next turn on a connection the server is closing."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", timeout_keep_alive=60
        )
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


@contextmanager
def two_patient_api(data_dir: Path) -> Iterator[tuple[str, Patient, Patient]]:
    """The clinic API (real app factory, real uvicorn, SQLite store, on-disk index) over two records."""
    records = {r.patient_id: r for r in (josue_on_warfarin(), lupe())}
    settings = Settings(
        fhir_url="http://127.0.0.1:9/fhir/R4",  # no clinic: booking is off, records come from files
        data_dir=data_dir,
        api_rate_limit_per_minute=10_000_000,
        api_rate_limit_burst=1_000_000,
        locale="en-GB",
        now=NOW,
    )
    service = build_service(settings, load_record=records.__getitem__)
    app = create_app(settings, service=service, readiness={})
    tokens = ApiTokenStore(service.store.db)
    josue, lupe_record = records.values()
    patients = (
        Patient("josue", josue, tokens.issue(josue.patient_id).token, refs_of(josue), True),
        Patient("lupe", lupe_record, tokens.issue(lupe_record.patient_id).token, refs_of(lupe_record), False),
    )
    with serve(app) as url:
        yield url, patients[0], patients[1]
    service.store.close()


def check(turn: dict[str, Any], message: str, own: Patient, other: Patient) -> list[str]:
    """What is wrong with ``turn`` for ``own`` (empty when it is right)."""
    problems: list[str] = []
    where = f"{own.name} / {message!r}"
    cited = [c["resource"] for c in turn["citations"]]
    foreign = [r for r in cited if r in other.refs and r not in own.refs]
    if foreign:
        problems.append(f"{where}: cites the other patient's {foreign}")
    unknown = [r for r in cited if r not in own.refs]
    if unknown:
        problems.append(f"{where}: cites {unknown}, not in the patient's record")
    rules = turn["triage"]["rules"]
    if message == KNOCK:
        expected = "urgent" if own.anticoagulated else "self_care"
        if turn["triage"]["level"] != expected:
            problems.append(f"{where}: triaged {turn['triage']['level']}, expected {expected} ({rules})")
        if ("record-anticoagulant" in rules) != own.anticoagulated:
            problems.append(
                f"{where}: anticoagulant modifier {'missing' if own.anticoagulated else 'applied'}"
            )
        if own.anticoagulated and f"MedicationRequest/{WARFARIN_ID}" not in cited:
            problems.append(f"{where}: the raised level does not cite the warfarin prescription")
    if message == ABOUT_JOSUE:
        refused = (turn.get("refusal") or {}).get("category") == "other_patient"
        if refused != (own.name == "lupe"):
            problems.append(f"{where}: other-patient refusal is {refused}")
    return problems


def drive(url: str, josue: Patient, lupe_patient: Patient, *, turns: int, threads: int) -> Outcome:
    """``turns`` turns (half for each patient) from ``threads`` client threads; every turn checked."""
    outcome = Outcome()
    lock = threading.Lock()

    def worker(index: int) -> None:
        per_thread = turns // threads + (1 if index < turns % threads else 0)  # exactly ``turns`` in all
        clients = {
            p.name: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {p.token}"}, timeout=120)
            for p in (josue, lupe_patient)
        }
        try:
            sessions = {
                name: client.post("/v1/sessions", json={"language": "en"}).json()["session_id"]
                for name, client in clients.items()
            }
            for n in range(per_thread):
                own, other = (josue, lupe_patient) if (n + index) % 2 == 0 else (lupe_patient, josue)
                message = MESSAGES[(n // 2 + index) % len(MESSAGES)]
                started = time.perf_counter()
                try:
                    response = clients[own.name].post(
                        f"/v1/sessions/{sessions[own.name]}/messages",
                        json={"text": message, "language": "en"},
                    )
                except httpx.TransportError as exc:  # counted as a wrong turn, never hidden
                    found = [f"{own.name}: transport error {exc!r}"]
                else:
                    found = (
                        check(response.json(), message, own, other)
                        if response.status_code == 200
                        else [f"{own.name}: HTTP {response.status_code} {response.text[:200]}"]
                    )
                elapsed = time.perf_counter() - started
                with lock:
                    outcome.turns += 1
                    outcome.latencies.append(elapsed)
                    outcome.problems.extend(found)
        finally:
            for client in clients.values():
                client.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(worker, i) for i in range(threads)]:
            future.result()
    outcome.seconds = time.perf_counter() - started
    return outcome
