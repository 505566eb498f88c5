"""The shared Synthea records for retrieval tests, and their raw JSON.

Expected values in these tests are read from the bundle JSON with the ``json`` module (``raw``), never from
the retrieval code under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fhir_client import PatientRecord, load_bundle_file

ROOT = Path(__file__).resolve().parents[2]
SYNTHEA = ROOT / "data" / "synthea"
Res = dict[str, Any]


def bundle_path(name: str) -> Path:
    return next(SYNTHEA.glob(f"{name}_*.json"))


@lru_cache(maxsize=16)
def raw_bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundle_path(name).read_text(encoding="utf-8"))
    return data


def raw(name: str, rtype: str, pred: Callable[[Res], bool] = lambda r: True) -> list[Res]:
    """Resources of one type from the bundle JSON, in file order."""
    return [e["resource"] for e in raw_bundle(name)["entry"] if e["resource"]["resourceType"] == rtype and pred(e["resource"])]  # fmt: skip


def ref(r: Res) -> str:
    return f"{r['resourceType']}/{r['id']}"


def has_code(field: str, code: str) -> Callable[[Res], bool]:
    return lambda r: any(c.get("code") == code for c in r.get(field, {}).get("coding", []))


@lru_cache(maxsize=16)
def record(name: str) -> PatientRecord:
    return load_bundle_file(bundle_path(name))
