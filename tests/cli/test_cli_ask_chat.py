"""`ask` and `chat` end to end through the CLI (real record file, real guard, SQLite in a temp dir)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from health_assistant.cli import app

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
EMERY = str(next(DATA.glob("Emery_Purdy_*.json")))
JOSUE = str(next(DATA.glob("Josue_Sipes_*.json")))


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("HEALTH_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    # No FHIR server here: booking is reported as not connected instead of failing the turn.
    monkeypatch.setenv("HEALTH_ASSISTANT_FHIR_URL", "http://127.0.0.1:9/fhir/R4")
    return CliRunner()


def test_ask_json_answers_the_last_a1c_with_value_date_and_citation(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "--patient", EMERY, "--json", "what was my last A1c?"])
    assert result.exit_code == 0, result.output
    turn = json.loads(result.stdout)
    assert turn["triage"]["level"] == "none"
    assert "7.26 %" in turn["text"] and "22 January 2021" in turn["text"]
    assert turn["citations"][0]["resource"] == "Observation/954d486f-76c7-4ce5-b077-4388fb3d82b5"
    assert turn["safety"] == {"flags": [], "backend": "offline", "grounded": True}


def test_ask_crushing_chest_pain_starts_with_the_emergency_banner(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "--patient", EMERY, "I have crushing chest pain"])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("*** EMERGENCY") and "15" in first
    assert "Call 15 now" in second


def test_ask_stop_metformin_is_declined_and_continues_in_the_same_session(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "--patient", JOSUE, "--json", "can I stop my metformin?"])
    assert result.exit_code == 0, result.output
    turn = json.loads(result.stdout)
    assert turn["refusal"]["category"] == "dose_change"
    again = runner.invoke(
        app,
        ["ask", "--patient", JOSUE, "--session", turn["session_id"], "--json", "am I allergic to anything?"],
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["session_id"] == turn["session_id"]


def test_ask_rejects_a_bad_language_and_an_unknown_session(runner: CliRunner) -> None:
    bad_lang = runner.invoke(app, ["ask", "--patient", EMERY, "--lang", "de", "hello"])
    assert bad_lang.exit_code == 2 and "--lang must be en or fr" in bad_lang.stderr
    unknown = runner.invoke(app, ["ask", "--patient", EMERY, "--session", "nope", "hello"])
    assert unknown.exit_code == 2 and "no session 'nope'" in unknown.stderr


def test_ask_with_a_missing_file_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ask", "--patient", str(tmp_path / "missing.json"), "hello"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.output


def test_chat_keeps_one_conversation_until_an_empty_line(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["chat", "--patient", EMERY, "--lang", "fr"], input="quels médicaments je prends ?\nmerci\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Hydrochlorothiazide" in result.stdout
    assert "Avec plaisir" in result.stdout


@pytest.fixture(scope="module")
def private_sandbox() -> Iterator[str]:
    """A clinic of our own: this test books, and the shared one must keep each patient as seeded."""
    from sandbox import Sandbox
    from tests.clocks import TODAY_TEXT

    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb.base_url


def test_booking_conversation_against_the_sandbox_books_only_after_yes(
    private_sandbox: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fhir_client import FhirClient

    sandbox_url = private_sandbox
    monkeypatch.setenv("HEALTH_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HEALTH_ASSISTANT_FHIR_URL", sandbox_url)
    runner = CliRunner()
    patient = "fhir:e916a083-8ee6-4df8-acbe-b711fa791253"  # Daisey Johns: nobody else books for her here

    def ask(message: str, session: str | None = None) -> dict[str, Any]:
        args = ["ask", "--patient", patient, "--json", message]
        if session:
            args[1:1] = ["--session", session]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def booked_count() -> int:
        with FhirClient(sandbox_url) as client:
            found = client.iter("Appointment", patient="Patient/e916a083-8ee6-4df8-acbe-b711fa791253")
            return sum(1 for r in found if r.get("status") == "booked")

    before = booked_count()
    offer = ask("I need an appointment next week in the morning")
    assert offer["actions"][0]["kind"] == "offer_slots"
    session = offer["session_id"]
    confirm = ask("the first one", session)
    assert confirm["actions"][0]["kind"] == "confirm_booking"
    assert booked_count() == before  # nothing booked before the yes
    done = ask("yes", session)
    assert done["actions"][0]["kind"] == "booked"
    assert booked_count() == before + 1
    assert done["actions"][0]["details"]["start"] == offer["actions"][0]["slots"][0]["start"]
