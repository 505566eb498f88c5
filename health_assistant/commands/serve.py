"""``serve`` (the clinic API under uvicorn) and ``token issue|revoke|list`` (API bearer tokens)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.auth import ApiTokenStore
from assistant.store import Database, StoreError, sqlite_url
from fhir_client import FhirError, FhirNotFound
from health_assistant import exit_codes
from health_assistant.commands._common import fail
from health_assistant.factory import clock_for
from health_assistant.fhir_access import clinic_fhir
from health_assistant.settings import Settings


def _database(settings: Settings) -> Database:
    if settings.database_url:
        return Database(settings.database_url, clock=clock_for(settings))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Database(sqlite_url(settings.data_dir), clock=clock_for(settings))


def _check_patient(settings: Settings, patient_id: str) -> None:
    try:
        with clinic_fhir(settings) as client:
            client.read("Patient", patient_id)
    except FhirNotFound:
        fail(f"no Patient/{patient_id} on the FHIR server {settings.fhir_url}")
    except FhirError as exc:
        fail(f"cannot reach the FHIR server {settings.fhir_url}: {exc}", exit_codes.UPSTREAM_FAILED)


def register(app: typer.Typer) -> None:
    @app.command(help="Start the clinic API (FastAPI under uvicorn).")
    def serve(
        host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port")] = 8000,
        workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
        fhir_url: Annotated[str | None, typer.Option("--fhir-url")] = None,
    ) -> None:
        import os

        import uvicorn

        if fhir_url:
            os.environ["HEALTH_ASSISTANT_FHIR_URL"] = fhir_url
        settings = Settings()
        try:
            _database(settings).close()  # migrate once before the workers start, and fail early
        except (StoreError, ValueError) as exc:
            fail(f"cannot open the database: {exc}", exit_codes.UPSTREAM_FAILED)
        typer.echo(
            f"clinic API on http://{host}:{port} (docs: /docs), FHIR server {settings.fhir_url}", err=True
        )
        uvicorn.run(
            "health_assistant.asgi:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=True,
        )

    token_app = typer.Typer(help="API bearer tokens bound to one patient.", no_args_is_help=True)

    @token_app.command("issue", help="Issue an API token bound to one patient; it is printed once.")
    def token_issue(
        patient: Annotated[str, typer.Option("--patient", help="FHIR Patient id on the clinic's server.")],
        expires_days: Annotated[float, typer.Option("--expires-days", help="Days until it expires.")] = 30,
        label: Annotated[str | None, typer.Option("--label", help="Where the token is used.")] = None,
        check: Annotated[bool, typer.Option("--check/--no-check", help="Check the patient exists.")] = True,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        settings = Settings()
        if check:
            _check_patient(settings, patient)
        try:
            with _database(settings) as db:
                issued = ApiTokenStore(db).issue(patient, days=expires_days, label=label)
        except ValueError as exc:
            fail(str(exc))
        except StoreError as exc:
            fail(f"cannot open the database: {exc}", exit_codes.UPSTREAM_FAILED)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "token": issued.token,
                        "id": issued.info.id,
                        "patient": issued.info.patient_id,
                        "expires_at": issued.info.expires_at.isoformat(),
                    }
                )
            )
        else:
            typer.echo(issued.token)
            typer.echo(
                f"token {issued.info.id} for Patient/{patient}, expires {issued.info.expires_at:%Y-%m-%d %H:%M} UTC; "
                "it is shown only once",
                err=True,
            )

    @token_app.command("revoke", help="Revoke a token by its id or the token itself.")
    def token_revoke(
        token: Annotated[str, typer.Argument(help="Token id (16 hex) or the full token.")],
    ) -> None:
        settings = Settings()
        try:
            with _database(settings) as db:
                info = ApiTokenStore(db).revoke(token)
        except ValueError as exc:
            fail(str(exc))
        except StoreError as exc:
            fail(f"cannot open the database: {exc}", exit_codes.UPSTREAM_FAILED)
        if info is None:
            fail("no such token")
        typer.echo(f"token {info.id} for Patient/{info.patient_id} revoked")

    @token_app.command("list", help="List tokens (ids, patients, states; never the secrets).")
    def token_list(
        patient: Annotated[str | None, typer.Option("--patient")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        settings = Settings()
        with _database(settings) as db:
            store = ApiTokenStore(db)
            now = db.clock()
            rows = [
                {
                    "id": t.id,
                    "patient": t.patient_id,
                    "label": t.label,
                    "state": t.state(now),
                    "expires_at": t.expires_at.isoformat(),
                }
                for t in store.list(patient)
            ]
        if as_json:
            typer.echo(json.dumps(rows))
            return
        for row in rows:
            typer.echo(
                f"{row['id']}  {row['state']:<8} Patient/{row['patient']}  expires {row['expires_at']}"
            )

    app.add_typer(token_app, name="token")
