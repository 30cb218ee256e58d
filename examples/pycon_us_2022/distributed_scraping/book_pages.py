"""Parsing the catalogue and the book pages with BeautifulSoup: the part a layout change breaks.

A distributed scraper targets many pages built from one template, so extraction is a few CSS
selectors. When a selector finds nothing, the page is reported as *not a book page*, which is how
a scraper notices that data only appears after JavaScript runs, or that the layout changed.

```python
from examples.pycon_us_2022.distributed_scraping.book_pages import parse_book

html = '<h1 class="title">Dune</h1><p class="price">$9.99</p>'
assert parse_book(html) == {"title": "Dune", "author": None, "price": 9.99, "isbn": None}
```
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from example_support.command_line import UsageError, run

DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalise_url(url: str) -> str:
    """One spelling per page: no fragment, scheme and host in lower case, no default port.

    ``../book/1#reviews`` and ``../book/1`` are one page for the server (a fragment never leaves
    the browser), so the crawl must queue them once. Idempotent: normalising twice changes nothing.
    Raises ValueError for what is not a URL at all (``http://[oops``), as ``urlsplit`` does.
    """
    parts = urlsplit(url)
    scheme, netloc = parts.scheme.lower(), parts.netloc
    if scheme in DEFAULT_PORTS:
        userinfo, at, name = netloc.rpartition("@")
        port = ""
        if ":" in name and not name.endswith("]"):  # "[::1]" is an IPv6 address without a port
            name, _, port = name.rpartition(":")
        port = "" if port == DEFAULT_PORTS[scheme] else port
        netloc = f"{userinfo}{at}{name.lower()}{':' if port else ''}{port}"
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def parse_catalogue(html: str, base_url: str) -> tuple[list[str], str | None]:
    """One catalogue page's book links (absolute, normalised, once each, in page order) and its
    next page, if any; a link that is not a URL at all is left out."""
    soup = BeautifulSoup(html, "html.parser")
    links = [_link(base_url, a["href"]) for a in soup.select("a.book[href]")]
    following = soup.select_one('a[rel="next"][href]')
    return [link for link in dict.fromkeys(links) if link], (
        _link(base_url, following["href"]) if following else None
    )


def _link(base_url: str, href: str) -> str | None:
    try:
        return normalise_url(urljoin(base_url, href))
    except ValueError:
        return None


def parse_book(html: str) -> dict | None:
    """Title, author, price and ISBN of a book page, or None when the page has no title."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.select_one("h1.title")
    if title is None:
        return None

    def text(selector: str) -> str | None:
        found = soup.select_one(selector)
        return found.get_text(strip=True) if found else None

    price = text("p.price")
    return {
        "title": title.get_text(strip=True),
        "author": text("p.author"),
        # A price that is not a number is a layout change, not a reason to crash the crawl.
        "price": _number(price.lstrip("$£€")) if price else None,
        "isbn": text("p.isbn"),
    }


def needs_javascript(html: str) -> bool:
    """True when a page without data carries scripts: a browser may find what requests cannot."""
    return "<script" in html.lower()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="book_pages", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="a saved HTML page")
    parser.add_argument("--catalogue", metavar="BASE_URL", help="parse as a catalogue page")
    args = parser.parse_args(argv)
    if args.file.exists() and not args.file.is_file():  # a FIFO would block the read forever
        raise UsageError(f"{args.file} is not a regular file")
    html = args.file.read_text(encoding="utf-8", errors="replace")
    if args.catalogue:
        links, following = parse_catalogue(html, args.catalogue)
        print(json.dumps({"books": links, "next": following}, indent=2))
        return 0
    data = parse_book(html)
    if data is None:
        hint = " (it has scripts: try a browser)" if needs_javascript(html) else ""
        raise UsageError(f"{args.file} is not a book page{hint}")
    print(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    run(main, prog="book_pages")
