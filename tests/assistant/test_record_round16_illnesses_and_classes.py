"""Record questions from round-15 development (dev data), answered through whole turns on real records:

- common illnesses the concept map did not know (pneumonia, acute bronchitis) are named in an "ever had"
  answer, found when the record holds them and said honestly absent when it does not;
- a medicine class ("statin") is looked up as a class: every statin by its ingredient name, and an honest
  "not in your record" instead of the whole medicine list;
- "did my father ever have…" / "mon père avait déjà eu…" / "il en a eu une ?": a relative named by a noun
  and the pluperfect of a life story ask whether it ever happened, so every date is given.

Every sentence here is written for the test (paraphrases of what patients write), in English and French.
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
from assistant.understanding.model import RecordQueryKind
from fhir_client import load_bundle_file
from retrieval import ConceptMap
from retrieval.model import Code
from tests.understanding.test_record_query import converse, query

DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def bundle(name: str) -> Path:
    return next(DATA.glob(f"{name}_*.json"))


def ask(tmp_path: Path, patient: str, text: str, lang: str = "en") -> Turn:
    bot = Assistant(
        record=load_bundle_file(bundle(patient)),
        store=SessionStore(sqlite_url(tmp_path), clock=lambda: NOW),
        guard=Guard.default(region="FR"),
        clock=lambda: NOW,
    )
    return bot.respond(bot.new_session(lang), text, language=lang)  # type: ignore[arg-type]


def conditions(patient: str, code: str) -> list[str]:
    entries = json.loads(bundle(patient).read_text(encoding="utf-8"))["entry"]
    return [
        f"Condition/{e['resource']['id']}"
        for e in entries
        if e["resource"]["resourceType"] == "Condition"
        and any(c.get("code") == code for c in e["resource"]["code"]["coding"])
    ]


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [
        ("my osteopath wants to know, did I ever get pneumonia?", "en", "pneumonia"),
        ("ai-je déjà eu une pneumonie d'après le dossier ?", "fr", "pneumonie"),
        ("est-ce que j'ai déjà fait une infection pulmonaire ?", "fr", "pneumonie"),
    ],
)
def test_an_illness_the_record_does_not_hold_is_named_in_an_honest_no(
    tmp_path: Path, text: str, lang: str, named: str
) -> None:
    turn = ask(tmp_path, "Lupe_Little", text, lang)
    low = turn.text.lower()
    assert named in low, turn.text
    assert "couldn't find" in low or "aucune trace" in low, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [("have I ever had bronchitis?", "en"), ("est-ce que j'ai déjà eu une bronchite ?", "fr")],
)
def test_acute_bronchitis_in_the_record_is_found_and_cited(tmp_path: Path, text: str, lang: str) -> None:
    gold = conditions("Emery_Purdy", "10509002")
    assert gold
    turn = ask(tmp_path, "Emery_Purdy", text, lang)
    assert set(gold) <= {c.resource for c in turn.citations}, turn.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how much statin do they have me on?", "en"),
        ("am I taking a statin at the moment?", "en"),
        ("je suis sous statine ? à quelle dose ?", "fr"),
    ],
)
def test_a_medicine_class_not_in_the_record_gets_an_honest_no_not_the_whole_list(
    tmp_path: Path, text: str, lang: str
) -> None:
    turn = ask(tmp_path, "Liz_Conn", text, lang)
    low = turn.text.lower()
    assert "statin" in low, turn.text
    assert "couldn't find" in low or "aucune trace" in low or "pas trouvé" in low, turn.text


@pytest.mark.parametrize(
    "display",
    ["Simvastatin 20 MG Oral Tablet", "atorvastatin 40 mg tablet", "Crestor 10 mg", "rosuvastatine 5 mg"],
)
def test_every_statin_belongs_to_the_class_by_its_name(display: str) -> None:
    cmap = ConceptMap.load()
    (statins,) = cmap.resolve("statins")
    assert cmap.entry_matches(statins, [Code(system="http://example.org/local", code="x")], display)


@pytest.mark.parametrize("display", ["Nystatin 100000 UNT/ML Oral Suspension", "Ecstatin cream"])
def test_a_name_that_only_ends_like_a_statin_is_not_one(display: str) -> None:
    cmap = ConceptMap.load()
    assert not cmap.entry_matches(cmap.resolve("statins")[0], [], display)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ma mère avait déjà eu une mammographie ?", "fr"),
        ("mon mari a déjà fait une coloscopie ? c'était quand ?", "fr"),
        ("on parlait de la coloscopie. il en a eu une ?", "fr"),
        ("did my father ever have a colonoscopy, and when?", "en"),
        ("has my wife ever had a mammogram?", "en"),
    ],
)
def test_a_relative_named_by_a_noun_or_the_pluperfect_asks_whether_it_ever_happened(
    text: str, lang: str
) -> None:
    *_, u = converse(text, lang=lang)
    assert query(u).kind is RecordQueryKind.EVER_HAD, query(u)


def test_every_colonoscopy_of_a_late_father_is_dated(tmp_path: Path) -> None:
    entries = json.loads(bundle("Vito_Feeney").read_text(encoding="utf-8"))["entry"]
    gold = {
        f"Procedure/{e['resource']['id']}"
        for e in entries
        if e["resource"]["resourceType"] == "Procedure"
        and any(c.get("code") == "73761001" for c in e["resource"]["code"]["coding"])
    }
    assert len(gold) >= 2
    turn = ask(tmp_path, "Vito_Feeney", "mon père avait déjà eu une coloscopie ? à quelles dates ?", "fr")
    assert gold <= {c.resource for c in turn.citations}, turn.text
