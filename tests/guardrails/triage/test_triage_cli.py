"""``health-assistant triage``: one message, --json (findings, protocol, criteria, questions), --batch JSON
lines (the same contract as before the protocols), records, a clinic's protocol directory, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from health_assistant.cli import app

ROOT = Path(__file__).resolve().parents[3]
LUIGI = next((ROOT / "data" / "synthea").glob("Luigi_Wiegand_*.json"))
LUIGI_ID = "e27d88b0-c5e5-4042-ad49-184f6a900ee3"


@pytest.fixture(autouse=True)
def _plain_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTH_ASSISTANT_TRIAGE_RULES_DIR", raising=False)
    monkeypatch.setenv("HEALTH_ASSISTANT_LOCALE", "fr-FR")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["triage", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_one_message_prints_level_number_protocol_and_advice() -> None:
    code, out, _ = run("I have crushing chest pain and I'm sweating")
    assert code == 0
    first, protocol = out.splitlines()[:2]
    assert first == "EMERGENCY — call 15"
    assert protocol.startswith("protocol: chest-pain (chest-pain-heart-attack")


def test_one_message_prints_the_questions_it_would_ask() -> None:
    code, out, _ = run("--lang", "en", "I have a headache and a fever")
    assert code == 0
    assert any(line.startswith("question (headache-stiff-neck): ") for line in out.splitlines())


def test_json_shows_findings_protocol_criteria_and_region() -> None:
    code, out, _ = run("--json", "--region", "US", "my baby is floppy and won't wake up")
    assert code == 0
    decision = json.loads(out)
    assert decision["level"] == "emergency" and decision["call"] == "911" and decision["language"] == "en"
    assert decision["protocol"] == "collapse" and decision["criteria"]
    assert {"floppy", "unresponsive"} <= {f["concept"] for f in decision["findings"]}
    assert all(f["person"].startswith("child") for f in decision["findings"])
    code, out, _ = run("--json", "What was my last HbA1c?")
    assert json.loads(out)["level"] == "none" and json.loads(out)["call"] is None
    code, out, _ = run("--json", "--lang", "en", "I've got a pain in my chest, no fever")
    asked = json.loads(out)
    assert asked["level"] == "urgent" and asked["questions"]
    assert {"concept": "fever", "person": "self", "status": "negated", "text": "fever"} in asked["findings"]


def test_batch_keeps_order_ids_and_languages() -> None:
    lines = [
        {"id": 1, "message": "my father had a stroke", "lang": "en"},
        {"id": "b", "message": "mon mari a le visage qui tombe d'un côté et il parle bizarrement"},
        {"id": "c", "message": "I have a cold", "lang": "fr"},
    ]
    code, out, _ = run("--batch", stdin="\n".join(json.dumps(x) for x in lines) + "\n\n")
    assert code == 0
    got = [json.loads(line) for line in out.splitlines()]
    assert [g["id"] for g in got] == [1, "b", "c"]
    assert set(got[0]) == {"id", "level", "rules", "advice", "call", "modifiers"}
    assert got[0]["level"] == "none"
    assert got[1]["level"] == "emergency" and got[1]["call"] == "15" and "AVC" in got[1]["advice"]
    assert got[2]["level"] == "self_care" and "rhume" in got[2]["advice"].lower()  # lang given: French advice


def test_batch_with_a_record_applies_its_modifiers() -> None:
    stdin = json.dumps({"id": "x", "message": "he has a temperature of 38.4", "lang": "en"})
    code, out, _ = run("--batch", "--patient", str(LUIGI), "--today", "2020-12-01", stdin=stdin)
    assert code == 0
    got = json.loads(out)
    assert got["level"] == "urgent"
    assert got["modifiers"][0]["id"] == "record-young-infant"
    assert got["modifiers"][0]["resource"].startswith("Patient/")


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        ([""], None, "the message is empty"),
        (["--lang", "de", "hello"], None, "language must be one of en, fr"),
        (["--today", "yesterday", "hello"], None, "--today expects a date"),
        (["--region", "France", "hello"], None, "two-letter country code"),
        (["--batch", "hello"], None, "not both"),
        (["--batch"], '{"id": 1, "message": "ok"}\nnot json\n', "stdin line 2: not JSON"),
        (["--batch"], '{"id": 1, "text": "ok"}\n', "unknown field 'text'"),
        (["--batch"], '{"message": "ok"}\n', "stdin line 1: missing 'id'"),
        (["--batch"], '{"id": 1, "message": "ok", "lang": "es"}\n', "stdin line 1: language must be"),
        (["x" * 4001], None, "the limit is 4000"),
        (["--patient", "/nope/missing.json", "hello"], None, "no such file"),
    ],
)
def test_bad_input_is_exit_2_with_one_line_and_no_partial_output(
    args: list[str], stdin: str | None, fragment: str
) -> None:
    code, out, err = run(*args, stdin=stdin)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err


def test_a_clinic_protocols_dir_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_ASSISTANT_TRIAGE_RULES_DIR", str(tmp_path))
    (tmp_path / "clinic.yaml").write_text("id: respiratory-infection\ndefault: soon\n", encoding="utf-8")
    code, out, _ = run("--json", "--lang", "en", "I have a cold")
    assert code == 0 and (json.loads(out)["level"], json.loads(out)["protocol"]) == (
        "soon",
        "respiratory-infection",
    )
    (tmp_path / "clinic.yaml").write_text("id: respiratory-infection\nenabled: false\n", encoding="utf-8")
    code, out, _ = run("--json", "--lang", "en", "I have a cold")
    assert code == 0 and json.loads(out)["protocol"] == "general"  # still a level, from the catch-all
    (tmp_path / "clinic.yaml").write_text("id: respiratory-infection\ndefault: whenever\n", encoding="utf-8")
    code, out, err = run("I have a cold")
    assert code == 2 and "clinic.yaml: protocol 'respiratory-infection': field 'default'" in err


@pytest.mark.integration
def test_a_patient_from_the_sandbox(sandbox_url: str) -> None:
    code, out, _ = run(
        "--json", "--patient", f"fhir:{LUIGI_ID}", "--fhir-url", sandbox_url, "--today", "2021-03-01",
        "he has a temperature of 39.4",
    )  # fmt: skip
    assert code == 0, out
    decision = json.loads(out)
    assert (decision["level"], decision["protocol"]) == ("urgent", "fever-infant")
    assert decision["modifiers"][0]["resource"] == f"Patient/{LUIGI_ID}"


def test_an_unreachable_fhir_server_is_exit_3() -> None:
    code, _, err = run("--patient", "fhir:abc", "--fhir-url", "http://127.0.0.1:9/fhir", "hello")
    assert code == 3 and err.strip().startswith("error:")
