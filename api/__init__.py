"""Clinic API (FastAPI). Arrives with issue #7."""
