"""``health-assistant ingest``: load a patient's record and say exactly what was kept and skipped."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from fhir_client import FhirError, PatientRecord
from health_assistant import exit_codes
from health_assistant.commands._common import fail, print_json
from health_assistant.commands.search import open_index
from health_assistant.sources import load_patient_source
from retrieval import EmbeddingModelMissing, IndexUnavailable
from retrieval.cards import unread


def register(app: typer.Typer) -> None:
    @app.command(help="Load (and index) a patient's record; prints counts by type, skipped, seconds.")
    def ingest(
        patient: Annotated[
            str, typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id> on --fhir-url.")
        ],
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    ) -> None:
        t0 = time.perf_counter()
        try:
            record = load_patient_source(patient, fhir_url=fhir_url)
        except FhirError as exc:
            fail(str(exc), exc.exit_code)
        load_seconds = time.perf_counter() - t0
        summary = record.summary()
        retriever = open_index()
        try:
            report = retriever.index_record(record)
        except EmbeddingModelMissing as exc:
            fail(str(exc), exit_codes.NOT_AVAILABLE)
        except IndexUnavailable as exc:
            fail(str(exc), exit_codes.UPSTREAM_FAILED)
        finally:
            retriever.close()
        timings = {
            "load": round(load_seconds, 3),
            "cards": round(report.cards_seconds, 3),
            "embed": round(report.sync.embed_seconds, 3),
            "index": round(report.sync.index_seconds, 3),
        }
        if as_json:
            not_read = unread(record)  # kept in the record but read by no answer (reported, never dropped)
            print_json({**summary, "not_read": not_read, "index": report.sync.as_dict(), "timings": timings})
        else:
            _print_human(record)
            sync = report.sync
            typer.echo(
                f"Indexed {sync.total} record cards ({sync.added} added, {sync.updated} updated, "
                f"{sync.removed} removed, {sync.unchanged} unchanged; {sync.embedded_texts} texts embedded)"
            )
            typer.echo("Timings (s): " + ", ".join(f"{k} {v}" for k, v in timings.items()))


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
    if record.notes:
        typer.echo(f"{len(record.notes)} note(s) on how shapes were read:")
        for issue in [n for n in record.notes if n.field != "id"][:20]:
            typer.echo(f"  - {issue.describe()}")
        ids = sum(1 for n in record.notes if n.field == "id")
        if ids:
            typer.echo(f"  - {ids} resource(s) had no id and were given one (entry uuid or content)")
    not_read = unread(record)
    if not_read:
        typer.echo("Kept but not read by any answer: " + ", ".join(f"{k} {v}" for k, v in not_read.items()))
