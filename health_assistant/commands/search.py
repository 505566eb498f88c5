"""``health-assistant search``: ranked record cards with scores and references.

The record is (re)indexed first; an unchanged record re-syncs in a fraction of a second, so search always
answers from the record as it is now. The index lives under ``Settings.data_dir / "index"``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from fhir_client import FhirError
from health_assistant import exit_codes
from health_assistant.commands._common import fail, print_json
from health_assistant.settings import Settings
from health_assistant.sources import load_patient_source
from retrieval import CARD_TYPES, EmbeddingModelMissing, IndexUnavailable, RecordRetriever


def index_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings()).data_dir / "index"


def open_index(settings: Settings | None = None) -> RecordRetriever:
    """The index under DATA_DIR, or in the Chroma server at CHROMA_URL when one is set (a malformed URL
    is bad input, exit 2; a server that does not answer is an upstream failure, exit 3, when first used)."""
    settings = settings or Settings()
    try:
        return RecordRetriever(index_dir(settings), chroma_url=settings.chroma_url)
    except ValueError as exc:
        fail(f"HEALTH_ASSISTANT_CHROMA_URL: {exc}")


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} expects a date like 2019-03-01, got {value!r}")


def register(app: typer.Typer) -> None:
    @app.command(help="Search the record: ranked record cards with scores and references.")
    def search(
        query: Annotated[str, typer.Argument(help="A question or words, e.g. 'last A1c' or 'ma tension'.")],
        patient: Annotated[
            str, typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id> on --fhir-url.")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
        types: Annotated[
            list[str] | None, typer.Option("--type", help="Only cards of this resource type (repeatable).")
        ] = None,
        since: Annotated[
            str | None, typer.Option("--since", help="Only cards dated on/after YYYY-MM-DD.")
        ] = None,
        until: Annotated[
            str | None, typer.Option("--until", help="Only cards dated on/before YYYY-MM-DD.")
        ] = None,
        k: Annotated[int, typer.Option("-k", help="How many cards to show.")] = 5,
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
    ) -> None:
        if not query.strip():
            fail("the search query is empty; ask something like 'last A1c'")
        if k < 1 or k > 100:
            fail(f"-k must be between 1 and 100, got {k}")
        unknown = sorted(set(types or []) - set(CARD_TYPES))
        if unknown:
            fail(f"unknown --type {', '.join(unknown)}; use one of {', '.join(CARD_TYPES)}")
        start, end = parse_date(since, "--since"), parse_date(until, "--until")
        try:
            record = load_patient_source(patient, fhir_url=fhir_url)
        except FhirError as exc:
            fail(str(exc), exc.exit_code)
        retriever = open_index()
        try:
            t0 = time.perf_counter()
            report = retriever.index_record(record)
            t1 = time.perf_counter()
            hits = retriever.search(
                record.patient_id, query, k=k, types=types or None, since=start, until=end
            )
            t2 = time.perf_counter()
        except EmbeddingModelMissing as exc:
            fail(str(exc), exit_codes.NOT_AVAILABLE)
        except IndexUnavailable as exc:
            fail(str(exc), exit_codes.UPSTREAM_FAILED)
        finally:
            retriever.close()
        if as_json:
            print_json(
                {
                    "patient": record.patient_ref,
                    "query": query,
                    "filters": {"types": types or [], "since": since, "until": until, "k": k},
                    "hits": [h.as_dict() for h in hits],
                    "seconds": {"sync": round(t1 - t0, 3), "search": round(t2 - t1, 3)},
                    "sync": report.as_dict(),
                }
            )
            return
        if not hits:
            typer.echo("No matching record entries.")
        for n, hit in enumerate(hits, 1):
            typer.echo(f"{n}. [{hit.score:.3f}] {hit.card.title}")
            typer.echo(f"   {hit.card.text}")
            typer.echo(f"   refs: {', '.join(hit.card.refs[:8])}{' …' if len(hit.card.refs) > 8 else ''}")
