"""Record answers from round-24 development (dev data), through whole turns on real records:

- the note written with a result (Observation.note: "Above stated goal of 7.0 %") is quoted beside the
  value when its meaning is asked: it may hold the target the patient's team set;
- a value asked of a procedure in a year ("what did my breathing test give in 2018?") is the result the
  procedure measures (FEV1/FVC) in that year, not the date of the latest test;
- the last visit asked beside an illness told as background is the latest visit of all.

Every sentence here is written for the test, in English and French.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.guardrails import Guard
from assistant.schemas import Turn
from assistant.store import SessionStore, sqlite_url
from fhir_client import load_bundle_file

ROOT = Path(__file__).resolve().parents[2] / "data"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def ask(tmp_path: Path, bundle: Path, text: str, lang: str = "en") -> Turn:
    bot = Assistant(
        record=load_bundle_file(bundle),
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
    )
    return bot.respond(bot.new_session(lang), text, language=lang)  # type: ignore[arg-type]


def synthea(patient: str) -> Path:
    return next((ROOT / "synthea").glob(f"{patient}_*.json"))


@pytest.mark.parametrize(
    ("text", "lang", "quoted"),
    [
        ("what does my latest a1c mean, is it normal?", "en", "“Above stated goal of 7.0 %.”"),
        ("mon hémoglobine glyquée, c'est normal ?", "fr", "« Above stated goal of 7.0 %. »"),
    ],
)
def test_the_note_written_with_a_result_is_quoted(tmp_path: Path, text: str, lang: str, quoted: str) -> None:
    turn = ask(tmp_path, ROOT / "realworld" / "IPS_IG-bundle-01.json", text, lang)
    assert quoted in turn.text, turn.text


def test_a_result_without_a_note_says_none(tmp_path: Path) -> None:
    turn = ask(tmp_path, synthea("Emery_Purdy"), "what does my latest a1c mean, is it normal?")
    assert "note written with this result" not in turn.text, turn.text


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("what did my breathing test give in 2018?", "en", "was 53 % on 18 August 2018"),
        ("ma spirométrie de 2016, elle donnait quoi ?", "fr", "70,3 %"),
    ],
)
def test_a_procedures_value_in_a_year_is_what_it_measured(
    tmp_path: Path, text: str, lang: str, value: str
) -> None:
    turn = ask(tmp_path, synthea("Martina_Murazik"), text, lang)
    assert value in turn.text, turn.text
    assert any(c.resource.startswith("Observation/") for c in turn.citations), turn.citations


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("She has heart failure and she forgot her last appointment. When was it, and what for?", "en"),
        ("Elle a une insuffisance cardiaque et elle a oublié son dernier rendez-vous. C'était quand ?", "fr"),
    ],
)
def test_the_last_visit_beside_an_illness_is_the_latest_of_all(tmp_path: Path, text: str, lang: str) -> None:
    turn = ask(tmp_path, synthea("Martina_Murazik"), text, lang)
    assert turn.citations[0].resource == "Encounter/b0c03a21-8b4c-4c18-a1b9-3af6157a0881", turn.text
