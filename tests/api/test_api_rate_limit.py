"""Per-token rate limit through the real app (ASGI, in process), with a limiter on an injected clock."""

from __future__ import annotations

import httpx
import pytest

from api import create_app
from api.limits import TokenBucketLimiter
from tests.api.conftest import EMERY, LIZ, LiveApi


class Ticks:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


async def test_a_token_over_its_limit_gets_429_with_retry_after(live_api: LiveApi) -> None:
    ticks = Ticks()
    app = create_app(
        live_api.settings,
        service=live_api.service,
        limiter=TokenBucketLimiter(per_minute=30, burst=3, clock=ticks),
    )
    a, b = live_api.token(EMERY), live_api.token(LIZ)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        auth_a = {"Authorization": f"Bearer {a}"}
        statuses = [(await client.get("/v1/sessions", headers=auth_a)).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = await client.get("/v1/sessions", headers=auth_a)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "2"
        assert limited.headers["content-type"] == "application/problem+json"
        assert limited.json()["code"] == "rate_limited"
        # Another token has its own bucket; unauthenticated calls are 401, never counted against a token.
        assert (await client.get("/v1/sessions", headers={"Authorization": f"Bearer {b}"})).status_code == 200
        assert (await client.get("/v1/sessions")).status_code == 401
        ticks.t += 2.0
        assert (await client.get("/v1/sessions", headers=auth_a)).status_code == 200
        assert (await client.get("/v1/sessions", headers=auth_a)).status_code == 429


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json"])
async def test_probes_and_schema_need_no_token(live_api: LiveApi, path: str) -> None:
    app = create_app(live_api.settings, service=live_api.service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as client:
        assert (await client.get(path)).status_code == 200
