"""Whole turns on a real record, for the record-answer tests of each dev round: an assistant on the bundle with
a frozen clock and a session store in the test's temporary folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant import Assistant
from assistant.guardrails import Guard
from assistant.schemas import Turn
from assistant.store import SessionStore, sqlite_url
from fhir_client import load_bundle_file

ROOT = Path(__file__).resolve().parents[2] / "data"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def talk(tmp_path: Path, bundle: Path, *texts: str, lang: str = "en") -> list[Turn]:
    """The replies to ``texts``, said in turn in one session."""
    bot = Assistant(
        record=load_bundle_file(bundle),
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
    )
    session = bot.new_session(lang)
    return [bot.respond(session, t, language=lang) for t in texts]  # type: ignore[arg-type]


def synthea(patient: str) -> Path:
    """The Synthea bundle of ``patient`` (its file stem's first two parts, e.g. ``Daisey_Johns``)."""
    return next((ROOT / "synthea").glob(f"{patient}_*.json"))
