"""``health-assistant ingest``: load a patient's record and say exactly what was kept and skipped."""

from __future__ import annotations

from typing import Annotated

import typer

from fhir_client import FhirError, PatientRecord
from health_assistant.commands._common import fail, print_json
from health_assistant.sources import load_patient_source


def register(app: typer.Typer) -> None:
    @app.command(help="Load (and index) a patient's record; prints counts by type, skipped, seconds.")
    def ingest(
        patient: Annotated[
            str, typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id> on --fhir-url.")
        ],
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    ) -> None:
        try:
            record = load_patient_source(patient, fhir_url=fhir_url)
        except FhirError as exc:
            fail(str(exc), exc.exit_code)
        summary = record.summary()
        if as_json:
            print_json(summary)
        else:
            _print_human(record)


def _print_human(record: PatientRecord) -> None:
    s = record.summary()
    typer.echo(f"Loaded {s['total']} resources for {s['patient']} from {s['source']} in {s['seconds']} s")
    for rtype, n in s["counts"].items():
        typer.echo(f"  {rtype:<28} {n:>6}")
    if record.skipped:
        typer.echo(f"Skipped {len(record.skipped)} invalid resource(s):")
        for issue in record.skipped:
            typer.echo(f"  - {issue.describe()}")
    if record.warnings:
        typer.echo(f"{len(record.warnings)} warning(s):")
        for issue in record.warnings[:20]:
            typer.echo(f"  - {issue.describe()}")
