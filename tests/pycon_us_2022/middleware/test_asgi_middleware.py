"""Pure ASGI middleware, called as a server calls them: http, websocket and lifespan scopes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examples.pycon_us_2022.middleware.asgi_middleware import (
    CacheMiddleware,
    RateLimitMiddleware,
    TimingMiddleware,
    TrailMiddleware,
    _storable,
    request,
)

MIDDLEWARE = [
    TimingMiddleware,
    CacheMiddleware,
    RateLimitMiddleware,
    lambda app: TrailMiddleware(app, name="t"),
]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingApp:
    """Answers 200 (or ``status``) with how many times it ran; records every scope it saw."""

    def __init__(
        self, status: int = 200, more_body: bool = False, headers: list | None = None
    ) -> None:
        self.calls = 0
        self.status = status
        self.more_body = more_body
        self.headers = headers or []
        self.scopes: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scopes.append(scope["type"])
        if scope["type"] != "http":
            return
        self.calls += 1
        start = {"type": "http.response.start", "status": self.status, "headers": self.headers}
        await send(start)
        body = f"call {self.calls}".encode()
        await send({"type": "http.response.body", "body": body, "more_body": self.more_body})
        if self.more_body:
            await send({"type": "http.response.body", "body": b""})


def get(app: Any, path: str = "/", client: str = "127.0.0.1", headers: Any = ()) -> dict:
    return asyncio.run(request(app, path, client, headers))


@pytest.mark.parametrize("wrap", MIDDLEWARE)
@pytest.mark.parametrize("kind", ["lifespan", "websocket"])
def test_other_scopes_pass_through_untouched(wrap: Any, kind: str) -> None:
    app = CountingApp()
    received: list[Any] = []

    async def receive() -> dict:
        return {"type": f"{kind}.disconnect" if kind == "websocket" else "lifespan.startup"}

    async def send(message: Any) -> None:
        received.append(message)

    scope = {"type": kind, "asgi": {"version": "3.0"}, "path": "/chat", "headers": []}
    if kind == "lifespan":
        del scope["path"]  # a lifespan scope has no path: the middleware must not need one
    asyncio.run(wrap(app)(scope, receive, send))
    assert app.scopes == [kind]
    assert received == []


def test_timing_adds_server_timing_and_records_durations() -> None:
    timing = TimingMiddleware(CountingApp())
    response = get(timing)
    assert response["headers"]["server-timing"].startswith("asgi;dur=")
    assert timing.durations[0][:2] == ("http", "/")


def test_cache_answers_the_second_get_without_calling_the_app() -> None:
    app = CountingApp()
    cache = CacheMiddleware(app)
    first, second = get(cache, "/expensive"), get(cache, "/expensive")
    assert (first["headers"]["x-cache"], second["headers"]["x-cache"]) == ("miss", "hit")
    assert first["body"] == second["body"] == b"call 1"
    assert app.calls == 1


def test_a_get_sent_as_the_last_byte_goes_out_is_already_a_hit() -> None:
    """A client may ask again the moment a response ends, before the first request's task has
    resumed; uvicorn under load did exactly that, and the second GET was a miss."""
    app = CountingApp()
    cache = CacheMiddleware(app)
    answers: list[str] = []

    async def client() -> None:
        async def send(message: Any) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answers.append((await request(cache, "/expensive"))["headers"]["x-cache"])

        async def receive() -> dict:
            return {"type": "http.request", "body": b""}

        scope = {"type": "http", "method": "GET", "path": "/expensive", "headers": []}
        await cache(scope, receive, send)

    asyncio.run(client())
    assert answers == ["hit"]
    assert app.calls == 1


def test_cache_skips_excluded_paths_and_their_subpaths() -> None:
    app = CountingApp()
    cache = CacheMiddleware(app, excluded_paths=["/health"])
    for path in ["/health", "/health", "/health/db", "/healthy", "/healthy"]:
        get(cache, path)
    # /healthy is a different path, not under /health: it is cached (one call for two GETs).
    assert app.calls == 4


def test_cache_keeps_only_complete_200_responses() -> None:
    app = CountingApp(status=500)
    cache = CacheMiddleware(app)
    get(cache, "/")
    get(cache, "/")
    assert app.calls == 2


def test_cache_keeps_streamed_responses_once_complete_and_expires_them() -> None:
    clock = Clock()
    app = CountingApp(more_body=True)
    cache = CacheMiddleware(app, ttl_seconds=10, clock=clock)
    assert get(cache)["body"] == b"call 1"
    assert get(cache)["headers"]["x-cache"] == "hit"
    clock.now = 10
    assert get(cache)["headers"]["x-cache"] == "miss"
    assert app.calls == 2


def test_cache_evicts_the_least_recently_used_entry() -> None:
    app = CountingApp()
    cache = CacheMiddleware(app, max_entries=2)
    for path in ["/a", "/b", "/a", "/c", "/a", "/b"]:
        get(cache, path)
    # /b was evicted when /c came in (/a had just been used); it is computed again.
    assert app.calls == 4


@pytest.mark.parametrize(
    "credentials", [("Authorization", "Bearer alice-token"), ("Cookie", "session=alice")]
)
def test_cache_never_serves_one_users_answer_to_another(credentials: tuple[str, str]) -> None:
    app = CountingApp()
    cache = CacheMiddleware(app)
    alice = get(cache, "/me", headers=[credentials])
    anonymous = get(cache, "/me")
    # Alice's answer was not stored: the anonymous request is computed afresh...
    assert (alice["body"], anonymous["body"]) == (b"call 1", b"call 2")
    assert "x-cache" not in alice["headers"]
    # ...and a request with credentials is never answered from the cache either.
    assert get(cache, "/me", headers=[credentials])["body"] == b"call 3"
    assert app.calls == 3


@pytest.mark.parametrize(
    "header",
    [
        (b"set-cookie", b"session=alice"),
        (b"Set-Cookie", b"session=alice"),
        (b"vary", b"Accept-Language"),
        (b"cache-control", b"private, max-age=60"),
        (b"cache-control", b"no-store"),
        (b"Cache-Control", b"max-age=0, No-Cache"),
    ],
)
def test_cache_does_not_keep_responses_marked_private(header: tuple[bytes, bytes]) -> None:
    app = CountingApp(headers=[header])
    cache = CacheMiddleware(app)
    assert [get(cache)["body"] for _ in range(2)] == [b"call 1", b"call 2"]


def test_cache_keeps_responses_with_harmless_cache_control() -> None:
    app = CountingApp(headers=[(b"cache-control", b"public, max-age=60")])
    cache = CacheMiddleware(app)
    assert [get(cache)["body"] for _ in range(2)] == [b"call 1", b"call 1"]


def test_rate_limit_forgets_windows_that_have_ended() -> None:
    clock = Clock()
    limited = RateLimitMiddleware(CountingApp(), limit=1, window_seconds=60, clock=clock)
    for number in range(1000):
        get(limited, client=f"10.0.{number // 256}.{number % 256}")
    assert len(limited._windows) == 1000
    clock.now = 30
    get(limited, client="10.9.9.9")  # the first 1000 windows are still running
    assert len(limited._windows) == 1001
    clock.now = 60
    get(limited, client="10.9.9.9")  # they have ended; only the newest client is remembered
    assert list(limited._windows) == ["10.9.9.9"]


def test_rate_limit_remembers_at_most_max_clients() -> None:
    clock = Clock()
    limited = RateLimitMiddleware(CountingApp(), limit=1, max_clients=3, clock=clock)
    for number in range(10):
        clock.now = number
        get(limited, client=f"10.0.0.{number}")
    assert list(limited._windows) == ["10.0.0.7", "10.0.0.8", "10.0.0.9"]
    # Clients still remembered are still limited.
    assert get(limited, client="10.0.0.9")["status"] == 429


def test_rate_limit_answers_429_with_retry_after_then_resets() -> None:
    clock = Clock()
    limited = RateLimitMiddleware(CountingApp(), limit=2, window_seconds=30, clock=clock)
    statuses = [get(limited)["status"] for _ in range(3)]
    assert statuses == [200, 200, 429]
    clock.now = 12
    refused = get(limited)
    assert (refused["status"], refused["headers"]["retry-after"]) == (429, "18")
    clock.now = 30
    assert get(limited)["status"] == 200


def test_rate_limit_counts_each_client_separately() -> None:
    limited = RateLimitMiddleware(CountingApp(), limit=1)
    assert get(limited, client="10.0.0.1")["status"] == 200
    assert get(limited, client="10.0.0.2")["status"] == 200
    assert get(limited, client="10.0.0.1")["status"] == 429


def test_trail_records_the_nesting_order() -> None:
    app = CountingApp()
    stack = TrailMiddleware(TrailMiddleware(app, name="inner"), name="outer")
    response = get(stack)
    assert response["headers"]["x-trail"] == "inner, outer"


# Keys come from outside: any client address, path and query a server hands over. (Servers give
# paths as decoded text, never with lone surrogates.)
CLIENTS = st.lists(st.text(max_size=12), min_size=1, max_size=4, unique=True)
PATHS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12).map(lambda p: "/" + p)


class EchoApp:
    """Answers with the cache key of the request, so a wrong cache hit shows in the body."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = repr((scope["path"], scope["query_string"])).encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


@given(
    clients=CLIENTS,
    steps=st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0, 0, 1, 59, 60])), max_size=30),
    limit=st.integers(1, 3),
    max_clients=st.integers(1, 4),
)
def test_rate_limit_property_bounded_memory_and_at_most_limit_per_instant(
    clients: list[str], steps: list[tuple[int, int]], limit: int, max_clients: int
) -> None:
    clock = Clock()
    limited = RateLimitMiddleware(
        CountingApp(), limit=limit, window_seconds=60, clock=clock, max_clients=max_clients
    )
    allowed: dict[tuple[str, float], int] = {}
    for index, advance in steps:
        clock.now += advance
        client = clients[index % len(clients)]
        response = get(limited, client=client)
        assert len(limited._windows) <= max_clients
        if response["status"] == 200:
            key = (client, clock.now)
            allowed[key] = allowed.get(key, 0) + 1
            # Without evictions, one instant lies in one window: never more than the limit.
            assert allowed[key] <= limit or len(clients) > max_clients
        else:
            assert response["status"] == 429
            assert 1 <= int(response["headers"]["retry-after"]) <= 60


@given(
    requests=st.lists(st.tuples(PATHS, st.binary(max_size=8)), max_size=25),
    max_entries=st.integers(1, 4),
)
def test_cache_property_answers_each_key_its_own_body_within_max_entries(
    requests: list[tuple[str, bytes]], max_entries: int
) -> None:
    cache = CacheMiddleware(EchoApp(), max_entries=max_entries)
    for path, query in requests:
        response = asyncio.run(request(cache, path, query=query))
        assert response["status"] == 200
        assert response["body"] == repr((path, query)).encode(), "never another key's answer"
        assert len(cache._entries) <= max_entries


@given(
    noise=st.binary(max_size=30),
    directive=st.sampled_from([b"private", b"No-Store", b"no-cache", b"no-cache=set-cookie"]),
)
def test_cache_property_any_cache_control_value_is_parsed(noise: bytes, directive: bytes) -> None:
    def start(value: bytes) -> dict:
        return {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"cache-control", value)],
        }

    assert isinstance(_storable(start(noise)), bool), "arbitrary bytes never crash the check"
    assert not _storable(start(noise + b", " + directive)), "a forbidding directive always wins"
