"""Stage 1, the talk's iterative scraper: collect the URLs, then scrape each page, one at a time.

This is the script most tutorials end with, and the one the talk started from: ``requests`` to
fetch, BeautifulSoup to parse, and two phases, (1) walk the catalogue to list every book URL,
(2) fetch and parse each book, storing one row per URL in SQLite. It works, and it shows the
problems stage 2 fixes: it is as slow as the sum of every page's wait; it sends the default
``python-requests`` User-Agent and no delay; one failure is a row with an error, never a retry;
and it ignores robots.txt (run it only against the local test site).

```python
from examples.pycon_us_2022.distributed_scraping.stage1_iterative import scrape
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite

with BookSite(books=3, specials=False) as site:
    rows = scrape(site.url + "catalogue/page-1.html", ":memory:")
assert [row["status"] for row in rows] == [200, 200, 200]
```
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import requests

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.book_pages import parse_book, parse_catalogue
from examples.pycon_us_2022.distributed_scraping.crawl_options import (
    add_crawl_options,
    check_crawl_options,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS books (
    url TEXT PRIMARY KEY, status INTEGER, title TEXT, author TEXT, price REAL, isbn TEXT,
    error TEXT
)
"""


def collect_urls(start_url: str, max_pages: int | None = None) -> list[str]:
    """Phase 1: follow the catalogue's "next" links and list every book URL, without duplicates."""
    urls: list[str] = []
    page: str | None = start_url
    while page and (max_pages is None or len(urls) < max_pages):
        response = requests.get(page, timeout=10)
        response.raise_for_status()
        links, page = parse_catalogue(response.text, response.url)
        urls += [link for link in links if link not in urls]
    return urls[:max_pages]


def scrape(start_url: str, db_path: str, max_pages: int | None = None) -> list[dict]:
    """Phase 2: fetch and parse every book, one row per URL (re-running replaces the rows)."""
    rows = []
    with sqlite3.connect(db_path) as db:
        db.execute(SCHEMA)
        for url in collect_urls(start_url, max_pages):
            row = {"url": url, "status": None, "error": None}
            row |= dict.fromkeys(("title", "author", "price", "isbn"))
            try:
                response = requests.get(url, timeout=10)
                row["status"] = response.status_code
                data = parse_book(response.text) if response.ok else None
                if data:
                    row |= data
                else:
                    row["error"] = f"HTTP {response.status_code}" if not response.ok else "no data"
            except requests.RequestException as error:
                row["error"] = type(error).__name__
            db.execute(
                "INSERT OR REPLACE INTO books VALUES "
                "(:url, :status, :title, :author, :price, :isbn, :error)",
                row,
            )
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stage1_iterative", description=__doc__.split("\n")[0])
    add_crawl_options(
        parser, db_default=":memory:", db_help="SQLite file for the results", delay=False
    )
    args = parser.parse_args(argv)
    check_crawl_options(args)
    started = time.perf_counter()
    try:
        rows = scrape(args.url, args.db, args.max_pages)
    except requests.RequestException as error:
        raise UsageError(f"cannot crawl {args.url}: {type(error).__name__}") from None
    failed = [row for row in rows if row["error"]]
    print(f"{len(rows) - len(failed)} books scraped, {len(failed)} failed, one at a time, ", end="")
    print(f"in {time.perf_counter() - started:.1f} s")
    for row in failed:
        print(f"  failed: {row['url']} ({row['error']})")
    return 0


if __name__ == "__main__":
    run(main, prog="stage1_iterative")
