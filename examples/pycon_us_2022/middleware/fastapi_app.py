"""FastAPI with pure ASGI middleware, ``@app.middleware("http")``, and Flask mounted inside it.

The talk's last framework. FastAPI (built on Starlette) is an ASGI application, so its
middleware are ASGI middleware: ``app.add_middleware(Class, **options)`` wraps the application in
``Class(app, **options)``. Each call wraps everything added before it, so the middleware added
*last* is the *outermost* and sees the request first. ``@app.middleware("http")`` is a shortcut
that adds a ``BaseHTTPMiddleware`` with your function, by the same rule.

The app has the talk's expensive endpoint (cached by ``CacheMiddleware``), a WebSocket chat (which
the middleware pass through), a lifespan hook (which they must pass through too), and the Flask app
mounted under ``/v1`` through ``a2wsgi.WSGIMiddleware``: an ASGI application that runs a WSGI one,
the migration path the talk ended on.

```python
from fastapi.testclient import TestClient
from examples.pycon_us_2022.middleware.fastapi_app import create_app

with TestClient(create_app(expensive_seconds=0)) as client:
    first, second = client.get("/expensive"), client.get("/expensive")
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert client.get("/v1/").text.startswith("Hello from Flask")
```
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, redirect_stdout
from typing import TYPE_CHECKING

from a2wsgi import WSGIMiddleware
from fastapi import FastAPI, Request, Response, WebSocket, WebSocketDisconnect

from example_support.command_line import run
from examples.pycon_us_2022.middleware.asgi_middleware import (
    CacheMiddleware,
    RateLimitMiddleware,
    TimingMiddleware,
    TrailMiddleware,
)
from examples.pycon_us_2022.middleware.flask_app import create_app as create_flask_app
from examples.pycon_us_2022.middleware.limits import (
    bounded,
    exception_line,
    last_logged_error,
    request_path,
    route_failed,
)

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

# Paths whose answers change on every call, so caching them would be wrong.
UNCACHED = ["/health", "/trail", "/chat"]
# Bounds on the knobs: a request must not sleep forever (inf) or for nan seconds.
MAX_SECONDS = 60.0
MAX_RATE_LIMIT = 1_000_000
MAX_TIMES = 100


def create_app(
    expensive_seconds: float = 1.0, rate_limit: int = 100, rate_window: float = 60.0
) -> FastAPI:
    """The FastAPI application of the talk, with its middleware stack."""
    if not 0 <= expensive_seconds <= MAX_SECONDS:  # also false for nan
        raise ValueError(f"expensive_seconds must be from 0 to {MAX_SECONDS}: {expensive_seconds}")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Runs only if every middleware passes the "lifespan" scope through.
        app.state.lifespan = "started"
        yield
        app.state.lifespan = "stopped"

    app = FastAPI(lifespan=lifespan)
    app.state.lifespan = "never ran"
    app.state.computations = 0

    @app.get("/expensive")
    async def expensive() -> dict:
        await asyncio.sleep(expensive_seconds)  # stands for the talk's 10-second computation
        app.state.computations += 1
        return {"result": 42, "computations": app.state.computations}

    @app.get("/health")
    async def health() -> dict:
        return {"lifespan": app.state.lifespan, "computations": app.state.computations}

    @app.get("/trail")
    async def trail(request: Request) -> list[str]:
        return [*request.scope.get("trail", []), "view"]

    @app.websocket("/chat")
    async def chat(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(f"echo: {await websocket.receive_text()}")
        except WebSocketDisconnect:
            pass

    @app.middleware("http")
    async def powered_by(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.scope.setdefault("trail", []).append("@app.middleware")
        response = await call_next(request)
        response.headers["x-powered-by"] = "FastAPI"
        return response

    # Added first, so innermost: it sees a request after the middleware added below.
    app.add_middleware(CacheMiddleware, excluded_paths=UNCACHED)
    app.add_middleware(TrailMiddleware, name="trail")
    app.add_middleware(RateLimitMiddleware, limit=rate_limit, window_seconds=rate_window)
    # Added last, so outermost: its timing includes every other middleware.
    app.add_middleware(TimingMiddleware)

    # The WSGI app inside the ASGI app: requests under /v1 go to Flask, in a thread pool.
    app.mount("/v1", WSGIMiddleware(create_flask_app()))  # type: ignore[arg-type]
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory``: read MIDDLEWARE_EXPENSIVE_SECONDS and MIDDLEWARE_RATE_LIMIT."""
    settings = {}
    for name, parse, default in [
        ("MIDDLEWARE_EXPENSIVE_SECONDS", bounded(float, 0.0, MAX_SECONDS), "1.0"),
        ("MIDDLEWARE_RATE_LIMIT", bounded(int, 1, MAX_RATE_LIMIT), "100"),
    ]:
        try:
            settings[name] = parse(os.environ.get(name, default))
        except argparse.ArgumentTypeError as error:
            raise ValueError(f"{name}: {error}") from None
    return create_app(
        expensive_seconds=settings["MIDDLEWARE_EXPENSIVE_SECONDS"],
        rate_limit=int(settings["MIDDLEWARE_RATE_LIMIT"]),
    )


def fetch(client: TestClient, path: str) -> tuple[int, dict[str, str], bytes, str | None]:
    """GET ``path``: status (0 if none came), headers, the body as far as it came, the failure."""
    status, headers, received = 0, {}, []
    log = io.StringIO()
    try:
        # a2wsgi gives the mounted Flask app sys.stdout as wsgi.errors: keep its log apart.
        with redirect_stdout(log), client.stream("GET", path) as response:
            status, headers = response.status_code, dict(response.headers)
            received.extend(response.iter_bytes())
    except Exception as error:  # the route failed part-way, or before it answered at all
        return status, headers, b"".join(received), exception_line(error)
    return status, headers, b"".join(received), last_logged_error(log.getvalue())


def main() -> int:
    from fastapi.testclient import TestClient

    parser = argparse.ArgumentParser(
        prog="fastapi_app",
        description="Request a path of the FastAPI app a few times (through its test client) "
        "and show what the middleware did.",
    )
    parser.add_argument("path", nargs="?", default="/expensive", help="default: /expensive")
    parser.add_argument(
        "--times", type=bounded(int, 1, MAX_TIMES), default=2, help="how many requests (2)"
    )
    parser.add_argument(
        "--seconds", type=bounded(float, 0.0, MAX_SECONDS), default=0.2, help="cost of /expensive"
    )
    args = parser.parse_args()
    path = request_path(args.path)
    with TestClient(create_app(expensive_seconds=args.seconds)) as client:
        for number in range(1, args.times + 1):
            status, headers, body, failure = fetch(client, path)
            text = body.decode("utf-8", "replace").strip()
            print(f"request {number}: {status or 'no response'} {text}".rstrip())
            for name in ("x-cache", "x-trail"):
                if name in headers:
                    print(f"  {name}: {headers[name]}")
            if failure is None and 400 <= status < 500:
                failure = str(status)
            if failure:
                return route_failed("fastapi_app", path, failure)
    return 0


if __name__ == "__main__":
    run(main, prog="fastapi_app")
