"""``health-assistant understand``: the Understanding of one message, as text or JSON, with a record and a
session; bad input gets a one-line error and exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from health_assistant.cli import app

ROOT = Path(__file__).resolve().parents[2]
DAISEY = next((ROOT / "data" / "synthea").glob("Daisey*.json"))
EMERY = next((ROOT / "data" / "synthea").glob("Emery_Purdy_*.json"))


def test_text_output_shows_findings_with_context_intents_with_entries_and_the_record_query() -> None:
    result = CliRunner().invoke(
        app, ["understand", "no fever but my chest is killing me. anyway, what was my last a1c?"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "fever (SCT:386661006, symptom) 'fever' — clause 0, subject 0, negated" in out
    assert "chest_pain" in out and "severity severe" in out
    assert "record_question 0.82 clause 3 ← record-how-much" in out
    assert "record query: latest" in out and "targets: hba1c" in out


def test_json_is_the_understanding_model() -> None:
    result = CliRunner().invoke(
        app, ["understand", "ma fille de 2 ans a 39,8 de fièvre", "--lang", "fr", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["language"] == "fr"
    assert data["vitals"][0]["kind"] == "temperature" and data["vitals"][0]["value"] == 39.8
    child = data["subjects"][data["vitals"][0]["subject"]]
    assert child["relation"] == "child" and child["age_years"] == 2


def test_with_a_childs_record_the_child_named_is_the_patient() -> None:
    result = CliRunner().invoke(
        app, ["understand", "--patient", str(DAISEY), "--json", "quels médicaments Daisey doit prendre ?"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["intents"][0]["kind"] == "record_question"
    assert data["record_query"]["categories"] == ["medications"]


def test_a_session_gives_the_follow_up_its_meaning(tmp_path: Path) -> None:
    env = {**os.environ, "HEALTH_ASSISTANT_DATA_DIR": str(tmp_path)}
    base = [sys.executable, "-m", "health_assistant.cli"]
    ask = subprocess.run(
        [*base, "ask", "--patient", str(EMERY), "--json", "what was my last a1c?"],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert ask.returncode == 0, ask.stderr
    session = json.loads(ask.stdout)["session_id"]
    follow = subprocess.run(
        [*base, "understand", "--patient", str(EMERY), "--session", session, "--json", "and the one before?"],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert follow.returncode == 0, follow.stderr
    query = json.loads(follow.stdout)["record_query"]
    assert (query["kind"], query["offset"], query["targets"], query["followup"]) == (
        "previous",
        1,
        ["hba1c"],
        True,
    )


def test_bad_input_is_one_line_and_exit_code_2() -> None:
    runner = CliRunner()
    for args in (
        ["understand", "   "],
        ["understand", "hi", "--lang", "de"],
        ["understand", "hi", "--session", "x"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert result.output.count("\n") == 1 and "error:" in result.output
