"""What the client puts on the wire for each interaction, and what it reads back from the answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.slot import Slot
from fhir_fakes import BASE, json_response

from fhir_client import FhirClient, FhirProtocolError, Search, entry_results, etag_for, token

SLOT: dict[str, Any] = {
    "resourceType": "Slot",
    "id": "s1",
    "meta": {"versionId": "3"},
    "schedule": {"reference": "Schedule/a"},
    "status": "free",
    "start": "2026-12-01T09:00:00Z",
    "end": "2026-12-01T09:30:00Z",
}


class Recorder:
    """Answers every request with one canned response and keeps the requests."""

    def __init__(self, status: int = 200, body: Any = SLOT, headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return json_response(self.status, self.body, self.headers)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def client(self, **kwargs: Any) -> FhirClient:
        return FhirClient(BASE, transport=httpx.MockTransport(self), **kwargs)


def test_read_accepts_type_and_id_or_a_reference_and_asks_for_fhir_json() -> None:
    rec = Recorder(headers={"ETag": 'W/"3"', "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT"})
    with rec.client() as fhir:
        a = fhir.read("Slot", "s1")
        b = fhir.read("Slot/s1")
    assert [str(r.url) for r in rec.requests] == [f"{BASE}/Slot/s1"] * 2
    assert rec.last.method == "GET"
    assert rec.last.headers["Accept"] == "application/fhir+json"
    assert a == b
    assert a.resource == SLOT
    assert a.version_id == "3"
    assert a.etag == 'W/"3"'
    assert a.reference == "Slot/s1"
    assert a.last_modified == "Mon, 23 Nov 2026 10:00:00 GMT"
    assert a.model(Slot).status == "free"


def test_ids_that_could_escape_the_resource_path_are_refused_before_sending() -> None:
    rec = Recorder()
    with rec.client() as fhir:
        for bad in ("../Patient/other", "a/b", "x?y=1", "", "a" * 65):
            with pytest.raises(ValueError):
                fhir.read("Patient", bad)
        with pytest.raises(ValueError):
            fhir.read("patient/x")
        with pytest.raises(ValueError):
            fhir.read("Patient")
    assert rec.requests == []


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="not an http"):
        FhirClient("ftp://example.org/fhir")
    with pytest.raises(ValueError, match="either token= or auth="):
        FhirClient(BASE, token="t", auth=httpx.BasicAuth("a", "b"))


def test_vread_uses_the_history_path() -> None:
    rec = Recorder()
    with rec.client() as fhir:
        fhir.vread("Slot", "s1", "2")
    assert str(rec.last.url) == f"{BASE}/Slot/s1/_history/2"


def test_search_sends_the_builder_params_in_order_and_splits_matches_from_includes() -> None:
    schedule = {"resourceType": "Schedule", "id": "a", "actor": [{"reference": "Practitioner/p"}]}
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [
            {"resource": SLOT, "search": {"mode": "match"}},
            {"resource": schedule, "search": {"mode": "include"}},
            {
                "resource": {
                    "resourceType": "OperationOutcome",
                    "issue": [{"severity": "warning", "code": "x", "diagnostics": "slow"}],
                },
                "search": {"mode": "outcome"},
            },
        ],
    }
    rec = Recorder(body=bundle)
    query = Search("Slot").where(status="free", service_type=token("http://snomed.info/sct", "394814009"))
    with rec.client() as fhir:
        page = fhir.search(query.include("Slot:schedule").count(10))
    assert rec.last.url.path == "/fhir/R4/Slot"
    assert rec.last.url.query.decode() == (
        "status=free&service-type=http%3A%2F%2Fsnomed.info%2Fsct%7C394814009&_include=Slot%3Aschedule&_count=10"
    )
    assert page.resources == (SLOT,)
    assert page.included == (schedule,)
    assert [i.diagnostics for i in page.issues] == ["slow"]
    assert page.total == 1
    assert [s.id for s in page.models(Slot)] == ["s1"]


def test_search_accepts_a_type_with_keywords_or_a_query_string() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "searchset"})
    with rec.client() as fhir:
        fhir.search("Observation", subject="Patient/p1", _count=5)
        fhir.search("Observation?subject=Patient%2Fp1&_count=5")
    first, second = rec.requests
    assert first.url == second.url
    assert first.url.params.multi_items() == [("subject", "Patient/p1"), ("_count", "5")]


def test_interleaved_repeated_parameters_keep_their_order_on_the_wire() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "searchset"})
    query = (
        Search("Slot")
        .date_ge("2026-12-01", param="start")
        .where(status="free")
        .date_lt("2026-12-08", param="start")
    )
    with rec.client() as fhir:
        fhir.search(query)
    assert rec.last.url.query.decode() == "start=ge2026-12-01&status=free&start=lt2026-12-08"


def test_search_by_post_sends_a_form_to_underscore_search() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "searchset"})
    with rec.client() as fhir:
        fhir.search(Search("Observation").where(code="a|b"), post=True)
    assert rec.last.method == "POST"
    assert str(rec.last.url) == f"{BASE}/Observation/_search"
    assert rec.last.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert rec.last.content == b"code=a%7Cb"


def test_create_posts_fhir_json_and_reads_location_and_version() -> None:
    new = {**SLOT, "id": "new1", "meta": {"versionId": "1"}}
    rec = Recorder(
        status=201, body=new, headers={"Location": f"{BASE}/Slot/new1/_history/1", "ETag": 'W/"1"'}
    )
    unsaved = {k: v for k, v in SLOT.items() if k not in ("id", "meta")}
    with rec.client() as fhir:
        result = fhir.create(unsaved)
    assert rec.last.method == "POST"
    assert str(rec.last.url) == f"{BASE}/Slot"
    assert rec.last.headers["Content-Type"] == "application/fhir+json"
    assert json.loads(rec.last.content) == unsaved
    assert "If-None-Exist" not in rec.last.headers
    assert result.created
    assert result.reference == "Slot/new1"
    assert result.version_id == "1"


def test_create_accepts_a_typed_model() -> None:
    rec = Recorder(status=201)
    with rec.client() as fhir:
        fhir.create(Slot.model_validate(SLOT))
    assert json.loads(rec.last.content) == SLOT


def test_conditional_create_sends_if_none_exist_and_reports_a_match_as_not_created() -> None:
    rec = Recorder(status=200)
    with rec.client() as fhir:
        r1 = fhir.create(SLOT, if_none_exist=Search("Slot").where(identifier=token("urn:clinic", "slot-1")))
        fhir.create(SLOT, if_none_exist="Slot?identifier=urn%3Aclinic%7Cslot-1")
        fhir.create(SLOT, if_none_exist={"identifier": token("urn:clinic", "slot-1")})
    assert [r.headers["If-None-Exist"] for r in rec.requests] == ["identifier=urn%3Aclinic%7Cslot-1"] * 3
    assert not r1.created
    with rec.client() as fhir, pytest.raises(ValueError, match="search is on Patient, the resource is Slot"):
        fhir.create(SLOT, if_none_exist=Search("Patient").where(identifier="x"))


def test_update_puts_to_the_id_with_if_match_as_a_weak_etag() -> None:
    rec = Recorder(headers={"ETag": 'W/"4"'}, body={**SLOT, "meta": {"versionId": "4"}})
    with rec.client() as fhir:
        result = fhir.update(SLOT, if_match="3")
        fhir.update(SLOT, if_match='W/"3"')
        fhir.update(SLOT)
    first, second, third = rec.requests
    assert first.method == "PUT"
    assert str(first.url) == f"{BASE}/Slot/s1"
    assert first.headers["If-Match"] == 'W/"3"'
    assert second.headers["If-Match"] == 'W/"3"'
    assert "If-Match" not in third.headers
    assert result.version_id == "4"
    with rec.client() as fhir, pytest.raises(ValueError, match="needs its id"):
        fhir.update({"resourceType": "Slot"})


def test_etag_helper() -> None:
    assert etag_for("7") == 'W/"7"'
    assert etag_for('W/"7"') == 'W/"7"'


def test_patch_sends_json_patch() -> None:
    rec = Recorder()
    ops = [{"op": "replace", "path": "/status", "value": "busy"}]
    with rec.client() as fhir:
        fhir.patch("Slot", "s1", ops, if_match="3")
    assert rec.last.method == "PATCH"
    assert str(rec.last.url) == f"{BASE}/Slot/s1"
    assert rec.last.headers["Content-Type"] == "application/json-patch+json"
    assert rec.last.headers["If-Match"] == 'W/"3"'
    assert json.loads(rec.last.content) == ops
    with rec.client() as fhir, pytest.raises(ValueError, match="list of operations"):
        fhir.patch("Slot", "s1", {"op": "replace"})  # type: ignore[arg-type]


def test_delete_with_an_empty_answer() -> None:
    rec = Recorder(status=204, body=None)

    def empty(request: httpx.Request) -> httpx.Response:
        rec.requests.append(request)
        return httpx.Response(204)

    with FhirClient(BASE, transport=httpx.MockTransport(empty)) as fhir:
        result = fhir.delete("Slot/s1")
    assert rec.last.method == "DELETE"
    assert str(rec.last.url) == f"{BASE}/Slot/s1"
    assert result.status == 204
    assert result.resource is None


def test_transaction_posts_to_the_base_and_entry_results_read_the_answer() -> None:
    answer = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {"response": {"status": "201 Created", "location": "Appointment/a1/_history/1", "etag": 'W/"1"'}},
            {
                "response": {
                    "status": "412 Precondition Failed",
                    "outcome": {
                        "resourceType": "OperationOutcome",
                        "issue": [{"severity": "error", "code": "conflict", "diagnostics": "stale"}],
                    },
                }
            },
        ],
    }
    rec = Recorder(body=answer)
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": SLOT, "request": {"method": "PUT", "url": "Slot/s1"}}],
    }
    with rec.client() as fhir:
        result = fhir.transaction(bundle)
        fhir.batch({"resourceType": "Bundle", "type": "batch", "entry": []})
    tx, batch = rec.requests
    assert tx.method == "POST" and str(tx.url) == BASE
    assert json.loads(tx.content)["type"] == "transaction"
    assert json.loads(batch.content)["type"] == "batch"
    assert result.resource is not None
    first, second = entry_results(result.resource)
    assert (first.status, first.location, first.etag, first.ok) == (
        201,
        "Appointment/a1/_history/1",
        'W/"1"',
        True,
    )
    assert (second.status, second.ok, second.issues[0].diagnostics) == (412, False, "stale")
    with rec.client() as fhir, pytest.raises(ValueError, match="send it with batch"):
        fhir.transaction({"resourceType": "Bundle", "type": "batch"})


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({}, f"{BASE}/$export"),
        ({"resource_type": "Slot"}, f"{BASE}/Slot/$export"),
        ({"resource_type": "Patient", "resource_id": "p1"}, f"{BASE}/Patient/p1/$export"),
    ],
)
def test_operation_url_shapes(kwargs: dict[str, str], url: str) -> None:
    rec = Recorder(body={"resourceType": "Parameters"})
    with rec.client() as fhir:
        fhir.operation("export", method="GET", **kwargs)
        fhir.operation("$export", **kwargs)
    get, post = rec.requests
    assert (get.method, str(get.url)) == ("GET", url)
    assert (post.method, str(post.url)) == ("POST", url)


def test_operation_get_puts_simple_parameters_in_the_query() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "searchset"})
    with rec.client() as fhir:
        fhir.operation(
            "everything",
            resource_type="Patient",
            resource_id="p1",
            method="GET",
            parameters={"_count": 10, "start": "2020"},
        )
    assert rec.last.url.params.multi_items() == [("_count", "10"), ("start", "2020")]
    with rec.client() as fhir, pytest.raises(ValueError, match="with method='POST'"):
        fhir.operation("validate", method="GET", parameters={"resourceType": "Parameters"})


def test_operation_post_wraps_plain_values_as_parameters() -> None:
    rec = Recorder(body={"resourceType": "Bundle", "type": "searchset"})
    with rec.client() as fhir:
        fhir.operation(
            "find",
            resource_type="Appointment",
            parameters={
                "service-type": "cardiology",
                "count": 3,
                "urgent": False,
                "slot": {"valueReference": {"reference": "Slot/s1"}},
                "appointment": {"resourceType": "Appointment", "status": "proposed"},
                "tag": ["a", "b"],
            },
        )
    assert rec.last.headers["Content-Type"] == "application/fhir+json"
    assert json.loads(rec.last.content) == {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "service-type", "valueString": "cardiology"},
            {"name": "count", "valueInteger": 3},
            {"name": "urgent", "valueBoolean": False},
            {"name": "slot", "valueReference": {"reference": "Slot/s1"}},
            {"name": "appointment", "resource": {"resourceType": "Appointment", "status": "proposed"}},
            {"name": "tag", "valueString": "a"},
            {"name": "tag", "valueString": "b"},
        ],
    }


def test_operation_post_passes_a_ready_parameters_resource_through() -> None:
    rec = Recorder(body={"resourceType": "Parameters"})
    params = {"resourceType": "Parameters", "parameter": [{"name": "x", "valueCode": "y"}]}
    with rec.client() as fhir:
        fhir.operation("$book", resource_type="Appointment", parameters=params)
    assert json.loads(rec.last.content) == params
    with rec.client() as fhir, pytest.raises(ValueError, match="not an operation name"):
        fhir.operation("../x")


def test_token_shortcut_sends_a_bearer_header_and_custom_headers_are_kept() -> None:
    rec = Recorder()
    with rec.client(token="abc123", headers={"X-Request-Id": "r1"}) as fhir:
        fhir.read("Slot/s1")
    assert rec.last.headers["Authorization"] == "Bearer abc123"
    assert rec.last.headers["X-Request-Id"] == "r1"


def test_typed_parse_of_an_invalid_resource_names_type_id_and_field() -> None:
    rec = Recorder(body={**SLOT, "start": "not a date"})
    with rec.client() as fhir:
        result = fhir.read("Slot/s1")
    with pytest.raises(FhirProtocolError, match=r"Slot/s1: field 'start' is not valid FHIR R4"):
        result.model(Slot)
    rec2 = Recorder(body={"resourceType": "Patient", "id": "p"})
    with rec2.client() as fhir:
        wrong = fhir.read("Slot/s1")
    with pytest.raises(FhirProtocolError, match="expected a Slot, the server sent a Patient"):
        wrong.model(Slot)
