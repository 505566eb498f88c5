"""Paging: ``next`` links when the server gives them, ``_offset`` when it does not, and no endless loops."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fhir_fakes import BASE, FakeFhirServer, json_response, searchset

from fhir_client import FhirClient, FhirProtocolError, Search


def observations(n: int, patient: str = "Patient/p1") -> list[dict[str, Any]]:
    return [
        {
            "resourceType": "Observation",
            "id": f"o{i}",
            "status": "final",
            "code": {"text": "x"},
            "subject": {"reference": patient},
        }
        for i in range(n)
    ]


def ids(resources: Any) -> list[str]:
    return [r["id"] for r in resources]


def offsets(server: FakeFhirServer) -> list[str | None]:
    return [r.url.params.get("_offset") for r in server.requests]


@pytest.mark.parametrize("next_links", [True, False], ids=["next-links", "offset-fallback"])
def test_search_all_gets_every_page_in_order(next_links: bool) -> None:
    server = FakeFhirServer(observations(23), next_links=next_links)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        results = fhir.search_all(Search("Observation").where(subject="Patient/p1").count(10))
    assert ids(results) == [f"o{i}" for i in range(23)]
    assert results.pages == 3
    assert results.total == 23
    assert offsets(server) == [None, "10", "20"]
    # Every page repeats the original criteria.
    assert all(r.url.params.get("subject") == "Patient/p1" for r in server.requests)


def test_offset_fallback_stops_on_total_even_when_the_last_page_is_full() -> None:
    server = FakeFhirServer(observations(20))
    with FhirClient(BASE, transport=server.transport()) as fhir:
        results = fhir.search_all(Search("Observation").count(10))
    assert len(results) == 20
    assert len(server.requests) == 2  # no third, empty request: total said 20


def test_offset_fallback_without_total_continues_while_pages_are_full() -> None:
    server = FakeFhirServer(observations(20), with_total=False)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        results = fhir.search_all(Search("Observation").count(10))
    assert len(results) == 20
    assert offsets(server) == [None, "10", "20"]  # the third page comes back empty and ends it


def test_offset_fallback_without_total_or_count_infers_the_servers_page_size() -> None:
    server = FakeFhirServer(observations(45), with_total=False, default_count=20)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        results = fhir.search_all("Observation")
    assert len(results) == 45
    assert offsets(server) == [None, "20", "40"]


def test_a_server_capping_count_below_the_request_is_still_read_in_full_thanks_to_total() -> None:
    server = FakeFhirServer(observations(30))

    def capped(request: httpx.Request) -> httpx.Response:
        params = [(k, "7" if k == "_count" else v) for k, v in request.url.params.multi_items()]
        return server.handle(httpx.Request("GET", request.url.copy_with(params=params)))

    with FhirClient(BASE, transport=httpx.MockTransport(capped)) as fhir:
        results = fhir.search_all(Search("Observation").count(100))
    assert ids(results) == [f"o{i}" for i in range(30)]


def test_offset_paging_can_be_switched_off() -> None:
    server = FakeFhirServer(observations(23))
    with FhirClient(BASE, transport=server.transport(), offset_paging=False) as fhir:
        results = fhir.search_all(Search("Observation").count(10))
    assert len(results) == 10
    assert len(server.requests) == 1


def test_iter_is_lazy_and_yields_each_resource_once() -> None:
    server = FakeFhirServer(observations(25))
    with FhirClient(BASE, transport=server.transport()) as fhir:
        it = fhir.iter(Search("Observation").count(10))
        first = next(it)
        assert first["id"] == "o0"
        assert len(server.requests) == 1
        rest = list(it)
    assert len(rest) == 24
    assert len(server.requests) == 3


def test_iter_pages_exposes_each_page() -> None:
    server = FakeFhirServer(observations(12), next_links=True)
    with FhirClient(BASE, transport=server.transport()) as fhir:
        pages = list(fhir.iter_pages(Search("Observation").count(5)))
    assert [len(p) for p in pages] == [5, 5, 2]
    assert pages[0].next_url is not None and pages[-1].next_url is None


def test_next_links_are_followed_on_our_own_origin_only() -> None:
    """A proxied server may write its internal host in links; credentials must not go there."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if "page=2" in str(request.url):
            return json_response(200, searchset(observations(1)))
        return json_response(
            200, searchset(observations(1), next_url="http://internal:8080/fhir/R4/Observation?page=2")
        )

    with FhirClient(BASE, transport=httpx.MockTransport(handler), token="secret") as fhir:
        fhir.search_all("Observation")
    assert seen == [f"{BASE}/Observation", f"{BASE}/Observation?page=2"]


def test_relative_next_links_resolve_against_the_base() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if "page=2" in str(request.url):
            return json_response(200, searchset([]))
        return json_response(200, searchset(observations(1), next_url="Observation?page=2"))

    with FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        fhir.search_all("Observation")
    assert seen[1] == f"{BASE}/Observation?page=2"


def test_next_links_going_round_in_a_circle_are_an_error_not_an_endless_loop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        following = 2 if page == 1 else 1  # page 2 links back to page 1
        return json_response(200, searchset(observations(1), next_url=f"{BASE}/Observation?page={following}"))

    with (
        FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir,
        pytest.raises(FhirProtocolError) as info,
    ):
        fhir.search_all("Observation")
    assert "next links go round in a circle" in str(info.value)


def test_a_server_ignoring_offset_is_detected() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(200, searchset(observations(10), total=50))

    with (
        FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir,
        pytest.raises(FhirProtocolError) as info,
    ):
        fhir.search_all(Search("Observation").count(10))
    assert "sent the same results again for _offset=10" in str(info.value)


def test_max_pages_bounds_a_search() -> None:
    server = FakeFhirServer(observations(50))
    with (
        FhirClient(BASE, transport=server.transport(), max_pages=3) as fhir,
        pytest.raises(FhirProtocolError) as info,
    ):
        fhir.search_all(Search("Observation").count(10))
    assert "more than 3 pages" in str(info.value)
    assert len(server.requests) == 3


def test_included_resources_are_gathered_once_across_pages() -> None:
    sched = {"resourceType": "Schedule", "id": "sc1", "actor": [{"reference": "Practitioner/x"}]}
    slots = [
        {"resourceType": "Slot", "id": f"s{i}", "schedule": {"reference": "Schedule/sc1"}} for i in range(4)
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        page = slots[offset : offset + 2]
        entries = [{"resource": s, "search": {"mode": "match"}} for s in page]
        entries.append({"resource": sched, "search": {"mode": "include"}})
        return json_response(
            200, {"resourceType": "Bundle", "type": "searchset", "total": 4, "entry": entries}
        )

    with FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        results = fhir.search_all(Search("Slot").include("Slot:schedule").count(2))
    assert ids(results) == ["s0", "s1", "s2", "s3"]
    assert list(results.included) == ["Schedule/sc1"]


def test_history_follows_next_links_and_keeps_every_version() -> None:
    versions = [{"resourceType": "Slot", "id": "s1", "meta": {"versionId": str(v)}} for v in (3, 2, 1)]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/fhir/R4/Slot/s1/_history"
        page = int(request.url.params.get("page", "0"))
        body = {
            "resourceType": "Bundle",
            "type": "history",
            "entry": [{"resource": v} for v in versions[page * 2 : page * 2 + 2]],
        }
        if page == 0:
            body["link"] = [{"relation": "next", "url": f"{BASE}/Slot/s1/_history?page=1"}]
        return json_response(200, body)

    with FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        history = fhir.history("Slot/s1", count=2)
    # History entries share Type/id across versions: all are kept.
    assert [v["meta"]["versionId"] for v in history] == ["3", "2", "1"]
    assert history.pages == 2


def test_history_does_not_page_by_offset() -> None:
    """``_offset`` is no history parameter; servers ignore it there, so asking would repeat page one."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        entries = [
            {"resource": {"resourceType": "Slot", "id": "s1", "meta": {"versionId": str(v)}}} for v in (1, 2)
        ]
        return json_response(200, {"resourceType": "Bundle", "type": "history", "entry": entries})

    with FhirClient(BASE, transport=httpx.MockTransport(handler)) as fhir:
        assert len(fhir.history("Slot", "s1")) == 2
    assert calls == [f"{BASE}/Slot/s1/_history"]
