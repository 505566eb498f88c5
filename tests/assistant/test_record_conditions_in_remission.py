"""The list of health problems names the ones in remission (FHIR clinicalStatus "remission": no symptoms
now, may come back, still followed — a cancer in remission), apart from the ongoing ones and said as such, in
English and French; a resolved problem stays out of the list of current ones.

Sentences written for the test; the record is the HL7 IPS example (a breast cancer in remission).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.guardrails import Guard
from assistant.schemas import Turn
from assistant.store import SessionStore, sqlite_url
from fhir_client import load_bundle_file
from tests.assistant.test_record_round16_illnesses_and_classes import ask, bundle

IPS = Path(__file__).resolve().parents[2] / "data" / "realworld" / "IPS_IG-bundle-01.json"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _ask_ips(tmp_path: Path, text: str, lang: str) -> Turn:
    bot = Assistant(
        record=load_bundle_file(IPS),
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
    )
    return bot.respond(bot.new_session(lang), text, language=lang)  # type: ignore[arg-type]


def _conditions(path: Path, status: str) -> set[str]:
    entries = json.loads(path.read_text(encoding="utf-8"))["entry"]
    return {
        f"Condition/{e['resource']['id']}"
        for e in entries
        if e["resource"]["resourceType"] == "Condition"
        and status in json.dumps(e["resource"].get("clinicalStatus", {}))
    }


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("I'm seeing a new doctor soon, can you list my medical conditions?", "en", "in remission"),
        ("Pouvez-vous me lister les maladies notées dans mon dossier ?", "fr", "en rémission"),
    ],
)
def test_a_problem_in_remission_is_listed_and_said_so(
    tmp_path: Path, text: str, lang: str, said: str
) -> None:
    remission = _conditions(IPS, "remission")
    active = _conditions(IPS, "active")
    assert remission and active
    turn = _ask_ips(tmp_path, text, lang)
    cited = {c.resource for c in turn.citations}
    assert remission <= cited and active <= cited, turn.text
    assert said in turn.text.lower(), turn.text


def test_a_resolved_problem_is_not_listed_as_current(tmp_path: Path) -> None:
    resolved = _conditions(bundle("Lupe_Little"), "resolved")
    assert resolved
    turn = ask(tmp_path, "Lupe_Little", "can you list my medical conditions?", "en")
    assert turn.citations, turn.text
    assert not resolved & {c.resource for c in turn.citations}, turn.text
