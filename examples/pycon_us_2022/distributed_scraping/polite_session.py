"""Stage 2's fetcher: the talk's improvements to ``requests.get``, each one done politely.

- **robots.txt** is read once per site and obeyed (RFC 9309: a 4xx robots.txt allows everything,
  a 5xx or unreachable one forbids everything for now); its ``Crawl-delay`` raises the delay.
- **An honest User-Agent** names the crawler by default. The talk's ``fake-useragent`` (random
  real-browser strings) is available with ``fake_user_agent=True``, off by default: pretending to
  be a browser is how scrapers dodge blocks, and a site's terms decide whether that is allowed.
- **A per-host delay** (with jitter) between requests, shared by every thread of a worker, and by
  every worker of a crawl when a ``RateLimiter`` backed by the crawl database is passed in; and a
  cap on the requests open to a host at once, shared by a process's threads (``host_limits``).
  A ``Retry-After`` holds back every request to the host, not only the retry.
- **Bounded retries** with exponential backoff and jitter (tenacity), on *transient* errors only:
  429, 500, 502, 503, 504 and connection failures. ``Retry-After`` is honoured. A 404 or 410 is an
  answer, not a failure of the network, and is never retried.
- **Redirects** are followed up to a limit; a loop fails fast with ``TooManyRedirects``.
- **A size cap**: a response larger than ``max_bytes`` is abandoned once that much has arrived,
  instead of being downloaded whole to find out it is not a book page.
- **requests-cache** for development (JSON serializer: a cache never unpickles what a site sent).
- **A proxy**, when given, is the only way out (``trust_env`` is off, so a crawl's route is its own
  setting, not an accident of the shell's ``HTTP_PROXY``).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests
import tenacity

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.host_limits import (
    InFlight,
    LocalRateLimiter,
    RateLimiter,
    RobotsRules,
)

HONEST_USER_AGENT = (
    "pycon-notes-scraper/1.0 (+https://pycon-us-2022-notes.github.io/pycon-us-2022-notes/)"
)
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # a site asking us to wait longer than this gets a failure, not a hang


class Disallowed(Exception):
    """robots.txt forbids this URL to our User-Agent."""


class TooLarge(requests.RequestException):
    """The response is larger than the policy's ``max_bytes``: abandoned, never retried."""


class TransientHTTPError(Exception):
    """A status worth retrying; carries the response and its ``Retry-After`` in seconds."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.retry_after = retry_after_seconds(response.headers.get("Retry-After"))


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds; the delay-seconds form only (servers rarely send a date)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


@dataclass
class FetchPolicy:
    """How politely to fetch. Plain data, so a controller can hand it to every worker."""

    user_agent: str = HONEST_USER_AGENT
    fake_user_agent: bool = False
    delay: float = 1.0  # seconds between two requests to one host
    jitter: float = 0.25  # up to this fraction of the delay is added at random
    attempts: int = 4  # the first try and three retries
    backoff: float = 0.5  # first backoff in seconds; doubles with each retry
    max_backoff: float = 30.0
    max_redirects: int = 5
    timeout: float = 10.0
    obey_robots: bool = True
    proxy: str | None = None
    cache: str | None = None  # a requests-cache SQLite file, for development only
    max_bytes: int = 5_000_000  # a book page is a few kB; a 20 MB answer is not one

    def text(self) -> str:
        return json.dumps(self.__dict__)  # how it travels to the workers, in every message


@dataclass
class Attempt:
    url: str
    result: str  # "200", "503", "ConnectionError", …


@dataclass
class PoliteSession:
    """A ``requests.Session`` wrapped with the policy above; ``attempts`` logs every try."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    limiter: RateLimiter = field(default_factory=LocalRateLimiter)
    sleep: Callable[[float], None] = time.sleep
    attempts: list[Attempt] = field(default_factory=list)
    robots_rules: RobotsRules = field(default_factory=RobotsRules)  # one per process, shared
    in_flight: InFlight = field(default_factory=InFlight)  # the process's cap per host, shared
    urgent: bool = False  # first in line for a slot: the catalogue, which finds everyone's work

    def __post_init__(self) -> None:
        self.session = _make_session(self.policy)
        self._fake = None
        if self.policy.fake_user_agent:
            from fake_useragent import UserAgent  # ships its data: works offline

            self._fake = UserAgent()

    @property
    def user_agent(self) -> str:
        return self._fake.random if self._fake else self.policy.user_agent

    def robots(self, url: str) -> RobotFileParser:
        """The site's robots.txt rules, fetched once per scheme and host."""
        parts = urlsplit(url)
        return self.robots_rules.get(f"{parts.scheme}://{parts.netloc}", self._read_robots)

    def _read_robots(self, origin: str) -> RobotFileParser:
        rules = RobotFileParser(origin + "/robots.txt")
        try:
            with self.in_flight.slot(urlsplit(origin).netloc, urgent=True):  # it gates every page
                response = self.session.get(
                    origin + "/robots.txt",
                    headers={"User-Agent": self.policy.user_agent},
                    timeout=self.policy.timeout,
                    stream=True,
                )
                _read_capped(response, self.policy.max_bytes)
            if response.status_code >= 500:
                rules.disallow_all = True
            elif response.status_code >= 400:
                rules.allow_all = True
            else:
                rules.parse(response.text.splitlines())
        except requests.RequestException:
            rules.disallow_all = True
        return rules

    def allowed(self, url: str) -> bool:
        return not self.policy.obey_robots or self.robots(url).can_fetch(
            self.policy.user_agent, url
        )

    def delay_for(self, url: str) -> float:
        """The policy's delay, raised to the site's Crawl-delay when robots.txt asks for more."""
        asked = (
            self.robots(url).crawl_delay(self.policy.user_agent)
            if self.policy.obey_robots
            else None
        )
        return max(self.policy.delay, float(asked or 0))

    def wait_turn(self, url: str) -> None:
        delay = self.delay_for(url) * (1 + random.random() * self.policy.jitter)
        self.limiter.wait_turn(urlsplit(url).netloc, delay)  # delay 0 still waits out a hold

    def get(self, url: str) -> requests.Response:
        """Fetch ``url`` politely; the last response, or ``tenacity.RetryError`` when tries run out.

        Raises ``Disallowed`` for URLs robots.txt forbids and ``requests.TooManyRedirects`` for a
        redirect loop. A 4xx other than 429 is returned as it is: the caller records it.
        """
        if not self.allowed(url):
            raise Disallowed(url)
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(
                (TransientHTTPError, requests.ConnectionError, requests.Timeout)
            ),
            wait=_RetryAfterOrBackoff(self.policy),
            stop=tenacity.stop_after_attempt(self.policy.attempts),
            sleep=self.sleep,
        )
        return retrying(self._attempt, url)

    def _attempt(self, url: str) -> requests.Response:
        self.delay_for(url)  # robots.txt is read before taking a slot: its reader may need one
        try:
            # The request waits for its delay slot inside its in-flight slot: two requests booked
            # one delay apart are never both held back and then sent together.
            with self.in_flight.slot(urlsplit(url).netloc, self.urgent):
                self.wait_turn(url)
                response = self.session.get(
                    url, headers={"User-Agent": self.user_agent}, timeout=self.policy.timeout,
                    stream=True,
                )  # fmt: skip
                _read_capped(response, self.policy.max_bytes)
        except requests.RequestException as error:  # TooManyRedirects and TooLarge too
            self.attempts.append(Attempt(url, type(error).__name__))
            raise
        self.attempts.append(Attempt(url, str(response.status_code)))
        if response.status_code in TRANSIENT_STATUSES:
            error = TransientHTTPError(response)
            if error.retry_after is not None and error.retry_after <= MAX_RETRY_AFTER:
                self.limiter.hold(urlsplit(url).netloc, error.retry_after)  # for every request
            raise error
        return response


class _RetryAfterOrBackoff(tenacity.wait.wait_base):
    """Wait what ``Retry-After`` says, else exponential backoff with full jitter."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.backoff = tenacity.wait_random_exponential(
            multiplier=policy.backoff, max=policy.max_backoff
        )

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, TransientHTTPError) and error.retry_after is not None:
            if error.retry_after > MAX_RETRY_AFTER:
                raise error  # waiting that long is the site saying "not today"
            return error.retry_after
        return self.backoff(retry_state)


def _read_capped(response: requests.Response, max_bytes: int) -> None:
    """Read the body, but give up (and drop the connection) once it passes ``max_bytes``."""
    declared = response.headers.get("Content-Length", "")
    body = bytearray()
    if not (declared.isdigit() and int(declared) > max_bytes):
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > max_bytes:
                break
    if (declared.isdigit() and int(declared) > max_bytes) or len(body) > max_bytes:
        response.close()
        raise TooLarge(f"response larger than {max_bytes:,} bytes", response=response)
    response._content = bytes(body)


def _make_session(policy: FetchPolicy) -> requests.Session:
    if policy.cache:
        import requests_cache

        session: requests.Session = requests_cache.CachedSession(
            policy.cache, backend="sqlite", serializer="json", expire_after=3600
        )
    else:
        session = requests.Session()
    session.trust_env = False
    session.max_redirects = policy.max_redirects
    if policy.proxy:
        session.proxies = {"http": policy.proxy, "https": policy.proxy}
    return session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="polite_session", description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a page of the local test site")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--attempts", type=int, default=4, help="tries before giving up")
    parser.add_argument("--proxy", help="forward proxy URL, e.g. http://127.0.0.1:8023")
    parser.add_argument("--fake-user-agent", action="store_true", help="random browser strings")
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {args.url}")
    if not 0 <= args.delay < math.inf or not 1 <= args.attempts <= 100:
        raise UsageError("--delay must be finite and not negative; --attempts between 1 and 100")
    policy = FetchPolicy(
        delay=args.delay,
        attempts=args.attempts,
        proxy=args.proxy,
        fake_user_agent=args.fake_user_agent,
    )
    fetcher = PoliteSession(policy)
    try:
        response = fetcher.get(args.url)
        outcome = f"HTTP {response.status_code}"
    except Disallowed:
        outcome = "not fetched: robots.txt disallows it"
    except tenacity.RetryError:
        outcome = "gave up"
    except TooLarge as error:
        outcome = f"failed: {error}"
    except requests.RequestException as error:
        outcome = f"failed: {type(error).__name__}"
    for number, attempt in enumerate(fetcher.attempts, start=1):
        print(f"attempt {number}: {attempt.result}")
    print(outcome)
    return 0


if __name__ == "__main__":
    run(main, prog="polite_session")
