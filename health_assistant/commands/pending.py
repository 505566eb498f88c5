"""Commands whose features arrive with later issues. They say so plainly instead of pretending."""

from __future__ import annotations

from typing import Annotated

import typer

from health_assistant.commands._common import not_available


def register(app: typer.Typer) -> None:
    @app.command(help="Triage a message with the record-aware red-flag rules.")
    def triage(
        message: Annotated[str | None, typer.Argument()] = None,
        patient: Annotated[str | None, typer.Option("--patient")] = None,
        lang: Annotated[str | None, typer.Option("--lang")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        batch: Annotated[bool, typer.Option("--batch")] = False,
    ) -> None:
        not_available("triage", "the safety core (issue #4)")
