"""Streamlit entry script of the patient app (composition root): settings → core client → ``ui.app.main``.

``health-assistant ui`` and ``health-assistant run`` start ``streamlit run`` on this file. It lives in the
composition root because it reads settings and builds the core; ``ui/`` only draws and talks to a
``CoreClient``. Configuration comes from the environment (the CLI sets it):

- ``HEALTH_ASSISTANT_UI_PATIENT``: the record to open first, ``fhir:<id>`` or a Bundle file;
- ``HEALTH_ASSISTANT_UI_API_URL`` + ``HEALTH_ASSISTANT_UI_API_TOKEN``: talk to a clinic API instead of
  the in-process core (the token decides the patient);
- every ``HEALTH_ASSISTANT_*`` setting (FHIR URL, data dir, LLM) as for the other commands.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import streamlit as st

from fhir_client import FhirError, PatientRecord, load_bundle_file, load_patient_from_server
from fhir_client.auth import smart_configuration_url
from fhir_client.scheduling import SchedulingClient
from fhir_client.scheduling_models import AppointmentInfo
from health_assistant.clock import Clock, clock_at
from health_assistant.commands.ui import ENV_API_TOKEN, ENV_API_URL, ENV_PATIENT
from health_assistant.fhir_access import clinic_fhir
from health_assistant.settings import DEMO_DATA_DIR, Settings
from ui.app import main
from ui.backend import (
    CoreClient,
    DemoPatient,
    HttpClient,
    InProcessClient,
    UploadedRecords,
    backend_info_for,
)
from ui.connect import Clinic, Connections, launch_with
from ui.records_data import Appointment

log = logging.getLogger(__name__)


def demo_patients() -> list[DemoPatient]:
    """The 12 shared Synthea patients, named from their file names (``Josue_Sipes_<uuid>.json``)."""
    out = []
    for path in sorted((DEMO_DATA_DIR / "synthea").glob("*_*-*-*-*-*.json")):
        first, last, pid = path.stem.split("_", 2)
        out.append(DemoPatient(pid, f"{first} {last}"))
    return out


def appointments_source(
    settings: Settings, clock: Clock | None = None
) -> Callable[[str], list[Appointment] | None]:
    """Upcoming appointments from the clinic's scheduling (``SchedulingClient.upcoming``) when available."""

    from health_assistant.factory import clock_for

    now = clock or clock_for(settings)

    def upcoming(patient_id: str) -> list[Appointment] | None:
        with clinic_fhir(settings) as fhir:
            try:
                fhir.read("Patient", patient_id)
            except FhirError:
                return None
            return [appointment_from(a) for a in SchedulingClient(fhir, clock=now).upcoming(patient_id)]

    return upcoming


def appointment_from(item: AppointmentInfo) -> Appointment:
    """``SchedulingClient`` appointment → the record page's ``Appointment`` (times as the server wrote them)."""
    start = item.start_text or (item.start.isoformat() if item.start else "")
    end = item.end_text or (item.end.isoformat() if item.end else None)
    return Appointment(
        ref=item.reference,
        start=start,
        end=end,
        service=item.service,
        practitioner=item.practitioner,
        location=item.location,
        status=item.status,
    )


def smart_clinics(settings: Settings) -> list[Clinic]:
    """The clinics offered under "Connect my health record": SMART_CLINICS, or else FHIR_URL when it
    publishes a SMART configuration (the demo clinic under ``sandbox --auth`` does)."""
    if settings.smart_clinics:
        return [
            Clinic(f"clinic-{i}", c.name, c.fhir_url, c.client_id)
            for i, c in enumerate(settings.smart_clinics)
        ]
    try:
        response = httpx.get(smart_configuration_url(settings.fhir_url), timeout=5)
    except httpx.HTTPError:
        return []
    if response.status_code != 200:
        return []
    return [Clinic("clinic-0", urlsplit(settings.fhir_url).netloc, settings.fhir_url)]


def build_client(settings: Settings, patient_source: str | None) -> CoreClient:
    api_url = os.environ.get(ENV_API_URL)
    if api_url:
        return HttpClient(api_url, os.environ.get(ENV_API_TOKEN, ""), timezone=settings.timezone)

    from assistant.assistant import build_understander_in_background
    from health_assistant.factory import build_service

    build_understander_in_background()  # while the first page loads, not on the first message

    def from_server(patient_id: str) -> PatientRecord:
        with clinic_fhir(settings) as fhir:
            return load_patient_from_server(fhir, patient_id)

    uploads = UploadedRecords(from_server)
    default: str | None = None
    if patient_source and not patient_source.startswith("fhir:"):
        record = load_bundle_file(patient_source)
        uploads.add(record)
        default = record.patient_id
    elif patient_source:
        default = patient_source.removeprefix("fhir:")
    service = build_service(settings, load_record=uploads.load)
    clinics = smart_clinics(settings)
    connections = (
        Connections(
            clinics,
            settings.ui_public_url or "http://127.0.0.1:8501/",
            launch_factory=launch_with(lambda: clock_at(settings.now)().timestamp()),
            timeout=settings.fhir_timeout,
        )
        if clinics
        else None
    )
    return InProcessClient(
        service,
        backend=backend_info_for(settings.llm_base_url, settings.llm_model),
        uploads=uploads,
        demo_patients=demo_patients(),
        default_patient=default,
        appointments_for=appointments_source(settings),
        timezone=settings.timezone,
        connections=connections,
    )


@st.cache_resource(show_spinner=False)
def shared_client() -> CoreClient:
    """One core per server process, shared by every browser tab (sessions are per patient in the store)."""
    # ``kill -USR1 <pid>`` writes every thread's stack to the app's output (``ui --log``): a stuck
    # conversation can be diagnosed on a live server without stopping it.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    return build_client(Settings(), os.environ.get(ENV_PATIENT))


main(shared_client())
