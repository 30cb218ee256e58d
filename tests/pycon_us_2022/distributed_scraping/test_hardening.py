"""Issue 18's scraping defects, each pinned, and politeness under many concurrent requests."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from examples.pycon_us_2022.distributed_scraping import controller, work_queue, workers
from examples.pycon_us_2022.distributed_scraping.book_pages import parse_catalogue
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import (
    CrawlDB,
    SharedRateLimiter,
    status_report,
)
from examples.pycon_us_2022.distributed_scraping.host_limits import IN_FLIGHT, InFlight
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.scraping_node import scrape
from examples.pycon_us_2022.distributed_scraping.workers import LocalWorkers

from .conftest import run_module

SITE = "http://books.test/"


def catalogue(*hrefs: str) -> str:
    return "".join(f'<a class="book" href="{href}">b</a>' for href in hrefs)


@dataclass
class Page:
    text: str
    url: str
    status_code: int = 200

    def raise_for_status(self) -> None:
        pass


class OneCatalogue:
    """A fetcher that serves one catalogue page and remembers which links it was asked about."""

    def __init__(self, html: str) -> None:
        self.html, self.asked = html, []

    def get(self, url: str) -> Page:
        return Page(self.html, url)

    def allowed(self, url: str) -> bool:
        self.asked.append(url)
        return True


def test_a_link_and_its_fragment_variant_are_one_page() -> None:
    html = catalogue("../book/1#reviews", "../book/1", "HTTP://BOOKS.TEST:80/book/1")
    assert parse_catalogue(html, SITE + "catalogue/page-1.html")[0] == [SITE + "book/1"]
    db = CrawlDB("sqlite://")
    assert controller.collect(OneCatalogue(html), db, SITE + "catalogue/page-1.html", None) == 1
    assert db.urls() == [SITE + "book/1"]


def test_links_off_the_crawled_host_are_skipped_not_called_disallowed() -> None:
    html = catalogue("mailto:shop@books.test", "javascript:void(0)", "http://other.test/b", "/b/1")
    fetcher, db = OneCatalogue(html), CrawlDB("sqlite://")
    controller.collect(fetcher, db, SITE + "catalogue/page-1.html", None)
    assert fetcher.asked == [SITE + "b/1"], "robots.txt is asked only about the site's own pages"
    assert db.counts() == {"pending": 1}
    assert db.counts(kind="other") == {"skipped": 3}
    assert status_report(db).startswith(
        "done 0, failed 0, pending 1, disallowed by robots.txt 0, "
        "skipped 3 (not http(s) on the crawled host)"
    )


def test_a_huge_response_is_abandoned_not_downloaded_whole() -> None:
    with BookSite(books=1) as site:
        fetcher = PoliteSession(FetchPolicy(delay=0, max_bytes=1_000_000))
        outcome = scrape(fetcher, site.url + "books/huge.html")
        sent = site.traffic.bytes_sent["/books/huge.html"]
    assert outcome.status == "failed"
    assert outcome.error == "response larger than 1,000,000 bytes"
    assert sent < 10 * 2**20, f"{sent} bytes of 20 MiB sent: the fetch stopped reading early"


def test_retry_after_holds_back_every_request_to_the_host_not_only_the_retry() -> None:
    with BookSite(books=2) as site:
        fetcher = PoliteSession(FetchPolicy(delay=0))
        fetcher.robots(site.url)
        throttled = threading.Thread(target=fetcher.get, args=[site.url + "books/throttled.html"])
        throttled.start()
        time.sleep(0.3)  # the 429 has arrived: Retry-After: 1 holds the host
        PoliteSession(FetchPolicy(delay=0), limiter=fetcher.limiter).get(site.url + "books/1.html")
        throttled.join()
        first = {}
        for at, path in site.traffic.arrivals:
            first.setdefault(path, at)
    assert first["/books/1.html"] - first["/books/throttled.html"] >= 0.95, "held by the 429"


def test_politeness_holds_with_several_workers_each_running_many_requests(
    tmp_path: Path, redis_url: str
) -> None:
    """Two workers of four threads each; one shared slot per delay for every request to the host."""
    delay, broker = 0.1, redis_url
    db = CrawlDB(str(tmp_path / "crawl.sqlite"))
    policy = FetchPolicy(delay=delay, jitter=0.0)
    work_queue.configure(broker, lease=30)
    with BookSite(books=24, specials=False, latency=0.05) as site:
        with LocalWorkers(2, broker, tmp_path / "logs", 30, concurrency=4) as workers:
            workers.wait_ready()
            controller.start(db, policy)
            fetcher = PoliteSession(policy, limiter=SharedRateLimiter(db))
            url = site.url + "catalogue/page-1.html"
            controller.collect(
                fetcher, db, url, None, lambda urls: controller.send(db, policy, urls)
            )
            counts = controller.watch(db, policy, lease=30, poll=0.05, timeout=60)
        arrivals = [at for at, path in site.traffic.arrivals if path != "/robots.txt"]
        assert "/private/staff-picks.html" not in site.hits
    assert counts == {"done": 24}
    assert len({row["claimed_by"].split("@")[0] for row in db.rows()}) == 2, "both workers worked"
    assert len(arrivals) == 24 + 3, "24 books and 3 catalogue pages, each once"
    # Slots are booked one delay apart; on a loaded machine threads can wake late for their
    # slots, so a few arrivals may bunch up, but over ten requests the slots show: without a
    # shared delay, eight threads fetching 50 ms pages would send ten in about 0.1 s.
    arrivals.sort()
    spans = [arrivals[i + 9] - arrivals[i] for i in range(len(arrivals) - 9)]
    assert min(spans) >= 9 * delay - 0.3, f"ten requests within {min(spans):.3f} s"
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) * delay - 0.1
    db.engine.dispose()


def test_in_flight_caps_a_hosts_open_requests_and_lets_urgent_ones_go_first() -> None:
    cap, host, order = InFlight(limit=2), "books.test", []

    def request(name: str, urgent: bool = False) -> None:
        with cap.slot(host, urgent):
            order.append(name)

    with contextlib.ExitStack() as held:
        for _ in range(2):
            held.enter_context(cap.slot(host))  # both slots taken
        waiting = [threading.Thread(target=request, args=[f"book {n}"]) for n in range(3)]
        waiting.append(threading.Thread(target=request, args=["catalogue", True]))
        for thread in waiting:
            thread.start()
        deadline = time.monotonic() + 10
        while cap._urgent[host] == 0 and time.monotonic() < deadline:  # the catalogue read waits
            time.sleep(0.001)
        assert order == [], "no third request while two are open"
    for thread in waiting:
        thread.join(timeout=10)
    assert order[0] == "catalogue", "the urgent request took the first free slot"
    assert sorted(order[1:]) == ["book 0", "book 1", "book 2"]
    with InFlight().slot(host):  # no limit: nothing to wait for
        pass


@pytest.mark.slow
def test_the_crawl_at_concurrency_n_never_has_more_than_n_requests_open(tmp_path: Path) -> None:
    """Its own worker's threads and its catalogue reads share the N slots, robots.txt included."""
    with BookSite(books=30, specials=False, latency=0.05) as site:
        crawled = run_module("", "crawl", site.url + "catalogue/page-1.html", "--workers", "1",
                             "--concurrency", "2", "--delay", "0", "--quiet",
                             "--db", str(tmp_path / "crawl.sqlite"))  # fmt: skip
        peak, robots = site.traffic.peak_in_flight, site.hits["/robots.txt"]
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    assert "30 done, 0 failed" in crawled.stdout
    assert peak <= 2, f"{peak} requests open at once at concurrency 2"
    assert robots == 1, "the controller and its worker read robots.txt once between them"


def test_a_filesystem_broker_message_appears_in_the_queue_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written beside the queue, then renamed into it: a worker polling the queue folder can
    never take a message that is still being written (kombu's own channel wrote it in place)."""
    renames: list[tuple[Path, Path]] = []
    replace = Path.replace
    monkeypatch.setattr(
        Path, "replace", lambda src, dst: renames.append((src, Path(dst))) or replace(src, dst)
    )
    work_queue.configure(f"filesystem://{tmp_path / 'broker'}")
    with work_queue.app.connection_for_write() as connection:
        connection.default_channel._put(work_queue.QUEUE, {"url": "http://127.0.0.1/books/1.html"})
    queued = list((tmp_path / "broker" / "queue").iterdir())
    assert [(src.parent.name, dst.parent.name) for src, dst in renames] == [("staging", "queue")]
    assert list((tmp_path / "broker" / "staging").iterdir()) == []
    assert [json.loads(path.read_text()) for path in queued] == [
        {"url": "http://127.0.0.1/books/1.html"}
    ]


@pytest.mark.parametrize(
    ("pool", "size", "prefetch"),
    [("threads", "--concurrency=4", 1), ("prefork", "--concurrency=2", 2)],
)
def test_a_worker_prefetches_one_message_per_thread_and_two_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: str, size: str, prefetch: int
) -> None:
    """The page's dispatch: two threads per request in flight, each holding one message; a
    prefork process, which takes one page at a time, holds one running and one ready."""
    started: list[list[str]] = []
    monkeypatch.setattr(work_queue.app, "worker_main", started.append)
    monkeypatch.setitem(work_queue.app.conf, "worker_prefetch_multiplier", 1)
    monkeypatch.setattr(IN_FLIGHT, "limit", IN_FLIGHT.limit)
    workers.run_worker(f"filesystem://{tmp_path / 'broker'}", "w", 30, concurrency=2, pool=pool)
    assert f"--pool={pool}" in started[0]
    assert size in started[0]
    assert work_queue.app.conf.worker_prefetch_multiplier == prefetch
