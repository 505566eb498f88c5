"""The clinic API wired from settings: ``build_api(settings)`` and the uvicorn factory ``app``.

uvicorn starts each worker by importing ``health_assistant.asgi:app`` with ``--factory``, so every worker
builds its own app from the environment (``HEALTH_ASSISTANT_*``) and shares nothing in process with the
others: sessions and audit are in the database, the index on disk or in a Chroma server.
"""

from __future__ import annotations

from fastapi import FastAPI

from api import create_app
from fhir_client import FhirClient
from fhir_client.scheduling import SchedulingClient
from health_assistant.settings import Settings


def open_scheduling(settings: Settings) -> SchedulingClient:
    """One thread-safe scheduling client for every patient (it acts for the patient each call names)."""
    client = FhirClient(settings.fhir_url, token=settings.fhir_token, timeout=settings.fhir_timeout)
    return SchedulingClient(client)


def build_api(settings: Settings) -> FastAPI:
    from health_assistant.factory import build_service

    return create_app(settings, service=build_service(settings), scheduling=open_scheduling(settings))


def app() -> FastAPI:
    """uvicorn ``--factory`` entry point: settings from the environment."""
    return build_api(Settings())
