"""``health-assistant ui``: the Streamlit patient app on 127.0.0.1, in process or against a clinic API.

Streamlit runs in a child process (``streamlit run health_assistant/ui_main.py``) configured through the
environment; this command waits until the app answers its health check before saying it is ready, and
stops it on Ctrl+C. ``run`` reuses ``start_ui`` to put the app in front of the demo clinic.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import typer

from health_assistant import exit_codes
from health_assistant.commands._common import fail, sigterm_as_interrupt
from health_assistant.demo import DEMO_PATIENT_ID
from ui.theme import streamlit_flags

ENV_PATIENT = "HEALTH_ASSISTANT_UI_PATIENT"
ENV_API_URL = "HEALTH_ASSISTANT_UI_API_URL"
ENV_API_TOKEN = "HEALTH_ASSISTANT_UI_API_TOKEN"
ENV_PUBLIC_URL = "HEALTH_ASSISTANT_UI_PUBLIC_URL"
UI_SCRIPT = Path(__file__).resolve().parent.parent / "ui_main.py"
DEFAULT_UI_PORT = 8501
READY_TIMEOUT = 90.0
LLM_ENV = (
    "HEALTH_ASSISTANT_LLM_BASE_URL",
    "HEALTH_ASSISTANT_LLM_MODEL",
    "HEALTH_ASSISTANT_LLM_API_KEY",
    "OPENAI_API_KEY",
)


class UiStartError(RuntimeError):
    """The app did not start (port busy, Streamlit crashed, never became healthy)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def streamlit_args(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(UI_SCRIPT),
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        *streamlit_flags(),
    ]


@dataclass
class UiProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self) -> int:
        return self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_ui(port: int, env: Mapping[str, str], *, log_path: Path | None = None) -> UiProcess:
    """Start Streamlit on 127.0.0.1:``port`` (0 = a free port) and wait for its health check."""
    port = port or free_port()
    if not port_is_free(port):
        raise UiStartError(
            f"port {port} on 127.0.0.1 is already in use; stop what runs there or pick another --port"
        )
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    own_url = {
        ENV_PUBLIC_URL: f"http://127.0.0.1:{port}/"
    }  # where the clinic's sign-in sends the browser back
    proc = subprocess.Popen(
        streamlit_args(port), env={**os.environ, **own_url, **env}, stdout=out, stderr=subprocess.STDOUT
    )
    ui = UiProcess(proc, port, log_path)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise UiStartError(f"the patient app stopped while starting (exit code {proc.returncode})")
        try:
            if httpx.get(f"{ui.url}/_stcore/health", timeout=2).status_code == 200:
                return ui
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    ui.stop()
    raise UiStartError(f"the patient app did not answer on {ui.url} within {READY_TIMEOUT:.0f} s")


def ui_env(
    *,
    patient: str | None,
    fhir_url: str | None = None,
    api: str | None = None,
    token: str | None = None,
    offline: bool = False,
) -> dict[str, str]:
    env: dict[str, str] = {}
    if patient:
        env[ENV_PATIENT] = patient
    if fhir_url:
        env["HEALTH_ASSISTANT_FHIR_URL"] = fhir_url
    if api:
        env[ENV_API_URL] = api
        env[ENV_API_TOKEN] = token or ""
    if offline:
        env.update({name: "" for name in LLM_ENV})
    return env


def serve_until_interrupted(ui: UiProcess) -> int:
    """Wait for the app; Ctrl+C or SIGTERM (``kill``, a service manager) stops it — Streamlit is our child
    and would otherwise keep running, holding the port, after this process is gone."""
    try:
        with sigterm_as_interrupt():
            return ui.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        ui.stop()


def register(app: typer.Typer) -> None:
    @app.command(help="Start the Streamlit patient app on 127.0.0.1 (in process, or against a clinic API).")
    def ui(
        port: Annotated[
            int, typer.Option("--port", help="Port on 127.0.0.1 (0 picks a free one).")
        ] = DEFAULT_UI_PORT,
        patient: Annotated[
            str, typer.Option("--patient", help="Record to open first: fhir:<id> or a Bundle JSON file.")
        ] = f"fhir:{DEMO_PATIENT_ID}",
        fhir_url: Annotated[
            str | None, typer.Option("--fhir-url", help="FHIR server (default from settings).")
        ] = None,
        api: Annotated[
            str | None, typer.Option("--api", help="Clinic API base URL instead of the in-process core.")
        ] = None,
        token: Annotated[
            str | None, typer.Option("--token", help="Bearer token for --api (bound to one patient).")
        ] = None,
        log: Annotated[
            Path | None,
            typer.Option(
                "--log", help="Write the app's own output (Streamlit's log and errors) to this file."
            ),
        ] = None,
    ) -> None:
        if api and not token:
            fail("--api needs --token (a token issued for one patient)", exit_codes.BAD_INPUT)
        if not patient.startswith("fhir:") and not Path(patient).is_file():
            fail(
                f"--patient {patient}: no such file (give a Bundle JSON file or fhir:<id>)",
                exit_codes.BAD_INPUT,
            )
        try:
            started = start_ui(
                port, ui_env(patient=patient, fhir_url=fhir_url, api=api, token=token), log_path=log
            )
        except UiStartError as exc:
            fail(str(exc), exit_codes.UPSTREAM_FAILED)
        typer.echo(f"Patient app ready at {started.url} ; press Ctrl+C to stop.")
        code = serve_until_interrupted(started)
        if code not in (0, -2, -15):
            fail(f"the patient app stopped unexpectedly with code {code}", exit_codes.UPSTREAM_FAILED)
