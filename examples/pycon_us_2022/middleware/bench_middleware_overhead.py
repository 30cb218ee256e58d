"""What one layer of middleware costs per request: pure ASGI, BaseHTTPMiddleware, WSGI.

Every variant answers the same tiny request, called in-process the way a server calls it (an
ASGI ``scope``/``receive``/``send``, or a WSGI ``environ``/``start_response``), so that the numbers
are the frameworks' and middleware's own work, not the network's. Each middleware does the same
thing, adding a ``Server-Timing`` header, stacked 1 and 5 deep:

- FastAPI with nothing, with the pure ASGI ``TimingMiddleware``, and with the same logic written
  for ``@app.middleware("http")`` (Starlette's ``BaseHTTPMiddleware``);
- Flask with nothing, and with the WSGI ``LatencyReporter`` around ``app.wsgi_app``.

Time is this process's CPU time (``time.process_time``), so that other programs on a shared
machine do not count; variants run interleaved, round after round, and the best round of each is
kept (the least disturbed one). Results go to ``docs/pycon-us-2022/assets/middleware/``
as JSON with an environment stamp, and as an SVG chart. ``--smoke`` runs a few requests and
writes nothing unless ``--out-dir`` is given. ``--saved`` measures nothing: it prints the table
of the saved run again, rebuilt from the JSON by the same ``report`` function.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from example_support.benchmark_results import ASSETS, save_results, save_svg
from example_support.command_line import UsageError, run
from examples.pycon_us_2022.middleware.asgi_middleware import TimingMiddleware
from examples.pycon_us_2022.middleware.limits import bounded
from examples.pycon_us_2022.middleware.wsgi_middleware import LatencyReporter

TALK = "middleware"
NAME = "middleware_overhead"
PACKAGES = ["fastapi", "starlette", "flask", "werkzeug"]
DEPTHS = (1, 5)


def fastapi_app(kind: str, layers: int) -> Callable[..., Awaitable[None]]:
    """A one-route FastAPI app with ``layers`` middleware of ``kind`` (none, pure, base)."""
    from fastapi import FastAPI, Request, Response
    from fastapi.responses import PlainTextResponse

    app = FastAPI()

    @app.get("/")
    async def hello() -> PlainTextResponse:
        return PlainTextResponse("Hello")

    for number in range(layers if kind != "none" else 0):
        if kind == "pure":
            app.add_middleware(TimingMiddleware, name=f"m{number}")
        else:

            async def timing(
                request: Request, call_next: Any, name: str = f"m{number}"
            ) -> Response:
                started = time.perf_counter()
                response = await call_next(request)
                elapsed_ms = (time.perf_counter() - started) * 1000
                response.headers.append("server-timing", f"{name};dur={elapsed_ms:.3f}")
                return response

            app.middleware("http")(timing)
    return app


def flask_app(layers: int) -> Callable[..., Any]:
    """A one-route Flask app wrapped in ``layers`` WSGI ``LatencyReporter`` middleware."""
    from flask import Flask

    app = Flask(__name__)
    app.add_url_rule("/", "hello", lambda: "Hello")
    for number in range(layers):
        app.wsgi_app = LatencyReporter(app.wsgi_app, name=f"m{number}")  # type: ignore[method-assign]
    return app


def time_asgi(app: Callable[..., Awaitable[None]], requests: int) -> float:
    """Seconds for ``requests`` GETs sent to an ASGI app in-process."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    statuses: list[int] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def many() -> float:
        await app(dict(scope), receive, send)  # warm-up: builds the middleware stack
        started = time.process_time()
        for _ in range(requests):
            await app(dict(scope), receive, send)
        return time.process_time() - started

    elapsed = asyncio.run(many())
    if set(statuses) != {200}:
        raise RuntimeError(f"unexpected statuses {sorted(set(statuses))}")
    return elapsed


def time_wsgi(app: Callable[..., Any], requests: int) -> float:
    """Seconds for ``requests`` GETs sent to a WSGI app in-process."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/").get_environ()
    statuses: list[str] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> Callable:
        statuses.append(status)
        return lambda data: None

    def once() -> None:
        body = app(dict(environ), start_response)
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()

    once()
    started = time.process_time()
    for _ in range(requests):
        once()
    elapsed = time.process_time() - started
    if set(statuses) != {"200 OK"}:
        raise RuntimeError(f"unexpected statuses {sorted(set(statuses))}")
    return elapsed


def _timer(timing: Callable[[Any, int], float], app: Any) -> Callable[[int], float]:
    """A function of n that times n requests to ``app`` (the app is built once, up front)."""
    return lambda requests: timing(app, requests)


def variants() -> dict[str, tuple[str, Callable[[int], float]]]:
    """Label -> (baseline label, timer of n requests)."""
    table: dict[str, tuple[str, Callable[[int], float]]] = {}
    asgi_base, wsgi_base = "FastAPI, no middleware", "Flask, no middleware"
    table[asgi_base] = (asgi_base, _timer(time_asgi, fastapi_app("none", 0)))
    for kind, label in [("pure", "pure ASGI"), ("base", "BaseHTTPMiddleware")]:
        for depth in DEPTHS:
            table[f"FastAPI + {depth} {label}"] = (
                asgi_base,
                _timer(time_asgi, fastapi_app(kind, depth)),
            )
    table[wsgi_base] = (wsgi_base, _timer(time_wsgi, flask_app(0)))
    for depth in DEPTHS:
        table[f"Flask + {depth} WSGI"] = (wsgi_base, _timer(time_wsgi, flask_app(depth)))
    return table


def measure(requests: int, rounds: int, progress: bool = True) -> dict[str, dict[str, float]]:
    """Per-request microseconds of every variant: best and median round, and the overhead."""
    from tqdm import tqdm

    table = variants()
    per_request: dict[str, list[float]] = {label: [] for label in table}
    with tqdm(total=rounds * len(table), disable=not progress, unit="variant") as bar:
        for _ in range(rounds):
            for label, (_, timer) in table.items():
                per_request[label].append(timer(requests) / requests * 1e6)
                bar.update()
    results = {}
    for label, (baseline, _) in table.items():
        best = min(per_request[label])
        results[label] = {
            "best_us": round(best, 2),
            "median_us": round(statistics.median(per_request[label]), 2),
            "overhead_us": round(best - min(per_request[baseline]), 2),
        }
    return results


def plot(results: dict[str, dict[str, float]], caption: str) -> Any:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(results)[::-1]
    best = [results[label]["best_us"] for label in labels]
    colours = [
        "#9e9e9e"
        if "no middleware" in label
        else "#3f51b5"
        if "pure" in label
        else "#ff9800"
        if "Base" in label
        else "#009688"
        for label in labels
    ]
    figure, axes = plt.subplots(figsize=(8, 4.2))
    bars = axes.barh(labels, best, color=colours)
    axes.bar_label(bars, labels=[f"{value:.0f} µs" for value in best], padding=3, fontsize=8)
    axes.set_xlabel("CPU time per request, in-process (µs, best round; lower is better)")
    axes.set_title("Per-request cost of middleware layers")
    axes.margins(x=0.15)
    figure.text(0.01, -0.02, caption, fontsize=7, wrap=True)
    figure.tight_layout()
    return figure


def report(results: dict[str, Any]) -> str:
    """The table printed after a run: one line per variant, in the order they were measured.

    ``results`` is what the JSON holds under "results": ``order`` and ``variants``.
    """
    lines = [f"{'variant':<34} {'µs/request':>10} {'overhead':>9}"]
    for label in results["order"]:
        row = results["variants"][label]
        overhead = "" if "no middleware" in label else f"{row['overhead_us']:+.1f}"
        lines.append(f"{label:<34} {row['best_us']:>10.1f} {overhead:>9}".rstrip())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_middleware_overhead",
        description="Measure the per-request cost of pure ASGI, BaseHTTPMiddleware and WSGI "
        "middleware, side by side, and write JSON + SVG results.",
    )
    parser.add_argument(
        "--requests", type=bounded(int, 1, 100_000), default=1000, help="requests per round"
    )
    parser.add_argument(
        "--rounds", type=bounded(int, 1, 1000), default=15, help="rounds per variant"
    )
    parser.add_argument("--smoke", action="store_true", help="a few requests; write nothing")
    parser.add_argument("--out-dir", type=Path, help="write results here instead of the docs")
    parser.add_argument(
        "--saved",
        action="store_true",
        help="measure nothing: print the table of the saved results again",
    )
    args = parser.parse_args()
    if args.saved:
        # Not assets_dir(): it creates the folder, and --saved only reads.
        saved_path = (args.out_dir or ASSETS / TALK) / f"{NAME}.json"
        if not saved_path.exists():
            raise UsageError(f"no saved results: {saved_path} does not exist")
        print(report(json.loads(saved_path.read_text(encoding="utf-8"))["results"]))
        return 0
    if args.smoke:
        args.requests, args.rounds = 20, 2
    results = measure(args.requests, args.rounds)
    payload = {
        "requests_per_round": args.requests,
        "rounds": args.rounds,
        "timer": "time.process_time",
        "order": list(results),  # the JSON's keys are sorted; this keeps the table's order
        "variants": results,
    }
    print(report(payload))
    if args.smoke and args.out_dir is None:
        return 0
    json_path = save_results(TALK, NAME, payload, PACKAGES, out_dir=args.out_dir)
    from example_support.environment_stamp import environment_stamp, stamp_line

    figure = plot(results, stamp_line(environment_stamp(PACKAGES)))
    svg_path = save_svg(figure, TALK, NAME, out_dir=args.out_dir)
    print(f"saved {json_path.name} and {svg_path.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_middleware_overhead")
