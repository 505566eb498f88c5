"""The command names in DESIGN.md are a contract; commands not built yet must say so plainly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from health_assistant.cli import app

ROOT = Path(__file__).resolve().parents[2]
JOSUE = next((ROOT / "data" / "synthea").glob("Josue_Sipes_*.json"))
DESIGN_COMMANDS = ["sandbox", "ingest", "search", "ask", "chat", "triage", "serve", "token", "ui", "eval"]


def test_every_design_command_is_registered() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in DESIGN_COMMANDS:
        assert f" {name} " in result.output or f"│ {name}" in result.output, name


def test_ingest_json_counts_every_resource_with_nothing_dropped(tmp_path: Path) -> None:
    env = {**os.environ, "HEALTH_ASSISTANT_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "health_assistant.cli", "ingest", "--patient", str(JOSUE), "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    raw = json.loads(JOSUE.read_text(encoding="utf-8"))
    assert summary["total"] == len(raw["entry"]) == sum(summary["counts"].values())
    assert summary["counts"]["Observation"] == 662
    assert summary["skipped"] == []


def test_ingest_of_a_missing_file_is_bad_input_with_one_sentence(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "--patient", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output
