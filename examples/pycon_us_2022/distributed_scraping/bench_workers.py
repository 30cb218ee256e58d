"""Benchmark: pages per second with 1, 2, 4 and 8 Celery workers against a site 100 ms away.

Scraping is mostly waiting: each page spends its time in the network (here, the test site's
``--latency``), not in Python. More workers wait in parallel, so throughput grows almost linearly
until the CPU, the site or the broker saturates. Each run starts fresh workers, waits until they
are ready (start-up is not counted), then times phase 2 of a crawl of ``--pages`` book pages with
``--delay 0``, which is only acceptable because the site is our own. Results go to
``docs/pycon-us-2022/assets/distributed-scraping/bench_workers.{json,svg}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from examples.benchmark_results import assets_dir, save_results, save_svg
from examples.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import controller, work_queue
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.test_site import TestSite
from examples.pycon_us_2022.distributed_scraping.workers import LocalWorkers

TALK = "distributed-scraping"
PACKAGES = ["celery", "kombu", "redis", "requests", "beautifulsoup4", "sqlalchemy"]


def one_run(workers: int, pages: int, latency: float, broker: str | None, folder: Path) -> dict:
    """Crawl ``pages`` pages with ``workers`` workers; the phase-2 time and pages per second."""
    folder.mkdir(parents=True, exist_ok=True)
    policy = FetchPolicy(delay=0.0)
    db = CrawlDB(str(folder / f"crawl-{workers}.sqlite"))
    broker = broker or f"filesystem://{folder / 'broker'}"
    work_queue.configure(broker)
    with TestSite(books=pages, per_page=50, specials=False, latency=latency) as site:
        controller.collect(PoliteSession(policy), db, site.url + "catalogue/page-1.html", pages)
        with LocalWorkers(workers, broker, folder / f"logs-{workers}") as running:
            running.wait_ready()
            started = time.perf_counter()
            counts = controller.dispatch(db, policy, poll=0.02, timeout=60 + pages * latency * 2)
            seconds = time.perf_counter() - started
    db.engine.dispose()
    if counts != {"done": pages}:
        raise RuntimeError(f"the crawl did not finish cleanly: {counts}")
    return {
        "workers": workers,
        "pages": pages,
        "seconds": seconds,
        "pages_per_second": pages / seconds,
    }


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A private redis-server (Debian package ``redis-server``) on a free port, stopped after."""
    server = shutil.which("redis-server")
    if server is None:
        raise UsageError("the redis broker needs Debian's redis-server package")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "redis").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder / "redis"),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)


def plot(results: dict, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 3.8))
    for offset, (broker, runs) in zip((8, -14), results["brokers"].items(), strict=False):
        workers = [r["workers"] for r in runs]
        rates = [r["pages_per_second"] for r in runs]
        line = axes.plot(workers, rates, "o-", label=f"{broker} broker")[0]
        for n, rate in zip(workers, rates, strict=True):
            speedup = f"{rate / rates[0]:.1f}\N{MULTIPLICATION SIGN}"
            axes.annotate(speedup, (n, rate), textcoords="offset points", xytext=(6, offset),
                          color=line.get_color())  # fmt: skip
    first = next(iter(results["brokers"].values()))
    counts = [r["workers"] for r in first]
    axes.plot(counts, [n / results["latency"] for n in counts], "--", color="grey",
              label="no overhead at all (workers ÷ latency)")  # fmt: skip
    axes.set_xlabel("Celery workers (one pool process each)")
    axes.set_ylabel("pages per second")
    axes.set_xticks(counts)
    axes.set_title(
        f"{first[0]['pages']} pages, each answered after {results['latency'] * 1000:.0f} ms"
    )
    axes.legend()
    axes.grid(alpha=0.3)
    path = save_svg(figure, TALK, "bench_workers", out_dir)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_workers", description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--pages", type=int, default=200, help="book pages per run")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per page")
    parser.add_argument(
        "--brokers",
        nargs="+",
        choices=["filesystem", "redis"],
        default=["filesystem"],
        help="redis: starts a private redis-server",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny run for tests; writes nothing")
    parser.add_argument("--replot", action="store_true", help="redraw the chart from the JSON")
    parser.add_argument("--out-dir", type=Path, help="where to write the JSON and SVG")
    args = parser.parse_args(argv)
    if args.replot:
        saved = assets_dir(TALK, args.out_dir) / "bench_workers.json"
        print(plot(json.loads(saved.read_text(encoding="utf-8"))["results"], args.out_dir))
        return 0
    if args.smoke:
        args.workers, args.pages = [1, 2], 6
        if "redis" in args.brokers and shutil.which("redis-server") is None:
            print("smoke run: redis-server is not installed, so the redis broker is skipped")
            args.brokers = [b for b in args.brokers if b != "redis"] or ["filesystem"]
    if min(args.workers) < 1 or args.pages < 1 or args.latency <= 0:
        raise UsageError("--workers, --pages and --latency must be positive")
    from tqdm import tqdm

    results: dict = {"latency": args.latency, "brokers": {}}
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as name:
        folder = Path(name)
        progress = tqdm(total=len(args.workers) * len(args.brokers), desc="runs", unit="run")
        for broker in args.brokers:
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(redis_server(folder)) if broker == "redis" else None
                runs = []
                for workers in args.workers:
                    runs.append(one_run(workers, args.pages, args.latency, url, folder / broker))
                    progress.update()
                results["brokers"][broker] = runs
        progress.close()
    print(f"{'broker':<10}  {'workers':>7}  {'seconds':>7}  {'pages/s':>7}  speed-up")
    for broker, runs in results["brokers"].items():
        for r in runs:
            speedup = r["pages_per_second"] / runs[0]["pages_per_second"]
            times = f"{speedup:.1f}\N{MULTIPLICATION SIGN}"
            print(f"{broker:<10}  {r['workers']:>7}  {r['seconds']:>7.2f}  "
                  f"{r['pages_per_second']:>7.1f}  {times}")  # fmt: skip
    if args.smoke:
        return 0
    print(save_results(TALK, "bench_workers", results, PACKAGES, args.out_dir))
    print(plot(results, args.out_dir))
    return 0


if __name__ == "__main__":
    run(main, prog="bench_workers")
