"""``health-assistant understand``: what the understanding stage read in one message, for audits.

    health-assistant understand "message" [--patient SRC] [--session ID] [--lang en|fr] [--today D] [--json]

Prints the ``Understanding`` every turn is decided on: the language and the folded text, the clauses, who
the message is about, the clinical findings with their context (negated, past, hypothetical, a relative's,
fiction…), the vital signs in canonical units, the ranked intents with the routing-table entries behind
them, the risk signals, and the record question with its follow-up resolution. With ``--patient`` the
record's patient is known (their age and first names tell them apart from other people); with
``--session`` (of that patient) the conversation so far is read too, so "and the one before?" resolves as
it would in the chat. Nothing is answered and nothing is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from assistant.schemas import LANGUAGES, Language
from assistant.understanding.intents import RoutingTable
from assistant.understanding.model import Understanding
from fhir_client import FhirError, RecordLoadError
from health_assistant.commands._common import fail, print_json
from health_assistant.settings import Settings

MAX_MESSAGE_CHARS = 4000


def _language(value: str | None) -> Language | None:
    if value is None:
        return None
    if value not in LANGUAGES:
        fail(f"--lang must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value


def _understand(
    message: str, language: Language | None, patient: str | None, session: str | None, today: date | None
) -> Understanding:
    from assistant.assistant import conversation_context, default_understander

    if patient is None:
        if session is not None:
            fail("--session needs --patient: a session belongs to one patient's record")
        return default_understander().understand(message, language=language, today=today)
    from health_assistant.factory import build_assistant, close_quietly

    try:
        assistant = build_assistant(patient, Settings())
    except RecordLoadError as exc:
        fail(str(exc))
    except FhirError as exc:
        fail(str(exc), exc.exit_code)
    try:
        state: dict[str, Any] = {}
        if session is not None:
            if assistant.store.get_session(session, assistant.patient_id) is None:
                fail(f"no session {session!r} for this patient")
            state = dict(assistant.store.get_state(session, assistant.patient_id))
        if today is None:
            return assistant.understand(message, language=language, state=state)
        # Relative periods ("last year") from that day.
        return assistant.understander.understand(
            message,
            language=language,
            context=conversation_context(state),
            patient=assistant.patient_facts(),
            today=today,
        )
    finally:
        close_quietly(assistant)


def _why(table: RoutingTable, entry_id: str) -> str:
    try:
        return table.entry(entry_id).why
    except KeyError:
        return ""


def render(u: Understanding) -> str:
    """The understanding as an auditor reads it."""
    table = RoutingTable.load()
    out: list[str] = [f"language: {u.language}", f"folded:   {u.text.folded}", "clauses:"]
    out += [f"  [{c.index}] (sentence {c.sentence}) {c.text!r}" for c in u.clauses]
    out.append("subjects:")
    for s in u.subjects:
        bits = [s.relation.value]
        if s.is_record_patient:
            bits.append("record's patient")
        if s.age_years is not None:
            bits.append(f"age {s.age_years:g}")
        if s.sex:
            bits.append(s.sex)
        if s.pregnant:
            bits.append("pregnant")
        if s.evidence:
            bits.append(f"from {s.evidence!r}")
        out.append(f"  [{s.index}] " + ", ".join(bits))
    out.append("findings:" if u.findings else "findings: none")
    for f in u.findings:
        a = f.assertion
        status = [
            n
            for n in ("negated", "historical", "hypothetical", "family_history", "fictional")
            if getattr(a, n)
        ]
        if a.uncertain:
            status.append("uncertain")
        if a.explained_by:
            status.append(f"explained by {a.explained_by!r}")
        extra = [
            f"{k} {v}"
            for k, v in (
                ("severity", f.severity),
                ("onset", f.onset),
                ("progression", f.progression),
                ("duration_days", f.duration_days),
                ("laterality", f.laterality),
            )
            if v is not None
        ]
        if f.sites:
            extra.append("sites " + "/".join(f.sites))
        out.append(
            f"  {f.concept} ({f.code or 'no code'}, {f.kind.value}) {f.text!r} — clause {f.clause}, subject "
            f"{f.subject}, {'current' if f.current else ', '.join(status)}"
            + (f"; {', '.join(extra)}" if extra else "")
        )
    out.append("vitals:" if u.vitals else "vitals: none")
    for v in u.vitals:
        value = f"{v.value:g}" + (f"/{v.value2:g}" if v.value2 is not None else "")
        out.append(
            f"  {v.kind.value} {value} {v.unit} from {v.raw!r} — subject {v.subject}"
            + (" (negated)" if v.negated else "")
            + (" (read from the record)" if v.from_record else "")
            + (" (supposed, not measured)" if v.hypothetical else "")
        )
    out.append("intents (best first):" if u.intents else "intents: none (routed as other)")
    for i in u.intents:
        detail = f"/{i.detail}" if i.detail else ""
        out.append(f"  {i.kind.value}{detail} {i.score:.2f} clause {i.clause} ← {', '.join(i.evidence)}")
        why = _why(table, i.evidence[0]) if i.evidence else ""
        if why:
            out.append(f"      {why}")
    out.append("signals:" if u.signals else "signals: none")
    for sig in u.signals:
        detail = f"/{sig.detail}" if sig.detail else ""
        out.append(f"  {sig.kind.value}{detail} {sig.strength:.2f} ← {', '.join(sig.evidence)}")
    q = u.record_query
    if q is None:
        out.append("record query: none")
    else:
        out.append(
            f"record query: {q.kind.value}"
            + (" (follow-up, resolved from the conversation)" if q.followup else "")
        )
        for label, items in (("targets", q.targets), ("categories", q.categories), ("terms", q.terms)):
            if items:
                out.append(f"  {label}: {', '.join(items)}")
        if q.period is not None:
            out.append(f"  period: {q.period.start or '…'} to {q.period.end or '…'} ({q.period.text!r})")
        if q.offset:
            out.append(f"  offset: {q.offset} before the most recent")
    out.append(f"follow-up: {'yes' if u.followup else 'no'}")
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    @app.command(help="Show how one message is understood (findings, who, intents, signals, record query).")
    def understand(
        message: Annotated[str, typer.Argument(help="The patient's message.")],
        patient: Annotated[
            str | None,
            typer.Option("--patient", help="A Bundle JSON file, or fhir:<patient id> on the FHIR server."),
        ] = None,
        session: Annotated[
            str | None, typer.Option("--session", help="Read the message in this session's conversation.")
        ] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="en or fr (detected when left out).")] = None,
        today: Annotated[
            str | None, typer.Option("--today", help="Date for relative periods and ages, YYYY-MM-DD.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the Understanding as JSON.")] = False,
    ) -> None:
        if not message.strip():
            fail("the message is empty; give the patient's words, e.g. 'what was my last a1c?'")
        if len(message) > MAX_MESSAGE_CHARS:
            fail(f"the message is {len(message)} characters; the limit is {MAX_MESSAGE_CHARS}")
        day: date | None = None
        if today is not None:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                fail(f"--today expects a date like 2019-03-01, got {today!r}")
        understanding = _understand(message, _language(lang), patient, session, day)
        if as_json:
            print_json(understanding.model_dump(mode="json"))
        else:
            typer.echo(render(understanding))
