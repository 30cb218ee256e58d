"""The crawl's memory: one row per URL, so progress survives a killed worker or a restart.

The talk's "basic tracking of successes and failures" grown into the source of truth of a crawl.
Every URL the controller discovers is inserted once (the primary key deduplicates); its status
moves ``pending → claimed → done | failed | disallowed`` (a link that is not http(s) on the
crawled host is kept as kind "other", status ``skipped``). Storing is idempotent: a URL delivered
twice (after a worker died, say) updates the same row, and a finished row is never reopened, so
each URL is stored exactly once. SQLAlchemy keeps this portable: a file of SQLite on one machine,
or a PostgreSQL URL when workers run on several. The same database holds a per-host "next slot"
that makes the crawl's delay global: eight workers still send one request per delay to a host.

```python
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB

db = CrawlDB("sqlite://")
db.add("http://example.test/books/1.html", "book")
db.add("http://example.test/books/1.html", "book")  # seen twice, stored once
assert db.counts() == {"pending": 1}
```
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import socket
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import sqlalchemy as sa

from example_support.command_line import UsageError, run

STATUSES = ("pending", "claimed", "done", "failed", "disallowed", "skipped")
FINISHED = ("done", "failed", "disallowed", "skipped")

metadata = sa.MetaData()
pages = sa.Table(
    "pages",
    metadata,
    sa.Column("url", sa.String, primary_key=True),
    sa.Column("kind", sa.String, nullable=False),  # "index" (catalogue page), "book" or "other"
    sa.Column("status", sa.String, nullable=False, default="pending"),
    sa.Column("enqueued_at", sa.Float),
    sa.Column("claimed_at", sa.Float),
    sa.Column("claimed_by", sa.String),
    sa.Column("deliveries", sa.Integer, nullable=False, default=0),  # >1 after a redelivery
    sa.Column("http_status", sa.Integer),
    sa.Column("final_url", sa.String),
    sa.Column("title", sa.String),
    sa.Column("author", sa.String),
    sa.Column("price", sa.Float),
    sa.Column("isbn", sa.String),
    sa.Column("rendered", sa.Boolean),
    sa.Column("error", sa.String),
    sa.Column("attempts", sa.Integer),
    sa.Column("finished_at", sa.Float),
)
hosts = sa.Table(
    "hosts",
    metadata,
    sa.Column("host", sa.String, primary_key=True),
    sa.Column("next_slot", sa.Float, nullable=False),
)


# SQLite has one writer at a time; a connection that finds the lock taken sleeps milliseconds
# before it tries again. One process's threads queue on this lock instead (microseconds).
_WRITE_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


def db_url(db: str) -> str:
    """A SQLAlchemy URL from what a user types: a URL as it is, a path as a SQLite file."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).resolve()}"


class CrawlDB:
    """The crawl's table, shared by the controller and every worker."""

    def __init__(self, url: str) -> None:
        self.url = db_url(url)
        options: dict = {}
        if self.url.startswith("sqlite"):
            # Workers write at the same time: wait for the lock instead of failing at once.
            options["connect_args"] = {"timeout": 60}
        sqlite_file = self.url.startswith("sqlite") and self.url != "sqlite://"
        if sqlite_file:
            # A worker's threads each hold a connection while they store a page.
            options |= {"pool_size": 16, "max_overflow": 48}
        self.engine = sa.create_engine(self.url, **options)
        self._turn = _WRITE_LOCKS[self.url] if sqlite_file else contextlib.nullcontext()
        if sqlite_file:
            sa.event.listen(self.engine, "connect", _sqlite_wal)
        try:
            metadata.create_all(self.engine)
        except sa.exc.OperationalError:
            # Another process created the tables between our check and our CREATE: look again.
            metadata.create_all(self.engine)

    def _insert(self, table: sa.Table):
        name = self.engine.dialect.name
        if name not in ("sqlite", "postgresql"):
            raise UsageError(f"unsupported database {name}: use SQLite or PostgreSQL")
        return importlib.import_module(f"sqlalchemy.dialects.{name}").insert(table)

    @contextlib.contextmanager
    def _writing(self):
        """A write transaction, this process's threads one at a time."""
        with self._turn, self.engine.begin() as connection:
            yield connection

    def add(self, url: str, kind: str, status: str = "pending") -> bool:
        """Insert a URL unless it is known already; True when it was new."""
        statement = self._insert(pages).values(url=url, kind=kind, status=status, deliveries=0)
        with self._writing() as connection:
            return connection.execute(statement.on_conflict_do_nothing()).rowcount == 1

    def add_many(self, urls: list[str], kind: str, status: str = "pending") -> list[str]:
        """Insert many URLs in one transaction; the ones that were new, in order."""
        known = self.known(urls)
        new = [url for url in dict.fromkeys(urls) if url not in known]
        self.add_links([(url, kind, status) for url in new])
        return new

    def known(self, urls: list[str]) -> set[str]:
        """Which of ``urls`` the crawl has a row for already."""
        with self.engine.connect() as connection:
            query = sa.select(pages.c.url).where(pages.c.url.in_(urls))
            return set(connection.execute(query).scalars())

    def add_links(self, links: list[tuple[str, str, str]], read: str = "", status: int = 0) -> None:
        """Insert (url, kind, status) rows unless known, and mark catalogue page ``read`` done
        with its HTTP ``status``: one write per catalogue page."""
        rows = [{"url": url, "kind": kind, "status": state, "deliveries": 0}
                for url, kind, state in links]  # fmt: skip
        with self._writing() as connection:
            if rows:
                connection.execute(self._insert(pages).on_conflict_do_nothing(), rows)
            if read:
                done = {"status": "done", "http_status": status, "finished_at": time.time()}
                connection.execute(pages.update().where(pages.c.url == read).values(**done))

    def mark_enqueued(self, urls: list[str]) -> None:
        with self._writing() as connection:
            connection.execute(
                pages.update().where(pages.c.url.in_(urls)).values(enqueued_at=time.time())
            )

    def claim(self, url: str, worker: str | None = None) -> bool:
        """Take a URL for fetching; False when it is finished already (a duplicate delivery)."""
        return self.claim_delivery(url, worker) > 0

    def claim_delivery(self, url: str, worker: str | None = None) -> int:
        """Take a URL for fetching, in one write; which delivery this is (0: finished already)."""
        statement = (
            pages.update()
            .where(pages.c.url == url, pages.c.status.in_(("pending", "claimed")))
            .values(
                status="claimed",
                claimed_at=time.time(),
                claimed_by=worker or socket.gethostname(),
                deliveries=pages.c.deliveries + 1,
            )
            .returning(pages.c.deliveries)
        )
        with self._writing() as connection:
            return connection.execute(statement).scalar_one_or_none() or 0

    def finish(self, url: str, status: str, **result: object) -> bool:
        """Store a URL's result once: a finished row is never overwritten by a later delivery."""
        columns = {k: v for k, v in result.items() if k in pages.c}
        statement = (
            pages.update()
            .where(pages.c.url == url, pages.c.status.in_(("pending", "claimed")))
            .values(status=status, finished_at=time.time(), **columns)
        )
        with self._writing() as connection:
            return connection.execute(statement).rowcount == 1

    def counts(self, kind: str | None = "book") -> dict[str, int]:
        query = sa.select(pages.c.status, sa.func.count()).group_by(pages.c.status)
        if kind:
            query = query.where(pages.c.kind == kind)
        with self.engine.connect() as connection:
            return dict(connection.execute(query).all())

    def urls(self, *statuses: str, kind: str = "book") -> list[str]:
        query = sa.select(pages.c.url).where(pages.c.kind == kind).order_by(pages.c.url)
        if statuses:
            query = query.where(pages.c.status.in_(statuses))
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def rows(self, kind: str = "book") -> list[dict]:
        query = sa.select(pages).where(pages.c.kind == kind).order_by(pages.c.url)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def stale(self, lease: float) -> list[str]:
        """Unfinished URLs nobody has touched for ``lease`` seconds: their message was lost."""
        cutoff = time.time() - lease
        touched = sa.func.coalesce(pages.c.claimed_at, pages.c.enqueued_at, 0)
        unfinished = pages.c.status.in_(("pending", "claimed"))
        query = sa.select(pages.c.url).where(pages.c.kind == "book", unfinished, touched < cutoff)
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def reserve_slot(self, host: str, delay: float, now: float | None = None) -> float:
        """Book the next request slot for ``host`` across all workers; seconds to wait for it.

        One atomic UPDATE moves the host's next slot forward by ``delay``, so concurrent workers
        each get a different slot, however many there are. ``now`` is the clock (for examples).
        With no delay nothing is booked: one read says whether a ``hold`` is still running.
        """
        now = time.time() if now is None else now
        if delay == 0:
            query = sa.select(hosts.c.next_slot).where(hosts.c.host == host)
            with self.engine.connect() as connection:
                return max(0.0, (connection.execute(query).scalar_one_or_none() or now) - now)
        with self._writing() as connection:
            connection.execute(
                self._insert(hosts).values(host=host, next_slot=now).on_conflict_do_nothing()
            )
            later = sa.case((hosts.c.next_slot > now, hosts.c.next_slot), else_=now)
            slot = connection.execute(
                hosts.update()
                .where(hosts.c.host == host)
                .values(next_slot=later + delay)
                .returning(hosts.c.next_slot)
            ).scalar_one()
        return max(0.0, slot - delay - now)

    def hold(self, host: str, seconds: float) -> None:
        """Move the host's next slot to at least ``seconds`` from now, for every worker."""
        until = time.time() + seconds
        statement = self._insert(hosts).values(host=host, next_slot=until)
        later = {"next_slot": sa.case((hosts.c.next_slot > until, hosts.c.next_slot), else_=until)}
        upsert = statement.on_conflict_do_update(index_elements=[hosts.c.host], set_=later)
        with self._writing() as connection:
            connection.execute(upsert)

    def failures(self) -> list[dict]:
        return [row for row in self.rows() if row["status"] == "failed"]


class SharedRateLimiter:
    """A ``polite_session.RateLimiter`` whose slots live in the crawl database."""

    def __init__(self, db: CrawlDB) -> None:
        self.db = db

    def wait_turn(self, host: str, delay: float) -> None:
        asked = time.time()  # the slot is a time on the clock, however long the booking took
        if (wait := asked + self.db.reserve_slot(host, delay, asked) - time.time()) > 0:
            time.sleep(wait)  # not sleep(0), which would hand the GIL to another thread for nothing

    def hold(self, host: str, seconds: float) -> None:
        self.db.hold(host, seconds)


def _sqlite_wal(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writing workers
    # Commits survive a killed process; only a power cut could lose the last ones (and the
    # controller would send those URLs again).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def status_report(db: CrawlDB) -> str:
    """The ``status`` command's text: done, failed, pending, and why each failure failed."""
    counts = Counter(db.counts())
    pending = counts["pending"] + counts["claimed"]
    lines = [
        f"done {counts['done']}, failed {counts['failed']}, pending {pending}, "
        f"disallowed by robots.txt {counts['disallowed']}"
    ]
    if skipped := db.counts(kind="other").get("skipped"):
        lines[0] += f", skipped {skipped} (not http(s) on the crawled host)"
    lines += [f"  failed: {row['url']} ({row['error']})" for row in db.failures()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crawl_db", description=__doc__.split("\n")[0])
    parser.add_argument("db", help="the crawl's SQLite file (or a SQLAlchemy URL)")
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).is_file():  # also a FIFO, a folder, a loop
        raise UsageError(f"no crawl database at {args.db}")
    print(status_report(CrawlDB(args.db)))
    return 0


if __name__ == "__main__":
    run(main, prog="crawl_db")
