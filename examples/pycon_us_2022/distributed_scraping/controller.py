"""The controller: phase 1 lists the work, phase 2 hands it to the workers and watches it finish.

Phase 1 walks the catalogue politely and inserts every book URL into the crawl database (the
primary key is the deduplication, on normalised URLs). Phase 2 purges the queue, sends one message
per unfinished URL, and then only *watches*: the workers store results themselves. The two phases
overlap when ``collect`` is given ``on_books``: each catalogue page's new book URLs are sent at
once, so the workers fetch books while the controller still reads the catalogue. While it
watches it shows progress and re-sends any URL that went stale (its message died with a killed
worker). Because the database, not the queue, is the record of what is done, a crawl that is
interrupted and run again sends only what is still pending, and no finished page is fetched
twice.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import tenacity

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.book_pages import normalise_url, parse_catalogue
from examples.pycon_us_2022.distributed_scraping.crawl_db import FINISHED, CrawlDB
from examples.pycon_us_2022.distributed_scraping.crawl_options import (
    add_crawl_options,
    check_crawl_options,
)
from examples.pycon_us_2022.distributed_scraping.polite_session import (
    Disallowed,
    FetchPolicy,
    PoliteSession,
)


class CrawlError(Exception):
    """The crawl cannot start, e.g. its first catalogue page does not answer."""


def collect(
    fetcher: PoliteSession,
    db: CrawlDB,
    start_url: str,
    max_pages: int | None,
    on_books: Callable[[list[str]], None] | None = None,
    ahead: dict[str, Future] | None = None,
) -> int:
    """Phase 1: follow the catalogue pages, adding book URLs until ``max_pages``; returns the total.

    Catalogue pages are rows too (kind "index"), so a restarted crawl continues from the first
    catalogue page it has not read, and never reads one twice. ``on_books`` receives each page's
    new pending book URLs as soon as they are stored. Each page names the next one, so the pages
    are read one after the other; the next is requested as soon as this one is parsed, and this
    one's links are stored while it is on its way. ``ahead`` holds pages already on their way
    (normalised URL: a future of its response, or of None to read it here after all).
    """
    start_url = normalise_url(start_url)
    db.add(start_url, "index")

    def room() -> bool:
        return max_pages is None or sum(db.counts().values()) < max_pages

    ahead = dict(ahead or {})
    cold = True
    with ThreadPoolExecutor(1, thread_name_prefix="catalogue") as reader:
        while room() and (todo := db.urls("pending", "claimed", kind="index")):
            page = todo[0]
            try:
                reading = ahead.pop(page, None) or reader.submit(fetcher.get, page)
                if cold:  # the parser's first run compiles its selectors: do it meanwhile
                    cold = bool(parse_catalogue("", start_url)[0])
                if (response := reading.result()) is None:
                    response = fetcher.get(page)
                response.raise_for_status()
            except (Disallowed, requests.RequestException, tenacity.RetryError) as error:
                reason = str(error) or type(error).__name__
                if isinstance(error, Disallowed):
                    reason = "robots.txt disallows it, or could not be read"
                db.finish(page, "failed", error=reason)
                if page == start_url:
                    raise CrawlError(f"cannot read {start_url}: {reason}") from None
                continue
            links, following = parse_catalogue(response.text, response.url)
            if following and max_pages is None:  # read the next page while this one is stored
                ahead[following] = reader.submit(fetcher.get, following)
            known = db.known(links)
            ours = [link for link in links if on_site(link, start_url) and link not in known]
            left = max(0, max_pages - sum(db.counts().values())) if max_pages else len(ours)
            new = [link for link in ours[:left] if fetcher.allowed(link)]
            rows = [(link, "other", "skipped") for link in links if not on_site(link, start_url)]
            rows += [(link, "book", "pending" if link in new else "disallowed")
                     for link in ours[:left]]  # fmt: skip
            # Cut short by --max-pages, the page stays pending: a larger limit reads it again.
            cut_short = len(ours) > left
            if following and not cut_short:
                rows.append((following, "index", "pending"))
                if max_pages is not None and left > len(ours):  # room for more books
                    ahead[following] = reader.submit(fetcher.get, following)
            db.add_links(rows, read="" if cut_short else page, status=response.status_code)
            if new and on_books:
                on_books(new)
            if cut_short:
                break
    return sum(db.counts().values())


def on_site(url: str, start_url: str) -> bool:
    """An http(s) URL on the crawl's own host (the only pages its robots.txt speaks for)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc == urlsplit(start_url).netloc


@dataclass
class Progress:
    """What the controller reports while it watches: called after every look at the database."""

    update: Callable[[int, int], None] = lambda finished, total: None


def dispatch(
    db: CrawlDB,
    policy: FetchPolicy,
    *,
    lease: float = 120.0,
    poll: float = 0.2,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> dict[str, int]:
    """Phase 2: queue every unfinished URL, then wait until none is left; returns the counts."""
    start(db, policy)
    return watch(db, policy, lease=lease, poll=poll, progress=progress, timeout=timeout)


def start(db: CrawlDB, policy: FetchPolicy) -> None:
    """Drop what an earlier run left on the queue and send what its database says is unfinished."""
    from examples.pycon_us_2022.distributed_scraping import work_queue  # Celery: only to send

    work_queue.purge()  # stale messages of an earlier run: the database says what is left
    send(db, policy, db.urls("pending", "claimed"))


def send(db: CrawlDB, policy: FetchPolicy, urls: list[str]) -> None:
    from examples.pycon_us_2022.distributed_scraping import work_queue

    if urls:
        db.mark_enqueued(urls)
        work_queue.send(urls, db.url, policy)


def watch(
    db: CrawlDB,
    policy: FetchPolicy,
    *,
    lease: float = 120.0,
    poll: float = 0.2,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> dict[str, int]:
    """Wait until every URL is finished, re-sending those whose message was lost.

    It looks at the database every ``poll`` seconds once a few pages are left, and less often
    before (up to four times a second), so that watching costs the workers little CPU.
    """
    progress = progress or Progress()
    started = last_check = time.monotonic()
    while True:
        counts = db.counts()
        finished = sum(counts.get(status, 0) for status in FINISHED)
        total = sum(counts.values())
        progress.update(finished, total)
        if finished == total:
            return counts
        now = time.monotonic()
        if timeout is not None and now - started > timeout:
            raise TimeoutError(f"crawl not finished after {timeout} s: {counts}")
        if now - last_check > min(lease / 2, 5):
            last_check = now
            requeue_stale(db, policy, lease)
        time.sleep(min(max(poll, 0.25), poll * max(1, (total - finished) / 4)))


def requeue_stale(db: CrawlDB, policy: FetchPolicy, lease: float) -> list[str]:
    """Re-send URLs untouched for ``lease`` seconds while the queue is empty: they were lost."""
    from examples.pycon_us_2022.distributed_scraping import work_queue

    if work_queue.queued():
        return []
    stale = db.stale(lease)
    send(db, policy, stale)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="controller", description=__doc__.split("\n")[0])
    add_crawl_options(parser, db_default="sqlite://", db_help="crawl database (default: in memory)")
    args = parser.parse_args(argv)
    check_crawl_options(args)
    db = CrawlDB(args.db)
    try:
        total = collect(PoliteSession(FetchPolicy(delay=args.delay)), db, args.url, args.max_pages)
    except CrawlError as error:
        raise UsageError(str(error)) from None
    print(f"phase 1 listed {total} book URLs: {db.counts()}")
    return 0


if __name__ == "__main__":
    run(main, prog="controller")
