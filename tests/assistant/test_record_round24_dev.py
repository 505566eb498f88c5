"""Record questions from round-23 development (dev data), answered through whole turns on real records:

- a vaccine list gives the date of every dose of a short series (a vaccination card asks for each), and the
  last date only for a long one;
- "ma mère a 80 ans passés…" on the record of a woman of 73 asks about the open record (a mother cannot be
  so close in age to her child); "my mum is 95" on it is the writer's own mother, someone else.

Every sentence here is written for the test, in English and French.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.guardrails import Guard
from assistant.schemas import RefusalCategory, Turn
from assistant.store import SessionStore, sqlite_url
from fhir_client import load_bundle_file

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def ask(tmp_path: Path, patient: str, text: str, lang: str = "en") -> Turn:
    bot = Assistant(
        record=load_bundle_file(next(DATA.glob(f"{patient}_*.json"))),
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
    )
    return bot.respond(bot.new_session(lang), text, language=lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang", "first", "second"),
    [
        (
            "could you list all the vaccines my son has had, with the dates?",
            "en",
            "20 October 2020",
            "24 November 2020",
        ),
        (
            "vous pouvez me donner tous les vaccins de mon fils avec les dates ?",
            "fr",
            "le 20 octobre 2020",
            "le 24 novembre 2020",
        ),
    ],
)
def test_a_short_series_is_listed_with_every_dose_date(
    tmp_path: Path, text: str, lang: str, first: str, second: str
) -> None:
    turn = ask(tmp_path, "Luigi_Wiegand", text, lang)
    assert first in turn.text and second in turn.text, turn.text
    assert len(turn.citations) == 12, turn.citations


def test_a_long_series_keeps_the_last_date_only(tmp_path: Path) -> None:
    turn = ask(tmp_path, "Josue_Sipes", "can you list all my vaccinations?")
    flu = next(
        line for line in turn.text.splitlines() if "influenza" in line.lower() or "flu" in line.lower()
    )
    assert "the last on" in flu, flu


def test_a_mother_too_close_in_age_to_be_the_patients_mother_gets_the_open_record(tmp_path: Path) -> None:
    turn = ask(
        tmp_path,
        "Martina_Murazik",
        "Ma mère a 80 ans passés, est-ce qu'elle a déjà eu le vaccin contre la pneumonie ? Le pharmacien demande.",
        "fr",
    )
    assert turn.refusal is None, turn.text
    assert any(c.resource.startswith("Immunization/") for c in turn.citations), turn.text


def test_a_mother_old_enough_is_someone_else(tmp_path: Path) -> None:
    turn = ask(
        tmp_path,
        "Martina_Murazik",
        "Ma mère a 97 ans, est-ce qu'elle a déjà eu le vaccin contre la pneumonie ? Le pharmacien demande.",
        "fr",
    )
    assert turn.refusal is not None and turn.refusal.category is RefusalCategory.OTHER_PATIENT, turn.text
