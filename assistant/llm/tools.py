"""Tools the model may call, bound to ONE patient when they are built.

Patient isolation lives here, below the model (DESIGN.md, safety principle 3): no tool takes a patient id,
every read goes through the record or index of the patient these tools were made for, and the argument
schemas forbid extra properties. Results are compact JSON in which every fact carries its ``ref``
("Type/id") so the composer can number it as a source the model cites; every executed call is reported
to ``on_tool_call`` for the audit trail.

Scheduling tools are a seam: the scheduling feature passes handlers; a missing handler means the tool is
not offered at all (a model cannot call what it was never shown).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from assistant.backends.base import ToolSpec
from assistant.backends.tool_args import find_tool, validate_arguments
from assistant.llm.tool_specs import (
    CANCEL_APPOINTMENT,
    FIND_SLOTS,
    GET_LATEST,
    GET_SERIES,
    LIST_ACTIVE,
    LIST_APPOINTMENTS,
    PROPOSE_BOOKING,
    SEARCH_RECORD,
)
from fhir_client import PatientRecord
from retrieval import Card, Reading, RecordQueries, RecordRetriever, SearchHit, UnknownConcept

__all__ = [
    "ActiveKind",
    "OnToolCall",
    "PatientTools",
    "SchedulingHandler",
    "SchedulingTools",
    "Source",
    "ToolArgumentError",
    "ToolResult",
]

ActiveKind = Literal["conditions", "medications", "allergies", "immunizations"]
OnToolCall = Callable[[str, dict[str, Any], list[str]], None]
# A scheduling handler takes the model's (checked) arguments and returns JSON-able data; items that are
# facts carry "ref" ("Slot/…", "Appointment/…") and may carry a "label" for the citation.
SchedulingHandler = Callable[[Mapping[str, Any]], Mapping[str, Any]]


class ToolArgumentError(ValueError):
    """The model named an unknown tool or gave arguments that do not fit its schema."""


@dataclass(frozen=True)
class Source:
    """One fact a tool returned: what to cite and what the patient sees for it."""

    ref: str
    label: str


@dataclass(frozen=True)
class ToolResult:
    """``payload`` goes back to the model (as JSON); ``sources`` are the facts it may cite.

    ``error`` is set when the tool ran but could not answer (unknown concept, index missing): the model
    is told so in the payload and can try something else.
    """

    name: str
    arguments: dict[str, Any]
    payload: dict[str, Any]
    sources: tuple[Source, ...] = ()
    error: str | None = None

    @property
    def refs(self) -> list[str]:
        return [s.ref for s in self.sources]


@dataclass(frozen=True)
class SchedulingTools:
    """Handlers the scheduling feature provides; ``None`` leaves that tool out."""

    find_slots: SchedulingHandler | None = None
    propose_booking: SchedulingHandler | None = None
    cancel_appointment: SchedulingHandler | None = None
    list_appointments: SchedulingHandler | None = None

    def offered(self) -> list[tuple[ToolSpec, SchedulingHandler]]:
        pairs = [
            (FIND_SLOTS, self.find_slots),
            (PROPOSE_BOOKING, self.propose_booking),
            (CANCEL_APPOINTMENT, self.cancel_appointment),
            (LIST_APPOINTMENTS, self.list_appointments),
        ]
        return [(spec, handler) for spec, handler in pairs if handler is not None]


@dataclass
class PatientTools:
    """The tools for one patient's record. ``retriever`` is optional: without an index (or before the
    record is ingested) ``search_record`` is not offered, the exact queries still are."""

    record: PatientRecord
    queries: RecordQueries | None = None
    retriever: RecordRetriever | None = None
    scheduling: SchedulingTools | None = None
    on_tool_call: OnToolCall | None = None
    search_k: int = 5
    series_limit: int = 24
    text_limit: int = 320
    _handlers: dict[str, Callable[[dict[str, Any]], ToolResult]] = field(init=False, repr=False)
    _specs: tuple[ToolSpec, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.queries is None:
            self.queries = RecordQueries(self.record)
        handlers: dict[str, Callable[[dict[str, Any]], ToolResult]] = {}
        specs: list[ToolSpec] = []
        if self.retriever is not None and self.retriever.is_indexed(self.record.patient_id):
            specs.append(SEARCH_RECORD)
            handlers[SEARCH_RECORD.name] = self._search_record
        for spec, method in (
            (GET_LATEST, self._get_latest),
            (GET_SERIES, self._get_series),
            (LIST_ACTIVE, self._list_active),
        ):
            specs.append(spec)
            handlers[spec.name] = method
        for spec, handler in (self.scheduling or SchedulingTools()).offered():
            specs.append(spec)
            handlers[spec.name] = _scheduling(spec.name, handler)
        self._handlers = handlers
        self._specs = tuple(specs)

    @property
    def patient_id(self) -> str:
        return self.record.patient_id

    @property
    def specs(self) -> tuple[ToolSpec, ...]:
        return self._specs

    def call(self, name: str, arguments: Mapping[str, Any]) -> ToolResult:
        """Run one tool. Unknown names and schema-invalid arguments raise ``ToolArgumentError`` (nothing
        runs, nothing is reported); everything that ran is reported to ``on_tool_call``."""
        spec = find_tool(name, self._specs)
        if spec is None:
            offered = ", ".join(s.name for s in self._specs)
            raise ToolArgumentError(f"unknown tool {name!r} (tools offered: {offered})")
        problem = validate_arguments(spec, arguments)
        if problem:
            raise ToolArgumentError(problem)
        args = {k: v for k, v in arguments.items() if v is not None}
        result = self._handlers[name](args)
        if self.on_tool_call is not None:
            self.on_tool_call(name, dict(args), result.refs)
        return result

    # -- record tools ---------------------------------------------------------------------------------

    def _search_record(self, args: dict[str, Any]) -> ToolResult:
        assert self.retriever is not None
        types = [args["type"]] if args.get("type") else None
        try:
            hits = self.retriever.search(
                self.patient_id,
                args["query"],
                k=self.search_k,
                types=types,
                since=_date(args.get("since")),
                until=_date(args.get("until")),
            )
        except (LookupError, ValueError) as exc:
            return _error("search_record", args, str(exc))
        items = [self._hit(h) for h in hits]
        payload: dict[str, Any] = {"query": args["query"], "results": items}
        if not items:
            payload["note"] = "nothing in the record matches; say so rather than guess"
        return ToolResult("search_record", args, payload, tuple(_card_source(h.card) for h in hits))

    def _hit(self, hit: SearchHit) -> dict[str, Any]:
        card = hit.card
        item: dict[str, Any] = {"ref": card.ref, "type": card.resource_type, "title": card.title}
        if card.date:
            item["date"] = card.date.isoformat()
        item["text"] = _clip(card.text, self.text_limit)
        return item

    def _get_latest(self, args: dict[str, Any]) -> ToolResult:
        assert self.queries is not None
        try:
            readings = self.queries.latest(args["concept"])
        except UnknownConcept as exc:
            return _error("get_latest", args, f"{exc}; try search_record or another word")
        payload = {"concept": args["concept"], "latest": [_reading(r) for r in readings]}
        if not readings:
            payload["note"] = "no value of this kind is recorded"
        return ToolResult("get_latest", args, payload, tuple(_reading_source(r) for r in readings))

    def _get_series(self, args: dict[str, Any]) -> ToolResult:
        assert self.queries is not None
        try:
            readings = self.queries.series(
                args["concept"], _date(args.get("since")), _date(args.get("until"))
            )
        except UnknownConcept as exc:
            return _error("get_series", args, f"{exc}; try search_record or another word")
        shown = readings[-self.series_limit :]
        payload: dict[str, Any] = {
            "concept": args["concept"],
            "count": len(readings),
            "values": [_reading(r, compact=True) for r in shown],
        }
        if len(shown) < len(readings):
            payload["note"] = f"only the latest {len(shown)} of {len(readings)} values are shown"
        return ToolResult("get_series", args, payload, tuple(_reading_source(r) for r in shown))

    def _list_active(self, args: dict[str, Any]) -> ToolResult:
        assert self.queries is not None
        kind: ActiveKind = args["kind"]
        queries = self.queries
        if kind == "conditions":
            cards = queries.conditions()
        elif kind == "medications":
            cards = queries.medications()
        elif kind == "allergies":
            cards = queries.allergies()
        else:
            cards = queries.immunizations()
        items = []
        for card in cards:
            item: dict[str, Any] = {"ref": card.ref, "title": card.title}
            if card.status:
                item["status"] = card.status
            items.append(item)
        payload: dict[str, Any] = {"kind": kind, "items": items}
        if not items:
            payload["note"] = f"the record lists no {kind}" + (
                "" if kind == "immunizations" else " that are active"
            )
        return ToolResult("list_active", args, payload, tuple(_card_source(c) for c in cards))


def _scheduling(name: str, handler: SchedulingHandler) -> Callable[[dict[str, Any]], ToolResult]:
    def run(args: dict[str, Any]) -> ToolResult:
        try:
            data = dict(handler(args))
        except Exception as exc:  # the model must hear that booking failed, not the turn crash
            return _error(name, args, f"the scheduling service failed: {type(exc).__name__}: {exc}"[:300])
        return ToolResult(name, args, data, tuple(_sources_in(data)))

    return run


def _sources_in(data: Any) -> list[Source]:
    """Every dict with a "ref" in a handler's answer is a fact; its "label" (or ref) names it."""
    found: list[Source] = []
    if isinstance(data, Mapping):
        ref = data.get("ref")
        if isinstance(ref, str) and ref:
            found.append(Source(ref, str(data.get("label") or ref)))
        for value in data.values():
            found.extend(_sources_in(value))
    elif isinstance(data, list | tuple):
        for value in data:
            found.extend(_sources_in(value))
    return found


def _error(name: str, args: dict[str, Any], message: str) -> ToolResult:
    return ToolResult(name, args, {"error": message}, (), error=message)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reading(r: Reading, *, compact: bool = False) -> dict[str, Any]:
    data = r.as_dict()
    item: dict[str, Any] = {"ref": r.ref}
    if not compact:
        item["name"] = r.name
    item["date"] = data["date"]
    item["value"] = r.display_value
    if data["flag"]:
        item["flag"] = data["flag"]
    if data["range"] and not compact:
        item["usual_range"] = data["range"]
    return item


def _reading_source(r: Reading) -> Source:
    when = f" ({r.date.isoformat()})" if r.date else ""
    return Source(r.ref, f"{r.name} {r.display_value}{when}")


def _card_source(card: Card) -> Source:
    return Source(card.ref, card.title)
