"""Pure ASGI middleware: timing, caching an expensive endpoint, rate limiting, tracing the order.

An ASGI application is ``async app(scope, receive, send)``; ``scope["type"]`` says what the
connection is: ``"http"`` (one request), ``"websocket"`` (a whole connection) or ``"lifespan"``
(the server starting and stopping). A pure ASGI middleware is a class whose ``__call__`` has that
same signature and which wraps ``send`` (to see or change the response) and ``receive`` (the
request body). It works under any ASGI framework, FastAPI and Starlette included.

Every middleware here handles the ``http`` scopes it is about and passes every other scope
through untouched: a middleware that swallowed ``lifespan`` would stop the app's start-up code
from running, and one that answered a ``websocket`` scope with HTTP messages would break it.

```python
import asyncio
from examples.pycon_us_2022.middleware.asgi_middleware import TimingMiddleware

async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})

sent = []
async def send(message):
    sent.append(message)

asyncio.run(TimingMiddleware(app)({"type": "http", "path": "/"}, None, send))
assert sent[0]["headers"][0][0] == b"server-timing"
```
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any, TypeAlias

from example_support.command_line import run
from examples.pycon_us_2022.middleware.limits import bounded

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]


def _with_header(message: Message, name: str, value: str) -> Message:
    """A copy of an ``http.response.start`` message with one more header."""
    headers = [*message.get("headers", []), (name.encode("latin-1"), value.encode("latin-1"))]
    return {**message, "headers": headers}


class TimingMiddleware:
    """Time every connection; add ``Server-Timing`` to HTTP responses.

    ``durations`` keeps ``(scope type, path, seconds)``: for a WebSocket, the wrapped call lasts as
    long as the connection stays open, which the talk showed in its logs.
    """

    def __init__(self, app: ASGIApp, name: str = "asgi") -> None:
        self.app = app
        self.name = name
        # Bounded: a long-running server must not keep every measurement forever.
        self.durations: deque[tuple[str, str, float]] = deque(maxlen=1000)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                message = _with_header(
                    message, "server-timing", f"{self.name};dur={elapsed_ms:.3f}"
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            self.durations.append((scope["type"], scope["path"], time.perf_counter() - started))


# A request carrying credentials may get an answer meant for that user only; the cache key (path
# and query) does not tell users apart, so such requests are never answered from, or stored in,
# the shared cache.
PRIVATE_REQUEST_HEADERS = frozenset({b"authorization", b"cookie"})
# Response directives that forbid a shared cache to store (or reuse without asking) the answer.
UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})


def _header_names(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    return {name.lower() for name, _ in headers}


def _storable(message: Message) -> bool:
    """Whether a shared cache may keep this ``http.response.start`` message's response.

    Not when it sets a cookie (the cookie is one client's), has ``Vary`` (the answer depends on
    request headers the cache key leaves out), or says ``Cache-Control: private``, ``no-store``
    or ``no-cache``.
    """
    if message.get("status") != 200:
        return False
    headers = message.get("headers", [])
    if _header_names(headers) & {b"set-cookie", b"vary"}:
        return False
    for name, value in headers:
        if name.lower() == b"cache-control":
            directives = {
                part.strip().split("=")[0].lower() for part in value.decode("latin-1").split(",")
            }
            if directives & UNCACHEABLE_DIRECTIVES:
                return False
    return True


class CacheMiddleware:
    """Cache complete ``200`` answers to ``GET`` requests, except on ``excluded_paths``.

    The first request is passed on and its response messages are sent as they come (streaming is
    not delayed) and kept; later requests for the same path and query are answered from the
    cache, without calling the application. ``x-cache`` says which happened.

    The cache is shared by every client, so it stays out of anything that may be private:
    requests with ``Authorization`` or ``Cookie`` go straight to the application, and responses
    with ``Set-Cookie``, ``Vary`` or ``Cache-Control: private/no-store/no-cache`` are not kept.
    """

    def __init__(
        self,
        app: ASGIApp,
        excluded_paths: Iterable[str] = (),
        max_entries: int = 128,
        ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.excluded_paths = tuple(excluded_paths)
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._entries: OrderedDict[tuple[str, bytes], tuple[float, list[Message]]] = OrderedDict()

    def _cacheable(self, scope: Scope) -> bool:
        # Check the type first: a "lifespan" scope has no path and no method at all.
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if _header_names(scope.get("headers", [])) & PRIVATE_REQUEST_HEADERS:
            return False
        path = scope["path"]
        return not any(
            path == p or path.startswith(p.rstrip("/") + "/") for p in self.excluded_paths
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        entry = self._entries.get(key)
        if entry is not None and self.clock() - entry[0] < self.ttl_seconds:
            self._entries.move_to_end(key)
            for message in entry[1]:
                if message["type"] == "http.response.start":
                    message = _with_header(message, "x-cache", "hit")
                await send(message)
            return

        kept: list[Message] = []

        async def send_and_keep(message: Message) -> None:
            kept.append(message)
            if message["type"] == "http.response.start":
                message = _with_header(message, "x-cache", "miss")
            elif not message.get("more_body", False) and _storable(kept[0]):
                # Kept before the last message goes out: a client that asks again as soon as
                # this response ends must find it (under load, it did not).
                self._entries[key] = (self.clock(), kept)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)  # least recently used
            await send(message)

        await self.app(scope, receive, send_and_keep)


class RateLimitMiddleware:
    """Allow each client ``limit`` HTTP requests per ``window_seconds``; then answer ``429``.

    Memory stays bounded: windows are kept oldest first, and those that have ended are dropped
    as requests come in, so only clients seen in the last ``window_seconds`` are remembered; at
    most ``max_clients`` of them, the oldest windows being forgotten first (those clients start
    a new window early, the price of not growing without limit under a flood of addresses).
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int = 60,
        window_seconds: float = 60.0,
        excluded_paths: Iterable[str] = (),
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.app = app
        self.limit = limit
        self.window_seconds = window_seconds
        self.excluded_paths = tuple(excluded_paths)
        self.clock = clock
        self.max_clients = max_clients
        # client -> (window start, count), ordered by window start, oldest first.
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def _forget_ended_windows(self, now: float) -> None:
        while self._windows:
            start, _ = next(iter(self._windows.values()))
            if now - start < self.window_seconds:
                break
            self._windows.popitem(last=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.excluded_paths:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        now = self.clock()
        self._forget_ended_windows(now)
        start, count = self._windows.get(client, (now, 0))
        if client not in self._windows:
            # A new window starts now, the latest start of all: it goes to the end.
            while len(self._windows) >= self.max_clients:
                self._windows.popitem(last=False)
        self._windows[client] = (start, count + 1)
        if count < self.limit:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, round(start + self.window_seconds - now))
        body = b"Too many requests\n"
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class TrailMiddleware:
    """Record the order of middleware: ``scope["trail"]`` going in, ``x-trail`` coming out."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("trail", []).append(self.name)

        async def send_with_trail(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-trail"]
                old = [v.decode() for k, v in message.get("headers", []) if k == b"x-trail"]
                trail = ", ".join([*old, self.name])
                message = {**message, "headers": [*headers, (b"x-trail", trail.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_trail)


async def counting_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A bare ASGI application, no framework: answers how many times it has been called."""
    if scope["type"] == "lifespan":
        return  # nothing to start or stop
    counting_app.calls += 1  # type: ignore[attr-defined]
    body = f"computed {counting_app.calls} time(s)\n".encode()  # type: ignore[attr-defined]
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


counting_app.calls = 0  # type: ignore[attr-defined]


async def request(
    app: ASGIApp,
    path: str = "/",
    client: str = "127.0.0.1",
    headers: Iterable[tuple[str, str]] = (),
    query: bytes = b"",
) -> Message:
    """Call an ASGI app as a server would, for one GET; the response as one merged message."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers),
        ],
        "client": (client, 50000),
        "server": ("127.0.0.1", 8000),
    }
    response: Message = {"body": b""}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            response["status"] = message["status"]
            response["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            response["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return response


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="asgi_middleware",
        description="Send requests to a bare ASGI app (no framework) wrapped in one middleware.",
    )
    parser.add_argument("middleware", choices=["cache", "ratelimit", "timing"])
    count = bounded(int, 1, 1000)
    parser.add_argument("--requests", type=count, default=3, help="how many GETs (default: 3)")
    parser.add_argument("--limit", type=count, default=2, help="rate limit per window (default: 2)")
    args = parser.parse_args()
    wrapped: ASGIApp = {
        "cache": lambda: CacheMiddleware(counting_app),
        "ratelimit": lambda: RateLimitMiddleware(counting_app, limit=args.limit),
        "timing": lambda: TimingMiddleware(counting_app),
    }[args.middleware]()

    async def send_all() -> None:
        for number in range(1, args.requests + 1):
            response = await request(wrapped)
            extra = {
                key: value
                for key, value in response["headers"].items()
                if key in ("x-cache", "retry-after")
            }
            if "server-timing" in response["headers"]:
                extra["server-timing"] = response["headers"]["server-timing"].split("=")[0] + "=…"
            shown = "  ".join(f"{key}: {value}" for key, value in extra.items())
            body = response["body"].decode().strip()
            print(f"request {number}: {response['status']}  {body:<22} {shown}".rstrip())

    asyncio.run(send_all())
    return 0


if __name__ == "__main__":
    run(main, prog="asgi_middleware")
