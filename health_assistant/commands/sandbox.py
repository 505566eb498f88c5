"""``health-assistant sandbox``: the demo clinic FHIR server in the foreground."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from joserfc.jwk import ECKey

from health_assistant import exit_codes
from health_assistant.commands._common import fail, sigterm_as_interrupt
from health_assistant.settings import DEFAULT_SANDBOX_PORT, Settings
from health_assistant.smart_demo import describe as describe_auth
from health_assistant.smart_demo import system_key
from sandbox import Sandbox, SandboxError


def start_sandbox(
    port: int,
    *,
    today: str | None = None,
    log_requests: bool = False,
    auth: bool = False,
    system_key: ECKey | None = None,
    access_token_ttl: int | None = None,
) -> Sandbox:
    """Start the demo clinic or exit 3 with the reason (port busy, Node missing, crash)."""
    try:
        return Sandbox(
            port=port,
            today=today,
            log_requests=log_requests,
            auth=auth,
            system_key=system_key,
            access_token_ttl=access_token_ttl,
        ).start()
    except SandboxError as exc:
        fail(str(exc), exit_codes.UPSTREAM_FAILED)


def describe(sb: Sandbox) -> str:
    seed: dict[str, Any] = sb.seed_info
    counts = seed.get("counts", {})
    total = sum(c.get("created", 0) + c.get("existing", 0) for c in counts.values())
    patients = len(seed.get("patients", []))
    slots = seed.get("slots", 0)
    secs = sb.startup_seconds.get("total", 0.0)
    return (
        f"Demo clinic FHIR R4 server ready at {sb.base_url} in {secs:.1f} s: {total:,} resources, "
        f"{patients} patients, {slots:,} appointment slots over the next 30 days."
    )


def register(app: typer.Typer) -> None:
    @app.command(help="Start the demo clinic FHIR server on 127.0.0.1, seeded with patients and slots.")
    def sandbox(
        port: Annotated[
            int, typer.Option("--port", help="Port on 127.0.0.1 (0 picks a free one).")
        ] = DEFAULT_SANDBOX_PORT,
        today: Annotated[
            str | None,
            typer.Option("--today", help="Start the 30-day slot horizon on this date (YYYY-MM-DD)."),
        ] = None,
        log_requests: Annotated[bool, typer.Option("--log", help="Log each request on stderr.")] = False,
        auth: Annotated[
            bool,
            typer.Option(
                "--auth",
                help="SMART on FHIR: patient sign-in at /auth, tokens required at the FHIR base "
                "(a patient token reads only its own record).",
            ),
        ] = False,
        access_token_ttl: Annotated[
            int, typer.Option("--access-token-ttl", min=1, help="Access-token lifetime in seconds (--auth).")
        ] = 300,
    ) -> None:
        key, key_file = system_key(Settings().data_dir) if auth else (None, None)
        sb = start_sandbox(
            port,
            today=today,
            log_requests=log_requests,
            auth=auth,
            system_key=key,
            access_token_ttl=access_token_ttl if auth else None,
        )
        typer.echo(describe(sb))
        if key_file is not None:
            typer.echo(describe_auth(sb, key_file))
        typer.echo("Patients are listed at " + sb.base_url + "/Patient ; press Ctrl+C to stop.")
        try:
            with sigterm_as_interrupt():
                code = sb.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            sb.stop()
        if code not in (0, -2, -15):
            fail(f"the sandbox stopped unexpectedly with code {code}", exit_codes.UPSTREAM_FAILED)
