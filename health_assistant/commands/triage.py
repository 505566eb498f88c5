"""``health-assistant triage``: the record-aware triage protocols on one message, or a batch.

One message: ``health-assistant triage "message" [--patient SRC] [--lang en|fr] [--json]``. The message is
read by the understanding stage (findings with negation, time and person; vitals; signals), then decided by
the protocols; ``--json`` shows the findings, the deciding protocol, the criteria met (of every protocol
that applied) and the questions the reply would ask.
Batch: ``--batch`` reads JSON lines ``{"id", "message", "lang"}`` on stdin and writes JSON lines
``{"id", "level", "rules", "advice", "call", "modifiers"}`` on stdout, in the same order. The whole batch
is checked before anything is written, so a bad line never leaves a half-written result behind.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from assistant.assistant import default_understander
from assistant.guardrails.triage import ProtocolEngine, ProtocolFileError, TriageDecision
from assistant.schemas import LANGUAGES, Language
from assistant.understanding import clean_message, is_blank
from assistant.understanding.subjects import PatientFacts, age_in_years
from fhir_client import FhirError, PatientRecord
from health_assistant.commands._common import EMPTY_MESSAGE, fail, print_json
from health_assistant.factory import clock_for, region_of
from health_assistant.settings import Settings
from health_assistant.sources import load_patient_source

MAX_MESSAGE_CHARS = 4000  # a patient message, not a document


def region_from_locale(locale: str) -> str:
    """ "fr-FR" -> "FR", "en_US" -> "US"; a bare language falls back to France (the demo clinic)."""
    return region_of(locale)


def load_engine(settings: Settings) -> ProtocolEngine:
    extra = [Path(settings.triage_rules_dir)] if settings.triage_rules_dir else []
    try:
        return ProtocolEngine.load(extra_dirs=extra)
    except ProtocolFileError as exc:
        fail(f"triage protocols: {exc}")


def patient_facts(record: PatientRecord | None, today: date) -> PatientFacts:
    """What the understanding stage may know of the record's patient (age, sex, given names)."""
    if record is None:
        return PatientFacts()
    patient = record.patient
    birth = getattr(patient, "birthDate", None)
    age = age_in_years(birth, today) if isinstance(birth, date) else None
    gender = getattr(patient, "gender", None)
    given = tuple(
        "".join(ch for ch in str(g) if not ch.isdigit())
        for n in (getattr(patient, "name", None) or [])
        for g in (getattr(n, "given", None) or [])
    )
    return PatientFacts(
        age_years=age, sex=str(gender) if gender in ("female", "male") else None, given_names=given
    )


def _language(value: Any, where: str) -> Language | None:
    if value is None:
        return None
    if value not in LANGUAGES:
        fail(f"{where}: language must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value  # type: ignore[no-any-return]


def _check_message(value: Any, where: str) -> str:
    if not isinstance(value, str) or is_blank(value):
        fail(f"{where}: {EMPTY_MESSAGE}")
    if len(value) > MAX_MESSAGE_CHARS:
        fail(f"{where}: the message is {len(value)} characters; the limit is {MAX_MESSAGE_CHARS}")
    return value


@dataclass(frozen=True)
class _Item:
    id: Any
    message: str
    lang: Language | None


def _read_batch(lines: list[str]) -> list[_Item]:
    items: list[_Item] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"stdin line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            fail(f"{where}: not JSON ({exc.msg} at column {exc.colno})")
        if not isinstance(obj, dict):
            fail(f'{where}: expected an object like {{"id": "1", "message": "...", "lang": "en"}}')
        unknown = sorted(set(obj) - {"id", "message", "lang"})
        if unknown:
            fail(f"{where}: unknown field {unknown[0]!r}; expected id, message and lang")
        if "id" not in obj:
            fail(f"{where}: missing 'id'")
        items.append(
            _Item(obj["id"], _check_message(obj.get("message"), where), _language(obj.get("lang"), where))
        )
    return items


def _batch_line(item_id: Any, decision: TriageDecision) -> str:
    d = decision.as_dict()
    out = {"id": item_id, **{k: d[k] for k in ("level", "rules", "advice", "call", "modifiers")}}
    return json.dumps(out, ensure_ascii=False)


def _print_text(decision: TriageDecision) -> None:
    head = decision.level.value.upper().replace("_", " ")
    if decision.call:
        head += f" — call {decision.call}"
    typer.echo(head)
    if decision.protocol:
        typer.echo(f"protocol: {decision.protocol} ({', '.join(decision.criteria)})")
    if decision.rules:
        typer.echo(f"rules: {', '.join(decision.rules)}")
    if decision.advice:
        typer.echo(decision.advice)
    for q in decision.questions:
        typer.echo(f"question ({q.id}): {q.text}")
    for mod in decision.modifiers:
        typer.echo(f"raised by the record: {mod.id} ({mod.resource or 'record'}): {mod.reason}")
    for line in decision.watch_for:
        typer.echo(f"watch for: {line}")


def register(app: typer.Typer) -> None:
    @app.command(help="Triage a message with the record-aware protocols on its findings (en/fr).")
    def triage(
        message: Annotated[str | None, typer.Argument(help="The patient's message.")] = None,
        patient: Annotated[
            str | None,
            typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id> on --fhir-url."),
        ] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="en or fr (detected when left out).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
        batch: Annotated[
            bool, typer.Option("--batch", help="JSON lines on stdin -> JSON lines on stdout.")
        ] = False,
        region: Annotated[
            str | None,
            typer.Option("--region", help="Country for numbers to call (FR, US...); default from LOCALE."),
        ] = None,
        today: Annotated[
            str | None,
            typer.Option("--today", help="Date for record-aware rules (age, recent surgery), YYYY-MM-DD."),
        ] = None,
        fhir_url: Annotated[str | None, typer.Option("--fhir-url", help="FHIR server for fhir:<id>.")] = None,
    ) -> None:
        settings = Settings()
        language = _language(lang, "--lang")
        country = (region or region_from_locale(settings.locale)).upper()
        if not (len(country) == 2 and country.isalpha()):
            fail(f"--region expects a two-letter country code like FR or US, got {region!r}")
        # The machine's date in the clinic's time zone unless --today says otherwise (record-aware rules
        # count ages and recent operations from it).
        day = clock_for(settings)().astimezone(ZoneInfo(settings.timezone)).date()
        if today is not None:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                fail(f"--today expects a date like 2019-03-01, got {today!r}")
        if batch and message is not None:
            fail("give either a message or --batch (JSON lines on stdin), not both")
        if not batch:
            _check_message(message, "message")
        engine = load_engine(settings)
        record: PatientRecord | None = None
        if patient is not None:
            try:
                record = load_patient_source(patient, fhir_url=fhir_url)
            except FhirError as exc:
                fail(str(exc), exc.exit_code)
        when = day
        understander = default_understander()  # the chat's stage: findings and the risk signals
        facts = patient_facts(record, when)

        def decide(text: str, language: Language | None) -> TriageDecision:
            u = understander.understand(clean_message(text), language=language, patient=facts, today=when)
            return engine.assess(u, record=record, region=country, today=when)

        if batch:
            items = _read_batch(sys.stdin.read().splitlines())
            out = sys.stdout
            for item in items:
                out.write(_batch_line(item.id, decide(item.message, item.lang)) + "\n")
            out.flush()
            return

        assert message is not None
        decision = decide(message, language)
        if as_json:
            print_json(decision.as_dict())
        else:
            _print_text(decision)
