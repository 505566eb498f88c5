"""Everything the sync and async clients share: building requests, reading answers, paging.

The two clients differ only in how they send (``httpx.Client`` or ``httpx.AsyncClient``); what a request
looks like, how an answer or a failure is interpreted and how to reach the next page live here once,
so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from fhir.resources.R4B.resource import Resource

from fhir_client.error_mapping import Action, error_for_response
from fhir_client.errors import FhirProtocolError
from fhir_client.models import to_json
from fhir_client.results import SearchPage, etag_for, reference_of
from fhir_client.search import Search, Value, encode_query, render_value

FHIR_JSON = "application/fhir+json"
JSON_PATCH = "application/json-patch+json"
FORM = "application/x-www-form-urlencoded"

_TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
_ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_OP_RE = re.compile(r"^\$?[A-Za-z][A-Za-z0-9\-_.]*$")


@dataclass(frozen=True)
class RequestSpec:
    """A request described independently of the client that will send it."""

    method: str
    url: str
    action: Action
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    content: bytes | None = None


def check_type(resource_type: str) -> str:
    if not isinstance(resource_type, str) or not _TYPE_RE.match(resource_type):
        raise ValueError(f"{resource_type!r} is not a FHIR resource type name")
    return resource_type


def check_id(resource_id: str) -> str:
    """Ids go into URL paths: anything but FHIR's id alphabet could reach another resource."""
    if not isinstance(resource_id, str) or not _ID_RE.match(resource_id):
        raise ValueError(f"{resource_id!r} is not a valid FHIR id (letters, digits, '-' and '.', up to 64)")
    return resource_id


def split_reference(resource_type: str, resource_id: str | None) -> tuple[str, str]:
    """Accept ``("Patient", "x")`` or ``("Patient/x",)``."""
    if resource_id is None:
        rtype, sep, rid = resource_type.partition("/")
        if not sep:
            raise ValueError(f"{resource_type!r} is not a Type/id reference")
        return check_type(rtype), check_id(rid)
    return check_type(resource_type), check_id(resource_id)


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def condition_query(resource_type: str, condition: Search | str | Mapping[str, Value]) -> str:
    """The ``If-None-Exist`` value: a search query without the type, e.g. ``identifier=a|b``."""
    if isinstance(condition, Search):
        if condition.resource_type not in (None, resource_type):
            raise ValueError(
                f"If-None-Exist search is on {condition.resource_type}, the resource is {resource_type}"
            )
        query = condition.query_string()
    elif isinstance(condition, str):
        prefix = f"{resource_type}?"
        query = condition[len(prefix) :] if condition.startswith(prefix) else condition.lstrip("?")
    else:
        query = Search.from_mapping(resource_type, condition).query_string()
    if not query:
        raise ValueError("If-None-Exist needs at least one search parameter")
    return query


def to_parameters(values: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap plain Python values as a FHIR ``Parameters`` resource for an operation's POST body."""
    params: list[dict[str, Any]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            params.append({"name": name, **_parameter_value(item)})
    return {"resourceType": "Parameters", "parameter": params}


def _parameter_value(value: Any) -> dict[str, Any]:
    if isinstance(value, Resource):
        return {"resource": to_json(value)}
    if isinstance(value, Mapping):
        if "resourceType" in value:
            return {"resource": dict(value)}
        if any(k.startswith("value") or k in ("part", "resource") for k in value):
            return dict(value)
        raise ValueError(
            "a parameter given as a dict must be a resource or hold a value[x], part or resource"
        )
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    if isinstance(value, dt.datetime):
        return {"valueDateTime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"valueDate": value.isoformat()}
    if isinstance(value, str):
        return {"valueString": value}
    raise TypeError(f"cannot send a {type(value).__name__} as an operation parameter")


class RequestBuilder:
    """Builds a ``RequestSpec`` for every FHIR interaction against one base URL."""

    def __init__(self, base_url: str) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"{base_url!r} is not an http(s) URL of a FHIR server")
        self.base_url = str(url).rstrip("/")
        self._base = httpx.URL(self.base_url)

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path}" if path else self.base_url

    def same_origin(self, link: str) -> str:
        """Where to fetch a server-given link: its path and query, always on our own origin.

        Servers behind proxies often write links with an internal host name; and credentials must
        never follow a link to another host. Taking only the path keeps both right.
        """
        target = httpx.URL(self.base_url + "/").join(link)
        return str(self._base.copy_with(raw_path=target.raw_path))

    # -- interactions ---------------------------------------------------------------------------

    def read(self, rtype: str, rid: str) -> RequestSpec:
        return RequestSpec("GET", self.url(f"{rtype}/{rid}"), Action("read", f"{rtype}/{rid}"))

    def vread(self, rtype: str, rid: str, version: str) -> RequestSpec:
        check_id(version)
        return RequestSpec(
            "GET",
            self.url(f"{rtype}/{rid}/_history/{version}"),
            Action("vread", f"{rtype}/{rid} version {version}"),
        )

    def search(self, search: Search, *, post: bool = False) -> RequestSpec:
        target = search.resource_type or "the whole server"
        action = Action("search", target)
        path = search.resource_type or ""
        if post:
            body = encode_query(search.params).encode("ascii")
            return RequestSpec(
                "POST",
                self.url(f"{path}/_search" if path else "_search"),
                action,
                headers=(("Content-Type", FORM),),
                content=body,
            )
        return RequestSpec("GET", self.url(path), action, params=search.params)

    def history(self, rtype: str | None, rid: str | None, params: tuple[tuple[str, str], ...]) -> RequestSpec:
        if rtype and rid:
            path, target = f"{rtype}/{rid}/_history", f"{rtype}/{rid}"
        elif rtype:
            path, target = f"{rtype}/_history", f"every {rtype}"
        else:
            path, target = "_history", "the whole server"
        return RequestSpec("GET", self.url(path), Action("history", target), params=params)

    def page(self, link: str, action: Action) -> RequestSpec:
        return RequestSpec("GET", self.same_origin(link), Action("page", action.target))

    def create(
        self, resource: Mapping[str, Any] | Resource, if_none_exist: Search | str | Mapping[str, Value] | None
    ) -> RequestSpec:
        body = to_json(resource)
        rtype = check_type(str(body.get("resourceType")))
        headers: list[tuple[str, str]] = [("Content-Type", FHIR_JSON), ("Prefer", "return=representation")]
        kind = "create"
        if if_none_exist is not None:
            headers.append(("If-None-Exist", condition_query(rtype, if_none_exist)))
            kind = "conditional-create"
        return RequestSpec(
            "POST",
            self.url(rtype),
            Action(kind, f"a {rtype}"),
            headers=tuple(headers),
            content=_json_bytes(body),
        )

    def update(self, resource: Mapping[str, Any] | Resource, if_match: str | None) -> RequestSpec:
        body = to_json(resource)
        rtype = check_type(str(body.get("resourceType")))
        rid = body.get("id")
        if not isinstance(rid, str):
            raise ValueError(f"updating a {rtype} needs its id; use create() for a new resource")
        check_id(rid)
        headers: list[tuple[str, str]] = [("Content-Type", FHIR_JSON), ("Prefer", "return=representation")]
        if if_match is not None:
            headers.append(("If-Match", etag_for(if_match)))
        return RequestSpec(
            "PUT",
            self.url(f"{rtype}/{rid}"),
            Action("update", f"{rtype}/{rid}"),
            headers=tuple(headers),
            content=_json_bytes(body),
        )

    def patch(
        self, rtype: str, rid: str, operations: Sequence[Mapping[str, Any]], if_match: str | None
    ) -> RequestSpec:
        if isinstance(operations, Mapping) or not all(
            isinstance(o, Mapping) and "op" in o for o in operations
        ):
            raise ValueError(
                "a JSON Patch is a list of operations like {'op': 'replace', 'path': ..., 'value': ...}"
            )
        headers: list[tuple[str, str]] = [("Content-Type", JSON_PATCH), ("Prefer", "return=representation")]
        if if_match is not None:
            headers.append(("If-Match", etag_for(if_match)))
        return RequestSpec(
            "PATCH",
            self.url(f"{rtype}/{rid}"),
            Action("patch", f"{rtype}/{rid}"),
            headers=tuple(headers),
            content=_json_bytes([dict(o) for o in operations]),
        )

    def delete(self, rtype: str, rid: str) -> RequestSpec:
        return RequestSpec("DELETE", self.url(f"{rtype}/{rid}"), Action("delete", f"{rtype}/{rid}"))

    def bundle(self, kind: str, bundle: Mapping[str, Any] | Resource) -> RequestSpec:
        body = to_json(bundle)
        if body.get("resourceType") != "Bundle":
            raise ValueError(f"a {kind} is sent as a Bundle, got {body.get('resourceType')!r}")
        btype = body.setdefault("type", kind)
        if btype != kind:
            raise ValueError(f"this Bundle has type {btype!r}; send it with {btype}() instead of {kind}()")
        n = len(body.get("entry") or [])
        return RequestSpec(
            "POST",
            self.base_url,
            Action(kind, f"a {kind} of {n} entr{'y' if n == 1 else 'ies'}"),
            headers=(("Content-Type", FHIR_JSON),),
            content=_json_bytes(body),
        )

    def operation(
        self,
        name: str,
        *,
        resource_type: str | None,
        resource_id: str | None,
        parameters: Mapping[str, Any] | Resource | None,
        method: str,
        writes: bool | None,
    ) -> RequestSpec:
        if not _OP_RE.match(name):
            raise ValueError(f"{name!r} is not an operation name")
        op = name if name.startswith("$") else f"${name}"
        if resource_id is not None and resource_type is None:
            raise ValueError("an instance-level operation needs the resource type too")
        parts = [
            p
            for p in (resource_type and check_type(resource_type), resource_id and check_id(resource_id))
            if p
        ]
        path = "/".join([*parts, op])
        target = f"{op} on {'/'.join(parts)}" if parts else f"{op} on the server"
        method = method.upper()
        if method == "GET":
            if isinstance(parameters, Resource) or (
                isinstance(parameters, Mapping) and "resourceType" in parameters
            ):
                raise ValueError(
                    "a GET operation takes simple parameters; send a resource with method='POST'"
                )
            params = tuple((k, render_value(v)) for k, v in (parameters or {}).items())
            return RequestSpec(
                "GET", self.url(path), Action("operation", target, writes=bool(writes)), params=params
            )
        if method != "POST":
            raise ValueError("operations are called with GET or POST")
        if parameters is None:
            body: dict[str, Any] = {"resourceType": "Parameters"}
        elif isinstance(parameters, Resource) or "resourceType" in parameters:
            body = to_json(parameters)
        else:
            body = to_parameters(parameters)
        return RequestSpec(
            "POST",
            self.url(path),
            Action("operation", target, writes=True if writes is None else writes),
            headers=(("Content-Type", FHIR_JSON),),
            content=_json_bytes(body),
        )

    def capabilities(self) -> RequestSpec:
        return RequestSpec("GET", self.url("metadata"), Action("capabilities", "the server's capabilities"))


def decode(response: httpx.Response, action: Action, base_url: str) -> Any:
    """The JSON body of a successful answer (``None`` when empty); raise the mapped error otherwise."""
    if response.status_code >= 300:
        raise error_for_response(response, action)
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        ctype = response.headers.get("content-type") or "missing"
        raise FhirProtocolError(
            f"{action} failed: the answer is not JSON (Content-Type {ctype}); is {base_url} a FHIR endpoint?"
        ) from exc


@dataclass
class Pager:
    """Decides the next request of a paged search: the server's ``next`` link, else ``_offset``.

    Some servers (Medplum among them) never send ``next`` links; then pages are requested by offset
    while the server's ``total`` says more remain, or — without a total — while pages come back full.
    Loops are errors, not silent truncation: a ``next`` link seen before, a page that only repeats
    what came already (a server ignoring ``_offset``), or more than ``max_pages`` pages.
    """

    first: RequestSpec
    builder: RequestBuilder
    rebuild: Callable[[int], RequestSpec] | None
    page_size: int | None
    offset: int = 0
    max_pages: int = 1000
    pages: int = 0
    seen: set[str] = field(default_factory=set)
    visited: set[str] = field(default_factory=set)
    inferred_size: int | None = None

    def fresh(self, page: SearchPage) -> list[dict[str, Any]]:
        """Matches on this page not already returned by an earlier page (history: per version)."""
        out = []
        for res in page.resources:
            ref = reference_of(res)
            meta = res.get("meta")
            if ref is not None and isinstance(meta, Mapping) and isinstance(meta.get("versionId"), str):
                ref = f"{ref}/_history/{meta['versionId']}"
            if ref is None:
                out.append(res)
            elif ref not in self.seen:
                self.seen.add(ref)
                out.append(res)
        return out

    def advance(self, page: SearchPage, fresh: list[dict[str, Any]]) -> RequestSpec | None:
        self.pages += 1
        action = self.first.action
        if page.next_url:
            url = self.builder.same_origin(page.next_url)
            if url in self.visited:
                raise FhirProtocolError(
                    f"{action} failed: the server's next links go round in a circle after {self.pages} pages"
                )
            self.visited.add(url)
            nxt: RequestSpec | None = self.builder.page(url, action)
        elif self.visited:
            nxt = None  # a server that links its pages ends the search by giving no next link
        else:
            nxt = self._by_offset(page, fresh)
        if nxt is not None and self.pages >= self.max_pages:
            raise FhirProtocolError(
                f"{action} failed: more than {self.max_pages} pages of results; narrow the search or raise max_pages"
            )
        return nxt

    def _by_offset(self, page: SearchPage, fresh: list[dict[str, Any]]) -> RequestSpec | None:
        n = len(page.resources)
        if self.rebuild is None or n == 0:
            return None
        if not fresh:
            raise FhirProtocolError(
                f"{self.first.action} failed: the server sent the same results again for _offset={self.offset}; "
                "it does not seem to support paging by offset"
            )
        self.offset += n
        if page.total is not None:
            if self.offset >= page.total:
                return None
        else:
            if self.inferred_size is None:
                self.inferred_size = self.page_size or n
            if n < self.inferred_size:
                return None
        return self.rebuild(self.offset)
