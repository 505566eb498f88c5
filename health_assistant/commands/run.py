"""``health-assistant run``: what ``make run`` starts on the embedded defaults.

The demo clinic sandbox, then the patient app in front of it with the demo patient, offline (LLM
settings are cleared for the app, so nothing leaves the machine). Ctrl+C stops both.
"""

from __future__ import annotations

from typing import Annotated

import typer

from health_assistant import exit_codes
from health_assistant.commands._common import fail
from health_assistant.commands.sandbox import describe, start_sandbox
from health_assistant.commands.ui import (
    DEFAULT_UI_PORT,
    UiStartError,
    serve_until_interrupted,
    start_ui,
    ui_env,
)
from health_assistant.demo import DEMO_PATIENT_FILE, DEMO_PATIENT_ID, DEMO_PATIENT_NAME
from health_assistant.settings import DEFAULT_SANDBOX_PORT, REPO_ROOT


def usage(base_url: str) -> str:
    file_arg = DEMO_PATIENT_FILE.relative_to(REPO_ROOT) if DEMO_PATIENT_FILE else "data/synthea/<file>.json"
    cli = ".venv/bin/health-assistant"
    return "\n".join(
        [
            f"Demo patient: {DEMO_PATIENT_NAME} (id {DEMO_PATIENT_ID}).",
            "",
            "Or try the command line in another terminal:",
            f"  {cli} ingest --patient fhir:{DEMO_PATIENT_ID} --fhir-url {base_url}",
            f"  {cli} ingest --patient {file_arg} --json",
            f"  curl '{base_url}/Slot?status=free&_sort=start&_count=5'",
            f"  {cli} --help",
            "",
            "Press Ctrl+C to stop.",
        ]
    )


def register(app: typer.Typer) -> None:
    @app.command(help="Start the main job on the embedded defaults (demo clinic + patient app, offline).")
    def run(
        port: Annotated[
            int, typer.Option("--port", help="Patient app port on 127.0.0.1 (0 picks a free one).")
        ] = DEFAULT_UI_PORT,
        sandbox_port: Annotated[
            int, typer.Option("--sandbox-port", help="Demo clinic FHIR server port (0 picks a free one).")
        ] = DEFAULT_SANDBOX_PORT,
    ) -> None:
        sb = start_sandbox(sandbox_port)
        try:
            typer.echo(describe(sb))
            env = ui_env(patient=f"fhir:{DEMO_PATIENT_ID}", fhir_url=sb.base_url, offline=True)
            try:
                ui = start_ui(port, env)
            except UiStartError as exc:
                fail(str(exc), exit_codes.UPSTREAM_FAILED)
            # One write: a Ctrl+C right after the ready line must not cut the usage text off.
            typer.echo(
                f"Patient app ready at {ui.url} with the demo patient {DEMO_PATIENT_NAME}, offline: "
                "nothing leaves this machine. Open it in your browser.\n" + usage(sb.base_url)
            )
            code = serve_until_interrupted(ui)
            if code not in (0, -2, -15):
                fail(f"the patient app stopped unexpectedly with code {code}", exit_codes.UPSTREAM_FAILED)
        finally:
            sb.stop()
