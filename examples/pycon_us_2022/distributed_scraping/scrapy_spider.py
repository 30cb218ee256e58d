"""What a user would pick instead of the talk's crawl: a Scrapy spider of about 35 lines.

The benchmark (``bench_vs_scrapy``) runs it against the local test site next to the talk's crawl,
with the same concurrency and the same manners: robots.txt obeyed, the crawl's honest
User-Agent, no delay (the site is our own), every book stored (a JSON-lines feed). It prints
``first page <unix time>`` when the first book is parsed and ``crawl finished`` when the spider
closes. Scrapy is a benchmark-only dependency (group ``distributed-scraping-bench``).
"""

from __future__ import annotations

import argparse
import time

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.polite_session import HONEST_USER_AGENT


def crawl(url: str, concurrency: int, feed: str) -> None:
    from scrapy import Spider
    from scrapy.crawler import CrawlerProcess

    class Books(Spider):
        name = "books"
        first_page: float | None = None

        def parse(self, response):  # a catalogue page: its books, then the next page
            yield from response.follow_all(css="a.book", callback=self.parse_book)
            yield from response.follow_all(css='a[rel="next"]', callback=self.parse)

        def parse_book(self, response):
            if Books.first_page is None:
                Books.first_page = time.time()
                print(f"first page {Books.first_page}", flush=True)
            price = response.css("p.price::text").get("").lstrip("$")
            yield {"url": response.url, "title": response.css("h1.title::text").get(),
                   "author": response.css("p.author::text").get(), "price": float(price),
                   "isbn": response.css("p.isbn::text").get()}  # fmt: skip

        def closed(self, reason: str) -> None:
            count = self.crawler.stats.get_value("item_scraped_count", 0)
            print(f"crawl finished: {count} books ({reason})", flush=True)

    process = CrawlerProcess(
        settings={
            "ROBOTSTXT_OBEY": True,
            "USER_AGENT": HONEST_USER_AGENT,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "FEEDS": {feed: {"format": "jsonlines"}},
            "LOG_LEVEL": "ERROR",
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    process.crawl(Books, start_urls=[url])
    process.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scrapy_spider", description=__doc__.split("\n")[0])
    parser.add_argument("url", help="first catalogue page of the local test site")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (1-256)")
    parser.add_argument("--feed", default="books.jsonl", help="JSON-lines file for the books")
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {args.url}")
    if not 1 <= args.concurrency <= 256:
        raise UsageError("--concurrency must be between 1 and 256")
    crawl(args.url, args.concurrency, args.feed)
    return 0


if __name__ == "__main__":
    run(main, prog="scrapy_spider")
