"""``health-assistant sandbox``: the demo clinic FHIR server (filled in by the sandbox work)."""

from __future__ import annotations

from typing import Annotated

import typer

from health_assistant.commands._common import not_available
from health_assistant.settings import DEFAULT_SANDBOX_PORT


def register(app: typer.Typer) -> None:
    @app.command(help="Start the demo clinic FHIR server on 127.0.0.1, seeded with patients and slots.")
    def sandbox(port: Annotated[int, typer.Option("--port")] = DEFAULT_SANDBOX_PORT) -> None:
        not_available("sandbox", "the demo clinic sandbox (issue #2)")
