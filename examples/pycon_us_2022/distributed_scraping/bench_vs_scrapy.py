"""Benchmark: the talk's crawl, end to end, against a ~25-line Scrapy spider at equal concurrency.

A user times the command they run, so each run here is timed from the start of the command to
its "crawl finished" line, on the local test site (``--pages`` plain book pages, ``--latency``
seconds per answer, no special pages, no delay since the site is our own). At each concurrency N
it runs, one after the other: the Scrapy spider (``scrapy_spider``, ``CONCURRENT_REQUESTS=N``);
``crawl --workers 1 --concurrency N``, which starts its worker itself (cold); and the same crawl
handed to a worker that is already running (``--workers 0``: start-up paid once). It reports
pages per second, the time to the first stored book, and the most requests the site ever had in
flight. It also measures what the architecture costs per page that Scrapy does not pay: the
database writes of one page, and a round trip through the broker. Results go to
``docs/pycon-us-2022/assets/distributed-scraping/bench_vs_scrapy.{json,svg}``; ``--saved`` prints
the table again from that JSON without measuring.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example_support.benchmark_results import assets_dir, save_results, save_svg
from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import work_queue
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.workers import REPO_ROOT, LocalWorkers

TALK, NAME = "distributed-scraping", "bench_vs_scrapy"
PACKAGE = "examples.pycon_us_2022.distributed_scraping"
PACKAGES = ["scrapy", "twisted", "celery", "kombu", "requests", "beautifulsoup4", "sqlalchemy"]
CRAWLERS = ("scrapy", "crawl, cold", "crawl, warm worker")


def timed(command: list[str], started: float) -> tuple[float, float | None]:
    """Run ``command``; seconds until it printed "crawl finished", and a "first page" time."""
    first = None
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout or ():
            if line.startswith("first page "):
                first = float(line.split()[2]) - started
            if "crawl finished" in line:
                finished = time.time() - started
        if process.wait() != 0:
            raise RuntimeError(f"{command[3:5]} exited with {process.returncode}")
    return finished, first


def one_run(crawler: str, concurrency: int, pages: int, latency: float, folder: Path) -> dict:
    """One crawl of the whole site by ``crawler``; checks that every book was stored."""
    folder.mkdir(parents=True)
    db, broker = folder / "crawl.sqlite", f"filesystem://{folder / 'broker'}"
    with contextlib.ExitStack() as stack:
        site = stack.enter_context(BookSite(books=pages, specials=False, latency=latency))
        url = site.url + "catalogue/page-1.html"
        if crawler == "scrapy":
            feed = folder / "books.jsonl"
            command = [sys.executable, "-m", f"{PACKAGE}.scrapy_spider", url, "--feed", str(feed),
                       "--concurrency", str(concurrency)]  # fmt: skip
        else:
            command = [sys.executable, "-m", PACKAGE, "crawl", url, "--db", str(db), "--delay",
                       "0", "--quiet", "--concurrency", str(concurrency), "--broker", broker,
                       "--workers", "1" if crawler == "crawl, cold" else "0"]  # fmt: skip
        if crawler == "crawl, warm worker":
            workers = LocalWorkers(1, broker, folder / "logs", concurrency=concurrency)
            stack.enter_context(workers).wait_ready()
        started = time.time()
        seconds, first = timed(command, started)
        peak = site.traffic.peak_in_flight
    if crawler == "scrapy":
        stored = len(feed.read_text(encoding="utf-8").splitlines())
    else:
        crawl = CrawlDB(str(db))
        stored = crawl.counts().get("done", 0)
        first = min(row["finished_at"] for row in crawl.rows() if row["status"] == "done") - started
        crawl.engine.dispose()
    if stored != pages:
        raise RuntimeError(f"{crawler} stored {stored} of {pages} books")
    rate = pages / seconds
    return {"crawler": crawler, "concurrency": concurrency, "seconds": seconds,
            "pages_per_second": rate, "first_page": first, "peak_in_flight": peak}  # fmt: skip


def per_page_costs(folder: Path, pages: int = 200) -> dict:
    """Milliseconds per page for the crawl database's writes, and per broker round trip."""
    crawl = CrawlDB(str(folder / "costs.sqlite"))
    urls = [f"http://site.test/books/{n}.html" for n in range(pages)]
    crawl.add_many(urls, "book")
    started = time.perf_counter()
    for url in urls:  # what a worker writes for every page: claim it, store it
        crawl.claim_delivery(url, "bench")
        crawl.finish(url, "done", http_status=200, title="t", price=1.0)
    database = (time.perf_counter() - started) / pages * 1000
    crawl.engine.dispose()
    work_queue.configure(f"filesystem://{folder / 'probe'}")
    with work_queue.app.connection_for_write() as connection:
        queue = connection.SimpleQueue("probe")
        started = time.perf_counter()
        for n in range(pages):
            queue.put({"n": n})
            queue.get(timeout=5).ack()
        broker = (time.perf_counter() - started) / pages * 1000
        queue.close()
    return {"database_ms": database, "broker_ms": broker}


def report(results: dict) -> str:
    """The table both the measuring run and ``--saved`` print."""
    lines = [f"{'crawler':<19}  {'N':>2}  {'seconds':>7}  {'pages/s':>7}  {'first page':>10}  "
             f"{'in flight':>9}  vs scrapy"]  # fmt: skip
    for one in results["runs"]:
        ratio = one["pages_per_second"] / _rate(results, "scrapy", one["concurrency"])
        lines.append(f"{one['crawler']:<19}  {one['concurrency']:>2}  {one['seconds']:>7.2f}  "
                     f"{one['pages_per_second']:>7.1f}  {one['first_page']:>8.2f} s  "
                     f"{one['peak_in_flight']:>9}  {ratio:.2f}\N{MULTIPLICATION SIGN}")  # fmt: skip
    costs = results["costs"]
    lines.append(f"{results['pages']} pages, {results['latency'] * 1000:.0f} ms each; per page, "
                 f"database writes {costs['database_ms']:.1f} ms, broker round trip "
                 f"{costs['broker_ms']:.1f} ms")  # fmt: skip
    return "\n".join(lines)


def _rate(results: dict, crawler: str, concurrency: int) -> float:
    return next(r["pages_per_second"] for r in results["runs"]
                if r["crawler"] == crawler and r["concurrency"] == concurrency)  # fmt: skip


def plot(results: dict, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    levels = sorted({run["concurrency"] for run in results["runs"]})
    figure, axes = plt.subplots(figsize=(6.4, 3.8))
    width = 0.8 / len(CRAWLERS)
    for index, crawler in enumerate(CRAWLERS):
        rates = [_rate(results, crawler, n) for n in levels]
        bars = axes.bar(
            [i + index * width for i in range(len(levels))], rates, width, label=crawler
        )
        axes.bar_label(bars, fmt="%.1f", fontsize="small")
    axes.set_xticks([i + width for i in range(len(levels))], [f"concurrency {n}" for n in levels])
    axes.set_ylabel("pages per second, end to end")
    axes.set_title(f"{results['pages']} book pages, each answered after "
                   f"{results['latency'] * 1000:.0f} ms")  # fmt: skip
    axes.legend(fontsize="small")
    axes.grid(alpha=0.3, axis="y")
    path = save_svg(figure, TALK, NAME, out_dir)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_vs_scrapy", description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--pages", type=int, default=200, help="book pages per crawl")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer")
    parser.add_argument("--smoke", action="store_true", help="tiny run for tests; writes nothing")
    parser.add_argument("--saved", action="store_true", help="print the saved table; no run")
    parser.add_argument("--out-dir", type=Path, help="where to write the JSON and SVG")
    args = parser.parse_args(argv)
    if args.saved:
        saved = assets_dir(TALK, args.out_dir) / f"{NAME}.json"
        if not saved.is_file():
            raise UsageError(f"no saved results at {saved}")
        print(report(json.loads(saved.read_text(encoding="utf-8"))["results"]))
        return 0
    if args.smoke:
        args.concurrency, args.pages, args.latency = [4], 12, 0.02
    if not all(1 <= n <= 256 for n in args.concurrency) or not 1 <= args.pages <= 100_000:
        raise UsageError("--concurrency must be between 1 and 256, --pages between 1 and 100000")
    if not 0 < args.latency <= 10:
        raise UsageError("--latency must be more than 0 and at most 10 seconds")
    from tqdm import tqdm

    results: dict = {"pages": args.pages, "latency": args.latency, "runs": []}
    with tempfile.TemporaryDirectory(prefix="bench-vs-scrapy-") as name:
        folder = Path(name)
        with tqdm(total=len(args.concurrency) * len(CRAWLERS), unit="crawl") as progress:
            for n in args.concurrency:
                for index, crawler in enumerate(CRAWLERS):
                    place = folder / f"{n}-{index}"
                    results["runs"].append(one_run(crawler, n, args.pages, args.latency, place))
                    progress.update()
        results["costs"] = per_page_costs(folder)
    print(report(results))
    if args.smoke:
        return 0
    print(f"saved {save_results(TALK, NAME, results, PACKAGES, args.out_dir)}", file=sys.stderr)
    print(f"saved {plot(results, args.out_dir)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_vs_scrapy")
