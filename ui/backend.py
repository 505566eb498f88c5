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
from datetime import date, datetime
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from assistant import Assistant
from assistant.account import SELF, AccountHolder
from assistant.assistant import BookingUnavailable
from assistant.booking import BookingCommand, NotPending
from assistant.consent import ConsentGate, ConsentRequired, ConsentStatus
from assistant.schemas import Language, Turn
from assistant.service import AssistantService
from assistant.store import SessionNotFoundError
from fhir_client import FhirError, PatientRecord, RecordLoadError, load_bundle, load_patient_from_server
from fhir_client.consent import ConsentPurpose
from fhir_client.errors import FhirAuthError, SmartAuthError
from fhir_client.scheduling import AppointmentNotFound
from retrieval import ConceptMap, RecordQueries, UnknownConcept, build_cards
from retrieval.model import Card
from ui.connect import ConnectError, Connection, Connections
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
MAX_CONVERSATIONS = 10  # the "Earlier conversations" list shows the most recent ones
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


class ConsentNeeded(CoreError):
    """The patient has not (or no longer) agreed to this; ``purpose`` is record-access or remote-llm."""

    def __init__(self, message: str, purpose: str, *, status: int | None = 403) -> None:
        super().__init__(message, status=status)
        self.purpose = purpose


class NotConnected(CoreError):
    """Connecting a record with a clinic sign-in is not available here (or failed)."""


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
class Conversation:
    """One past or current conversation, for the "Earlier conversations" list (newest first)."""

    id: str
    started: datetime
    updated: datetime
    messages: int
    title: str | None = None  # the patient's first message, when the core can say it cheaply


@dataclass(frozen=True)
class Message:
    """One stored message of a conversation: the patient's words, or the assistant's full ``Turn``."""

    role: Literal["user", "assistant"]
    text: str
    turn: Turn | None = None


@dataclass(frozen=True)
class ClinicOption:
    id: str
    name: str


@dataclass(frozen=True)
class ConnectedRecord:
    """A record opened with a clinic sign-in: whose it is, where from, and who is typing."""

    patient_id: str
    name: str
    clinic: str
    relation: Literal["self", "parent", "other"] = "self"
    holder_name: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class ConsentLine:
    purpose: str
    decision: str
    status: str
    recorded: datetime | None
    performer: str | None


@dataclass(frozen=True)
class ConsentView:
    """Where a connected record's consents stand (shown in "My data")."""

    record_access: Literal["granted", "refused", "missing"]
    remote_llm: Literal["granted", "refused", "missing"]
    llm_needed: bool
    entries: list[ConsentLine] = field(default_factory=list)


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
    def conversations(self, patient_id: str) -> list[Conversation]: ...
    def transcript(self, patient_id: str, session_id: str) -> list[Message]: ...
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
    # Connecting a record with the clinic's SMART sign-in, and the patient's consents for it.
    def clinics(self) -> list[ClinicOption]: ...
    def connect_url(self, clinic_id: str, language: Language) -> str: ...
    def finish_connection(self, code: str, state: str) -> ConnectedRecord: ...
    def connection(self, patient_id: str) -> ConnectedRecord | None: ...
    def disconnect(self, patient_id: str) -> ErasureReport: ...
    def consents(self, patient_id: str) -> ConsentView | None: ...
    def decide_consent(self, patient_id: str, purpose: str, *, permit: bool) -> None: ...
    def withdraw_consent(self, patient_id: str, purpose: str) -> None: ...


# -- in process ---------------------------------------------------------------------------------------


class UploadedRecords:
    """Records the patient opened from a file (in memory only) or connected with a clinic sign-in, in
    front of the normal loader.

    The composition root passes ``load`` as the service's record loader, so an uploaded or connected
    record goes through the same service (cache, index, erasure) as one read from the clinic's server;
    a connected record is read with the patient's own token.
    """

    def __init__(self, fallback: Callable[[str], PatientRecord]) -> None:
        self._fallback = fallback
        self._records: dict[str, PatientRecord] = {}
        self._connected: dict[str, Callable[[], PatientRecord]] = {}
        self._lock = threading.Lock()

    def connect(self, patient_id: str, loader: Callable[[], PatientRecord]) -> None:
        with self._lock:
            self._connected[patient_id] = loader

    def disconnect(self, patient_id: str) -> None:
        with self._lock:
            self._connected.pop(patient_id, None)

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
            connected = self._connected.get(patient_id)
        if record is not None:
            return record
        return connected() if connected is not None else self._fallback(patient_id)


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

    ``connections`` (optional) offers "Connect my health record" (SMART sign-in at a clinic); a connected
    record is read with the patient's token, only while the patient's FHIR Consent for it stands
    (``consent_gate``, asked at every read so a withdrawal elsewhere stops it at once), and chats with
    the ``AccountHolder`` of the sign-in (a parent → "your child").
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
        connections: Connections | None = None,
        consent_gate: ConsentGate | None = None,
    ) -> None:
        self.service = service
        self.connections = connections
        self.gate = consent_gate or ConsentGate(
            audit=service.store.audit,
            remote_llm=bool(backend and backend.leaves_machine),
            clock=service.clock,
        )
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
        return self._assistant(patient_id).new_session(language)

    def _assistant(self, patient_id: str) -> Assistant:
        """The patient's assistant; for a connected record, only with consent, as the sign-in's holder."""
        holder, use_llm = SELF, True
        connection = self._connection(patient_id)
        if connection is not None:
            status = self._consent_status(connection)
            holder = connection.holder
            try:
                self.gate.check_record(status, patient_id)
                use_llm = self.gate.use_llm(status, patient_id)
            except ConsentRequired as exc:
                raise ConsentNeeded(str(exc), exc.purpose.value) from None
        return self._call(lambda: self.service.assistant(patient_id, use_llm=use_llm, holder=holder))

    def conversations(self, patient_id: str) -> list[Conversation]:
        out = []
        for info in self.service.store.list_sessions(patient_id, limit=MAX_CONVERSATIONS):
            first = self.service.store.history(info.id, patient_id) if info.turn_count else []
            out.append(
                Conversation(
                    info.id,
                    info.created_at,
                    info.updated_at,
                    info.turn_count,
                    first[0].text if first and first[0].role == "user" else None,
                )
            )
        return sorted(out, key=lambda c: c.updated, reverse=True)

    def transcript(self, patient_id: str, session_id: str) -> list[Message]:
        try:
            stored = self.service.store.history(session_id, patient_id)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        return [Message(s.role, s.text, s.as_turn()) for s in stored]

    def send(self, patient_id: str, session_id: str, text: str, language: Language) -> Turn:
        assistant = self._assistant(patient_id)
        try:
            return assistant.respond(session_id, text, language=language)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        except FhirError as exc:
            raise CoreError(f"the clinic's server failed: {exc}") from exc

    def stream(self, patient_id: str, session_id: str, text: str, language: Language) -> Iterator[str | Turn]:
        assistant = self._assistant(patient_id)
        try:
            yield from assistant.stream(session_id, text, language=language)
        except SessionNotFoundError as exc:
            raise SessionExpired(str(exc)) from exc
        except FhirError as exc:
            raise CoreError(f"the clinic's server failed: {exc}") from exc

    def act(self, patient_id: str, session_id: str, command: BookingCommand, language: Language) -> Turn:
        """A booking button's structured command (the slot id, the confirmation token), not words."""
        assistant = self._assistant(patient_id)  # a connected record: with consent, as the sign-in's holder
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
        connection = self._connection(patient_id)
        if connection is not None:
            try:
                self.gate.check_record(self._consent_status(connection), patient_id)
            except ConsentRequired as exc:
                raise ConsentNeeded(str(exc), exc.purpose.value) from None
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

    # -- connecting a record (SMART) and consent ------------------------------------------------------

    def _connection(self, patient_id: str) -> Connection | None:
        return self.connections.get(patient_id) if self.connections is not None else None

    def _consent_status(self, connection: Connection) -> ConsentStatus:
        try:
            return self.gate.status(connection.consents(), connection.patient_id)
        except (FhirAuthError, SmartAuthError) as exc:
            raise CoreError(
                f"{connection.clinic.name} no longer accepts your sign-in; connect again ({exc})"
            ) from exc
        except FhirError as exc:
            raise CoreError(f"{connection.clinic.name} did not answer: {exc}") from exc

    def clinics(self) -> list[ClinicOption]:
        if self.connections is None:
            return []
        return [ClinicOption(c.id, c.name) for c in self.connections.clinics.values()]

    def connect_url(self, clinic_id: str, language: Language) -> str:
        if self.connections is None:
            raise NotConnected("connecting a record is not set up in this app")
        try:
            return self.connections.start(clinic_id, language)
        except ConnectError as exc:
            raise NotConnected(str(exc)) from exc

    def finish_connection(self, code: str, state: str) -> ConnectedRecord:
        if self.connections is None:
            raise NotConnected("connecting a record is not set up in this app")
        try:
            connection = self.connections.finish(code, state)
        except ConnectError as exc:
            raise NotConnected(str(exc)) from exc
        patient_id = connection.patient_id
        if self.uploads is not None:
            self.uploads.connect(patient_id, lambda: load_patient_from_server(connection.fhir, patient_id))
        with self._lock:
            self._views.pop(patient_id, None)
        self.service.drop_cached(patient_id)
        return _connected_record(connection)

    def connection(self, patient_id: str) -> ConnectedRecord | None:
        connection = self._connection(patient_id)
        return _connected_record(connection) if connection is not None else None

    def disconnect(self, patient_id: str) -> ErasureReport:
        """Revoke the sign-in at the clinic, then erase what this app stored for the patient."""
        revoked_error: Exception | None = None
        if self.connections is not None:
            try:
                self.connections.disconnect(patient_id)
            except (SmartAuthError, FhirError) as exc:
                revoked_error = exc  # still erase locally; say the clinic did not confirm
        if self.uploads is not None:
            self.uploads.disconnect(patient_id)
        report = self.forget(patient_id)
        if revoked_error is not None:
            raise CoreError(
                f"your data here was deleted, but the clinic did not confirm the sign-out: {revoked_error}"
            )
        return report

    def consents(self, patient_id: str) -> ConsentView | None:
        connection = self._connection(patient_id)
        if connection is None:
            return None
        status = self._consent_status(connection)
        return ConsentView(
            record_access=status.record_access.value,
            remote_llm=status.remote_llm.value,
            llm_needed=self.gate.remote_llm,
            entries=[
                ConsentLine(e.purpose.value, e.decision, e.status, e.recorded, e.performer)
                for e in status.entries
            ],
        )

    def decide_consent(self, patient_id: str, purpose: str, *, permit: bool) -> None:
        connection = self._require_connection(patient_id)
        performer = connection.holder.reference or f"Patient/{patient_id}"
        try:
            self.gate.decide(
                connection.consents(), patient_id, ConsentPurpose(purpose), permit=permit, performer=performer
            )
        except FhirError as exc:
            raise CoreError(f"{connection.clinic.name} did not record your choice: {exc}") from exc

    def withdraw_consent(self, patient_id: str, purpose: str) -> None:
        connection = self._require_connection(patient_id)
        try:
            self.gate.withdraw(connection.consents(), patient_id, ConsentPurpose(purpose))
        except FhirError as exc:
            raise CoreError(f"{connection.clinic.name} did not record the withdrawal: {exc}") from exc
        with self._lock:
            self._views.pop(patient_id, None)

    def _require_connection(self, patient_id: str) -> Connection:
        connection = self._connection(patient_id)
        if connection is None:
            raise NotConnected("this record is not connected with a clinic sign-in")
        return connection

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


def _connected_record(connection: Connection) -> ConnectedRecord:
    holder: AccountHolder = connection.holder
    return ConnectedRecord(
        patient_id=connection.patient_id,
        name=connection.name,
        clinic=connection.clinic.name,
        relation=holder.relation.value,
        holder_name=holder.name,
        language=connection.language,
    )


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
        purpose = _consent_purpose(response)
        if purpose is not None:
            raise ConsentNeeded(_problem(response), purpose)
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

    def conversations(self, patient_id: str) -> list[Conversation]:
        body = self._json("GET", "/v1/sessions")
        items = body.get("sessions", []) if isinstance(body, dict) else []
        out = []
        for item in items:
            try:
                out.append(
                    Conversation(
                        str(item["session_id"]),
                        datetime.fromisoformat(str(item["created_at"]).replace("Z", "+00:00")),
                        datetime.fromisoformat(str(item["updated_at"]).replace("Z", "+00:00")),
                        int(item.get("turn_count", 0)),
                        item.get("title"),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue  # one unreadable entry must not hide the others
        return sorted(out, key=lambda c: c.updated, reverse=True)

    def transcript(self, patient_id: str, session_id: str) -> list[Message]:
        body = self._json("GET", f"/v1/sessions/{session_id}/messages")
        items = body.get("messages", []) if isinstance(body, dict) else []
        out = []
        for item in items:
            if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
                continue
            turn = _turn(item["turn"]) if item.get("turn") else None
            out.append(Message(item["role"], str(item.get("text") or ""), turn))
        return out

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
                    purpose = _consent_purpose(response)
                    if purpose is not None:
                        raise ConsentNeeded(_problem(response), purpose)
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

    # The clinic API's token is bound to one patient already: no sign-in to start from here.
    def clinics(self) -> list[ClinicOption]:
        return []

    def connect_url(self, clinic_id: str, language: Language) -> str:
        raise NotConnected("this app talks to your clinic's service, which already knows who you are")

    def finish_connection(self, code: str, state: str) -> ConnectedRecord:
        raise NotConnected("this app talks to your clinic's service, which already knows who you are")

    def connection(self, patient_id: str) -> ConnectedRecord | None:
        return None

    def disconnect(self, patient_id: str) -> ErasureReport:
        raise NotConnected("sign out at your clinic's portal")

    def consents(self, patient_id: str) -> ConsentView | None:
        try:
            body = self._json("GET", "/v1/consents")
        except CoreError as exc:
            if exc.status == 409:  # consent_not_applicable: an API token issued by the clinic
                return None
            raise
        return _consent_view(body)

    def decide_consent(self, patient_id: str, purpose: str, *, permit: bool) -> None:
        self._json(
            "POST", "/v1/consents", json={"purpose": purpose, "decision": "permit" if permit else "deny"}
        )

    def withdraw_consent(self, patient_id: str, purpose: str) -> None:
        self._json("DELETE", f"/v1/consents/{purpose}")

    def forget(self, patient_id: str) -> ErasureReport:
        body = self._json("DELETE", "/v1/me")
        body = body if isinstance(body, dict) else {}
        return ErasureReport(
            int(body.get("sessions", 0) or 0),
            int(body.get("turns", body.get("messages", 0)) or 0),
            bool(body.get("index_removed", False)),
        )


def _consent_purpose(response: httpx.Response) -> str | None:
    """The missing consent's purpose when the API answered ``consent_required``, else None."""
    if response.status_code != 403:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and body.get("code") == "consent_required":
        return str(body.get("purpose") or ConsentPurpose.RECORD_ACCESS.value)
    return None


def _consent_view(body: Any) -> ConsentView:
    if not isinstance(body, dict):
        raise CoreError("the clinic's service sent unreadable consents")
    states = ("granted", "refused", "missing")
    record = body.get("record_access")
    llm = body.get("remote_llm")
    entries = []
    for item in body.get("consents") or []:
        if not isinstance(item, dict):
            continue
        when = item.get("recorded")
        try:
            recorded = datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when else None
        except ValueError:
            recorded = None
        entries.append(
            ConsentLine(
                str(item.get("purpose")),
                str(item.get("decision")),
                str(item.get("status")),
                recorded,
                item.get("performer"),
            )
        )
    return ConsentView(
        record_access=record if record in states else "missing",
        remote_llm=llm if llm in states else "missing",
        llm_needed=bool(body.get("remote_llm_needed")),
        entries=entries,
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
