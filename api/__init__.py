"""The clinic API: FastAPI app factory, bearer auth bound to one patient, JSON and SSE routes."""

from api.app import API_VERSION, ApiSettings, create_app

__all__ = ["API_VERSION", "ApiSettings", "create_app"]
