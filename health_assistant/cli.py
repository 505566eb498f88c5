"""``health-assistant``: the command line. Command names are a contract (see DESIGN.md)."""

from __future__ import annotations

import typer

from health_assistant.commands import (
    converse,
    eval,
    ingest,
    run,
    sandbox,
    search,
    serve,
    triage,
    ui,
    understand,
)

app = typer.Typer(
    name="health-assistant",
    help="Patient-facing health assistant over the patient's own FHIR R4 record (offline by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (sandbox, ingest, search, converse, triage, understand, run, eval, serve, ui):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
