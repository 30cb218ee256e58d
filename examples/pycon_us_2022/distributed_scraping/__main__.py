"""The distributed scraper's command line (Click, the talk's pick for command-line arguments).

    python -m examples.pycon_us_2022.distributed_scraping serve-test-site --port 8022
    python -m examples.pycon_us_2022.distributed_scraping crawl http://127.0.0.1:8022/catalogue/page-1.html
    python -m examples.pycon_us_2022.distributed_scraping status --db crawl.sqlite
    python -m examples.pycon_us_2022.distributed_scraping worker --broker redis://host:6379/0

``crawl --test-site`` serves the local test site itself for one self-contained run.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import click

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import crawl_run
from examples.pycon_us_2022.distributed_scraping.crawl_options import check_broker, check_db_path
from examples.pycon_us_2022.distributed_scraping.workers import POOLS, LocalWorkers, run_worker

PROG = "distributed_scraping"


CONCURRENCY = click.option(
    "--concurrency",
    default=8,
    type=click.IntRange(1, 256),
    show_default=True,
    help="Requests each worker keeps in flight (on twice as many threads).",
)


def _finite(context: click.Context, option: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets inf and nan through
        raise click.BadParameter(f"{value} is not a finite number", context, option)
    return value


SECONDS = {"default": 0.0, "callback": _finite}  # a finite number of seconds, 0 by default


@click.group(help=__doc__.split("\n")[0])
def cli() -> None:
    pass


@cli.command("serve-test-site")
@click.option("--port", default=8022, type=click.IntRange(0, 65535), show_default=True)
@click.option("--books", default=40, type=click.IntRange(1, 10**6), show_default=True)
@click.option("--latency", type=click.FloatRange(0, 60), help="Seconds per answer.", **SECONDS)
@click.option("--crawl-delay", type=click.FloatRange(0, 86400), help="robots.txt Crawl-delay.",
              **SECONDS)  # fmt: skip
def serve_test_site(port: int, books: int, latency: float, crawl_delay: float) -> None:
    """Serve the local test site on 127.0.0.1 until Ctrl+C."""
    from examples.pycon_us_2022.distributed_scraping.book_site import serve

    serve(port, books=books, latency=latency, crawl_delay=crawl_delay)


@cli.command()
@click.argument("url", required=False)
@click.option(
    "--workers",
    default=2,
    type=click.IntRange(0),
    show_default=True,
    help="Local workers: the first on threads of this process (0: only workers started elsewhere).",
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
    try:
        _ = urlsplit(url or "").port  # a bracket left open, a port out of range: not a URL
    except ValueError:
        raise UsageError(f"not a URL: {url}") from None
    with _site_and_folder(test_site, db) as (site_url, folder):
        url = url or f"{site_url}catalogue/page-1.html"
        db = db or str(folder / "crawl.sqlite")
        check_db_path(db)
        state = Path(f"{db}.d") if "://" not in db else Path("crawl-state")
        broker = broker or f"filesystem://{(state / 'broker').resolve()}"
        check_broker(broker)
        policy = {"delay": delay, "fake_user_agent": fake_user_agent, "proxy": proxy}
        # Worker 1 runs on threads of this process; workers 2 and up are processes of their own.
        local = LocalWorkers(
            max(0, workers - 1), broker, state / "logs", lease, concurrency, first=2
        )
        crawl_run.run(
            url, db, broker, policy, (workers, local), max_pages, lease, quiet, (mail_to, smtp)
        )


@contextlib.contextmanager
def _site_and_folder(test_site: bool, db: str | None) -> Iterator[tuple[str, Path]]:
    """The test site's URL if asked for, and a folder for the crawl's files (temporary: no --db)."""
    with contextlib.ExitStack() as stack:
        site_url = ""
        if test_site:
            from examples.pycon_us_2022.distributed_scraping.book_site import BookSite

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
