"""`health-assistant sandbox`, `run` and `ingest fhir:` as a user meets them: real processes, real ports."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "health_assistant.cli"]


def _ctrl_c_as_in_a_terminal() -> None:
    # A command started in the background by a non-interactive shell inherits SIGINT *ignored* (POSIX), and
    # Python then never turns Ctrl+C into KeyboardInterrupt: run from such a shell (a CI script, `cmd &`),
    # the suite's SIGINT reached a `run` that ignored it. The test is about a user's Ctrl+C, so the child
    # gets SIGINT as a terminal gives it, whatever launched the suite.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [*CLI, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,  # only a signal disposition: no lock is taken
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    return proc, first


# How long a stopped command may take: `run` gives Streamlit 15 s to stop before killing it, then the Node
# sandbox 10 s (and 10 more after a kill); the wait stays above that bound.
STOP_TIMEOUT = 90


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=STOP_TIMEOUT)
    # Read through the same text wrapper readline() used: it may already hold lines read ahead, which
    # communicate() (reading the raw pipe) would never return.
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    proc.stdout.close()
    proc.stderr.close()
    return proc.returncode, out


def test_run_starts_the_clinic_then_the_patient_app_and_stops_both() -> None:
    proc, first = start(["run", "--port", "0", "--sandbox-port", "0"])
    try:
        assert re.match(
            r"Demo clinic FHIR R4 server ready at http://127\.0\.0\.1:\d+/fhir/R4 .* 12 patients", first
        )
        assert proc.stdout is not None
        second = proc.stdout.readline()
        ready = re.match(
            r"Patient app ready at (http://127\.0\.0\.1:\d+) with the demo patient Josue Sipes, offline",
            second,
        )
        assert ready, second
        app_url = ready.group(1)
        assert httpx.get(f"{app_url}/_stcore/health", timeout=10).text == "ok"
        clinic = re.search(r"(http://127\.0\.0\.1:\d+/fhir/R4)", first)
        assert clinic is not None
    finally:
        code, rest = stop(proc)
    assert code == 0
    assert "ingest --patient fhir:7d27f180-98d6-456d-98c0-d91df32cd023" in rest
    assert "Ctrl+C" in rest
    # Ctrl+C stopped both servers.
    for url in (f"{app_url}/_stcore/health", f"{clinic.group(1)}/metadata"):
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=5)


def test_ui_stopped_by_sigterm_takes_its_streamlit_server_down(tmp_path: Path) -> None:
    """A service manager stops with SIGTERM: the app's Streamlit child must not outlive the command."""
    proc, first = start(["ui", "--port", "0", "--fhir-url", "http://127.0.0.1:9/fhir/R4"])
    ready = re.match(r"Patient app ready at (http://127\.0\.0\.1:\d+)", first)
    try:
        assert ready, first
        assert httpx.get(f"{ready.group(1)}/_stcore/health", timeout=10).text == "ok"
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=STOP_TIMEOUT)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert code == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{ready.group(1)}/_stcore/health", timeout=5)


def test_sandbox_with_auth_stopped_by_sigterm_takes_node_down(tmp_path: Path) -> None:
    """`sandbox --auth` says where sign-in lives and which settings use its system client; SIGTERM stops
    the Node server with the command."""
    proc = subprocess.Popen(
        [*CLI, "sandbox", "--port", "0", "--auth"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HEALTH_ASSISTANT_DATA_DIR": str(tmp_path)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines = [proc.stdout.readline() for _ in range(3)]
    try:
        base = re.search(r"(http://127\.0\.0\.1:\d+/fhir/R4)", lines[0])
        assert base, lines
        assert "SMART on FHIR sign-in is on" in lines[1]
        assert httpx.get(f"{base.group(1)}/Patient", timeout=10).status_code == 401
        assert (tmp_path / "smart" / "clinic-system.pem").stat().st_mode & 0o077 == 0  # owner only
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=STOP_TIMEOUT)
        proc.stdout.close()
        proc.stderr.close()
    assert code == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base.group(1)}/metadata", timeout=5)


def test_sandbox_on_a_busy_port_exits_3_with_one_sentence() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [*CLI, "sandbox", "--port", str(port)], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    assert proc.returncode == 3
    assert (
        proc.stderr.strip()
        == f"error: port {port} on 127.0.0.1 is already in use; stop what runs there or pick another --port"
    )


def test_ingest_from_the_sandbox_counts_like_the_file(sandbox_url: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            *CLI,
            "ingest",
            "--patient",
            "fhir:7d27f180-98d6-456d-98c0-d91df32cd023",
            "--fhir-url",
            sandbox_url,
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"HEALTH_ASSISTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["total"] == 959 and summary["counts"]["Observation"] == 662
    assert summary["skipped"] == []


def test_ingest_from_an_unreachable_server_exits_3_without_traceback(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        proc = subprocess.run(
            [*CLI, "ingest", "--patient", "fhir:abc", "--fhir-url", f"http://127.0.0.1:{port}/fhir/R4"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={"HEALTH_ASSISTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
    assert proc.returncode == 3
    assert "could not reach the FHIR server" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ingest_of_an_unknown_patient_on_the_server_is_bad_input(sandbox_url: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CLI, "ingest", "--patient", "fhir:no-such-patient", "--fhir-url", sandbox_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"HEALTH_ASSISTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert "no Patient with id 'no-such-patient'" in proc.stderr
