"""What the client hands back: the resource JSON plus the HTTP facts callers act on.

A booking flow needs the new version (``version_id`` / ``etag``) to send the next ``If-Match``, the
``Location`` of what it created and whether a conditional create made something new (``created``);
a search caller needs matches kept apart from ``_include``d resources. These types carry exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from fhir.resources.R4B.resource import Resource

from fhir_client.errors import FhirProtocolError, OutcomeIssue, issues_from_outcome
from fhir_client.models import parse_resource

M = TypeVar("M", bound=Resource)

_ETAG_RE = re.compile(r'^(?:W/)?"?([^"]*)"?$')
_HISTORY_RE = re.compile(r"/_history/([^/?#]+)")
_REF_RE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?/?$")


def etag_for(version_id: str) -> str:
    """The weak ETag FHIR servers expect in ``If-Match`` for a version: ``3`` → ``W/"3"``."""
    if version_id.startswith(("W/", '"')):
        return version_id
    return f'W/"{version_id}"'


def version_from_etag(etag: str | None) -> str | None:
    if not etag:
        return None
    m = _ETAG_RE.match(etag.strip())
    return m.group(1) if m and m.group(1) else None


def reference_of(resource: Mapping[str, Any]) -> str | None:
    """``Type/id`` of a resource dict, if it has both."""
    rtype, rid = resource.get("resourceType"), resource.get("id")
    return f"{rtype}/{rid}" if isinstance(rtype, str) and isinstance(rid, str) and rid else None


@dataclass(frozen=True)
class FhirResult:
    """One interaction's answer. ``resource`` is ``None`` when the server sent no body."""

    status: int
    resource: dict[str, Any] | None
    etag: str | None = None
    location: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_response(cls, response: httpx.Response, body: Any) -> FhirResult:
        resource = body if isinstance(body, dict) else None
        return cls(
            status=response.status_code,
            resource=resource,
            etag=response.headers.get("etag"),
            location=response.headers.get("location") or response.headers.get("content-location"),
            last_modified=response.headers.get("last-modified"),
        )

    @property
    def created(self) -> bool:
        """True when the server made a new resource (201); a matched conditional create gives 200."""
        return self.status == 201

    @property
    def version_id(self) -> str | None:
        """The version the server now holds: ``meta.versionId``, else the ETag, else the Location."""
        meta = (self.resource or {}).get("meta")
        if isinstance(meta, Mapping) and isinstance(meta.get("versionId"), str):
            return str(meta["versionId"])
        from_etag = version_from_etag(self.etag)
        if from_etag:
            return from_etag
        m = _HISTORY_RE.search(self.location or "")
        return m.group(1) if m else None

    @property
    def reference(self) -> str | None:
        """``Type/id`` of the resource, from the body or else from the Location header."""
        if self.resource is not None and self.resource.get("resourceType") != "OperationOutcome":
            ref = reference_of(self.resource)
            if ref:
                return ref
        m = _REF_RE.search((self.location or "").split("/_history/")[0])
        return f"{m.group(1)}/{m.group(2)}" if m else None

    @property
    def issues(self) -> list[OutcomeIssue]:
        """Warnings or information the server attached as an OperationOutcome body."""
        return issues_from_outcome(self.resource)

    def model(self, model: type[M]) -> M:
        """The body as a typed R4B model, e.g. ``result.model(Slot)``."""
        if self.resource is None:
            raise FhirProtocolError(f"the server sent no resource (HTTP {self.status})")
        return parse_resource(self.resource, model)


@dataclass(frozen=True)
class BundleEntryResult:
    """One entry of a transaction/batch response: its own status, location and resource."""

    status: int
    location: str | None
    etag: str | None
    resource: dict[str, Any] | None
    issues: list[OutcomeIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def entry_results(bundle: Mapping[str, Any]) -> list[BundleEntryResult]:
    """Read a transaction-response or batch-response Bundle entry by entry."""
    out: list[BundleEntryResult] = []
    for entry in bundle.get("entry") or []:
        if not isinstance(entry, Mapping):
            continue
        raw_resp = entry.get("response")
        resp: Mapping[str, Any] = raw_resp if isinstance(raw_resp, Mapping) else {}
        status_text = str(resp.get("status") or "")
        m = re.match(r"\s*(\d{3})", status_text)
        resource = entry.get("resource") if isinstance(entry.get("resource"), dict) else None
        outcome = resp.get("outcome")
        issues = issues_from_outcome(outcome) or issues_from_outcome(resource)
        out.append(
            BundleEntryResult(
                status=int(m.group(1)) if m else 0,
                location=resp.get("location"),
                etag=resp.get("etag"),
                resource=resource,
                issues=issues,
            )
        )
    return out


@dataclass(frozen=True)
class SearchPage:
    """One page of a searchset (or history) Bundle, matches kept apart from included resources."""

    bundle: dict[str, Any]
    resources: tuple[dict[str, Any], ...]
    included: tuple[dict[str, Any], ...]
    issues: tuple[OutcomeIssue, ...]
    total: int | None
    next_url: str | None

    @classmethod
    def from_bundle(cls, body: Any, what: str) -> SearchPage:
        if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
            found = body.get("resourceType") if isinstance(body, dict) else type(body).__name__
            raise FhirProtocolError(f"{what}: expected a Bundle from the server, got {found!r}")
        matches: list[dict[str, Any]] = []
        included: list[dict[str, Any]] = []
        issues: list[OutcomeIssue] = []
        for entry in body.get("entry") or []:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("resource"), dict):
                continue
            res = entry["resource"]
            raw_search = entry.get("search")
            mode = raw_search.get("mode", "match") if isinstance(raw_search, Mapping) else "match"
            if mode == "include":
                included.append(res)
            elif mode == "outcome" or res.get("resourceType") == "OperationOutcome":
                issues.extend(issues_from_outcome(res))
            else:
                matches.append(res)
        next_url = None
        for link in body.get("link") or []:
            if (
                isinstance(link, Mapping)
                and link.get("relation") == "next"
                and isinstance(link.get("url"), str)
            ):
                next_url = link["url"]
        total = body.get("total")
        return cls(
            bundle=body,
            resources=tuple(matches),
            included=tuple(included),
            issues=tuple(issues),
            total=total if isinstance(total, int) and not isinstance(total, bool) else None,
            next_url=next_url,
        )

    def models(self, model: type[M]) -> list[M]:
        return [
            parse_resource(r, model)
            for r in self.resources
            if r.get("resourceType") == model.__resource_type__
        ]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)


@dataclass
class SearchResults:
    """Every page of a search gathered: matches in server order, included resources by ``Type/id``."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    included: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: list[OutcomeIssue] = field(default_factory=list)
    pages: int = 0
    total: int | None = None

    def add(self, page: SearchPage, fresh: list[dict[str, Any]]) -> None:
        if self.pages == 0:
            self.total = page.total
        self.pages += 1
        self.resources.extend(fresh)
        for res in page.included:
            ref = reference_of(res)
            if ref:
                self.included[ref] = res
        self.issues.extend(page.issues)

    def models(self, model: type[M]) -> list[M]:
        return [
            parse_resource(r, model)
            for r in self.resources
            if r.get("resourceType") == model.__resource_type__
        ]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)
