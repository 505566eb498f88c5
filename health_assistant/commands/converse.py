"""``health-assistant ask`` (one turn) and ``health-assistant chat`` (a terminal conversation).

Both drive the same ``Assistant.respond`` the API and the UI use, so what an evaluator sees here is
what a patient gets. ``--json`` prints the turn contract exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from assistant import Assistant
from assistant.booking.wording import said_confirm, said_decline, when_text
from assistant.schemas import Language, TriageLevel, Turn
from assistant.store import SessionNotFoundError, StoreError
from assistant.understanding import is_blank
from fhir_client import FhirError, RecordLoadError
from health_assistant import exit_codes
from health_assistant.commands._common import EMPTY_MESSAGE, fail, print_json
from health_assistant.settings import Settings

LANGS = ("en", "fr")


def _language(lang: str | None) -> Language | None:
    if lang is None:
        return None
    if lang not in LANGS:
        fail(f"--lang must be en or fr, got {lang!r}")
    return lang  # type: ignore[return-value]


def _open(patient: str, fhir_url: str | None) -> Assistant:
    # Imported here: building the assistant pulls in the safety rules and the index, which commands
    # such as `sandbox` never need.
    from health_assistant.factory import build_assistant

    try:
        return build_assistant(patient, Settings(), fhir_url=fhir_url)
    except RecordLoadError as exc:
        fail(str(exc))
    except FhirError as exc:
        fail(str(exc), exc.exit_code)
    except StoreError as exc:
        fail(f"the session store is not usable: {exc}", exit_codes.UPSTREAM_FAILED)


def _close(assistant: Assistant) -> None:
    from health_assistant.factory import close_quietly

    close_quietly(assistant)


def _session(assistant: Assistant, session: str | None, language: Language | None) -> str:
    if session is None:
        return assistant.new_session(language or "en")
    if assistant.store.get_session(session, assistant.patient_id) is None:
        fail(f"no session {session!r} for this patient; leave out --session to start a new one")
    return session


def render(turn: Turn, timezone: str = "Europe/Paris") -> str:
    """The turn as a patient reads it in a terminal: banner, text, sources, choices (each offered slot
    once, numbered, with its full date in the clinic's time zone)."""
    lines: list[str] = []
    level = turn.triage.level
    if level == TriageLevel.EMERGENCY:
        lines.append(
            f"*** EMERGENCY — call {turn.triage.call} ***" if turn.triage.call else "*** EMERGENCY ***"
        )
    elif level != TriageLevel.NONE:
        lines.append(f"[triage: {level.value}]")
    lines.append(turn.text)
    if turn.citations:
        lines.append("")
        lines.extend(f"  [{c.n}] {c.label} — {c.resource}" for c in turn.citations)
    tz = ZoneInfo(timezone)
    for action in turn.actions:
        if action.kind == "offer_slots":
            lines.append("")
            for i, s in enumerate(action.slots, 1):
                when = when_text(datetime.fromisoformat(s.start), turn.language, tz)
                who = f" ({s.practitioner})" if s.practitioner else ""
                lines.append(f"  ({i}) {when} — {s.service}{who}")
        elif action.kind == "confirm_booking":
            lines.append("")
            lines.append(
                f"  → answer “{said_confirm(action.operation, turn.language)}” or "
                f"“{said_decline(action.operation, turn.language)}”."
            )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command(help="Ask one question; --json prints the turn contract.")
    def ask(
        message: Annotated[str, typer.Argument(help="What the patient says.")],
        patient: Annotated[str, typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id>.")],
        session: Annotated[str | None, typer.Option("--session", help="Continue this conversation.")] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="en or fr (detected when left out).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the Turn as JSON.")] = False,
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
    ) -> None:
        if is_blank(message):
            fail(EMPTY_MESSAGE)
        language = _language(lang)
        assistant = _open(patient, fhir_url)
        try:
            session_id = _session(assistant, session, language)
            turn = assistant.respond(session_id, message, language=language)
        except SessionNotFoundError as exc:
            fail(str(exc))
        finally:
            _close(assistant)
        if as_json:
            print_json(turn.model_dump(mode="json"))
            return
        typer.echo(render(turn, assistant.tz.key))
        typer.echo(f"\n(session {session_id} — add --session {session_id} to continue)", err=True)

    @app.command(help="Terminal conversation with the assistant (empty line or Ctrl-D to stop).")
    def chat(
        patient: Annotated[str, typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id>.")],
        session: Annotated[str | None, typer.Option("--session", help="Resume this conversation.")] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="en or fr (detected when left out).")] = None,
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
    ) -> None:
        language = _language(lang)
        assistant = _open(patient, fhir_url)
        try:
            session_id = _session(assistant, session, language)
            typer.echo(f"Session {session_id}. Type your message; an empty line ends the conversation.")
            while True:
                try:
                    message = input("you> ")
                except EOFError:
                    break
                if not message.strip():
                    break
                if is_blank(message):  # only invisible characters: say so, keep the conversation open
                    typer.echo(EMPTY_MESSAGE, err=True)
                    continue
                turn = assistant.respond(session_id, message, language=language)
                typer.echo(render(turn, assistant.tz.key))
        finally:
            _close(assistant)
