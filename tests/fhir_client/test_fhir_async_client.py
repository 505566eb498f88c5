"""``AsyncFhirClient`` sends the same requests and raises the same errors as ``FhirClient``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fhir_fakes import BASE, FakeFhirServer, json_response, outcome
from joserfc.jwk import RSAKey

from fhir_client import (
    AsyncFhirClient,
    FhirClient,
    FhirNotFound,
    FhirPreconditionFailed,
    FhirProtocolError,
    FhirTransportError,
    Search,
    SmartBackendServicesAuth,
)
from tests.clocks import NOW

SLOT: dict[str, Any] = {"resourceType": "Slot", "id": "s1", "meta": {"versionId": "3"}, "status": "free"}


class Recorder:
    def __init__(self, status: int = 200, body: Any = SLOT) -> None:
        self.status, self.body = status, body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return json_response(self.status, self.body, {"ETag": 'W/"3"'})


def wire(request: httpx.Request) -> tuple[str, str, dict[str, str], bytes]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("user-agent",)}
    return request.method, str(request.url), headers, request.content


async def test_every_interaction_puts_the_same_request_on_the_wire() -> None:
    sync_rec, async_rec = Recorder(), Recorder()
    ops = [{"op": "replace", "path": "/status", "value": "busy"}]
    with FhirClient(BASE, token="t", transport=httpx.MockTransport(sync_rec)) as s:
        s.read("Slot/s1")
        s.vread("Slot", "s1", "2")
        s.create(SLOT, if_none_exist="identifier=a|b")
        s.update(SLOT, if_match="3")
        s.patch("Slot", "s1", ops, if_match="3")
        s.delete("Slot/s1")
        s.operation("book", resource_type="Appointment", parameters={"slot": "Slot/s1"})
        s.operation("everything", resource_type="Patient", resource_id="p1", method="GET")
    async with AsyncFhirClient(BASE, token="t", transport=httpx.MockTransport(async_rec)) as a:
        await a.read("Slot/s1")
        await a.vread("Slot", "s1", "2")
        await a.create(SLOT, if_none_exist="identifier=a|b")
        result = await a.update(SLOT, if_match="3")
        await a.patch("Slot", "s1", ops, if_match="3")
        await a.delete("Slot/s1")
        await a.operation("book", resource_type="Appointment", parameters={"slot": "Slot/s1"})
        await a.operation("everything", resource_type="Patient", resource_id="p1", method="GET")
    assert [wire(r) for r in async_rec.requests] == [wire(r) for r in sync_rec.requests]
    assert len(async_rec.requests) == 8
    assert result.version_id == "3"


async def test_transaction_batch_and_capabilities() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "transaction-response", "entry": []})
    async with AsyncFhirClient(BASE, transport=httpx.MockTransport(rec)) as fhir:
        await fhir.transaction({"resourceType": "Bundle", "entry": []})
        await fhir.batch({"resourceType": "Bundle", "entry": []})
    assert [json.loads(r.content)["type"] for r in rec.requests] == ["transaction", "batch"]

    statement = {
        "resourceType": "CapabilityStatement",
        "rest": [{"mode": "server", "resource": [{"type": "Slot", "interaction": [{"code": "read"}]}]}],
    }
    meta = Recorder(body=statement)
    async with AsyncFhirClient(BASE, transport=httpx.MockTransport(meta)) as fhir:
        caps = await fhir.capabilities()
        assert await fhir.capabilities() is caps
    assert caps.supports("Slot", "read")
    assert len(meta.requests) == 1


def observations(n: int) -> list[dict[str, Any]]:
    return [
        {"resourceType": "Observation", "id": f"o{i}", "subject": {"reference": "Patient/p1"}}
        for i in range(n)
    ]


@pytest.mark.parametrize("next_links", [True, False])
async def test_paging_matches_the_sync_client(next_links: bool) -> None:
    server = FakeFhirServer(observations(23), next_links=next_links)
    query = Search("Observation").where(subject="Patient/p1").count(10)
    async with AsyncFhirClient(BASE, transport=server.transport()) as fhir:
        gathered = await fhir.search_all(query)
        streamed = [r["id"] async for r in fhir.iter(query)]
        pages = [len(p) async for p in fhir.iter_pages(query)]
        one = await fhir.search(query)
    assert [r["id"] for r in gathered] == streamed == [f"o{i}" for i in range(23)]
    assert pages == [10, 10, 3]
    assert len(one) == 10


async def test_async_history_and_loop_guard() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(
            200,
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": 9,
                "entry": [{"resource": r} for r in observations(3)],
            },
        )

    async with AsyncFhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        with pytest.raises(FhirProtocolError, match="same results again"):
            await fhir.search_all(Search("Observation").count(3))
        assert len(await fhir.history("Observation")) == 3  # history never pages by offset


async def test_errors_map_the_same_way() -> None:
    async with AsyncFhirClient(BASE, transport=httpx.MockTransport(Recorder(412, outcome("stale")))) as fhir:
        with pytest.raises(FhirPreconditionFailed) as info:
            await fhir.update(SLOT, if_match="2")
    assert str(info.value) == (
        "updating Slot/s1 failed: it was changed by someone else since it was read (HTTP 412): stale; "
        "read it again and retry"
    )
    async with AsyncFhirClient(
        BASE, transport=httpx.MockTransport(Recorder(404, outcome("Not found")))
    ) as fhir:
        with pytest.raises(FhirNotFound, match="Slot/s1 does not exist"):
            await fhir.read("Slot/s1")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed")

    async with AsyncFhirClient(BASE, transport=httpx.MockTransport(refuse)) as fhir:
        with pytest.raises(FhirTransportError) as info2:
            await fhir.read("Slot/s1")
    assert (
        str(info2.value) == f"could not reach the FHIR server at {BASE}: connection refused — is it running?"
    )


async def test_smart_backend_auth_works_in_the_async_client() -> None:
    key = RSAKey.generate_key(2048)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == "http://auth.test/token":
            return httpx.Response(200, json={"access_token": "A1", "token_type": "Bearer", "expires_in": 300})
        seen.append(request.headers["Authorization"])
        return json_response(200, SLOT)

    auth = SmartBackendServicesAuth(
        "svc", key, token_endpoint="http://auth.test/token", clock=lambda: NOW.timestamp()
    )
    async with AsyncFhirClient(BASE, auth=auth, transport=httpx.MockTransport(handler)) as fhir:
        await fhir.read("Slot/s1")
        await fhir.read("Slot/s1")
    assert seen == ["Bearer A1", "Bearer A1"]
