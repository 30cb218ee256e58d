"""The local test site every crawl on the page targets: a book catalogue with the web's bad habits.

Scraping someone else's site to learn is impolite and makes examples flaky, so this module serves
a catalogue of generated book pages on 127.0.0.1 with a real HTTP server (the standard library's
``ThreadingHTTPServer``, one thread per request, like a small production server). Besides plain
pages it has what a real crawl meets: a ``robots.txt`` with a disallowed folder and a
``Crawl-delay``; transient failures (503, then 429 with ``Retry-After``) that succeed on a later
try; permanent ones (404, 410); a redirect, and a redirect loop; a page whose data only exists
after JavaScript runs; a slow page; and, unlisted, a 20 MB ``/books/huge.html``. Every request is
counted per path and timed, with the User-Agent and ``Via`` header it carried, and the most
requests ever in flight at once is kept, so tests can see exactly what a crawler did.

```python
import requests
from examples.pycon_us_2022.distributed_scraping.book_site import BookSite

with BookSite(books=3) as site:
    assert "Disallow: /private/" in requests.get(site.url + "robots.txt", timeout=5).text
    assert site.hits["/robots.txt"] == 1
```
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from example_support.background_server import BackgroundServer
from example_support.command_line import UsageError, run

# Pages with a bad habit, listed on the first catalogue page when ``specials`` is on.
SPECIALS = {
    "/books/js-only.html": "title and price are written by JavaScript",
    "/books/busy.html": "503 twice, then the page",
    "/books/throttled.html": "429 with Retry-After: 1 once, then the page",
    "/books/missing.html": "404 Not Found, every time",
    "/books/gone.html": "410 Gone, every time",
    "/books/moved.html": "302 to /books/relocated.html",
    "/loop/a.html": "redirects to /loop/b.html, which redirects back",
    "/private/staff-picks.html": "disallowed by robots.txt",
    "/books/slow.html": "answers after a long pause",
}
WORDS = ["Quiet", "Lost", "Iron", "Paper", "Northern", "Hidden", "Last", "Silver"]
THINGS = ["Garden", "River", "Engine", "Letters", "Harbour", "Library", "Orchard", "Tower"]


def book(number: int) -> dict[str, str]:
    """The made-up, deterministic data of book ``number`` (what a scraper should extract)."""
    return {
        "title": f"The {WORDS[number % 8]} {THINGS[(number // 8) % 8]} #{number}",
        "author": f"Author {number % 17}",
        "price": f"{5 + (number * 37) % 4000 / 100:.2f}",
        "isbn": f"978{number:010d}",
    }


@dataclass
class SiteConfig:
    """What the site serves: its size, how slow it is, and what robots.txt asks."""

    books: int = 40
    per_page: int = 10
    latency: float = 0.0  # seconds added to every answer, like a distant server
    crawl_delay: float = 0.0  # the Crawl-delay line of robots.txt (0 leaves it out)
    specials: bool = True
    slow_seconds: float = 2.0

    def pages(self) -> int:
        return max(1, -(-self.books // self.per_page))


@dataclass
class Traffic:
    """What the site saw, per path; guarded by a lock because requests arrive on many threads."""

    hits: Counter = field(default_factory=Counter)
    user_agents: dict[str, str] = field(default_factory=dict)
    via: dict[str, str] = field(default_factory=dict)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (time.monotonic(), path)
    in_flight: int = 0
    peak_in_flight: int = 0
    bytes_sent: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, path: str, user_agent: str, via: str) -> int:
        with self.lock:
            self.arrivals.append((time.monotonic(), path))
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self.hits[path] += 1
            self.user_agents[path] = user_agent
            if via:
                self.via[path] = via
            return self.hits[path]


def _html(title: str, body: str) -> str:
    head = f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    return f"{head}</head><body>{body}</body></html>"


def book_html(number: int) -> str:
    data = book(number)
    return _html(
        data["title"],
        f'<h1 class="title">{data["title"]}</h1><p class="author">{data["author"]}</p>'
        f'<p class="price">${data["price"]}</p><p class="isbn">{data["isbn"]}</p>',
    )


def catalogue_html(config: SiteConfig, page: int) -> str:
    first = (page - 1) * config.per_page + 1
    numbers = range(first, min(first + config.per_page, config.books + 1))
    specials = SPECIALS.items() if page == 1 and config.specials else ()  # first: short crawls too
    links = [f'<li><a class="book" href="{path}">{why}</a></li>' for path, why in specials]
    links += [f'<li><a class="book" href="/books/{n}.html">Book {n}</a></li>' for n in numbers]
    more = f'<a rel="next" href="/catalogue/page-{page + 1}.html">next</a>'
    return _html(
        f"Catalogue, page {page}",
        f"<ul>{''.join(links)}</ul>{more if page < config.pages() else ''}",
    )


# The book data is not in this HTML: a script writes it, as single-page apps do.
JS_ONLY = _html(
    "Loading…",
    '<div id="app">Loading…</div><script>'
    "const d = {title: 'The Rendered Page', author: 'A. Script', price: '12.50',"
    " isbn: '9780000000001'};"
    "document.getElementById('app').innerHTML = `<h1 class=\"title\">${d.title}</h1>"
    '<p class="author">${d.author}</p><p class="price">$${d.price}</p>'
    '<p class="isbn">${d.isbn}</p>`;</script>',
)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # a crawl of thousands of pages would drown the terminal

    def do_GET(self) -> None:
        path, config, traffic = urlsplit(self.path).path, self.server.config, self.server.traffic
        agent, via = self.headers.get("User-Agent", ""), self.headers.get("Via", "")
        count, self.counted = traffic.record(path, agent, via), True
        try:
            if config.latency:
                time.sleep(config.latency)
            self._route(path, config, count)
        finally:
            self.uncount()

    def send_response(self, code: int, message: str | None = None) -> None:
        self.uncount()  # in flight until its answer starts: a client that reads the last byte
        super().send_response(code, message)  # and asks again at once is not counted twice

    def uncount(self) -> None:
        if getattr(self, "counted", False):
            self.counted = False
            with self.server.traffic.lock:
                self.server.traffic.in_flight -= 1

    def _route(self, path: str, config: SiteConfig, count: int) -> None:
        if path == "/robots.txt":
            delay = f"Crawl-delay: {config.crawl_delay:g}\n" if config.crawl_delay else ""
            return self._send(200, f"User-agent: *\nDisallow: /private/\n{delay}", "text/plain")
        if path == "/":
            return self._send(200, _html("Books", '<a href="/catalogue/page-1.html">Catalogue</a>'))
        if path.startswith("/catalogue/page-") and path.endswith(".html"):
            number = path.removeprefix("/catalogue/page-").removesuffix(".html")
            if number.isdigit() and 1 <= int(number) <= config.pages():
                return self._send(200, catalogue_html(config, int(number)))
        if (
            path.startswith("/books/")
            and path.removeprefix("/books/").removesuffix(".html").isdigit()
        ):
            number = int(path.removeprefix("/books/").removesuffix(".html"))
            if 1 <= number <= config.books:
                return self._send(200, book_html(number))
        return self._special(path, config, count)

    def _special(self, path: str, config: SiteConfig, count: int) -> None:
        if path == "/books/busy.html" and count <= 2:
            return self._send(503, _html("Busy", "Try again later"))
        if path == "/books/throttled.html" and count == 1:
            return self._send(429, _html("Slow down", "Too many requests"), retry_after="1")
        if path in ("/books/busy.html", "/books/throttled.html", "/private/staff-picks.html"):
            return self._send(200, book_html(9000 + len(path)))
        if path == "/books/huge.html":
            return self._huge(path, 20 * 2**20)
        if path == "/books/slow.html":
            time.sleep(config.slow_seconds)
            return self._send(200, book_html(9001))
        if path == "/books/js-only.html":
            return self._send(200, JS_ONLY)
        if path == "/books/gone.html":
            return self._send(410, _html("Gone", "This book was withdrawn"))
        if path == "/books/moved.html":
            return self._send(302, "", location="/books/relocated.html")
        if path == "/books/relocated.html":
            return self._send(200, book_html(9002))
        if path in ("/loop/a.html", "/loop/b.html"):
            other = "/loop/b.html" if path.endswith("a.html") else "/loop/a.html"
            return self._send(302, "", location=other)
        return self._send(404, _html("Not found", "No such page"))

    def _huge(self, path: str, size: int) -> None:
        """``size`` bytes of one endless paragraph, counted as they go until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()  # no Content-Length: only reading tells how big it is
        chunk = b"<p>" + b"x" * (64 * 1024 - 3)
        with contextlib.suppress(OSError):  # the crawler hung up early: that is the point
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
                with self.server.traffic.lock:
                    self.server.traffic.bytes_sent[path] += len(chunk)

    def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8", *,
              retry_after: str | None = None, location: str | None = None) -> None:  # fmt: skip
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if retry_after:
            self.send_header("Retry-After", retry_after)
        if location:
            self.send_header("Location", location)
        with contextlib.suppress(ConnectionError):  # a client that hung up: Chromium, on a favicon
            self.end_headers()
            self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many workers connect at once; the default backlog of 5 drops them

    def __init__(self, port: int, config: SiteConfig) -> None:
        self.config = config
        self.traffic = Traffic()
        super().__init__(("127.0.0.1", port), _Handler)


class BookSite(BackgroundServer):
    """The site, served from a background thread for as long as the ``with`` block lasts."""

    def __init__(self, port: int = 0, **options: float | int | bool) -> None:
        self.config = SiteConfig(**options)  # type: ignore[arg-type]
        super().__init__(_Server(port, self.config))

    @property
    def url(self) -> str:
        return f"{self.origin}/"

    @property
    def hits(self) -> Counter:
        return self._server.traffic.hits

    @property
    def traffic(self) -> Traffic:
        return self._server.traffic


def serve(port: int, **options: float | int | bool) -> None:
    """Serve the site in the foreground until Ctrl+C."""
    with BookSite(port, **options) as site:
        print(f"serving the test site at {site.url} (Ctrl+C stops)", flush=True)
        threading.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="book_site", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8022, help="port on 127.0.0.1 (default 8022)")
    parser.add_argument("--books", type=int, default=40, help="number of book pages")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument("--crawl-delay", type=float, default=0.0, help="robots.txt Crawl-delay")
    args = parser.parse_args(argv)
    if not 0 <= args.port < 65536:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    if not (1 <= args.books <= 10**6 and 0 <= args.latency <= 60 and 0 <= args.crawl_delay < 1e9):
        raise UsageError("--books from 1 to 10**6; --latency from 0 to 60 s; --crawl-delay >= 0")
    serve(args.port, books=args.books, latency=args.latency, crawl_delay=args.crawl_delay)
    return 0


if __name__ == "__main__":
    run(main, prog="book_site")
