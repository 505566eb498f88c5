"""``health-assistant run``: what ``make run`` starts (sandbox now; the patient app later)."""

from __future__ import annotations

import typer

from health_assistant.commands._common import not_available


def register(app: typer.Typer) -> None:
    @app.command(help="Start the main job on the embedded defaults (demo clinic + demo patient, offline).")
    def run() -> None:
        not_available("run", "the demo clinic sandbox (issue #2)")
