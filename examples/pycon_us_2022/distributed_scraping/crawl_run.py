"""One run of the ``crawl`` command, from its options to its summary, with no time lost.

The talk's architecture is all here: a controller that lists the work, a queue, workers that
could run anywhere, one shared database. What this module decides is *when* each part starts,
because a user times the command from the moment they press Enter:

- robots.txt is asked for on a thread before the heavy imports, and answered while they run (in
  a new crawl with no delay, the first catalogue page too);
- the first catalogue pages are read before Celery is imported: on another thread, Celery is
  imported, the queue emptied of an earlier run's messages and worker 1 started meanwhile, and
  that thread then sends each page's books, so that reading the catalogue never waits for it;
- worker 1 runs on threads of this process (``workers.EmbeddedWorker``), sharing its robots.txt
  rules and its cap in flight with the controller: at concurrency N the site never has more than N
  requests of this process open, catalogue pages included, and those go first;
- workers 2 and up are processes of their own, started before anything else.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from example_support.command_line import UsageError
from examples.pycon_us_2022.distributed_scraping.workers import LocalWorkers

if TYPE_CHECKING:
    import requests

    from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
    from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy


def run(
    url: str,
    db_url: str,
    broker: str,
    policy_options: dict,
    workers: tuple[int, LocalWorkers],
    max_pages: int | None,
    lease: float,
    quiet: bool,
    mail: tuple[str | None, str],
) -> None:
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the workers too, like Ctrl+C
    count, others = workers
    try:
        # Worker processes start first: their start-up overlaps this process's imports.
        with others, contextlib.ExitStack() as stack:
            from examples.pycon_us_2022.distributed_scraping import polite_session

            policy = polite_session.FetchPolicy(**policy_options)
            limit = others.concurrency if count else None
            first = _read_first(url, db_url, policy, limit)  # answered while the rest is imported
            from examples.pycon_us_2022.distributed_scraping import controller
            from examples.pycon_us_2022.distributed_scraping.alerts import summary
            from examples.pycon_us_2022.distributed_scraping.crawl_db import (
                CrawlDB,
                SharedRateLimiter,
            )
            from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT

            db = CrawlDB(db_url)
            # Catalogue pages go first: each one finds the work of every worker.
            fetcher = polite_session.PoliteSession(
                policy,
                limiter=SharedRateLimiter(db),
                robots_rules=polite_session.RobotsRules.shared(policy.text()),
                in_flight=IN_FLIGHT,
                urgent=True,
            )
            # Celery is imported, the queue emptied and worker 1 started on another thread while
            # the first catalogue pages are read: they need none of it. That thread then sends
            # the books as they are listed, so that reading the catalogue never waits for it.
            unfinished, embedded = db.urls("pending", "claimed"), (others, stack) if count else None
            outbox: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
            with ThreadPoolExecutor(1) as sender:
                sending = sender.submit(
                    _send, broker, lease, db, policy, unfinished, embedded, outbox
                )

                def on_books(urls: list[str]) -> None:
                    if sending.done():
                        sending.result()  # it stopped: say why
                    outbox.put(urls)

                ahead = {controller.normalise_url(url): first}
                try:
                    total = controller.collect(fetcher, db, url, max_pages, on_books, ahead)
                except controller.CrawlError as error:
                    raise UsageError(str(error)) from None
                finally:
                    outbox.put(None)
                sending.result()
            print(f"phase 1: {total} book URLs listed; phase 2: {count} local workers",
                  flush=True)  # fmt: skip
            _watch(db, policy, lease, quiet, total)
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


def _send(
    broker: str,
    lease: float,
    db: CrawlDB,
    policy: FetchPolicy,
    unfinished: list[str],
    embedded: tuple[LocalWorkers, contextlib.ExitStack] | None,
    outbox: queue.SimpleQueue[list[str] | None],
) -> None:
    """Celery's part: the broker, an empty queue, worker 1 on threads, what a last run left, then
    each catalogue page's books from ``outbox`` until None."""
    from examples.pycon_us_2022.distributed_scraping import controller, work_queue
    from examples.pycon_us_2022.distributed_scraping.workers import EmbeddedWorker

    work_queue.configure(broker, lease)
    try:
        work_queue.purge()  # stale messages of an earlier run: the database has the rest
    except work_queue.BrokerError as error:
        raise UsageError(f"cannot reach the broker {broker}: {error}") from None
    if embedded:
        others, stack = embedded
        log = others.log_dir / "worker-1.log"
        stack.enter_context(EmbeddedWorker("worker-1", others.concurrency, log))
    controller.send(db, policy, unfinished)
    while (urls := outbox.get()) is not None:
        controller.send(db, policy, urls)


def _read_first(url: str, db_url: str, policy: FetchPolicy, limit: int | None) -> Future:
    """robots.txt, on a thread; and the first catalogue page too, in a new crawl with no delay.

    A crawl whose database does not exist yet has no request slot booked, no ``Retry-After`` on
    hold and no worker at work, so its first page may leave before the database exists. With a
    delay, or a database from an earlier run, the future gives None: the controller reads it.
    """
    from examples.pycon_us_2022.distributed_scraping import polite_session
    from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT

    IN_FLIGHT.limit = limit  # the slots this process shares: at most N requests, these included
    rules = polite_session.RobotsRules.shared(policy.text())
    session = polite_session.PoliteSession(policy, robots_rules=rules, in_flight=IN_FLIGHT)
    new = "://" not in db_url and not Path(db_url).exists() and policy.delay == 0

    def read() -> requests.Response | None:
        if policy.obey_robots:
            with contextlib.suppress(Exception):  # the controller meets it again, and says it
                session.robots(url)
        return session.get(url) if new and session.delay_for(url) == 0 else None

    reader = ThreadPoolExecutor(1, thread_name_prefix="first")
    first = reader.submit(read)
    reader.shutdown(wait=False)  # its thread ends with its one task
    return first


def _watch(db: CrawlDB, policy: FetchPolicy, lease: float, quiet: bool, total: int) -> None:
    """Phase 2: wait until every URL is finished, with a progress bar unless ``quiet``."""
    from examples.pycon_us_2022.distributed_scraping import controller

    if quiet:
        controller.watch(db, policy, lease=lease, poll=0.02)
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="page", file=sys.stderr, mininterval=0.5) as bar:

        def update(finished: int, total: int) -> None:
            bar.total = total
            bar.update(finished - bar.n)

        controller.watch(db, policy, lease=lease, poll=0.02, progress=controller.Progress(update))


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt
