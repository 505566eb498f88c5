"""A small in-memory FHIR server behind ``httpx.MockTransport``: the seam the client tests fake.

It implements just what the client relies on — read, search by reference/_id with ``_count``/``_offset``,
``total``, optional ``next`` links, ``/metadata`` — and records every request so tests can assert on
what was sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

BASE = "http://fhir.test/fhir/R4"
DATA = Path(__file__).resolve().parents[2] / "data" / "synthea"

# Where each search parameter of the fake looks in a resource.
REFERENCE_FIELDS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "subject": lambda r: [r.get("subject", {}).get("reference", "")],
    "patient": lambda r: [
        *(r.get(f, {}).get("reference", "") for f in ("patient", "subject", "beneficiary")),
        *(p.get("actor", {}).get("reference", "") for p in r.get("participant", [])),
    ],
}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/fhir+json", **(headers or {})},
    )


def outcome(text: str, code: str = "processing", expression: list[str] | None = None) -> dict[str, Any]:
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": text}
    if expression:
        issue["expression"] = expression
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def searchset(
    resources: Iterable[dict[str, Any]], *, total: int | None = None, next_url: str | None = None
) -> dict[str, Any]:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }
    if total is not None:
        bundle["total"] = total
    if next_url:
        bundle["link"] = [{"relation": "next", "url": next_url}]
    return bundle


def server_resources(bundle_path: Path) -> list[dict[str, Any]]:
    """A Synthea bundle's resources as a server would hold them: urn:uuid references as ``Type/id``."""
    data = json.loads(bundle_path.read_text(encoding="utf-8"))
    urls = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in data["entry"]}
    text = json.dumps([e["resource"] for e in data["entry"]])
    text = re.sub(r'"(urn:uuid:[0-9a-f-]+)"', lambda m: json.dumps(urls.get(m.group(1), m.group(1))), text)
    resources: list[dict[str, Any]] = json.loads(text)
    return resources


class FakeFhirServer:
    """Serve ``resources`` the way a FHIR server would (optionally without ``total``, with ``next`` links)."""

    def __init__(
        self,
        resources: Iterable[dict[str, Any]] = (),
        *,
        with_total: bool = True,
        next_links: bool = False,
        default_count: int = 20,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.store: dict[str, dict[str, Any]] = {}
        for res in resources:
            self.store[f"{res['resourceType']}/{res['id']}"] = res
        self.with_total = with_total
        self.next_links = next_links
        self.default_count = default_count
        self.metadata = metadata
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = urlsplit(str(request.url)).path.removeprefix(urlsplit(BASE).path).strip("/")
        if request.method != "GET":
            return json_response(405, outcome("read-only fake"))
        if path == "metadata":
            if self.metadata is None:
                return json_response(404, outcome("no metadata"))
            return json_response(200, self.metadata)
        parts = path.split("/")
        if len(parts) == 2:
            res = self.store.get(path)
            if res is None:
                return json_response(404, outcome(f"{path} not found", "not-found"))
            return json_response(200, res)
        if len(parts) == 1:
            return self._search(parts[0], parse_qsl(request.url.query.decode(), keep_blank_values=True))
        return json_response(400, outcome("unsupported"))

    def _search(self, rtype: str, params: list[tuple[str, str]]) -> httpx.Response:
        matches = [r for k, r in self.store.items() if k.startswith(f"{rtype}/")]
        count, offset = self.default_count, 0
        for name, value in params:
            if name == "_count":
                count = int(value)
            elif name == "_offset":
                offset = int(value)
            elif name == "_id":
                ids = set(value.split(","))
                matches = [r for r in matches if r["id"] in ids]
            elif name in REFERENCE_FIELDS:
                matches = [r for r in matches if value in REFERENCE_FIELDS[name](r)]
            else:  # unknown parameters match nothing, as on Medplum
                matches = []
        page = matches[offset : offset + count]
        next_url = None
        if self.next_links and offset + count < len(matches):
            kept = [(k, v) for k, v in params if k != "_offset"]
            query = str(httpx.QueryParams([*kept, ("_offset", str(offset + count))]))
            next_url = f"{BASE}/{rtype}?{query}"
        return json_response(
            200, searchset(page, total=len(matches) if self.with_total else None, next_url=next_url)
        )
