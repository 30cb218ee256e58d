"""Benchmark: pages per second with 1, 2, 4 and 8 Celery workers against a site 100 ms away.

Scraping is mostly waiting: each page spends its time in the network (here, the test site's
``--latency``), not in Python. More workers wait in parallel, so with no delay between requests
throughput grows almost linearly, about workers / latency, until the CPU, the site or the broker
saturates. That regime uses ``--delay 0``, which is only acceptable because the site is our own.
The second regime is the polite one: one delay per site shared by every worker (``--polite-delay``,
jitter off so the bound is exact). Each request then books its own slot, one delay after the
previous one, so no number of workers can send more than 1 / delay requests per second: the
throughput is about min(workers / latency, 1 / delay). Each run starts fresh workers, waits until
they are ready (start-up is not counted), then times phase 2 of a crawl of ``--pages`` book pages.
Results go to ``docs/pycon-us-2022/assets/distributed-scraping/bench_workers.{json,svg}``;
``--saved`` prints the table again from that JSON without measuring.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from example_support.benchmark_results import assets_dir, save_results, save_svg
from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import controller, work_queue
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.workers import LocalWorkers

TALK = "distributed-scraping"
PACKAGES = ["celery", "kombu", "redis", "requests", "beautifulsoup4", "sqlalchemy"]
# A page takes well under a second here, so a URL untouched for this long lost its message and
# the controller sends it again. Seen once, on a heavily loaded machine with the filesystem broker:
# 199 of 200 pages done and one left pending, with no worker holding it. Most likely kombu's
# filesystem transport handing out a message file before it was written (work_queue.py now
# renames each message in whole).
LEASE = 5.0


def one_run(
    workers: int, pages: int, latency: float, broker: str | None, folder: Path, delay: float = 0.0
) -> dict:
    """Crawl ``pages`` pages with ``workers`` workers; the phase-2 time and pages per second.

    ``delay`` is the politeness delay between two requests to the site, shared by all workers
    through the crawl database (no jitter, so 1 / delay is a hard ceiling).
    """
    folder.mkdir(parents=True, exist_ok=True)
    policy = FetchPolicy(delay=delay, jitter=0.0)
    db = CrawlDB(str(folder / f"crawl-{workers}-{delay}.sqlite"))
    broker = broker or f"filesystem://{folder / 'broker'}"
    work_queue.configure(broker, LEASE)
    with BookSite(books=pages, per_page=50, specials=False, latency=latency) as site:
        controller.collect(PoliteSession(policy), db, site.url + "catalogue/page-1.html", pages)
        logs = folder / f"logs-{workers}-{delay}"
        # One pool process per worker, no threads: this measures how processes scale.
        with LocalWorkers(workers, broker, logs, LEASE, 1, "prefork") as running:
            running.wait_ready()
            started = time.perf_counter()
            budget = 60 + pages * (latency + delay) * 2
            counts = controller.dispatch(db, policy, lease=LEASE, poll=0.02, timeout=budget)
            seconds = time.perf_counter() - started
    db.engine.dispose()
    if counts != {"done": pages}:
        raise RuntimeError(f"the crawl did not finish cleanly: {counts}")
    return {
        "workers": workers,
        "delay": delay,
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


def regimes(results: dict) -> list[tuple[str, float, list[dict]]]:
    """(broker, delay, runs) for every measured series: each broker without delay, then polite."""
    series = [(broker, 0.0, runs) for broker, runs in results["brokers"].items()]
    polite = results.get("polite")
    if polite:
        series.append((polite["broker"], polite["delay"], polite["runs"]))
    return series


def report(results: dict) -> str:
    """The table both the measuring run and ``--saved`` print."""
    lines = [
        f"{'broker':<10}  {'delay':>5}  {'workers':>7}  {'seconds':>7}  {'pages/s':>7}  speed-up"
    ]
    for broker, delay, runs in regimes(results):
        for r in runs:
            speedup = r["pages_per_second"] / runs[0]["pages_per_second"]
            times = f"{speedup:.1f}\N{MULTIPLICATION SIGN}"
            lines.append(f"{broker:<10}  {delay:>5.2f}  {r['workers']:>7}  {r['seconds']:>7.2f}  "
                         f"{r['pages_per_second']:>7.1f}  {times}")  # fmt: skip
    latency = results["latency"]
    lines.append(f"ceilings: workers / latency = {1 / latency:.1f} pages/s per worker")
    polite = results.get("polite")
    if polite:
        lines[-1] += f"; 1 / delay = {1 / polite['delay']:.1f} pages/s for any number of workers"
    return "\n".join(lines)


def plot(results: dict, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 4.2))
    for offset, (broker, delay, runs) in zip((8, -14, 8), regimes(results), strict=False):
        workers = [r["workers"] for r in runs]
        rates = [r["pages_per_second"] for r in runs]
        label = f"{broker} broker, " + (f"{delay:g} s shared delay" if delay else "no delay")
        line = axes.plot(workers, rates, "o-", label=label)[0]
        for n, rate in zip(workers, rates, strict=True):
            speedup = f"{rate / rates[0]:.1f}\N{MULTIPLICATION SIGN}"
            axes.annotate(speedup, (n, rate), textcoords="offset points", xytext=(6, offset),
                          color=line.get_color())  # fmt: skip
    first = next(iter(results["brokers"].values()))
    counts = [r["workers"] for r in first]
    axes.plot(counts, [n / results["latency"] for n in counts], "--", color="grey",
              label="no overhead at all (workers ÷ latency)")  # fmt: skip
    polite = results.get("polite")
    if polite:
        axes.axhline(1 / polite["delay"], linestyle=":", color="black",
                     label=f"ceiling with a shared delay (1 ÷ {polite['delay']:g} s)")  # fmt: skip
    axes.set_xlabel("Celery workers (one pool process each)")
    axes.set_ylabel("pages per second")
    axes.set_xticks(counts)
    axes.set_title(
        f"{first[0]['pages']} pages, each answered after {results['latency'] * 1000:.0f} ms"
    )
    axes.legend(fontsize="small")
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
    parser.add_argument(
        "--polite-delay",
        type=float,
        default=0.05,
        help="shared delay between requests for the polite regime, on the first broker (0: skip)",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny run for tests; writes nothing")
    parser.add_argument("--saved", action="store_true", help="print the saved table; no run")
    parser.add_argument("--replot", action="store_true", help="redraw the chart from the JSON")
    parser.add_argument("--out-dir", type=Path, help="where to write the JSON and SVG")
    args = parser.parse_args(argv)
    if args.saved or args.replot:
        saved = assets_dir(TALK, args.out_dir) / "bench_workers.json"
        if not saved.is_file():
            raise UsageError(f"no saved results at {saved}")
        results = json.loads(saved.read_text(encoding="utf-8"))["results"]
        if args.replot:
            print(f"saved {plot(results, args.out_dir)}", file=sys.stderr)
        else:
            print(report(results))
        return 0
    if args.smoke:
        args.workers, args.pages = [1, 2], 6
        if "redis" in args.brokers and shutil.which("redis-server") is None:
            print("smoke run: redis-server is not installed, so the redis broker is skipped",
                  file=sys.stderr)  # fmt: skip
            args.brokers = [b for b in args.brokers if b != "redis"] or ["filesystem"]
    if min(args.workers) < 1 or args.pages < 1 or not 0 < args.latency <= 10:
        raise UsageError("--workers, --pages and --latency must be positive")
    if not 0 <= args.polite_delay <= 10:
        raise UsageError("--polite-delay must be between 0 and 10")
    from tqdm import tqdm

    results: dict = {"latency": args.latency, "brokers": {}}
    polite = args.polite_delay > 0
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as name:
        folder = Path(name)
        total = len(args.workers) * (len(args.brokers) + polite)
        progress = tqdm(total=total, desc="runs", unit="run")
        for index, broker in enumerate(args.brokers):
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(redis_server(folder)) if broker == "redis" else None
                runs = []
                for workers in args.workers:
                    runs.append(one_run(workers, args.pages, args.latency, url, folder / broker))
                    progress.update()
                results["brokers"][broker] = runs
                if polite and index == 0:
                    delay, runs = args.polite_delay, []
                    for workers in args.workers:
                        place = folder / f"{broker}-polite"
                        runs.append(one_run(workers, args.pages, args.latency, url, place, delay))
                        progress.update()
                    results["polite"] = {"broker": broker, "delay": delay, "runs": runs}
        progress.close()
    print(report(results))
    if args.smoke:
        return 0
    print(f"saved {save_results(TALK, 'bench_workers', results, PACKAGES, args.out_dir)}",
          file=sys.stderr)  # fmt: skip
    print(f"saved {plot(results, args.out_dir)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_workers")
