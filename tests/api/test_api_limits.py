"""Rate limiting (token bucket with an injected clock) and the body-size middleware over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.limits import BodySizeLimit, TokenBucketLimiter, retry_after_header


class Ticks:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    ticks = Ticks()
    limiter = TokenBucketLimiter(per_minute=60, burst=3, clock=ticks)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(1.0)
    assert retry_after_header(wait) == "1"
    assert limiter.acquire("b") == 0.0  # buckets are per key
    ticks.t += 0.5
    assert limiter.acquire("a") == pytest.approx(0.5)
    ticks.t += 0.5
    assert limiter.acquire("a") == 0.0
    ticks.t += 3600
    assert [limiter.acquire("a") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # never more than the burst


def test_full_buckets_are_forgotten_when_the_key_table_is_full() -> None:
    ticks = Ticks()
    limiter = TokenBucketLimiter(per_minute=60, burst=2, clock=ticks, max_keys=2)
    limiter.acquire("a")
    limiter.acquire("b")
    ticks.t += 10
    limiter.acquire("c")
    assert set(limiter._buckets) == {"c"}


@pytest.mark.parametrize(("per_minute", "burst"), [(0, 1), (10, 0)])
def test_limiter_rejects_nonsense(per_minute: float, burst: int) -> None:
    with pytest.raises(ValueError):
        TokenBucketLimiter(per_minute, burst)


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(await request.body())})


@pytest.fixture
def client() -> httpx.AsyncClient:
    app = BodySizeLimit(Starlette(routes=[Route("/echo", _echo, methods=["POST"])]), max_bytes=1000)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_body_within_the_limit_reaches_the_app(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"x" * 1000)
    assert response.json() == {"received": 1000}


async def test_declared_oversize_body_is_refused_with_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"


async def test_chunked_oversize_body_is_refused_while_streaming(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"y" * 300

    response = await client.post("/echo", content=chunks())
    assert response.status_code == 413
    assert response.json()["detail"] == "request body larger than 1000 bytes"

    async def small() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"y" * 300

    assert (await client.post("/echo", content=small())).json() == {"received": 900}
