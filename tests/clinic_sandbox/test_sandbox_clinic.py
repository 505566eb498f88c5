"""The demo clinic as seeded: patients with the documented ids, a clinic with bookable slots."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from sandbox import Sandbox
from tests.clocks import NOW

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SYNTHEA = sorted((ROOT / "data" / "synthea").glob("*_*.json"))
PARIS = ZoneInfo("Europe/Paris")
ROLES_WANTED = {
    "general-practice",
    "nurse",
    "cardiology",
    "endocrinology-diabetes",
    "paediatrics",
    "mental-health",
    "telehealth",
}


def get_all(base: str, path: str) -> list[dict]:
    """Every resource of a search, following the server's own next links."""
    out: list[dict] = []
    url: str | None = f"{base}/{path}"
    while url:
        body = httpx.get(url, timeout=30).json()
        out.extend(e["resource"] for e in body.get("entry", []))
        url = next((link["url"] for link in body.get("link", []) if link["relation"] == "next"), None)
    return out


def test_every_shared_patient_is_there_under_the_uuid_of_its_file_name(sandbox_url: str) -> None:
    ids = {p["id"] for p in get_all(sandbox_url, "Patient?_count=100")}
    expected = {re.search(r"_([0-9a-f-]{36})\.json$", f.name).group(1) for f in SYNTHEA}  # type: ignore[union-attr]
    assert len(expected) == 12
    assert expected <= ids


def test_references_point_at_server_ids_not_urns(sandbox_url: str) -> None:
    josue = "7d27f180-98d6-456d-98c0-d91df32cd023"
    conditions = get_all(sandbox_url, f"Condition?subject=Patient/{josue}&_count=100")
    assert conditions, "Josue has conditions in his bundle"
    for cond in conditions:
        assert cond["subject"]["reference"] == f"Patient/{josue}"
        enc = cond["encounter"]["reference"]
        assert not enc.startswith("urn:")
        assert httpx.get(f"{sandbox_url}/{enc}", timeout=10).status_code == 200


def test_clinic_offers_each_kind_of_care_with_a_schedule(sandbox_url: str) -> None:
    services = get_all(sandbox_url, "HealthcareService?_count=50")
    codes = {s["type"][0]["coding"][0]["code"] for s in services}
    assert codes >= ROLES_WANTED
    roles = get_all(sandbox_url, "PractitionerRole?_count=50")
    role_codes = Counter(r["code"][0]["coding"][0]["code"] for r in roles)
    assert role_codes["nurse"] >= 1 and role_codes["doctor"] >= 6
    schedules = get_all(sandbox_url, "Schedule?_count=50")
    scheduled_roles = {
        a["reference"]
        for s in schedules
        for a in s["actor"]
        if a["reference"].startswith("PractitionerRole/")
    }
    assert scheduled_roles == {f"PractitionerRole/{r['id']}" for r in roles}
    for role in roles:
        practitioner = httpx.get(f"{sandbox_url}/{role['practitioner']['reference']}", timeout=10)
        assert practitioner.status_code == 200


def test_slots_are_future_working_day_15_or_30_minutes_in_paris_some_busy(sandbox: Sandbox) -> None:
    slots = get_all(sandbox.base_url, "Slot?_count=1000")
    assert len(slots) == sandbox.seed_info["slots"] > 1000
    now = NOW  # the session sandbox is seeded for the tests' fixed today
    horizon = now + dt.timedelta(days=31)
    for slot in slots:
        start = dt.datetime.fromisoformat(slot["start"])
        end = dt.datetime.fromisoformat(slot["end"])
        local = start.astimezone(PARIS)
        assert start.utcoffset() == local.utcoffset(), "published with the clinic's own offset"
        assert local.weekday() < 5, slot["id"]
        assert 7 <= local.hour < 21
        assert (end - start) in (dt.timedelta(minutes=15), dt.timedelta(minutes=30))
        assert now - dt.timedelta(minutes=5) < start < horizon
    busy = sum(s["status"] == "busy" for s in slots) / len(slots)
    assert 0.1 < busy < 0.3
    assert {s["status"] for s in slots} == {"free", "busy"}


def test_free_slots_search_by_service_and_date_returns_only_matches(sandbox_url: str) -> None:
    body = httpx.get(
        f"{sandbox_url}/Slot",
        params={
            "status": "free",
            "schedule": "Schedule/schedule-dr-julie-leroy",
            "_sort": "start",
            "_count": "5",
        },
        timeout=10,
    ).json()
    starts = [e["resource"]["start"] for e in body["entry"]]
    assert starts == sorted(starts) and len(starts) == 5
    assert all(e["resource"]["status"] == "free" for e in body["entry"])
    # Dr Leroy (diabetes) works on Tuesdays and Thursdays only.
    assert {dt.datetime.fromisoformat(s).weekday() for s in starts} <= {1, 3}


def test_seeding_again_creates_nothing_and_keeps_versions(sandbox: Sandbox) -> None:
    first_page = httpx.get(f"{sandbox.base_url}/Slot", params={"_count": "1"}, timeout=10).json()
    slot_id = first_page["entry"][0]["resource"]["id"]
    before = httpx.get(f"{sandbox.base_url}/Slot/{slot_id}", timeout=10).json()["meta"]["versionId"]
    result = sandbox.seed()
    assert sum(c["created"] for c in result["counts"].values()) == 0
    assert sum(c["existing"] for c in result["counts"].values()) > 7000
    after = httpx.get(f"{sandbox.base_url}/Slot/{slot_id}", timeout=10).json()["meta"]["versionId"]
    assert before == after


def test_seed_files_are_valid_json_with_documented_ids() -> None:
    clinic = json.loads((ROOT / "sandbox" / "clinic.json").read_text())
    service_ids = {s["id"] for s in clinic["services"]}
    assert {m["service"] for m in clinic["staff"]} <= service_ids
    assert {m["minutes"] for m in clinic["staff"]} <= {15, 30}


def test_slots_keep_local_hours_across_the_daylight_saving_change() -> None:
    # Europe/Paris moves to summer time on Sunday 2027-03-28: 09:00 stays 09:00 on the wall clock.
    with Sandbox(port=0, synthea_dir=None, today="2027-03-22") as sb:

        def first_start(day: str) -> str:
            body = httpx.get(
                f"{sb.base_url}/Slot",
                params={
                    "schedule": "Schedule/schedule-dr-claire-martin",
                    "start": [f"ge{day}T00:00:00+00:00", f"lt{day}T23:00:00+00:00"],
                    "_sort": "start",
                    "_count": "1",
                },
                timeout=10,
            ).json()
            return str(body["entry"][0]["resource"]["start"])

        assert first_start("2027-03-26") == "2027-03-26T08:30:00+01:00"
        assert first_start("2027-03-29") == "2027-03-29T08:30:00+02:00"
        assert sb.seed_info["patients"] == []
