"""`health-assistant ingest` and `search` through typer's CliRunner, with the index under a temporary DATA_DIR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from retrieval_data import bundle_path, raw, ref
from typer.testing import CliRunner

from health_assistant.cli import app
from retrieval import patient_key

LIZ = bundle_path("Liz_Conn")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"HEALTH_ASSISTANT_DATA_DIR": str(tmp_path / "data")}


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_indexes_and_reports_timings_then_resync_is_unchanged(env: dict[str, str]) -> None:
    code, out, err = run(["ingest", "--patient", str(LIZ), "--json"], env)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["total"] == len(json.loads(LIZ.read_text(encoding="utf-8"))["entry"])
    assert summary["index"]["added"] == summary["index"]["cards"] > 0
    assert set(summary["timings"]) == {"load", "cards", "embed", "index"}
    store = (
        Path(env["HEALTH_ASSISTANT_DATA_DIR"]) / "index" / patient_key(raw("Liz_Conn", "Patient")[0]["id"])
    )
    assert (store / "cards.json").is_file()
    code, out, err = run(["ingest", "--patient", str(LIZ)], env)
    assert code == 0, err
    assert "0 added, 0 updated, 0 removed" in out and "Timings (s): load" in out


def test_search_json_shape_and_ranked_hits(env: dict[str, str]) -> None:
    code, out, err = run(
        ["search", "--patient", str(LIZ), "--json", "-k", "3", "what is my blood pressure?"], env
    )
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"patient", "query", "filters", "hits", "seconds", "sync"}
    assert data["patient"] == ref(raw("Liz_Conn", "Patient")[0])
    assert data["filters"] == {"types": [], "since": None, "until": None, "k": 3}
    assert len(data["hits"]) == 3
    first = data["hits"][0]
    assert set(first) == {"id", "ref", "refs", "type", "kind", "title", "date", "score", "signals", "text"}
    assert first["signals"]["concept"] == 1.0 and "Blood pressure" in first["text"]
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)
    bp = {ref(r) for r in raw("Liz_Conn", "Observation") if r["code"]["coding"][0]["code"] == "55284-4"}
    assert first["ref"] in bp


def test_search_filters_by_type_and_date(env: dict[str, str]) -> None:
    args = [
        "search",
        "--patient",
        str(LIZ),
        "--json",
        "--type",
        "Immunization",
        "--since",
        "2016-01-01",
        "vaccine",
    ]
    code, out, err = run(args, env)
    assert code == 0, err
    hits = json.loads(out)["hits"]
    expected = {ref(r) for r in raw("Liz_Conn", "Immunization") if r["occurrenceDateTime"] >= "2016"}
    assert hits and {h["ref"] for h in hits if h["kind"] == "Immunization"} <= expected
    assert all(h["type"] == "Immunization" and h["date"] >= "2016-01-01" for h in hits)


def test_search_human_output_shows_scores_and_refs(env: dict[str, str]) -> None:
    code, out, err = run(["search", "--patient", str(LIZ), "ma tension"], env)
    assert code == 0, err
    assert out.startswith("1. [") and "refs: Observation/" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--patient", "/nonexistent/bundle.json", "x"], "bundle.json"),
        (["search", "--patient", str(LIZ), "--type", "Claim", "bills"], "unknown --type Claim"),
        (["search", "--patient", str(LIZ), "--since", "last year", "x"], "--since expects a date"),
        (["search", "--patient", str(LIZ), "   "], "query is empty"),
        (["search", "--patient", str(LIZ), "-k", "0", "x"], "-k must be between 1 and 100"),
        (["ingest", "--patient", "/nonexistent/bundle.json"], "bundle.json"),
    ],
)
def test_bad_input_exits_2_with_one_line_reason(env: dict[str, str], args: list[str], message: str) -> None:
    code, out, err = run(args, env)
    assert out == ""
    assert code == 2
    assert message in err and err.startswith("error:") and err.count("\n") == 1


def test_malformed_bundle_file_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"resourceType": "Bundle", "entry": [', encoding="utf-8")
    code, _, err = run(["search", "--patient", str(bad), "x"], env)
    assert code == 2 and "broken.json" in err


@pytest.mark.parametrize("name", ["IPS_IG-bundle-01", "AT_ELGA_GmbH_01", "US_MEDITECH_ips_2", "Lisandra920"])
def test_ingest_of_a_real_world_export_reports_how_every_shape_was_read(
    env: dict[str, str], name: str
) -> None:
    path = next((Path(__file__).resolve().parents[2] / "data" / "realworld").glob(f"{name}*.json"))
    code, out, err = run(["ingest", "--patient", str(path), "--json"], env)
    assert code == 0, err
    summary = json.loads(out)
    entries = json.loads(path.read_text(encoding="utf-8"))["entry"]
    assert summary["total"] + len(summary["skipped"]) == len(entries)  # nothing dropped without a word
    assert summary["not_read"] == {}  # every kept type is read by some answer
    for issue in [*summary["warnings"], *summary["notes"]]:
        assert issue["resource_type"] and issue["reason"]
    if name == "IPS_IG-bundle-01":
        assert any("no known food allergy" in n["reason"] for n in summary["notes"])
    if name == "Lisandra920":
        assert any("placeholder" in w["reason"] for w in summary["warnings"])
        assert any(
            w["resource_type"] == "DiagnosticReport" and w["field"] == "code" for w in summary["warnings"]
        )
