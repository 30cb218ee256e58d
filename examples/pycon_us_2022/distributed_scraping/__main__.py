"""The distributed scraper's command line (Click, the talk's pick for command-line arguments).

    python -m examples.pycon_us_2022.distributed_scraping serve-test-site --port 8022
    python -m examples.pycon_us_2022.distributed_scraping crawl http://127.0.0.1:8022/catalogue/page-1.html
    python -m examples.pycon_us_2022.distributed_scraping status --db crawl.sqlite
    python -m examples.pycon_us_2022.distributed_scraping worker --broker redis://host:6379/0

``crawl --test-site`` serves the local test site itself for one self-contained run.
"""

from __future__ import annotations

import contextlib
import functools
import math
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import click

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite, serve
from examples.pycon_us_2022.distributed_scraping.crawl_options import check_broker, check_db_path
from examples.pycon_us_2022.distributed_scraping.workers import POOLS, LocalWorkers, run_worker

PROG = "distributed_scraping"


CONCURRENCY = click.option(
    "--concurrency",
    default=8,
    type=click.IntRange(1, 256),
    show_default=True,
    help="Pages each worker keeps in flight (threads).",
)


def _finite(context: click.Context, option: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets inf and nan through
        raise click.BadParameter(f"{value} is not a finite number", context, option)
    return value


@click.group(help=__doc__.split("\n")[0])
def cli() -> None:
    pass


@cli.command("serve-test-site")
@click.option("--port", default=8022, type=click.IntRange(0, 65535), show_default=True)
@click.option("--books", default=40, type=click.IntRange(1, 10**6), show_default=True)
@click.option(
    "--latency",
    default=0.0,
    type=click.FloatRange(0, 60),
    callback=_finite,
    help="Seconds per answer.",
)
@click.option(
    "--crawl-delay",
    default=0.0,
    type=click.FloatRange(0, 86400),
    callback=_finite,
    help="robots.txt Crawl-delay.",
)
def serve_test_site(port: int, books: int, latency: float, crawl_delay: float) -> None:
    """Serve the local test site on 127.0.0.1 until Ctrl+C."""
    serve(port, books=books, latency=latency, crawl_delay=crawl_delay)


@cli.command()
@click.argument("url", required=False)
@click.option(
    "--workers",
    default=2,
    type=click.IntRange(0),
    show_default=True,
    help="Local worker processes (0: only workers started elsewhere).",
)
@click.option("--broker", help="filesystem://PATH (default: next to --db), redis://… or amqp://…")
@click.option(
    "--db", help="Crawl database: a SQLite file or a SQLAlchemy URL.  [default: crawl.sqlite]"
)
@click.option("--max-pages", type=click.IntRange(1), help="Scrape at most this many book pages.")
@click.option(
    "--delay",
    default=1.0,
    type=click.FloatRange(0),
    show_default=True,
    help="Seconds between two requests to one host, for the whole crawl.",
    callback=_finite,
)
@click.option(
    "--lease",
    default=120.0,
    type=click.FloatRange(0.5),
    show_default=True,
    help="Seconds before an untouched URL is sent again.",
    callback=_finite,
)
@CONCURRENCY
@click.option("--fake-user-agent", is_flag=True, help="Random browser User-Agents (see the page).")
@click.option("--proxy", help="Forward proxy for every request, e.g. http://127.0.0.1:8023.")
@click.option("--mail-to", help="Mail the completion summary to this address.")
@click.option("--smtp", default="127.0.0.1:8025", show_default=True, help="SMTP server HOST:PORT.")
@click.option("--test-site", is_flag=True, help="Serve the local test site for this crawl.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def crawl(
    url: str | None,
    workers: int,
    broker: str | None,
    db: str | None,
    max_pages: int | None,
    delay: float,
    lease: float,
    concurrency: int,
    fake_user_agent: bool,
    proxy: str | None,
    mail_to: str | None,
    smtp: str,
    test_site: bool,
    quiet: bool,
) -> None:
    """Crawl URL (a first catalogue page); run it again to resume."""
    if not url and not test_site:
        raise UsageError("give a URL to crawl, or --test-site")
    if url and not url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {url}")
    with _site_and_folder(test_site, db) as (site_url, folder):
        url = url or f"{site_url}catalogue/page-1.html"
        db = db or str(folder / "crawl.sqlite")
        check_db_path(db)
        state = Path(f"{db}.d") if "://" not in db else Path("crawl-state")
        broker = broker or f"filesystem://{(state / 'broker').resolve()}"
        check_broker(broker)
        policy = {"delay": delay, "fake_user_agent": fake_user_agent, "proxy": proxy}
        local = LocalWorkers(workers, broker, state / "logs", lease, concurrency)
        _run_crawl(url, db, broker, policy, local, max_pages, lease, quiet, (mail_to, smtp))


def _run_crawl(
    url: str,
    db_url: str,
    broker: str,
    policy_options: dict,
    workers: LocalWorkers,
    max_pages: int | None,
    lease: float,
    quiet: bool,
    mail: tuple[str | None, str],
) -> None:
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the workers too, like Ctrl+C
    try:
        # The workers start first: their start-up overlaps this process's imports (Celery,
        # SQLAlchemy) and phase 1, and they fetch the catalogue's books as they come.
        with workers:
            from tqdm import tqdm

            from examples.pycon_us_2022.distributed_scraping import controller, work_queue
            from examples.pycon_us_2022.distributed_scraping.alerts import summary
            from examples.pycon_us_2022.distributed_scraping.crawl_db import (
                CrawlDB,
                SharedRateLimiter,
            )
            from examples.pycon_us_2022.distributed_scraping.polite_session import (
                FetchPolicy,
                PoliteSession,
            )

            work_queue.configure(broker, lease)
            db, policy = CrawlDB(db_url), FetchPolicy(**policy_options)
            controller.start(db, policy)
            fetcher = PoliteSession(policy, limiter=SharedRateLimiter(db))
            on_books = functools.partial(controller.send, db, policy)
            try:
                total = controller.collect(fetcher, db, url, max_pages, on_books)
            except controller.CrawlError as error:
                raise UsageError(str(error)) from None
            print(f"phase 1: {total} book URLs listed; phase 2: {workers.count} local workers",
                  flush=True)  # fmt: skip
            bar = tqdm(total=total, unit="page", disable=quiet, file=sys.stderr, mininterval=0.5)
            with bar:

                def update(finished: int, total: int) -> None:
                    bar.total = total
                    bar.update(finished - bar.n)

                progress = controller.Progress(update)
                controller.watch(db, policy, lease=lease, poll=0.05, progress=progress)
            subject, body = summary(db, time.perf_counter() - started)
            print(body, flush=True)  # finished: stopping the workers is only cleaning up
    except KeyboardInterrupt:
        from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB, status_report

        print("interrupted; run the same command to resume.", flush=True)
        print(status_report(CrawlDB(db_url)), flush=True)
        raise
    if mail[0]:
        from examples.pycon_us_2022.distributed_scraping.alerts import send_mail

        send_mail(subject, body, *mail)
        print(f"summary mailed to {mail[0]}")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _site_and_folder(test_site: bool, db: str | None) -> Iterator[tuple[str, Path]]:
    """The test site's URL if asked for, and a folder for the crawl's files (temporary: no --db)."""
    with contextlib.ExitStack() as stack:
        site_url = ""
        if test_site:
            site_url = stack.enter_context(BookSite(slow_seconds=1.0)).url
        if db is None and test_site:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="crawl-")))
        else:
            folder = Path()
        yield site_url, folder


@cli.command()
@click.option("--db", default="crawl.sqlite", show_default=True, help="The crawl database.")
def status(db: str) -> None:
    """How far a crawl got: done, failed, pending."""
    from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB, status_report

    check_db_path(db)
    if "://" not in db and not Path(db).is_file():
        raise UsageError(f"no crawl database at {db}")
    print(status_report(CrawlDB(db)))


@cli.command()
@click.option("--broker", required=True, help="The crawl's broker URL.")
@click.option("--name", default="worker", show_default=True, help="This worker's name.")
@click.option(
    "--lease", default=120.0, type=click.FloatRange(0.5), show_default=True, callback=_finite
)
@CONCURRENCY
@click.option("--pool", type=click.Choice(POOLS), default="threads", show_default=True)
def worker(broker: str, name: str, lease: float, concurrency: int, pool: str) -> None:
    """Run one scraping node (a Celery worker) for a crawl; it takes crawl after crawl."""
    check_broker(broker)  # an unsupported broker is one line, before Celery starts
    run_worker(broker, name, lease, concurrency, pool)


def main() -> int:
    try:
        return cli.main(prog_name=PROG, standalone_mode=False) or 0
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    except click.ClickException as error:
        raise UsageError(error.format_message()) from None


if __name__ == "__main__":
    run(main, prog=PROG)
