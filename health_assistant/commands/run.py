"""``health-assistant run``: what ``make run`` starts on the embedded defaults.

The demo clinic sandbox with SMART sign-in on (``--auth``: its FHIR base needs tokens, a patient token
reads only its own record), then the patient app in front of it with the demo patient, offline (LLM
settings are cleared for the app, so nothing leaves the machine). The app reads the demo patient with
the clinic's system client (no sign-in needed for the demo) and offers "Connect my health record" to
sign in as a demo patient or parent. Ctrl+C stops both.
"""

from __future__ import annotations

from pathlib import Path
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
from health_assistant.settings import DEFAULT_SANDBOX_PORT, REPO_ROOT, Settings
from health_assistant.smart_demo import environment as smart_environment
from health_assistant.smart_demo import system_key
from sandbox.launcher import SYSTEM_CLIENT_ID


def usage(base_url: str, key_file: Path) -> str:
    file_arg = DEMO_PATIENT_FILE.relative_to(REPO_ROOT) if DEMO_PATIENT_FILE else "data/synthea/<file>.json"
    cli = ".venv/bin/health-assistant"
    return "\n".join(
        [
            f"Demo patient: {DEMO_PATIENT_NAME} (id {DEMO_PATIENT_ID}).",
            "",
            "Or try the command line in another terminal:",
            f"  {cli} ingest --patient {file_arg} --json",
            "  # the demo clinic wants SMART tokens: the CLI signs in as the clinic's system client",
            f"  HEALTH_ASSISTANT_FHIR_SYSTEM_CLIENT_ID={SYSTEM_CLIENT_ID} HEALTH_ASSISTANT_FHIR_SYSTEM_KEY_FILE={key_file} \\",
            f"    {cli} ingest --patient fhir:{DEMO_PATIENT_ID} --fhir-url {base_url}",
            f"  curl '{base_url}/.well-known/smart-configuration'",
            "",
            'In the app, "Connect my health record" signs in at the demo clinic: josue / josue-demo (one',
            "account per demo patient, see README), or alex / alex-demo, a parent who picks a child.",
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
        key, key_file = system_key(Settings().data_dir)
        sb = start_sandbox(sandbox_port, auth=True, system_key=key)
        try:
            typer.echo(describe(sb))
            env = {
                **ui_env(patient=f"fhir:{DEMO_PATIENT_ID}", fhir_url=sb.base_url, offline=True),
                **smart_environment(sb, key_file),
            }
            try:
                ui = start_ui(port, env)
            except UiStartError as exc:
                fail(str(exc), exit_codes.UPSTREAM_FAILED)
            # One write: a Ctrl+C right after the ready line must not cut the usage text off.
            typer.echo(
                f"Patient app ready at {ui.url} with the demo patient {DEMO_PATIENT_NAME}, offline: "
                "nothing leaves this machine. Open it in your browser.\n" + usage(sb.base_url, key_file)
            )
            code = serve_until_interrupted(ui)
            if code not in (0, -2, -15):
                fail(f"the patient app stopped unexpectedly with code {code}", exit_codes.UPSTREAM_FAILED)
        finally:
            sb.stop()
