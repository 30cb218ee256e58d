"""Stage 3 with real processes: a Redis server, Celery workers, kill -9, Ctrl+C, e-mail alerts."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.workers import LocalWorkers
from site_tools.paths import REPO_ROOT
from tests.support.servers import free_port

from .conftest import PACKAGE

pytestmark = pytest.mark.slow


@contextmanager
def crawling(*args: str, log: Path) -> Iterator[subprocess.Popen]:
    """The crawl command as a real process; stopped (and its workers with it) if a test fails."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", PACKAGE, "crawl", *args, "--quiet"],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # it stops its own workers on the way out
                process.wait(timeout=60)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"not within {timeout} s: {what}")


def book_hits(site: BookSite) -> dict[str, int]:
    return {path: n for path, n in site.hits.items() if path.startswith("/books/")}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def test_crawl_on_redis_with_workers_completes_and_mails_a_summary(
    tmp_path: Path, redis_url: str, chromium: str
) -> None:
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    db = tmp_path / "crawl.sqlite"
    try:
        with BookSite(books=30, slow_seconds=0.2) as site:
            url = site.url + "catalogue/page-1.html"
            mail = ["--mail-to", "ops@example.test", "--smtp", f"127.0.0.1:{port}"]
            args = [url, "--workers", "2", "--broker", redis_url, "--db", str(db), "--delay", "0",
                    "--max-pages", "25", *mail]  # fmt: skip
            with crawling(*args, log=tmp_path / "crawl.log") as crawl:
                assert crawl.wait(timeout=180) == 0, (tmp_path / "crawl.log").read_text()
            hits = book_hits(site)
    finally:
        smtp.stop()
    output = (tmp_path / "crawl.log").read_text()
    rows = CrawlDB(str(db)).rows()
    assert len(rows) == 25, "--max-pages: 25 book URLs, no more"
    assert len({row["url"] for row in rows}) == 25
    assert {path for path in hits if path != "/books/relocated.html"} <= {
        row["url"].removeprefix(site.url.rstrip("/")) for row in rows
    }, "no page beyond the limit was fetched"
    by_path = {row["url"].removeprefix(site.url.rstrip("/")): row for row in rows}
    assert by_path["/books/js-only.html"]["rendered"], "scraped through headless Chromium"
    assert by_path["/books/js-only.html"]["title"] == "The Rendered Page"
    assert by_path["/books/busy.html"]["status"] == "done"
    assert hits["/books/busy.html"] == 3
    assert by_path["/books/missing.html"]["error"] == "HTTP 404"
    assert hits["/books/missing.html"] == 1, "a 404 is asked once"
    assert by_path["/private/staff-picks.html"]["status"] == "disallowed"
    assert "/private/staff-picks.html" not in site.hits
    assert "21 done, 3 failed, 1 disallowed by robots.txt" in output
    assert len(inbox.messages) == 1
    mail = email.message_from_bytes(inbox.messages[0], policy=email.policy.default)
    assert mail["Subject"].strip().startswith("crawl finished in")
    assert mail["To"] == "ops@example.test"
    assert "missing.html (HTTP 404)" in mail.get_content()


def _running_task_of(db: CrawlDB, worker: str) -> str | None:
    claimed = [
        r for r in db.rows() if r["status"] == "claimed" and r["claimed_by"].startswith(worker)
    ]
    return claimed[0]["url"] if claimed else None


def _pool_child(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0])


@pytest.mark.parametrize("victim", ["whole worker", "pool process"])
def test_kill_9_of_a_worker_mid_crawl_loses_no_url(
    tmp_path: Path, redis_url: str, victim: str
) -> None:
    """A node dies with a page in hand: that page is delivered again and stored exactly once.

    Killing the whole worker (the node is gone) is recovered by the controller's lease; killing
    only its pool process is recovered by Celery at once (acks_late + reject_on_worker_lost), so
    that case runs with a long lease to show the redelivery came from Celery.
    """
    db_path = tmp_path / "crawl.sqlite"
    lease = "3" if victim == "whole worker" else "600"
    # One page at a time per worker (prefork) needs fewer books to be busy when the kill comes.
    books = 30 if victim == "whole worker" else 16
    with BookSite(books=books, specials=False, latency=0.5) as site:
        # Threads share one process; killing "only the pool process" needs a prefork pool.
        pool = ("threads", 4) if victim == "whole worker" else ("prefork", 1)
        workers = LocalWorkers(2, redis_url, tmp_path / "logs", float(lease), pool[1], pool[0])
        with workers:
            args = [site.url + "catalogue/page-1.html", "--workers", "0", "--broker", redis_url,
                    "--db", str(db_path), "--delay", "0", "--lease", lease]  # fmt: skip
            with crawling(*args, log=tmp_path / "crawl.log") as crawl:
                wait_for(db_path.exists, 60, "the crawl database")
                db = CrawlDB(str(db_path))
                wait_for(lambda: db.counts().get("done", 0) >= 5, 120, "five pages done")
                wait_for(lambda: _running_task_of(db, "worker-1") is not None, 30, "worker-1 busy")
                worker = workers.processes[0]
                if victim == "whole worker":
                    os.killpg(worker.pid, signal.SIGKILL)
                else:
                    os.kill(_pool_child(worker.pid), signal.SIGKILL)
                # Read after the kill: the row still claimed by worker-1 is the page it died with.
                in_hand = _running_task_of(db, "worker-1")
                assert in_hand, "worker-1 was killed with a page in hand"
                assert crawl.wait(timeout=120) == 0, (tmp_path / "crawl.log").read_text()
        hits = book_hits(site)
    rows = db.rows()
    assert len(rows) == books
    assert {r["status"] for r in rows} == {"done"}, "every URL done"
    assert all(hits[f"/books/{n}.html"] >= 1 for n in range(1, books + 1))
    again = next(r for r in rows if r["url"] == in_hand)
    assert again["deliveries"] >= 2, "the page the worker held was delivered again"
    assert not again["claimed_by"].startswith("worker-1@") or victim == "pool process"
    db.engine.dispose()


def test_interrupted_crawl_resumes_without_fetching_done_pages_again(tmp_path: Path) -> None:
    """Ctrl+C mid-crawl on the embedded filesystem broker, then the same command again."""
    db_path = tmp_path / "crawl.sqlite"
    with BookSite(books=30, specials=False, latency=0.15) as site:
        # One page in flight per worker: eight threads each would finish all 30 before Ctrl+C.
        args = [site.url + "catalogue/page-1.html", "--workers", "2", "--db", str(db_path),
                "--delay", "0", "--concurrency", "1"]  # fmt: skip
        with crawling(*args, log=tmp_path / "first.log") as crawl:
            wait_for(db_path.exists, 60, "the crawl database")
            db = CrawlDB(str(db_path))
            wait_for(lambda: db.counts().get("done", 0) >= 8, 120, "eight pages done")
            # The rest slow down, so that Ctrl+C lands mid-crawl however late it is delivered
            # (at 0.15 s a page, the last 22 once finished first on a busy machine).
            site.config.latency = 0.5
            crawl.send_signal(signal.SIGINT)
            assert crawl.wait(timeout=60) == 130
        site.config.latency = 0.0  # the resumed crawl: nothing left to race
        first = (tmp_path / "first.log").read_text()
        assert "interrupted; run the same command to resume." in first
        done_before = set(db.urls("done"))
        assert 8 <= len(done_before) < 30
        with crawling(*args, log=tmp_path / "second.log") as crawl:
            assert crawl.wait(timeout=120) == 0, (tmp_path / "second.log").read_text()
        hits = book_hits(site)
        assert site.hits["/catalogue/page-1.html"] == 1, "phase 1 is not repeated either"
    assert set(db.urls("done")) == set(db.urls())
    assert len(db.urls()) == 30
    for url in done_before:
        assert hits[url.removeprefix(site.url.rstrip("/"))] == 1, f"{url} fetched again"
    db.engine.dispose()


def test_a_url_that_keeps_killing_its_worker_is_given_up_not_redelivered_forever(
    tmp_path: Path,
) -> None:
    """task_reject_on_worker_lost requeues without limit; the crawl database sets one."""
    import json

    from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy
    from examples.pycon_us_2022.distributed_scraping.work_queue import MAX_DELIVERIES, scrape_page

    db = CrawlDB(str(tmp_path / "crawl.sqlite"))
    policy = json.dumps(FetchPolicy(delay=0).__dict__)
    with BookSite(books=2, specials=False) as site:
        poison, healthy = site.url + "books/1.html", site.url + "books/2.html"
        db.add(poison, "book")
        db.add(healthy, "book")
        for _ in range(MAX_DELIVERIES):  # each delivery claimed, then its worker died
            assert db.claim(poison)
        assert scrape_page(poison, db.url, policy) == "failed"
        assert scrape_page(healthy, db.url, policy) == "done"
        assert site.hits["/books/1.html"] == 0, "given up without another fetch"
    rows = {row["url"]: row for row in db.rows()}
    assert rows[poison]["error"] == "given up after 3 deliveries: its worker was lost every time"
    assert rows[healthy]["deliveries"] == 1
    db.engine.dispose()
