"""``health-assistant run``: what ``make run`` starts on the embedded defaults.

Today that is the demo clinic sandbox plus a guide to the CLI for the demo patient; the patient app
joins it when it exists (issue #8).
"""

from __future__ import annotations

from typing import Annotated

import typer

from health_assistant.commands.sandbox import describe, start_sandbox
from health_assistant.demo import DEMO_PATIENT_FILE, DEMO_PATIENT_ID, DEMO_PATIENT_NAME
from health_assistant.settings import DEFAULT_SANDBOX_PORT, REPO_ROOT


def usage(base_url: str) -> str:
    file_arg = DEMO_PATIENT_FILE.relative_to(REPO_ROOT) if DEMO_PATIENT_FILE else "data/synthea/<file>.json"
    cli = ".venv/bin/health-assistant"
    return "\n".join(
        [
            f"Demo patient: {DEMO_PATIENT_NAME} (id {DEMO_PATIENT_ID}).",
            "",
            "Try these in another terminal (the patient app arrives with a later issue):",
            f"  {cli} ingest --patient fhir:{DEMO_PATIENT_ID} --fhir-url {base_url}",
            f"  {cli} ingest --patient {file_arg} --json",
            f"  curl '{base_url}/Slot?status=free&_sort=start&_count=5'",
            f"  {cli} --help",
            "",
            "Press Ctrl+C to stop.",
        ]
    )


def register(app: typer.Typer) -> None:
    @app.command(help="Start the main job on the embedded defaults (demo clinic + demo patient, offline).")
    def run(
        port: Annotated[
            int, typer.Option("--port", help="Sandbox port on 127.0.0.1.")
        ] = DEFAULT_SANDBOX_PORT,
    ) -> None:
        sb = start_sandbox(port)
        typer.echo(describe(sb))
        typer.echo(usage(sb.base_url))
        try:
            sb.wait()
        except KeyboardInterrupt:
            pass
        finally:
            sb.stop()
