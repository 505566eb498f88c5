"""The clinic API wired from settings: ``build_api(settings)`` and the uvicorn factory ``app``.

uvicorn starts each worker by importing ``health_assistant.asgi:app`` with ``--factory``, so every worker
builds its own app from the environment (``HEALTH_ASSISTANT_*``) and shares nothing in process with the
others: sessions and audit are in the database, the index on disk or in a Chroma server.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api import create_app
from health_assistant.settings import Settings


def scheduling_factory(settings: Settings) -> Any:
    """Patient id → scheduling client bound to that patient (``None`` until scheduling is installed)."""
    try:
        from fhir_client.scheduling import SchedulingClient
    except ImportError:  # pragma: no cover - arrives with the scheduling issue
        return None
    from fhir_client import FhirClient

    def make(patient_id: str) -> Any:
        client = FhirClient(settings.fhir_url, token=settings.fhir_token, timeout=settings.fhir_timeout)
        return SchedulingClient(client)

    return make


def build_api(settings: Settings) -> FastAPI:
    from health_assistant.factory import build_service

    return create_app(settings, service=build_service(settings), scheduling_for=scheduling_factory(settings))


def app() -> FastAPI:
    """uvicorn ``--factory`` entry point: settings from the environment."""
    return build_api(Settings())
