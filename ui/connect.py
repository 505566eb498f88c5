"""'Connect my health record': SMART standalone patient launch from the in-process patient app.

``Connections`` holds one ``SmartPatientLaunch`` per clinic offered (from settings) and the connected
records of this app process:

1. ``start(clinic, language)`` gives the clinic's authorization URL (PKCE S256 and ``state`` kept here,
   since the browser comes back in a new Streamlit session);
2. ``finish(code, state)`` swaps the code for tokens and opens a ``FhirClient`` with them (refreshed
   before expiry and once on a 401); the token's ``patient`` is whose record opens, its ``fhirUser``
   who is typing (a ``RelatedPerson`` for a parent → ``AccountHolder`` parent);
3. ``disconnect(patient)`` revokes the sign-in at the clinic (every token of it stops at once) and
   forgets the connection; the caller erases what the app stored for that patient.

A new sign-in for a patient already connected replaces (and revokes) the previous one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.account import SELF, AccountHolder
from fhir_client import FhirClient
from fhir_client.auth import SmartPatientLaunch, SmartTokenAuth, TokenResponse
from fhir_client.consent import ConsentClient
from fhir_client.errors import FhirError, SmartAuthError

MAX_PENDING = 256
SCOPES = ("openid", "fhirUser", "launch/patient", "offline_access", "patient/*.rs", "patient/Consent.cu")


class ConnectError(Exception):
    """Connecting failed; the message is one sentence for the patient."""


@dataclass(frozen=True)
class Clinic:
    id: str
    name: str
    fhir_url: str
    client_id: str = "health-assistant-app"


@dataclass
class Connection:
    """One signed-in record: the clinic, the patient, who is typing, and a FHIR client with the token."""

    clinic: Clinic
    patient_id: str
    holder: AccountHolder
    auth: SmartTokenAuth
    fhir: FhirClient
    launch: SmartPatientLaunch
    name: str = ""
    language: str = "en"  # the app's language when the sign-in started (the redirect does not carry it)
    closed: bool = field(default=False)

    @property
    def token(self) -> TokenResponse:
        return self.auth.token

    def consents(self) -> ConsentClient:
        return ConsentClient(self.fhir)


LaunchFactory = Callable[[Clinic, str], SmartPatientLaunch]
SecondsClock = Callable[[], float]  # seconds since the epoch (token freshness), from the composition root


def launch_with(clock: SecondsClock) -> LaunchFactory:
    """The SMART launch for a clinic, judging token freshness by ``clock``."""

    def launch(clinic: Clinic, redirect_uri: str) -> SmartPatientLaunch:
        return SmartPatientLaunch(clinic.fhir_url, clinic.client_id, redirect_uri=redirect_uri, clock=clock)

    return launch


class Connections:
    def __init__(
        self,
        clinics: Sequence[Clinic],
        redirect_uri: str,
        *,
        launch_factory: LaunchFactory,
        timeout: float = 20.0,
    ) -> None:
        self.clinics = {c.id: c for c in clinics}
        self.redirect_uri = redirect_uri
        self._launch_factory = launch_factory
        self._timeout = timeout
        self._launches: dict[str, SmartPatientLaunch] = {}
        self._pending: OrderedDict[str, tuple[str, str]] = OrderedDict()  # state → (clinic id, language)
        self._connected: dict[str, Connection] = {}
        self._lock = threading.Lock()

    def _launch(self, clinic: Clinic) -> SmartPatientLaunch:
        with self._lock:
            launch = self._launches.get(clinic.id)
            if launch is None:
                launch = self._launch_factory(clinic, self.redirect_uri)
                self._launches[clinic.id] = launch
            return launch

    def start(self, clinic_id: str, language: str = "en") -> str:
        clinic = self.clinics.get(clinic_id)
        if clinic is None:
            raise ConnectError(f"no clinic {clinic_id!r} is offered here")
        try:
            request = self._launch(clinic).authorization_url(list(SCOPES), extra={"ui_locales": language})
        except SmartAuthError as exc:
            raise ConnectError(f"{clinic.name} does not offer sign-in right now: {exc}") from exc
        with self._lock:
            self._pending[request.state] = (clinic.id, language)
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)  # the oldest unfinished sign-ins lapse
        return request.url

    def finish(self, code: str, state: str) -> Connection:
        with self._lock:
            pending = self._pending.pop(state, None)
        if pending is None:
            raise ConnectError(
                "this sign-in answer does not match a sign-in started here; please start again"
            )
        clinic_id, language = pending
        clinic = self.clinics[clinic_id]
        launch = self._launch(clinic)
        try:
            token = launch.exchange_code(code, state)
        except SmartAuthError as exc:
            raise ConnectError(f"{clinic.name} did not complete the sign-in: {exc}") from exc
        if not token.patient:
            raise ConnectError(f"{clinic.name} signed you in but named no patient record; please start again")
        auth = launch.auth(token)
        fhir = FhirClient(clinic.fhir_url, auth=auth, timeout=self._timeout)
        connection = Connection(clinic, token.patient, SELF, auth, fhir, launch, language=language)
        try:
            connection.holder = _holder(fhir, token, token.patient)
            connection.name = _patient_name(fhir, token.patient)
        except FhirError as exc:
            fhir.close()
            raise ConnectError(f"{clinic.name} refused to show the record: {exc}") from exc
        with self._lock:
            previous = self._connected.get(token.patient)
            self._connected[token.patient] = connection
        if previous is not None:
            _close(previous)
        return connection

    def get(self, patient_id: str) -> Connection | None:
        with self._lock:
            return self._connected.get(patient_id)

    def disconnect(self, patient_id: str) -> bool:
        """Revoke the sign-in at the clinic and forget it; True when there was one."""
        with self._lock:
            connection = self._connected.pop(patient_id, None)
        if connection is None:
            return False
        _close(connection)
        return True


def _close(connection: Connection) -> None:
    try:
        connection.launch.revoke(connection.auth.token)
    finally:
        connection.closed = True
        connection.fhir.close()


def _claims(token: TokenResponse) -> dict[str, object]:
    """The ID token's claims, unverified: only used to learn who signed in (``fhirUser``), never to grant."""
    import jwt

    if not token.id_token:
        return {}
    try:
        claims: dict[str, object] = jwt.decode(token.id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return claims


def _holder(fhir: FhirClient, token: TokenResponse, patient_id: str) -> AccountHolder:
    fhir_user = token.raw.get("fhirUser") or _claims(token).get("fhirUser")
    if not isinstance(fhir_user, str) or "/RelatedPerson/" not in f"/{fhir_user}":
        return SELF
    related = fhir.read("RelatedPerson", fhir_user.rstrip("/").rsplit("/", 1)[-1]).resource or {}
    if str((related.get("patient") or {}).get("reference") or "") != f"Patient/{patient_id}":
        return SELF
    codes = frozenset(
        str(c.get("code"))
        for rel in related.get("relationship") or []
        for c in (rel or {}).get("coding") or []
    )
    names = related.get("name") or [{}]
    name = names[0].get("text") or " ".join([*names[0].get("given", []), names[0].get("family", "")]).strip()
    return AccountHolder.from_fhir_user(fhir_user, relationship_codes=codes, name=name or None)


def _patient_name(fhir: FhirClient, patient_id: str) -> str:
    patient = fhir.read("Patient", patient_id).resource or {}
    names = patient.get("name") or [{}]
    parts = [*names[0].get("given", []), names[0].get("family", "")]
    text = " ".join("".join(ch for ch in str(p) if not ch.isdigit()) for p in parts if p).strip()
    return text or patient_id
