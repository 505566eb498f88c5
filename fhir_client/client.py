"""FHIR R4 REST clients on httpx: ``FhirClient`` (sync) and ``AsyncFhirClient`` (async), same methods.

Both take the server's base URL and, for tests or special networking, an httpx ``transport``. Every
failure comes out as the error tree of ``fhir_client.errors`` with a sentence a user can act on; every
success as a ``FhirResult`` (one resource + version/ETag/Location/status) or search pages.

    with FhirClient("http://127.0.0.1:8103/fhir/R4") as fhir:
        slot = fhir.read("Slot/s1")
        fhir.update({**slot.resource, "status": "busy"}, if_match=slot.version_id)
        for obs in fhir.iter(Search("Observation").where(subject="Patient/p1").sort("-date")):
            ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import httpx
from fhir.resources.R4B.resource import Resource

from fhir_client._http import (
    FHIR_JSON,
    Pager,
    RequestBuilder,
    RequestSpec,
    check_type,
    decode,
    split_reference,
)
from fhir_client.auth import BearerAuth
from fhir_client.capabilities import ServerCapabilities
from fhir_client.error_mapping import error_for_transport
from fhir_client.results import FhirResult, SearchPage, SearchResults
from fhir_client.search import Search, Value, encode_query

DEFAULT_TIMEOUT = 30.0
USER_AGENT = "health-assistant-fhir-client/0.1"
Query = Search | str


def _as_search(query: Query, criteria: Mapping[str, Value]) -> Search:
    search = Search.parse(query) if isinstance(query, str) else query
    return search.where(**criteria) if criteria else search


class _Core:
    """Configuration and request building both clients share."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None,
        auth: httpx.Auth | None,
        timeout: float,
        headers: Mapping[str, str] | None,
        max_pages: int,
        offset_paging: bool,
    ) -> None:
        if token is not None and auth is not None:
            raise ValueError("give either token= or auth=, not both")
        self.requests = RequestBuilder(base_url)
        self.base_url = self.requests.base_url
        self.timeout = timeout
        self.max_pages = max_pages
        self.offset_paging = offset_paging
        self._auth: httpx.Auth | None = BearerAuth(token) if token is not None else auth
        self._headers = {"Accept": FHIR_JSON, "User-Agent": USER_AGENT, **(headers or {})}
        self._capabilities: ServerCapabilities | None = None

    def _build(self, client: httpx.Client | httpx.AsyncClient, spec: RequestSpec) -> httpx.Request:
        # The query is encoded here, not by httpx, which would group repeated names out of order.
        url = spec.url
        if spec.params:
            url = f"{url}{'&' if '?' in url else '?'}{encode_query(spec.params)}"
        return client.build_request(spec.method, url, headers=dict(spec.headers), content=spec.content)

    def _pager(self, search: Search, post: bool, max_pages: int | None) -> Pager:
        first = self.requests.search(search, post=post)
        rebuild = (
            (lambda offset: self.requests.search(search.offset(offset), post=post))
            if self.offset_paging
            else None
        )
        return Pager(
            first=first,
            builder=self.requests,
            rebuild=rebuild,
            page_size=search.page_size,
            offset=search.start_offset,
            max_pages=max_pages or self.max_pages,
        )

    def _history_pager(
        self, rtype: str | None, rid: str | None, count: int | None, since: str | None
    ) -> Pager:
        """History pages by ``next`` links only: ``_offset`` is not a history parameter in FHIR, and
        servers ignore it there (Medplum does), so an offset fallback would only repeat page one."""
        base = Search(None)
        if count is not None:
            base = base.count(count)
        if since is not None:
            base = base.param("_since", since)
        return Pager(
            first=self.requests.history(rtype, rid, base.params),
            builder=self.requests,
            rebuild=None,
            page_size=count,
            max_pages=self.max_pages,
        )

    def _history_args(
        self, resource_type: str | None, resource_id: str | None
    ) -> tuple[str | None, str | None]:
        if resource_type is None:
            return None, None
        if resource_id is None and "/" not in resource_type:
            return check_type(resource_type), None
        return split_reference(resource_type, resource_id)


class FhirClient(_Core):
    """Synchronous FHIR R4 client. Use as a context manager (or call ``close()``)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        max_pages: int = 1000,
        offset_paging: bool = True,
    ) -> None:
        super().__init__(
            base_url,
            token=token,
            auth=auth,
            timeout=timeout,
            headers=headers,
            max_pages=max_pages,
            offset_paging=offset_paging,
        )
        self._http = httpx.Client(
            auth=self._auth, timeout=timeout, transport=transport, headers=self._headers
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, spec: RequestSpec) -> tuple[httpx.Response, Any]:
        try:
            response = self._http.send(self._build(self._http, spec))
        except httpx.TransportError as exc:
            raise error_for_transport(exc, spec.action, self.base_url) from exc
        return response, decode(response, spec.action, self.base_url)

    def _result(self, spec: RequestSpec) -> FhirResult:
        response, body = self._send(spec)
        return FhirResult.from_response(response, body)

    def _page(self, spec: RequestSpec) -> SearchPage:
        _, body = self._send(spec)
        return SearchPage.from_bundle(body, str(spec.action))

    # -- reading --------------------------------------------------------------------------------

    def read(self, resource_type: str, resource_id: str | None = None) -> FhirResult:
        """``read("Slot", "s1")`` or ``read("Slot/s1")``."""
        return self._result(self.requests.read(*split_reference(resource_type, resource_id)))

    def vread(self, resource_type: str, resource_id: str, version_id: str) -> FhirResult:
        return self._result(self.requests.vread(*split_reference(resource_type, resource_id), version_id))

    def search(self, query: Query, *, post: bool = False, **criteria: Value) -> SearchPage:
        """One page. ``query`` is a ``Search``, a type name, or ``"Type?a=b"``; keywords add criteria."""
        return self._page(self.requests.search(_as_search(query, criteria), post=post))

    def iter_pages(
        self, query: Query, *, post: bool = False, max_pages: int | None = None, **criteria: Value
    ) -> Iterator[SearchPage]:
        pager = self._pager(_as_search(query, criteria), post, max_pages)
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = self._page(spec)
            fresh = pager.fresh(page)
            yield page
            spec = pager.advance(page, fresh)

    def _gather(self, pager: Pager) -> SearchResults:
        results = SearchResults()
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = self._page(spec)
            fresh = pager.fresh(page)
            results.add(page, fresh)
            spec = pager.advance(page, fresh)
        return results

    def search_all(
        self, query: Query, *, post: bool = False, max_pages: int | None = None, **criteria: Value
    ) -> SearchResults:
        """Every page: matches (each once, in server order) and included resources."""
        return self._gather(self._pager(_as_search(query, criteria), post, max_pages))

    def iter(self, query: Query, *, post: bool = False, **criteria: Value) -> Iterator[dict[str, Any]]:
        """Matching resources across all pages, each once, fetched lazily page by page."""
        pager = self._pager(_as_search(query, criteria), post, None)
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = self._page(spec)
            fresh = pager.fresh(page)
            yield from fresh
            spec = pager.advance(page, fresh)

    def history(
        self,
        resource_type: str | None = None,
        resource_id: str | None = None,
        *,
        count: int | None = None,
        since: str | None = None,
    ) -> SearchResults:
        """Versions of one resource (``history("Slot/s1")``), of a type, or of the server; all pages."""
        rtype, rid = self._history_args(resource_type, resource_id)
        return self._gather(self._history_pager(rtype, rid, count, since))

    def capabilities(self, *, refresh: bool = False) -> ServerCapabilities:
        """The server's CapabilityStatement, fetched once per client."""
        if self._capabilities is None or refresh:
            _, body = self._send(self.requests.capabilities())
            self._capabilities = ServerCapabilities.from_json(body)
        return self._capabilities

    # -- writing --------------------------------------------------------------------------------

    def create(
        self,
        resource: Mapping[str, Any] | Resource,
        *,
        if_none_exist: Search | str | Mapping[str, Value] | None = None,
    ) -> FhirResult:
        """POST a new resource; with ``if_none_exist`` the server returns the match instead (200)."""
        return self._result(self.requests.create(resource, if_none_exist))

    def update(self, resource: Mapping[str, Any] | Resource, *, if_match: str | None = None) -> FhirResult:
        """PUT; ``if_match`` (a versionId or ETag) makes the server refuse with 412 if it changed since."""
        return self._result(self.requests.update(resource, if_match))

    def patch(
        self,
        resource_type: str,
        resource_id: str,
        operations: Sequence[Mapping[str, Any]],
        *,
        if_match: str | None = None,
    ) -> FhirResult:
        """JSON Patch (RFC 6902) of one resource."""
        rtype, rid = split_reference(resource_type, resource_id)
        return self._result(self.requests.patch(rtype, rid, operations, if_match))

    def delete(self, resource_type: str, resource_id: str | None = None) -> FhirResult:
        return self._result(self.requests.delete(*split_reference(resource_type, resource_id)))

    def transaction(self, bundle: Mapping[str, Any] | Resource) -> FhirResult:
        """POST a transaction Bundle; read the answer with ``results.entry_results(result.resource)``."""
        return self._result(self.requests.bundle("transaction", bundle))

    def batch(self, bundle: Mapping[str, Any] | Resource) -> FhirResult:
        return self._result(self.requests.bundle("batch", bundle))

    def operation(
        self,
        name: str,
        *,
        resource_type: str | None = None,
        resource_id: str | None = None,
        parameters: Mapping[str, Any] | Resource | None = None,
        method: str = "POST",
        writes: bool | None = None,
    ) -> FhirResult:
        """``$name`` at system, type or instance level. POST sends ``Parameters`` (built from a plain
        mapping if need be); GET sends simple parameters in the query. ``writes`` says whether the
        operation changes data (default: POST does), which decides how a timeout is reported."""
        return self._result(
            self.requests.operation(
                name,
                resource_type=resource_type,
                resource_id=resource_id,
                parameters=parameters,
                method=method,
                writes=writes,
            )
        )


class AsyncFhirClient(_Core):
    """Asynchronous twin of ``FhirClient``: the same methods, awaited; ``iter``/``iter_pages`` are async."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        max_pages: int = 1000,
        offset_paging: bool = True,
    ) -> None:
        super().__init__(
            base_url,
            token=token,
            auth=auth,
            timeout=timeout,
            headers=headers,
            max_pages=max_pages,
            offset_paging=offset_paging,
        )
        self._http = httpx.AsyncClient(
            auth=self._auth, timeout=timeout, transport=transport, headers=self._headers
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, spec: RequestSpec) -> tuple[httpx.Response, Any]:
        try:
            response = await self._http.send(self._build(self._http, spec))
        except httpx.TransportError as exc:
            raise error_for_transport(exc, spec.action, self.base_url) from exc
        return response, decode(response, spec.action, self.base_url)

    async def _result(self, spec: RequestSpec) -> FhirResult:
        response, body = await self._send(spec)
        return FhirResult.from_response(response, body)

    async def _page(self, spec: RequestSpec) -> SearchPage:
        _, body = await self._send(spec)
        return SearchPage.from_bundle(body, str(spec.action))

    async def read(self, resource_type: str, resource_id: str | None = None) -> FhirResult:
        return await self._result(self.requests.read(*split_reference(resource_type, resource_id)))

    async def vread(self, resource_type: str, resource_id: str, version_id: str) -> FhirResult:
        return await self._result(
            self.requests.vread(*split_reference(resource_type, resource_id), version_id)
        )

    async def search(self, query: Query, *, post: bool = False, **criteria: Value) -> SearchPage:
        return await self._page(self.requests.search(_as_search(query, criteria), post=post))

    async def iter_pages(
        self, query: Query, *, post: bool = False, max_pages: int | None = None, **criteria: Value
    ) -> AsyncIterator[SearchPage]:
        pager = self._pager(_as_search(query, criteria), post, max_pages)
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = await self._page(spec)
            fresh = pager.fresh(page)
            yield page
            spec = pager.advance(page, fresh)

    async def _gather(self, pager: Pager) -> SearchResults:
        results = SearchResults()
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = await self._page(spec)
            fresh = pager.fresh(page)
            results.add(page, fresh)
            spec = pager.advance(page, fresh)
        return results

    async def search_all(
        self, query: Query, *, post: bool = False, max_pages: int | None = None, **criteria: Value
    ) -> SearchResults:
        return await self._gather(self._pager(_as_search(query, criteria), post, max_pages))

    async def iter(
        self, query: Query, *, post: bool = False, **criteria: Value
    ) -> AsyncIterator[dict[str, Any]]:
        pager = self._pager(_as_search(query, criteria), post, None)
        spec: RequestSpec | None = pager.first
        while spec is not None:
            page = await self._page(spec)
            fresh = pager.fresh(page)
            for res in fresh:
                yield res
            spec = pager.advance(page, fresh)

    async def history(
        self,
        resource_type: str | None = None,
        resource_id: str | None = None,
        *,
        count: int | None = None,
        since: str | None = None,
    ) -> SearchResults:
        rtype, rid = self._history_args(resource_type, resource_id)
        return await self._gather(self._history_pager(rtype, rid, count, since))

    async def capabilities(self, *, refresh: bool = False) -> ServerCapabilities:
        if self._capabilities is None or refresh:
            _, body = await self._send(self.requests.capabilities())
            self._capabilities = ServerCapabilities.from_json(body)
        return self._capabilities

    async def create(
        self,
        resource: Mapping[str, Any] | Resource,
        *,
        if_none_exist: Search | str | Mapping[str, Value] | None = None,
    ) -> FhirResult:
        return await self._result(self.requests.create(resource, if_none_exist))

    async def update(
        self, resource: Mapping[str, Any] | Resource, *, if_match: str | None = None
    ) -> FhirResult:
        return await self._result(self.requests.update(resource, if_match))

    async def patch(
        self,
        resource_type: str,
        resource_id: str,
        operations: Sequence[Mapping[str, Any]],
        *,
        if_match: str | None = None,
    ) -> FhirResult:
        rtype, rid = split_reference(resource_type, resource_id)
        return await self._result(self.requests.patch(rtype, rid, operations, if_match))

    async def delete(self, resource_type: str, resource_id: str | None = None) -> FhirResult:
        return await self._result(self.requests.delete(*split_reference(resource_type, resource_id)))

    async def transaction(self, bundle: Mapping[str, Any] | Resource) -> FhirResult:
        return await self._result(self.requests.bundle("transaction", bundle))

    async def batch(self, bundle: Mapping[str, Any] | Resource) -> FhirResult:
        return await self._result(self.requests.bundle("batch", bundle))

    async def operation(
        self,
        name: str,
        *,
        resource_type: str | None = None,
        resource_id: str | None = None,
        parameters: Mapping[str, Any] | Resource | None = None,
        method: str = "POST",
        writes: bool | None = None,
    ) -> FhirResult:
        return await self._result(
            self.requests.operation(
                name,
                resource_type=resource_type,
                resource_id=resource_id,
                parameters=parameters,
                method=method,
                writes=writes,
            )
        )
