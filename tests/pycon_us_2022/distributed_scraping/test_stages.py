"""Stages 1 and 2 in one process: parsing, the iterative script, the polite resumable crawl."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from examples.pycon_us_2022.distributed_scraping import stage1_iterative, stage2_polite
from examples.pycon_us_2022.distributed_scraping.book_pages import (
    needs_javascript,
    parse_book,
    parse_catalogue,
)
from examples.pycon_us_2022.distributed_scraping.book_site import (
    SPECIALS,
    BookSite,
    SiteConfig,
    book,
    book_html,
    catalogue_html,
)
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB, status_report
from examples.pycon_us_2022.distributed_scraping.polite_session import FetchPolicy, PoliteSession
from examples.pycon_us_2022.distributed_scraping.scraping_node import scrape


def test_parsers_read_what_the_site_writes() -> None:
    config = SiteConfig(books=25, per_page=10, specials=False)
    links, following = parse_catalogue(
        catalogue_html(config, 3), "http://site/catalogue/page-3.html"
    )
    assert links == [f"http://site/books/{n}.html" for n in range(21, 26)]
    assert following is None, "the last page has no next link"
    data = parse_book(book_html(7))
    assert data == {**book(7), "price": float(book(7)["price"])}
    assert parse_book("<p>layout changed</p>") is None
    assert needs_javascript("<SCRIPT>1</SCRIPT>")
    assert not needs_javascript("<p>")


def test_stage1_collects_then_scrapes_one_row_per_url(tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    with BookSite(books=15, specials=False) as site:
        rows = stage1_iterative.scrape(site.url + "catalogue/page-1.html", str(db))
        again = stage1_iterative.scrape(site.url + "catalogue/page-1.html", str(db), max_pages=4)
        assert site.traffic.user_agents["/books/1.html"].startswith("python-requests/")
    assert len(rows) == 15
    assert len(again) == 4
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT url, title FROM books ORDER BY url").fetchall()
    assert len(stored) == 15, "re-running replaces rows instead of adding duplicates"
    assert dict(stored)[site.url + "books/15.html"] == book(15)["title"]


def test_stage1_records_failures_without_retrying(tmp_path: Path) -> None:
    with BookSite(books=1, slow_seconds=0.1) as site:
        rows = stage1_iterative.scrape(site.url + "catalogue/page-1.html", ":memory:")
        errors = {row["url"].removeprefix(site.url.rstrip("/")): row["error"] for row in rows}
        assert site.hits["/books/busy.html"] == 1
        assert site.hits["/private/staff-picks.html"] == 1, "stage 1 ignores robots.txt"
    assert errors["/books/busy.html"] == "HTTP 503"
    assert errors["/books/js-only.html"] == "no data", "requests runs no JavaScript"
    assert errors["/books/1.html"] is None


def test_scraping_node_classifies_every_special_page(site: BookSite, chromium: str) -> None:
    fetcher = PoliteSession(FetchPolicy(delay=0.0, backoff=0.05, max_backoff=0.1))
    outcomes = {path: scrape(fetcher, site.url + path.lstrip("/")) for path in SPECIALS}
    assert {path: o.status for path, o in outcomes.items()} == {
        "/books/js-only.html": "done",
        "/books/busy.html": "done",
        "/books/throttled.html": "done",
        "/books/missing.html": "failed",
        "/books/gone.html": "failed",
        "/books/moved.html": "done",
        "/loop/a.html": "failed",
        "/private/staff-picks.html": "disallowed",
        "/books/slow.html": "done",
    }
    rendered = outcomes["/books/js-only.html"]
    assert rendered.rendered
    assert rendered.data["title"] == "The Rendered Page"
    assert outcomes["/books/busy.html"].tries == ["503", "503", "200"]
    assert outcomes["/books/missing.html"].tries == ["404"]
    assert outcomes["/books/moved.html"].final_url.endswith("/books/relocated.html")


def test_without_a_browser_the_javascript_page_fails_clearly(site: BookSite, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no chromium to be found
    monkeypatch.delenv("SCRAPER_CHROMIUM", raising=False)
    outcome = scrape(PoliteSession(FetchPolicy(delay=0.0)), site.url + "books/js-only.html")
    assert outcome.status == "failed"
    assert "chromium" in outcome.error


def test_stage2_is_polite_tracked_and_resumable(tmp_path: Path, chromium: str) -> None:
    db = CrawlDB(str(tmp_path / "crawl.sqlite"))
    policy = FetchPolicy(delay=0.01, backoff=0.05, max_backoff=0.1)
    with BookSite(books=12, slow_seconds=0.1) as site:
        start = site.url + "catalogue/page-1.html"
        stage2_polite.crawl(start, db, policy, max_pages=8)
        assert db.counts() == {"done": 4, "failed": 3, "disallowed": 1}
        hits_before = dict(site.hits)
        stage2_polite.crawl(start, db, policy)  # no limit now: continues with the rest
        assert site.hits["/books/busy.html"] == hits_before["/books/busy.html"], "done: not again"
        assert site.hits["/catalogue/page-1.html"] == 2, "read again: the limit cut it short"
        assert site.hits["/catalogue/page-2.html"] == 1
        assert site.hits["/private/staff-picks.html"] == 0
    counts = db.counts()
    assert counts == {"done": 17, "failed": 3, "disallowed": 1}
    assert "failed: " + site.url + "loop/a.html (too many redirects)" in status_report(db)
    db.engine.dispose()
