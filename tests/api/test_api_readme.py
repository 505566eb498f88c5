"""The README's "Clinic API" examples, run as written: the token command, the curl session and the
Python client, against the API served over HTTP with its own sandbox."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import LiveApi

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def section_blocks() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Clinic API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, flags=re.S)


def test_readme_examples_run_as_written(private_clinic: LiveApi) -> None:
    blocks = section_blocks()
    assert [lang for lang, _ in blocks] == ["bash", "bash", "bash", "python"]
    start, token_cmd, curl, python = (code for _, code in blocks)
    assert "health-assistant serve --port 8000" in start and "export API=" in start

    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HEALTH_ASSISTANT_DATA_DIR": str(private_clinic.settings.data_dir),
        "HEALTH_ASSISTANT_FHIR_URL": private_clinic.settings.fhir_url,
        "API": private_clinic.url,
    }
    issued = subprocess.run(
        ["bash", "-ec", token_cmd + 'echo "$TOKEN"'], env=env, capture_output=True, text=True, timeout=120
    )
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("hat_") and "shown only once" in issued.stderr
    env["TOKEN"] = token

    ran = subprocess.run(["bash", "-ec", curl], env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout
    assert '"citations":[{"n":1,"resource":"Observation/' in out
    assert out.count("event: turn") == 1 and "event: delta" in out
    assert '"code":"4548-4"' in out
    assert '"created":true' in out and '"status":"booked"' in out
    assert '{"appointments":[{"id":"Appointment/' in out
    assert out.count('"kind":"booked"') == 1  # the booking buttons' confirm command

    client = subprocess.run(
        [sys.executable, "-c", python], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert client.returncode == 0, client.stderr
    lines = client.stdout.strip().splitlines()
    assert "['Observation/" in lines[0] and lines[0].rstrip().endswith("none")
    assert lines[-1].endswith("cancelled")
