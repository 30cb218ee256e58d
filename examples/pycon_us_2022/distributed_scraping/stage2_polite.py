"""Stage 2, the talk's intermediate scraper: still one process, now polite, tracked and resumable.

Same two phases as stage 1, with the improvements the talk lists: robots.txt, an honest
User-Agent, a per-host delay, bounded retries on transient errors only, a browser for the
JavaScript page, and tracking of successes and failures in the crawl database, so that a crash
or Ctrl+C loses nothing: running it again continues where it stopped. Its weakness is the talk's
too: it is slower than stage 1, because it now waits on purpose.
"""

from __future__ import annotations

import argparse
import time

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.alerts import summary
from examples.pycon_us_2022.distributed_scraping.controller import CrawlError, collect
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.crawl_options import (
    add_crawl_options,
    check_crawl_options,
)
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.scraping_node import scrape


def crawl(start_url: str, db: CrawlDB, policy: FetchPolicy, max_pages: int | None = None) -> None:
    """Collect the URLs, then scrape every one not finished yet, in this process."""
    fetcher = PoliteSession(policy)
    collect(fetcher, db, start_url, max_pages)
    for url in db.urls("pending", "claimed"):
        db.claim(url)
        outcome = scrape(fetcher, url)
        db.finish(
            url,
            outcome.status,
            http_status=outcome.http_status,
            error=outcome.error,
            attempts=outcome.attempts,
            rendered=outcome.rendered,
            **(outcome.data or {}),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stage2_polite", description=__doc__.split("\n")[0])
    add_crawl_options(parser, db_default="sqlite://", db_help="crawl database (default: in memory)")
    args = parser.parse_args(argv)
    check_crawl_options(args)
    db = CrawlDB(args.db)
    started = time.perf_counter()
    try:
        crawl(args.url, db, FetchPolicy(delay=args.delay), args.max_pages)
    except CrawlError as error:
        raise UsageError(str(error)) from None
    print(summary(db, time.perf_counter() - started)[1])
    return 0


if __name__ == "__main__":
    run(main, prog="stage2_polite")
