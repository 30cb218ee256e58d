"""Benchmark: the talk's crawl, end to end, against a ~35-line Scrapy spider at equal concurrency.

A user times the command they run, so each run here is timed from the start of the command to its
"crawl finished" line, on the local test site (``--pages`` plain book pages, ``--latency`` seconds
per answer, no special pages, no delay since the site is our own). At each concurrency N it runs,
one after the other: the Scrapy spider (``scrapy_spider``, ``CONCURRENT_REQUESTS=N``); ``crawl
--workers 1 --concurrency N``, which starts its worker itself (cold); and the same crawl handed to
a worker that is already running (``--workers 0``: start-up paid once). It does so ``--rounds``
times, the crawlers taking turns, and reports the medians (a burst of load on a shared machine then
spoils one round, not one crawler's row): pages per second, the time to the first stored book, and
the most requests the site ever had in flight. It also measures what the architecture costs per
page that Scrapy does not pay: the database writes of one page, and a round trip through the
broker. Then the long tail: the cold crawl of the site *with* its special pages (a slow page, 503s
retried after a back-off, a 429 whose ``Retry-After`` pauses the whole site, a page rendered in
Chromium) by one worker taking one page at a time, by eight such workers, and by one worker with
eight requests in flight; for each, how many other pages were stored while the slow page was
answered and while the 503s backed off. Results go to
``docs/pycon-us-2022/assets/distributed-scraping/bench_vs_scrapy.{json,svg}``; ``--saved`` prints
the tables again from that JSON without measuring.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example_support.benchmark_results import assets_dir, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import work_queue
from examples.pycon_us_2022.distributed_scraping.book_site import SPECIALS, BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.workers import REPO_ROOT, LocalWorkers

TALK, NAME = "distributed-scraping", "bench_vs_scrapy"
PACKAGE = "examples.pycon_us_2022.distributed_scraping"
PACKAGES = ["scrapy", "twisted", "celery", "kombu", "requests", "beautifulsoup4", "sqlalchemy"]
CRAWLERS = ("scrapy", "crawl, cold", "crawl, warm worker")
LONG_TAIL = ((1, 1), (8, 1), (1, 8))  # (workers, requests in flight each)
SLOW, BUSY, JS = "/books/slow.html", "/books/busy.html", "/books/js-only.html"


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


def crawl_command(url: str, folder: Path, concurrency: int, workers: int) -> list[str]:
    return [sys.executable, "-m", PACKAGE, "crawl", url, "--db", str(folder / "crawl.sqlite"),
            "--delay", "0", "--quiet", "--concurrency", str(concurrency), "--broker",
            f"filesystem://{folder / 'broker'}", "--workers", str(workers)]  # fmt: skip


def one_run(crawler: str, concurrency: int, pages: int, latency: float, folder: Path) -> dict:
    """One crawl of the whole site by ``crawler``; checks that every book was stored."""
    folder.mkdir(parents=True)
    with contextlib.ExitStack() as stack:
        site = stack.enter_context(BookSite(books=pages, specials=False, latency=latency))
        url = site.url + "catalogue/page-1.html"
        if crawler == "scrapy":
            feed = folder / "books.jsonl"
            command = [sys.executable, "-m", f"{PACKAGE}.scrapy_spider", url, "--feed", str(feed),
                       "--concurrency", str(concurrency)]  # fmt: skip
        else:
            command = crawl_command(url, folder, concurrency, int(crawler == "crawl, cold"))
        if crawler == "crawl, warm worker":
            broker = f"filesystem://{folder / 'broker'}"
            workers = LocalWorkers(1, broker, folder / "logs", concurrency=concurrency)
            stack.enter_context(workers).wait_ready()
        started = time.time()
        seconds, first = timed(command, started)
        peak = site.traffic.peak_in_flight
    if crawler == "scrapy":
        stored = len(feed.read_text(encoding="utf-8").splitlines())
    else:
        rows = _rows(folder, site.url)
        stored = sum(row["status"] == "done" for row in rows.values())
        first = min(row["finished_at"] for row in rows.values()) - started
    if stored != pages:
        raise RuntimeError(f"{crawler} stored {stored} of {pages} books")
    return {"crawler": crawler, "concurrency": concurrency, "seconds": seconds, "first_page": first,
            "pages_per_second": pages / seconds, "peak_in_flight": peak}  # fmt: skip


def long_tail_run(workers: int, concurrency: int, books: int, latency: float, slow: float,
                  folder: Path) -> dict:  # fmt: skip
    """The cold crawl of the site with its special pages; what went on while the tail was held."""
    folder.mkdir(parents=True)
    with BookSite(books=books, specials=True, latency=latency, slow_seconds=slow) as site:
        url = site.url + "catalogue/page-1.html"
        seconds, _ = timed(crawl_command(url, folder, concurrency, workers), time.time())
    rows = _rows(folder, site.url)
    if len(rows) != books + len(SPECIALS) or any(r["status"] == "pending" for r in rows.values()):
        raise RuntimeError(f"the crawl left pages unfinished: {len(rows)} rows")

    def meanwhile(path: str) -> int:  # other pages stored while this one was in a worker's hands
        start, end = rows[path]["claimed_at"], rows[path]["finished_at"]
        return sum(start < (row["finished_at"] or 0) < end for row in rows.values())

    rendered = rows[JS]["finished_at"] - rows[JS]["claimed_at"]  # fetched, then Chromium
    return {"workers": workers, "concurrency": concurrency, "seconds": seconds,
            "pages_per_second": len(rows) / seconds, "during_slow": meanwhile(SLOW),
            "during_busy": meanwhile(BUSY), "browser_seconds": rendered}  # fmt: skip


def _rows(folder: Path, site_url: str) -> dict[str, dict]:
    crawl = CrawlDB(str(folder / "crawl.sqlite"))
    rows = {row["url"].removeprefix(site_url.rstrip("/")): row for row in crawl.rows()}
    crawl.engine.dispose()
    return rows


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
    """The tables both the measuring run and ``--saved`` print."""
    lines = [f"{'crawler':<19}  {'N':>2}  {'seconds':>7}  {'pages/s':>7}  {'first page':>10}  "
             f"{'in flight':>9}  vs scrapy"]  # fmt: skip
    for one in results["runs"]:
        ratio = one["pages_per_second"] / _rate(results, "scrapy", one["concurrency"])
        lines.append(f"{one['crawler']:<19}  {one['concurrency']:>2}  {one['seconds']:>7.2f}  "
                     f"{one['pages_per_second']:>7.1f}  {one['first_page']:>8.2f} s  "
                     f"{one['peak_in_flight']:>9}  {ratio:.2f}\N{MULTIPLICATION SIGN}")  # fmt: skip
    costs = results["costs"]
    lines.append(f"{results['pages']} pages, {results['latency'] * 1000:.0f} ms each, median of "
                 f"{results.get('rounds', 1)} rounds (in flight: the most of any); per page, "
                 f"database writes {costs['database_ms']:.1f} ms, broker round trip "
                 f"{costs['broker_ms']:.1f} ms")  # fmt: skip
    tail = results["long_tail"]
    lines.append(f"long tail: {tail['pages']} book pages with the special ones (slow page "
                 f"{tail['slow_seconds']:g} s); pages stored while it was answered and while the "
                 f"503s backed off; seconds the browser page held its worker")  # fmt: skip
    lines.append(f"{'workers':>7}  {'N':>2}  {'seconds':>7}  {'pages/s':>7}  speed-up  "
                 f"{'during slow':>11}  {'during 503s':>11}  {'browser':>7}")  # fmt: skip
    for one in tail["runs"]:
        speedup = one["pages_per_second"] / tail["runs"][0]["pages_per_second"]
        lines.append(f"{one['workers']:>7}  {one['concurrency']:>2}  {one['seconds']:>7.2f}  "
                     f"{one['pages_per_second']:>7.1f}  {speedup:>7.1f}\N{MULTIPLICATION SIGN}  "
                     f"{one['during_slow']:>11}  {one['during_busy']:>11}  "
                     f"{one['browser_seconds']:>5.2f} s")  # fmt: skip
    return "\n".join(lines)


def _rate(results: dict, crawler: str, concurrency: int) -> float:
    return next(r["pages_per_second"] for r in results["runs"]
                if r["crawler"] == crawler and r["concurrency"] == concurrency)  # fmt: skip


def plot(results: dict, out_dir: Path | None) -> Path:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    levels = sorted({run["concurrency"] for run in results["runs"]})
    figure, (axes, tail_axes) = plt.subplots(1, 2, figsize=(10, 3.8), width_ratios=(2, 1))
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
    tail = results["long_tail"]
    names = [f"{r['workers']} \N{MULTIPLICATION SIGN} {r['concurrency']}" for r in tail["runs"]]
    bars = tail_axes.bar(names, [r["seconds"] for r in tail["runs"]], color="tab:gray")
    tail_axes.bar_label(bars, fmt="%.1f s", fontsize="small")
    tail_axes.set_xlabel("workers \N{MULTIPLICATION SIGN} requests in flight each")
    tail_axes.set_ylabel("seconds, end to end")
    tail_axes.set_title(f"long tail: {tail['pages']} pages, special ones included")
    for one in (axes, tail_axes):
        one.grid(alpha=0.3, axis="y")
    path = save_svg(figure, TALK, NAME, out_dir)
    plt.close(figure)
    return path


def measure(args: argparse.Namespace, folder: Path) -> dict:
    """Every crawl ``args.rounds`` times, the crawlers taking turns; each row is their median."""
    from tqdm import tqdm

    results: dict = {"pages": args.pages, "latency": args.latency, "rounds": args.rounds,
                     "bytecode_cache": not sys.dont_write_bytecode}  # fmt: skip
    tail = {"pages": args.tail_books + len(SPECIALS), "slow_seconds": args.slow, "runs": []}
    plan = [(n, crawler) for n in args.concurrency for crawler in CRAWLERS]
    samples: dict[tuple[int, str], list[dict]] = {one: [] for one in plan}
    with tqdm(total=args.rounds * len(plan) + len(args.long_tail), unit="crawl") as progress:
        for turn in range(args.rounds):  # a burst of load elsewhere hits one round, not a row
            for index, (n, crawler) in enumerate(plan):
                place = folder / f"{turn}-{index}"
                samples[n, crawler].append(one_run(crawler, n, args.pages, args.latency, place))
                progress.update()
        for workers, n in args.long_tail:
            place = folder / f"tail-{workers}-{n}"
            run = long_tail_run(workers, n, args.tail_books, args.latency, args.slow, place)
            tail["runs"].append(run)
            progress.update()
    results["runs"] = [_median(samples[one], args.pages) for one in plan]
    results["long_tail"] = tail
    results["costs"] = per_page_costs(folder)
    return results


def _median(runs: list[dict], pages: int) -> dict:
    """One row from several rounds: median time, the most requests in flight in any round."""
    seconds = statistics.median(run["seconds"] for run in runs)
    return {**runs[0], "seconds": seconds, "pages_per_second": pages / seconds,
            "first_page": statistics.median(run["first_page"] for run in runs),
            "peak_in_flight": max(run["peak_in_flight"] for run in runs),
            "each_round": [run["seconds"] for run in runs]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_vs_scrapy", description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--pages", type=int, default=200, help="book pages per crawl")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer")
    parser.add_argument("--tail-books", type=int, default=76, help="plain books beside specials")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds the slow page takes")
    parser.add_argument("--rounds", type=int, default=3, help="crawls of each kind, in turn")
    parser.add_argument("--smoke", action="store_true", help="tiny run for tests; writes nothing")
    parser.add_argument("--saved", action="store_true", help="print the saved table; no run")
    parser.add_argument("--replot", action="store_true", help="redraw the chart from the JSON")
    parser.add_argument("--out-dir", type=Path, help="where to write the JSON and SVG")
    args = parser.parse_args(argv)
    args.long_tail = LONG_TAIL
    if args.saved or args.replot:
        saved = assets_dir(TALK, args.out_dir) / f"{NAME}.json"
        table = show_saved(saved, report)  # a file of another shape is one line, not a traceback
        if args.replot:
            results = json.loads(saved.read_text(encoding="utf-8"))["results"]
            print(f"saved {plot(results, args.out_dir)}", file=sys.stderr)
        else:
            print(table)
        return 0
    if args.smoke:
        args.concurrency, args.pages, args.latency = [4], 12, 0.02
        args.tail_books, args.slow, args.long_tail, args.rounds = 3, 0.2, ((1, 2),), 1
    if not all(1 <= n <= 256 for n in args.concurrency) or not 1 <= args.pages <= 100_000:
        raise UsageError("--concurrency must be between 1 and 256, --pages between 1 and 100000")
    if not 0 < args.latency <= 10 or not 0 <= args.slow <= 60 or not 1 <= args.tail_books <= 10**4:
        raise UsageError("--latency must be more than 0 and at most 10 seconds, --slow at most "
                         "60, --tail-books between 1 and 10000")  # fmt: skip
    if not 1 <= args.rounds <= 100:
        raise UsageError("--rounds must be between 1 and 100")
    with tempfile.TemporaryDirectory(prefix="bench-vs-scrapy-") as name:
        results = measure(args, Path(name))
    print(report(results))
    if args.smoke:
        return 0
    print(f"saved {save_results(TALK, NAME, results, PACKAGES, args.out_dir)}", file=sys.stderr)
    print(f"saved {plot(results, args.out_dir)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_vs_scrapy")
