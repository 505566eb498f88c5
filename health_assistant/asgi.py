"""The clinic API wired from settings: ``build_api(settings)`` and the uvicorn factory ``app``.

uvicorn starts each worker by importing ``health_assistant.asgi:app`` with ``--factory``, so every worker
builds its own app from the environment (``HEALTH_ASSISTANT_*``) and shares nothing in process with the
others: sessions and audit are in the database, the index on disk or in a Chroma server.
"""

from __future__ import annotations

from fastapi import FastAPI

from api import create_app
from health_assistant.settings import Settings


def build_api(settings: Settings) -> FastAPI:
    from assistant.assistant import build_understander_in_background
    from health_assistant.factory import build_service, open_scheduling

    build_understander_in_background()  # while the worker starts; /readyz says when it is done
    scheduling = open_scheduling(settings)
    service = build_service(settings, scheduling=scheduling)
    return create_app(settings, service=service, scheduling=scheduling, remote_llm=settings.llm_is_remote)


def app() -> FastAPI:
    """uvicorn ``--factory`` entry point: settings from the environment."""
    return build_api(Settings())
