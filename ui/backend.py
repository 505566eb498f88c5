"""How the patient app reaches the core: in process (default) or a clinic API over HTTP.

The pages only know ``CoreClient``. ``InProcessClient`` wraps an ``AssistantService`` (the composition
root builds it from settings and hands it in); ``HttpClient`` speaks the clinic API's ``/v1`` contract
with a bearer token bound to one patient. Both return the same ``Turn`` and the same record data, so a
screen tested in process looks the same against a remote service.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from assistant.assistant import BookingUnavailable
from assistant.booking import BookingCommand, NotPending
from assistant.schemas import Language, Turn
from assistant.service import AssistantService
from assistant.store import SessionNotFoundError
from fhir_client import FhirError, PatientRecord, RecordLoadError, load_bundle
from fhir_client.scheduling import AppointmentNotFound
from retrieval import ConceptMap, RecordQueries, UnknownConcept, build_cards
from retrieval.model import Card
from ui.records_data import (
    COMPONENT_OF,
    Appointment,
    Entry,
    RecordSummary,
    Trend,
    json_points,
    make_trend,
    series_concept,
    trend_from_readings,
)

RECENT_VISITS = 8
T = TypeVar("T")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CoreError(Exception):
    """The core (FHIR server, clinic API, LLM) failed; the message is one sentence for the patient."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status from a clinic API, when there was one


class CommandRefused(CoreError):
    """A booking button the conversation is no longer waiting for (an old offer, a used token): nothing
    was booked or changed."""


class SessionExpired(CoreError):
    """The conversation is unknown to the core (deleted, expired): start a new one."""


class UploadError(ValueError):
    """An uploaded file is not a readable FHIR Bundle with one patient; the message says why."""


@dataclass(frozen=True)
class BackendInfo:
    """Where answers come from, for the visible privacy note."""

    kind: Literal["offline", "llm", "remote_api"]
    name: str = "offline"
    host: str | None = None
    leaves_machine: bool = False

    @property
    def streams(self) -> bool:
        """Stream replies when a language model writes them (offline answers are instant)."""
        return self.kind != "offline"


@dataclass(frozen=True)
class DemoPatient:
    id: str
    name: str


@dataclass(frozen=True)
class UploadResult:
    patient_id: str
    name: str
    total: int
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ErasureReport:
    sessions: int
    messages: int
    index_removed: bool


def backend_info_for(llm_base_url: str | None, llm_model: str | None) -> BackendInfo:
    """Offline unless an LLM is configured; a model on 127.0.0.1/localhost keeps data on the machine."""
    if not (llm_base_url or llm_model):
        return BackendInfo("offline")
    host = urlsplit(llm_base_url or "https://api.openai.com/v1").hostname or "?"
    local = host in ("127.0.0.1", "localhost", "::1")
    return BackendInfo("llm", name=llm_model or "gpt-4o-mini", host=host, leaves_machine=not local)


class CoreClient(Protocol):
    """Everything the app asks of the core. Patient ids are ignored by a client bound to one patient."""

    timezone: str

    def info(self) -> BackendInfo: ...
    def can_choose_patient(self) -> bool: ...
    def demo_patients(self) -> list[DemoPatient]: ...
    def default_patient(self) -> str | None: ...
    def open_upload(self, data: bytes, filename: str = "upload.json") -> UploadResult: ...
    def new_session(self, patient_id: str, language: Language) -> str: ...
    def send(self, patient_id: str, session_id: str, text: str, language: Language) -> Turn: ...
    def stream(
        self, patient_id: str, session_id: str, text: str, language: Language
    ) -> Iterator[str | Turn]: ...
    def act(self, patient_id: str, session_id: str, command: BookingCommand, language: Language) -> Turn: ...
    def summary(self, patient_id: str) -> RecordSummary: ...
    def trend(self, patient_id: str, key: str) -> Trend: ...
    def entry(self, patient_id: str, ref: str) -> Entry | None: ...
    def appointments(self, patient_id: str) -> list[Appointment] | None: ...
    def forget(self, patient_id: str) -> ErasureReport: ...


# -- in process ---------------------------------------------------------------------------------------


class UploadedRecords:
    """Records the patient opened from a file, in memory only, in front of the normal loader.

    The composition root passes ``load`` as the service's record loader, so an uploaded record goes
    through the same service (cache, index, erasure) as one read from the clinic's server.
    """

    def __init__(self, fallback: Callable[[str], PatientRecord]) -> None:
        self._fallback = fallback
        self._records: dict[str, PatientRecord] = {}
        self._lock = threading.Lock()

    def add(self, record: PatientRecord) -> None:
        with self._lock:
            self._records[record.patient_id] = record

    def remove(self, patient_id: str) -> bool:
        with self._lock:
            return self._records.pop(patient_id, None) is not None

    def __contains__(self, patient_id: object) -> bool:
        return patient_id in self._records

    def load(self, patient_id: str) -> PatientRecord:
        with self._lock:
            record = self._records.get(patient_id)
        return record if record is not None else self._fallback(patient_id)


def patient_name(record: PatientRecord) -> str:
    """ "Josue Sipes" (Synthea appends digits to names; a patient never sees those)."""
    names = getattr(record.patient, "name", None) or []
    if not names:
        return record.patient_id
    first = names[0]
    parts = [*(getattr(first, "given", None) or []), getattr(first, "family", None) or ""]
    text = " ".join("".join(ch for ch in str(p) if not ch.isdigit()) for p in parts if p).strip()
    return text or str(getattr(first, "text", "") or record.patient_id)


def _entry(card: Card) -> Entry:
    return Entry(card.ref, card.title, card.text, card.date, card.status)


@dataclass
class _Views:
    record: PatientRecord
    queries: RecordQueries
    cards: dict[str, Card] | None = None


AppointmentSource = Callable[[str], list[Appointment] | None]


class InProcessClient:
    """The core in this process: ``AssistantService`` for turns, ``RecordQueries`` for the record pages.

    ``appointments_for`` lists a patient's upcoming appointments (the composition root builds it from
    the scheduling client); it returns ``None`` when the patient is not on the clinic's server.
    """

    def __init__(
        self,
        service: AssistantService,
        *,
        backend: BackendInfo | None = None,
        uploads: UploadedRecords | None = None,
        demo_patients: Sequence[DemoPatient] = (),
        default_patient: str | None = None,
        appointments_for: AppointmentSource | None = None,
        timezone: str = "Europe/Paris",
    ) -> None:
        self.service = service
        self.backend = backend or BackendInfo("offline")
        self.uploads = uploads
        self._demo = list(demo_patients)
        self._default = default_patient
        self._appointments_for = appointments_for
        self.timezone = timezone
        self.concepts = ConceptMap.load()
        self._views: dict[str, _Views] = {}
        self._lock = threading.Lock()

    def info(self) -> BackendInfo:
        return self.backend

    def can_choose_patient(self) -> bool:
        return True

    def demo_patients(self) -> list[DemoPatient]:
        return list(self._demo)

    def default_patient(self) -> str | None:
        return self._default

    def open_upload(self, data: bytes, filename: str = "upload.json") -> UploadResult:
        if self.uploads is None:
            raise UploadError("opening your own file is not enabled in this app")
        record = read_bundle_upload(data, filename)
        self.uploads.add(record)
        self.service.record(record.patient_id, refresh=True)
        return UploadResult(
            record.patient_id, patient_name(record), len(record), [i.describe() for i in record.skipped]
        )

    # -- conversation -------------------------------------------------------------------------------

    def new_session(self, patient_id: str, language: Language) -> str:
        return self._call(lambda: self.service.assistant(patient_id).new_session(language))

    def send(self, patient_id: str, session_id: str, text: str, language: Language) -> Turn:
        assistant = self._call(lambda: self.service.assistant(patient_id))
        try:
            return assistant.respond(session_id, text, language=language)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        except FhirError as exc:
            raise CoreError(f"the clinic's server failed: {exc}") from exc

    def stream(self, patient_id: str, session_id: str, text: str, language: Language) -> Iterator[str | Turn]:
        assistant = self._call(lambda: self.service.assistant(patient_id))
        try:
            yield from assistant.stream(session_id, text, language=language)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        except FhirError as exc:
            raise CoreError(f"the clinic's server failed: {exc}") from exc

    def act(self, patient_id: str, session_id: str, command: BookingCommand, language: Language) -> Turn:
        """A booking button's structured command (the slot id, the confirmation token), not words."""
        assistant = self._call(lambda: self.service.assistant(patient_id))
        try:
            return assistant.act(session_id, command, language=language)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        except (NotPending, AppointmentNotFound) as exc:
            raise CommandRefused(str(exc)) from exc
        except BookingUnavailable as exc:
            raise CoreError(str(exc)) from exc
        except FhirError as exc:
            raise CoreError(f"the clinic's server failed: {exc}") from exc

    # -- record -------------------------------------------------------------------------------------

    def _view(self, patient_id: str) -> _Views:
        record = self._call(lambda: self.service.record(patient_id))
        with self._lock:
            view = self._views.get(patient_id)
            if view is None or view.record is not record:
                view = _Views(record, RecordQueries(record, self.concepts))
                self._views[patient_id] = view
            return view

    def summary(self, patient_id: str) -> RecordSummary:
        view = self._view(patient_id)
        q = view.queries
        birth = getattr(view.record.patient, "birthDate", None)
        return RecordSummary(
            patient_id=view.record.patient_id,
            name=patient_name(view.record),
            birth_date=birth if isinstance(birth, date) else None,
            conditions=[_entry(c) for c in reversed(q.conditions())],
            medications=[_entry(c) for c in reversed(q.medications())],
            allergies=[_entry(c) for c in q.allergies()],
            immunizations=[_entry(c) for c in reversed(q.immunizations())],
            encounters=[_entry(c) for c in reversed(q.encounters()[-RECENT_VISITS:])],
        )

    def trend(self, patient_id: str, key: str) -> Trend:
        view = self._view(patient_id)
        try:
            readings = view.queries.series(series_concept(key))
        except UnknownConcept:
            readings = []
        return trend_from_readings(key, readings, self.concepts)

    def entry(self, patient_id: str, ref: str) -> Entry | None:
        view = self._view(patient_id)
        with self._lock:
            if view.cards is None:
                cards: dict[str, Card] = {}
                for built in build_cards(view.record, self.concepts):
                    # One resource can appear in a list card too; keep the card about that resource.
                    if built.ref not in cards or built.kind == built.resource_type:
                        cards[built.ref] = built
                view.cards = cards
            card = view.cards.get(ref)
        return _entry(card) if card is not None else None

    def appointments(self, patient_id: str) -> list[Appointment] | None:
        if self._appointments_for is None or (self.uploads is not None and patient_id in self.uploads):
            return None
        return self._call(lambda: self._appointments_for(patient_id) if self._appointments_for else None)

    def forget(self, patient_id: str) -> ErasureReport:
        erased = self.service.forget(patient_id)
        if self.uploads is not None and self.uploads.remove(patient_id) and self._default == patient_id:
            self._default = None  # an opened file is gone once erased; do not reopen it
        with self._lock:
            self._views.pop(patient_id, None)
        return ErasureReport(erased.store.sessions, erased.store.turns, erased.index_removed)

    @staticmethod
    def _call(fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (FhirError, RecordLoadError) as exc:
            raise CoreError(str(exc)) from exc


def read_bundle_upload(data: bytes, filename: str = "upload.json") -> PatientRecord:
    """Parse an uploaded Bundle; bad JSON or a bundle without exactly one patient is an ``UploadError``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{filename} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UploadError(f"{filename} is not a text (UTF-8) file") from None
    except json.JSONDecodeError as exc:
        raise UploadError(f"{filename} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return load_bundle(parsed, source=filename)
    except RecordLoadError as exc:
        raise UploadError(str(exc)) from None


# -- over HTTP ----------------------------------------------------------------------------------------


class HttpClient:
    """A clinic API (issue #7) with a bearer token bound to one patient; the patient id is not ours to pick."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timezone: str = "Europe/Paris",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timezone = timezone
        self.concepts = ConceptMap.load()
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            transport=transport,
            timeout=timeout,
        )

    def close(self) -> None:
        self._http.close()

    def info(self) -> BackendInfo:
        return BackendInfo(
            "remote_api", name="clinic API", host=urlsplit(self.base_url).netloc, leaves_machine=True
        )

    def can_choose_patient(self) -> bool:
        return False

    def demo_patients(self) -> list[DemoPatient]:
        return []

    def default_patient(self) -> str | None:
        return "me"

    def open_upload(self, data: bytes, filename: str = "upload.json") -> UploadResult:
        raise UploadError(
            "your clinic's service shows the record it holds; opening a file works in the local app"
        )

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise CoreError(f"the clinic's service at {self.base_url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise CoreError(f"could not reach the clinic's service at {self.base_url}: {exc}") from None
        if response.status_code == 404 and "/sessions/" in path:
            raise SessionExpired(_problem(response))
        if response.status_code >= 400:
            raise CoreError(
                f"the clinic's service answered {response.status_code}: {_problem(response)}",
                status=response.status_code,
            )
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise CoreError(f"the clinic's service sent something that is not JSON for {path}") from None

    def new_session(self, patient_id: str, language: Language) -> str:
        body = self._json("POST", "/v1/sessions", json={"language": language})
        session = body.get("session_id") if isinstance(body, dict) else None
        if not session:
            raise CoreError("the clinic's service did not return a session id")
        return str(session)

    def send(self, patient_id: str, session_id: str, text: str, language: Language) -> Turn:
        body = self._json(
            "POST", f"/v1/sessions/{session_id}/messages", json={"text": text, "language": language}
        )
        return _turn(body)

    def stream(self, patient_id: str, session_id: str, text: str, language: Language) -> Iterator[str | Turn]:
        """Server-sent events: ``delta`` events with text, then one ``turn`` event with the final turn."""
        path = f"/v1/sessions/{session_id}/messages/stream"
        try:
            with self._http.stream(
                "POST",
                path,
                json={"text": text, "language": language},
                headers={"Accept": "text/event-stream"},
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    if response.status_code == 404:
                        raise SessionExpired(_problem(response))
                    raise CoreError(
                        f"the clinic's service answered {response.status_code}: {_problem(response)}"
                    )
                final: Turn | None = None
                for event, data in _sse_events(response.iter_lines()):
                    if event == "delta":
                        yield _delta_text(data)
                    elif event == "turn":
                        final = _turn(json.loads(data))
                    elif event == "error":
                        raise CoreError(f"the clinic's service failed: {data[:200]}")
        except httpx.TimeoutException:
            raise CoreError(f"the clinic's service at {self.base_url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise CoreError(f"could not reach the clinic's service at {self.base_url}: {exc}") from None
        if final is None:
            raise CoreError("the clinic's service ended the reply without the final turn")
        yield final

    def act(self, patient_id: str, session_id: str, command: BookingCommand, language: Language) -> Turn:
        """``POST /v1/sessions/{id}/booking`` with the command; 409 means the button is out of date."""
        path = f"/v1/sessions/{session_id}/booking"
        try:
            response = self._http.post(path, json=command.model_dump(mode="json"))
        except httpx.TimeoutException:
            raise CoreError(f"the clinic's service at {self.base_url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise CoreError(f"could not reach the clinic's service at {self.base_url}: {exc}") from None
        if response.status_code in (404, 409):
            code = _problem_code(response)
            if code == "session_not_found":
                raise SessionExpired(_problem(response))
            raise CommandRefused(_problem(response))
        if response.status_code >= 400:
            raise CoreError(
                f"the clinic's service answered {response.status_code}: {_problem(response)}",
                status=response.status_code,
            )
        return _turn(response.json())

    def summary(self, patient_id: str) -> RecordSummary:
        body = self._json("GET", "/v1/record/summary")
        if not isinstance(body, dict):
            raise CoreError("the clinic's service sent an unreadable record summary")
        patient = body.get("patient") or {}
        birth = patient.get("birth_date") or patient.get("birthDate")
        patient_ref = str(patient.get("resource") or patient.get("id") or "me")
        return RecordSummary(
            patient_id=patient_ref.removeprefix("Patient/"),
            name=str(patient.get("name") or patient_ref),
            birth_date=date.fromisoformat(birth[:10]) if isinstance(birth, str) and birth else None,
            conditions=_entries(body.get("conditions")),
            medications=_entries(body.get("medications")),
            allergies=_entries(body.get("allergies")),
            immunizations=_entries(body.get("immunizations")),
            encounters=_entries(body.get("recent_encounters") or body.get("encounters"))[:RECENT_VISITS],
        )

    def trend(self, patient_id: str, key: str) -> Trend:
        concept = self.concepts.get(series_concept(key))
        codes = sorted(
            code for system, code in (concept.codes if concept else ()) if system.endswith("loinc.org")
        )
        component = COMPONENT_OF.get(key)
        readings: list[Mapping[str, Any]] = []
        unit = ""
        for code in codes:
            try:
                body = self._json("GET", "/v1/record/observations", params={"code": code})
            except CoreError as exc:
                if exc.status == 404:  # this record has no value with that code
                    continue
                raise
            items = body.get("points", body.get("readings", [])) if isinstance(body, dict) else body
            readings.extend(r for r in items or [] if isinstance(r, dict))
            if isinstance(body, dict) and body.get("unit") and component is None:
                unit = str(body["unit"])
        points = json_points(readings, component[1] if component else None)
        if component is not None:
            unit = "mm[Hg]"  # both parts of the blood-pressure panel
        elif not unit:
            unit = next((str(r["unit"]) for r in readings if r.get("unit")), "")
        return make_trend(key, points, unit, self.concepts)

    def entry(self, patient_id: str, ref: str) -> Entry | None:
        """The API has no read-by-reference; the summary's entries cover the lists, else ``None``."""
        summary = self.summary(patient_id)
        for entry in (
            *summary.conditions,
            *summary.medications,
            *summary.allergies,
            *summary.immunizations,
            *summary.encounters,
        ):
            if entry.ref == ref:
                return entry
        return None

    def appointments(self, patient_id: str) -> list[Appointment] | None:
        body = self._json("GET", "/v1/appointments")
        items = body.get("appointments", []) if isinstance(body, dict) else body
        return [a for a in (_appointment(x) for x in items or []) if a is not None]

    def forget(self, patient_id: str) -> ErasureReport:
        body = self._json("DELETE", "/v1/me")
        body = body if isinstance(body, dict) else {}
        return ErasureReport(
            int(body.get("sessions", 0) or 0),
            int(body.get("turns", body.get("messages", 0)) or 0),
            bool(body.get("index_removed", False)),
        )


def _problem(response: httpx.Response) -> str:
    """The ``detail`` (or ``title``) of an ``application/problem+json`` body, else the start of the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body.get("code") or body)[:200]
    return str(body)[:200]


def _problem_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body.get("code")) if isinstance(body, dict) and body.get("code") else None


def _turn(body: Any) -> Turn:
    try:
        return Turn.model_validate(body)
    except ValidationError as exc:
        raise CoreError(
            f"the clinic's service sent a reply that does not follow the turn contract: {exc.errors()[0]['msg']}"
        ) from None


def _delta_text(data: str) -> str:
    try:
        parsed = json.loads(data)
    except ValueError:
        return data
    if isinstance(parsed, dict):
        return str(parsed.get("text", parsed.get("delta", "")))
    return str(parsed)


def _sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """``event:``/``data:`` blocks separated by blank lines (the text/event-stream format)."""
    event, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", list[str]()
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        yield event, "\n".join(data)


def _entries(items: Any) -> list[Entry]:
    out: list[Entry] = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        ref = item.get("ref") or item.get("resource") or item.get("reference")
        title = item.get("title") or item.get("label") or item.get("name") or item.get("text")
        if not ref or not title:
            continue
        day = item.get("date")
        out.append(
            Entry(
                str(ref),
                str(title),
                str(item.get("text") or ""),
                date.fromisoformat(day[:10]) if isinstance(day, str) and day else None,
                item.get("status"),
            )
        )
    return out


def _appointment(item: Any) -> Appointment | None:
    if not isinstance(item, dict):
        return None
    ref = item.get("appointment") or item.get("ref") or item.get("id")
    details: Mapping[str, Any] = item.get("details") or item
    start = details.get("start")
    if not ref or not start:
        return None
    ref = str(ref) if "/" in str(ref) else f"Appointment/{ref}"
    return Appointment(
        ref=ref,
        start=str(start),
        service=str(details.get("service") or ""),
        end=details.get("end"),
        practitioner=details.get("practitioner"),
        location=details.get("location"),
        status=str(item.get("status") or "booked"),
    )
