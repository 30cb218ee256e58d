"""The work queue on Celery: one task per URL, acknowledged only once its result is stored.

Settings that make a killed worker lose nothing:

- ``task_acks_late``: a message is acknowledged *after* the task ran, not when it was received,
  so a worker that dies mid-page leaves the message unacknowledged and the broker delivers it again.
- ``task_reject_on_worker_lost``: when the pool process running a task is killed, the message is
  put back on the queue instead of being acknowledged as failed. Celery warns that this can loop:
  a page that kills its worker every time (a browser that runs out of memory, say) would come back
  forever, since brokers do not count requeues. The crawl database counts deliveries instead, and
  a URL claimed more than ``MAX_DELIVERIES`` times is marked failed without being fetched again.
- ``worker_prefetch_multiplier = 1``: a worker holds one message per thread, and it runs two
  threads per request it may have in flight (its ``--concurrency``): while one thread's request
  is on the wire, another parses and stores its page, so the wire never waits for Python. No
  message waits behind a slow page in a worker, and a dead worker strands those few URLs, not a
  prefetched batch. A prefork worker, whose processes take one page at a time, holds two per
  process instead (``workers.run_worker``): one running, one ready.

A worker runs its tasks on threads (``workers.py``): fetching is waiting, and a waiting thread
costs a little memory, where a process per request would cost an interpreter. Every thread has
its own HTTP session (so each page's tries are its own) and shares the process's robots.txt
rules, its cap on requests in flight (``IN_FLIGHT``) and, through the crawl database, the
per-host slots of every worker.

Broker: ``filesystem://PATH`` (the embedded default: a folder of message files that kombu moves
atomically, nothing to install, one machine) or any Celery broker URL such as
``redis://host:6379/0`` or ``amqp://host`` to spread workers over machines (the tests cover the
filesystem and Redis brokers; RabbitMQ is accepted but untested here). The filesystem
transport has no visibility timeout, so a message held by a worker killed with ``kill -9`` is
lost from the queue; the crawl database notices the URL went stale and the controller sends it
again (``controller.requeue_stale``). Redis redelivers after ``visibility_timeout`` as well.
kombu's filesystem transport writes a message file where workers look for it, so a worker can take
it while it is still empty and lose it (``JSONDecodeError`` in its log); here each message is
written beside the queue and renamed into it, whole (``atomicfs``, below).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from functools import cache
from pathlib import Path

from celery import Celery
from kombu.exceptions import ChannelError, OperationalError
from kombu.transport import TRANSPORT_ALIASES, filesystem

from example_support.command_line import run
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB, SharedRateLimiter
from examples.pycon_us_2022.distributed_scraping.crawl_options import check_broker
from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT, RobotsRules
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.scraping_node import scrape


class AtomicFilesystemChannel(filesystem.Channel):
    def _put(self, queue: str, payload: dict, **kwargs: object) -> None:
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"  # kombu's order
        staged = Path(self.data_folder_out).parent / "staging" / name
        staged.write_text(json.dumps(payload), encoding="utf-8")
        staged.replace(Path(self.data_folder_out) / name)  # appears whole, or not at all


class AtomicFilesystemTransport(filesystem.Transport):
    Channel = AtomicFilesystemChannel


TRANSPORT_ALIASES["atomicfs"] = f"{__name__}:AtomicFilesystemTransport"
QUEUE = "scrape"
BrokerError = OperationalError  # the broker cannot be reached (the crawl says so in one line)
MAX_DELIVERIES = 3  # a URL whose worker died this many times is given up, not redelivered forever
app = Celery("distributed_scraping")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,  # results go to the crawl database, once per URL
    task_default_queue=QUEUE,
    task_serializer="json",  # messages are text: any language or tool can read the queue
    accept_content=["json"],
    worker_enable_remote_control=False,  # no broadcast queue: the filesystem broker stays simple
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


def configure(broker: str, lease: float = 120.0) -> None:
    """Point the app at ``broker`` (``filesystem://PATH``, ``redis://…``, ``amqp://…``)."""
    # Celery keeps its connection and producer pools for the app's life; when one process points
    # the app at another broker (the benchmark does), the pools of the old one must go.
    app._after_fork()
    if broker.startswith("filesystem://"):
        folder = Path(broker.removeprefix("filesystem://") or "crawl-broker").resolve()
        for name in ("queue", "staging", "processed", "control"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            # Next to the queue, so that taking a message is an atomic rename on one file system.
            "store_processed": True,
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "polling_interval": 0.01,  # an idle worker looks for new files 100 times a second
        }
        app.conf.update(broker_url="atomicfs://", broker_transport_options=options)
    else:
        check_broker(broker)
        app.conf.update(broker_url=broker, broker_transport_options={"visibility_timeout": lease})


@cache
def crawl_db(url: str) -> CrawlDB:
    """The process's one handle on a crawl database, shared by its threads."""
    return CrawlDB(url)


def fetcher(db: str, policy: str, *, urgent: bool = False) -> PoliteSession:
    """A session that shares the process's robots.txt, cap in flight and the crawl's slots."""
    return PoliteSession(
        FetchPolicy(**json.loads(policy)),
        limiter=SharedRateLimiter(crawl_db(db)),
        robots_rules=RobotsRules.shared(policy),  # one read per process, for all its threads
        in_flight=IN_FLIGHT,
        urgent=urgent,
    )


_sessions = threading.local()


def _fetcher(db: str, policy: str) -> PoliteSession:
    # One session per thread, kept between tasks: its connections are reused.
    mine = _sessions.__dict__.setdefault("by_crawl", {})
    if (db, policy) not in mine:
        mine[db, policy] = fetcher(db, policy)
    return mine[db, policy]


@app.task(name="scrape_page")
def scrape_page(url: str, db: str, policy: str) -> str:
    """Fetch, parse and store one URL; a URL stored already (a redelivery) is skipped unfetched."""
    crawl = crawl_db(db)
    if not (delivered := crawl.claim_delivery(url, scrape_page.request.hostname)):
        return "skipped"
    if delivered > MAX_DELIVERIES:
        error = f"given up after {delivered - 1} deliveries: its worker was lost every time"
        crawl.finish(url, "failed", error=error)
        return "failed"
    outcome = scrape(_fetcher(db, policy), url)
    crawl.finish(
        url,
        outcome.status,
        http_status=outcome.http_status,
        final_url=outcome.final_url,
        error=outcome.error,
        attempts=outcome.attempts,
        rendered=outcome.rendered,
        **(outcome.data or {}),
    )
    return outcome.status


def send(urls: list[str], db: str, policy: FetchPolicy) -> None:
    """Put one message per URL on the queue."""
    payload = policy.text()
    with app.producer_or_acquire() as producer:
        for url in urls:
            scrape_page.apply_async((url, db, payload), producer=producer)


def queued() -> int:
    """Messages waiting in the queue (not counting those a worker holds)."""
    with app.connection_for_write() as connection:
        try:
            return connection.default_channel.queue_declare(QUEUE, passive=True).message_count
        except ChannelError:  # Redis deletes an empty list: no queue means no message
            return 0


def purge() -> int:
    """Drop every waiting message (a restarted crawl re-sends what its database says is pending)."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0.5)  # unreachable: say so soon
        try:
            return connection.default_channel.queue_purge(QUEUE) or 0
        except ChannelError:
            return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="work_queue", description=__doc__.split("\n")[0])
    parser.add_argument("--broker", required=True, help="filesystem://PATH, redis://… or amqp://…")
    args = parser.parse_args(argv)
    configure(args.broker)
    print(f"{queued()} messages waiting in {QUEUE!r} on {app.conf.broker_url}")
    return 0


if __name__ == "__main__":
    run(main, prog="work_queue")
