"""What one scraping node does with one URL: fetch politely, parse, fall back to a browser.

The talk's scraping node is "a smaller version of the previous iteration": the same fetcher and
parser, applied to one URL from the work queue. ``scrape`` never raises for anything a website can
do; every URL ends as an ``Outcome`` (done, failed or disallowed) so that the crawl can track
successes and failures and report them, instead of dying on the first odd page.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import requests
import tenacity

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping import browser
from examples.pycon_us_2022.distributed_scraping.book_pages import needs_javascript, parse_book
from examples.pycon_us_2022.distributed_scraping.polite_session import (
    Disallowed,
    FetchPolicy,
    PoliteSession,
    TooLarge,
    TransientHTTPError,
)


@dataclass
class Outcome:
    url: str
    status: str  # "done", "failed" or "disallowed"
    http_status: int | None = None
    final_url: str | None = None
    data: dict | None = None
    error: str | None = None
    attempts: int = 0
    rendered: bool = False
    tries: list[str] = field(default_factory=list)


def scrape(fetcher: PoliteSession, url: str, *, use_browser: bool = True) -> Outcome:
    """Fetch and parse one book page; every way it can go wrong becomes a failed ``Outcome``."""
    before = len(fetcher.attempts)
    outcome = _scrape(fetcher, url, use_browser)
    outcome.tries = [attempt.result for attempt in fetcher.attempts[before:]]
    outcome.attempts = len(outcome.tries)
    return outcome


def _scrape(fetcher: PoliteSession, url: str, use_browser: bool) -> Outcome:
    try:
        response = fetcher.get(url)
    except Disallowed:
        return Outcome(url, "disallowed", error="robots.txt disallows it")
    except tenacity.RetryError as error:
        last = error.last_attempt.exception()
        status = last.response.status_code if isinstance(last, TransientHTTPError) else None
        return Outcome(url, "failed", status, error=f"gave up: {last}")
    except TransientHTTPError as error:  # Retry-After longer than we agree to wait
        return Outcome(
            url, "failed", error.response.status_code, error=f"{error}, Retry-After too long"
        )
    except requests.TooManyRedirects:
        return Outcome(url, "failed", error="too many redirects")
    except TooLarge as error:
        return Outcome(url, "failed", error=str(error))
    except requests.RequestException as error:
        return Outcome(url, "failed", error=type(error).__name__)
    if not response.ok:  # 404, 410…: permanent, recorded once, never retried
        return Outcome(
            url, "failed", response.status_code, response.url, error=f"HTTP {response.status_code}"
        )
    data = parse_book(response.text)
    rendered = False
    if data is None and use_browser and needs_javascript(response.text):
        try:
            # The browser's visit is a request too: it takes a slot and waits its turn.
            with fetcher.in_flight.slot(urlsplit(url).netloc):
                fetcher.wait_turn(url)
                html = browser.render(
                    url, user_agent=fetcher.policy.user_agent, proxy=fetcher.policy.proxy
                )
        except browser.BrowserUnavailable as error:
            return Outcome(url, "failed", response.status_code, response.url, error=str(error))
        except Exception as error:
            return Outcome(
                url, "failed", response.status_code, response.url, error=f"browser: {error}"
            )
        data, rendered = parse_book(html), True
    if data is None:
        return Outcome(
            url, "failed", response.status_code, response.url, error="no book data on the page"
        )
    return Outcome(url, "done", response.status_code, response.url, data, rendered=rendered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scraping_node", description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a book page of the local test site")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--no-browser", action="store_true", help="never start Chromium")
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {args.url}")
    if not 0 <= args.delay < math.inf:
        raise UsageError("--delay must be finite and not negative")
    fetcher = PoliteSession(FetchPolicy(delay=args.delay))
    outcome = scrape(fetcher, args.url, use_browser=not args.no_browser)
    print(json.dumps(asdict(outcome), indent=2))
    return 0 if outcome.status == "done" else 1


if __name__ == "__main__":
    run(main, prog="scraping_node")
