"""How this process reaches the clinic's FHIR server with the clinic's own credential.

The app's demo path (a demo patient opened without signing in), the clinic API's record loads and every
scheduling write act as the clinic, not as a patient. When the FHIR server wants SMART tokens (the demo
clinic under ``--auth``), that credential is the clinic's system client (SMART Backend Services: a
client-credentials grant with a JWT signed by ``FHIR_SYSTEM_KEY_FILE``); otherwise ``FHIR_SYSTEM_TOKEN``
/ ``FHIR_TOKEN`` as static bearers, or nothing. One ``httpx.Auth`` per process and configuration, so
the short-lived token is fetched once and shared by every client (httpx auth flows are re-entrant and a
duplicate refresh under a race is harmless).
"""

from __future__ import annotations

import threading

import httpx

from fhir_client import FhirClient
from fhir_client.auth import BearerAuth, SmartBackendServicesAuth
from health_assistant.clock import clock_at
from health_assistant.settings import Settings

_LOCK = threading.Lock()
_SYSTEM: dict[tuple[str, str, str, str], SmartBackendServicesAuth] = {}


def system_auth(settings: Settings, fhir_url: str | None = None) -> httpx.Auth | None:
    """The clinic's credential: Backend Services when a system client is configured, else a bearer."""
    url = fhir_url or settings.fhir_url
    if settings.fhir_system_client_id and settings.fhir_system_key_file:
        key = (
            settings.fhir_system_client_id,
            str(settings.fhir_system_key_file),
            url,
            settings.fhir_system_scope,
        )
        with _LOCK:
            auth = _SYSTEM.get(key)
            if auth is None:
                pem = settings.fhir_system_key_file.read_bytes()
                now = clock_at(settings.now)
                auth = SmartBackendServicesAuth(
                    settings.fhir_system_client_id,
                    pem,
                    scope=settings.fhir_system_scope,
                    fhir_base_url=url,
                    clock=lambda: now().timestamp(),
                )
                _SYSTEM[key] = auth
        return auth
    token = settings.fhir_system_token or settings.fhir_token
    return BearerAuth(token) if token else None


def read_auth(settings: Settings, fhir_url: str | None = None) -> httpx.Auth | None:
    """Reads as the clinic: the system client when configured, else FHIR_TOKEN (or nothing)."""
    if settings.fhir_system_client_id and settings.fhir_system_key_file:
        return system_auth(settings, fhir_url)
    return BearerAuth(settings.fhir_token) if settings.fhir_token else None


def clinic_fhir(settings: Settings, fhir_url: str | None = None, *, writes: bool = False) -> FhirClient:
    """A FHIR client acting as the clinic (for reads, or with ``writes`` the scheduling credential)."""
    url = fhir_url or settings.fhir_url
    auth = system_auth(settings, url) if writes else read_auth(settings, url)
    return FhirClient(url, auth=auth, timeout=settings.fhir_timeout)
