"""Clinic API under load: N concurrent conversations for S seconds, offline backend, one uvicorn worker.

The API runs in its own process (``uvicorn --factory health_assistant.asgi:app``) against a fresh demo
clinic sandbox, with SQLite and the on-disk index in a temporary data directory; the load generator
(httpx, asyncio) keeps ``--sessions`` conversations busy, each with its own token, spread over the 12
demo patients, sending a mix of record questions, symptoms and small talk in English and French. Records
are loaded and indexed in a warm-up pass first (that cost is the record-loading benchmark's, not this
one's). Reports p50/p95/p99 latency per message, errors and the server's resident memory.

Two load shapes: ``--think 0`` sends each conversation's next message as soon as the reply arrives (a
saturation test: latency then measures the queue, throughput the capacity); the default ``--think 5``
waits like a patient reading and typing (uniform 2.5–7.5 s between messages), which is what "50
concurrent sessions" means for a patient app. ``--workers`` runs that many uvicorn worker processes
(one per core is the usual choice) sharing the SQLite data directory.

Run: ``.venv/bin/python -m benchmarks.bench_api [--sessions 50] [--seconds 60] [--think 5] [--workers 1]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]

from api.auth import ApiTokenStore
from assistant.store import Database, sqlite_url
from health_assistant.clock import system_clock
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = sorted(p.stem.rsplit("_", 1)[1] for p in (ROOT / "data" / "synthea").glob("*_*.json"))
MESSAGES = [
    ("what was my last A1c?", "en"),
    ("what are my allergies?", "en"),
    ("I have had a mild headache since this morning", "en"),
    ("hello", "en"),
    ("what medicines do I take?", "en"),
    ("quelle est ma dernière tension ?", "fr"),
    ("quels vaccins ai-je eus ?", "fr"),
    ("what was my last weight?", "en"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def conversation(
    client: httpx.AsyncClient,
    token: str,
    index: int,
    stop: float,
    out: list[float],
    errors: list[str],
    think: float,
) -> None:
    rng = random.Random(index)
    headers = {"Authorization": f"Bearer {token}"}
    created = await client.post("/v1/sessions", json={}, headers=headers)
    if created.status_code != 201:
        errors.append(f"session {created.status_code}")
        return
    session = created.json()["session_id"]
    n = index
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # sessions start spread out, as real patients do
    while time.monotonic() < stop:
        text, lang = MESSAGES[n % len(MESSAGES)]
        n += 1
        t0 = time.perf_counter()
        try:
            r = await client.post(
                f"/v1/sessions/{session}/messages", json={"text": text, "language": lang}, headers=headers
            )
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            continue
        out.append(time.perf_counter() - t0)
        if r.status_code != 200:
            errors.append(str(r.status_code))
        if think:
            await asyncio.sleep(rng.uniform(think / 2, think * 1.5))


async def load(
    url: str, tokens: list[str], seconds: float, think: float
) -> tuple[list[float], list[str], float]:
    limits = httpx.Limits(max_connections=len(tokens) + 5, max_keepalive_connections=len(tokens) + 5)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        t0 = time.monotonic()
        stop = t0 + seconds
        latencies: list[float] = []
        errors: list[str] = []
        await asyncio.gather(
            *(conversation(client, t, i, stop, latencies, errors, think) for i, t in enumerate(tokens))
        )
        return latencies, errors, time.monotonic() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=5.0, help="mean seconds between a reply and the next message"
    )
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    with Sandbox(port=0) as sb, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with Database(sqlite_url(data), clock=system_clock) as db:
            store = ApiTokenStore(db)
            tokens = [store.issue(PATIENTS[i % len(PATIENTS)]).token for i in range(args.sessions)]
        port = free_port()
        env = {
            **os.environ,
            "HEALTH_ASSISTANT_FHIR_URL": sb.base_url,
            "HEALTH_ASSISTANT_DATA_DIR": str(data),
            "HEALTH_ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "100000",
            "HEALTH_ASSISTANT_API_RATE_LIMIT_BURST": "10000",
        }
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "health_assistant.asgi:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(args.workers),
        ]
        server = subprocess.Popen(cmd, env=env, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the API did not start")
                time.sleep(0.2)
            proc = psutil.Process(server.pid)

            def rss() -> int:
                return int(
                    proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                )

            t0 = time.perf_counter()
            # Warm-up: load + index each patient's record (twice, so every worker is likely to have it).
            for token in tokens[: len(PATIENTS)] * 2:
                httpx.get(
                    url + "/v1/record/summary", headers={"Authorization": f"Bearer {token}"}, timeout=120
                ).raise_for_status()
            warm = time.perf_counter() - t0
            rss_before = rss()
            peak = [rss_before]

            async def sample() -> None:
                while True:
                    peak.append(rss())
                    await asyncio.sleep(0.5)

            async def run() -> tuple[list[float], list[str], float]:
                sampler = asyncio.create_task(sample())
                try:
                    return await load(url, tokens, args.seconds, args.think)
                finally:
                    sampler.cancel()

            latencies, errors, elapsed = asyncio.run(run())
            rss_after = rss()
        finally:
            server.terminate()
            server.wait(timeout=30)

    mib = 1024 * 1024
    print(
        f"sessions {args.sessions}, think {args.think} s, workers {args.workers}, {elapsed:.1f} s, "
        f"{len(PATIENTS)} patients, warm-up (load + index) {warm:.1f} s"
    )
    print(
        f"messages {len(latencies)} ({len(latencies) / elapsed:.1f}/s), errors {len(errors)} {sorted(set(errors))[:5]}"
    )
    if latencies:
        ms = [v * 1000 for v in latencies]
        print(
            f"latency ms: p50 {statistics.median(ms):.0f}  p95 {percentile(ms, 0.95):.0f}  "
            f"p99 {percentile(ms, 0.99):.0f}  max {max(ms):.0f}"
        )
    print(
        f"server RSS MiB: after warm-up {rss_before / mib:.0f}, peak {max(peak) / mib:.0f}, end {rss_after / mib:.0f}"
    )


if __name__ == "__main__":
    main()
