"""``health-assistant token issue|list|revoke`` against a real SQLite data directory and the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.auth import ApiTokenStore, TokenInvalid
from assistant.store import Database, sqlite_url
from health_assistant.cli import app
from sandbox import Sandbox
from tests.api.conftest import LIZ
from tests.clocks import frozen

pytestmark = pytest.mark.integration


def run(args: list[str], data_dir: Path, fhir_url: str) -> tuple[int, str, str]:
    env = {"HEALTH_ASSISTANT_DATA_DIR": str(data_dir), "HEALTH_ASSISTANT_FHIR_URL": fhir_url}
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_issue_list_revoke(tmp_path: Path, sandbox: Sandbox) -> None:
    code, out, err = run(
        ["token", "issue", "--patient", LIZ, "--expires-days", "2", "--json"], tmp_path, sandbox.base_url
    )
    assert code == 0, err
    issued = json.loads(out)
    assert issued["patient"] == LIZ and issued["token"].startswith(f"hat_{issued['id']}_")
    with Database(sqlite_url(tmp_path), clock=frozen) as db:
        assert ApiTokenStore(db).verify(issued["token"]).patient_id == LIZ

    code, out, _ = run(["token", "list", "--json"], tmp_path, sandbox.base_url)
    assert code == 0 and [(t["id"], t["state"]) for t in json.loads(out)] == [(issued["id"], "active")]
    assert issued["token"] not in out

    code, out, _ = run(["token", "revoke", issued["id"]], tmp_path, sandbox.base_url)
    assert code == 0 and "revoked" in out
    with Database(sqlite_url(tmp_path), clock=frozen) as db, pytest.raises(TokenInvalid, match="revoked"):
        ApiTokenStore(db).verify(issued["token"])
    assert run(["token", "revoke", "0123456789abcdef"], tmp_path, sandbox.base_url)[0] == 2


def test_issue_refuses_unknown_patients_and_unreachable_servers(tmp_path: Path, sandbox: Sandbox) -> None:
    code, _, err = run(["token", "issue", "--patient", "no-such-patient"], tmp_path, sandbox.base_url)
    assert code == 2 and "no Patient/no-such-patient" in err
    code, _, err = run(["token", "issue", "--patient", LIZ], tmp_path, "http://127.0.0.1:9/fhir")
    assert code == 3 and "cannot reach the FHIR server" in err
    code, _, err = run(["token", "issue", "--patient", "bad/id", "--no-check"], tmp_path, sandbox.base_url)
    assert code == 2 and "FHIR id" in err
