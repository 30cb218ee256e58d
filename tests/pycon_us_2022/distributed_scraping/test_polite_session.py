"""Stage 2's fetcher against the real local site: robots.txt, retries, redirects, delays, proxy."""

from __future__ import annotations

import itertools
import time

import pytest
import requests
import tenacity

from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB, SharedRateLimiter
from examples.pycon_us_2022.distributed_scraping.forward_proxy import ForwardProxy
from examples.pycon_us_2022.distributed_scraping.polite_session import (
    HONEST_USER_AGENT,
    Disallowed,
    FetchPolicy,
    LocalRateLimiter,
    PoliteSession,
    retry_after_seconds,
)


class RecordedSleep:
    """Sleeps for real, and remembers how long each retry wait was."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)


def fetcher(**policy: object) -> tuple[PoliteSession, RecordedSleep]:
    sleep = RecordedSleep()
    options = {"delay": 0.0, "backoff": 0.05, "max_backoff": 0.2} | policy
    return PoliteSession(FetchPolicy(**options), sleep=sleep), sleep  # type: ignore[arg-type]


def test_robots_txt_is_obeyed(site: BookSite) -> None:
    session, _ = fetcher()
    with pytest.raises(Disallowed):
        session.get(site.url + "private/staff-picks.html")
    assert site.hits["/private/staff-picks.html"] == 0, "a disallowed page is never requested"
    assert session.get(site.url + "books/1.html").status_code == 200
    assert site.hits["/robots.txt"] == 1, "robots.txt is read once per site"


def test_crawl_delay_of_robots_txt_raises_the_delay() -> None:
    with BookSite(books=3, crawl_delay=1) as site:
        session, _ = fetcher(delay=0.1, jitter=0.0)
        assert session.delay_for(site.url + "books/1.html") == 1.0
        started = time.monotonic()
        for number in (1, 2):
            session.get(site.url + f"books/{number}.html")
        assert time.monotonic() - started >= 1.0, "two requests, one crawl delay apart"


def test_fractional_crawl_delay_is_ignored_by_the_standard_parser() -> None:
    # urllib.robotparser keeps only whole seconds: "Crawl-delay: 0.5" reads as no delay at all.
    with BookSite(books=1, crawl_delay=0.5) as site:
        session, _ = fetcher(delay=0.2)
        assert session.delay_for(site.url) == 0.2


def test_unreachable_robots_txt_forbids_everything() -> None:
    session, _ = fetcher(timeout=1.0)
    assert not session.allowed("http://127.0.0.1:9/books/1.html"), "RFC 9309: assume disallowed"


def test_404_and_410_are_answers_not_retried(site: BookSite) -> None:
    session, sleep = fetcher()
    assert session.get(site.url + "books/missing.html").status_code == 404
    assert session.get(site.url + "books/gone.html").status_code == 410
    assert site.hits["/books/missing.html"] == 1
    assert site.hits["/books/gone.html"] == 1
    assert sleep.waits == []


def test_503_is_retried_with_backoff_until_it_succeeds(site: BookSite) -> None:
    session, sleep = fetcher()
    response = session.get(site.url + "books/busy.html")
    assert response.status_code == 200
    assert [a.result for a in session.attempts] == ["503", "503", "200"]
    assert len(sleep.waits) == 2
    assert all(0 <= wait <= 0.2 for wait in sleep.waits), "jittered, capped exponential backoff"


def test_retries_are_bounded(site: BookSite) -> None:
    session, _ = fetcher(attempts=2)
    with pytest.raises(tenacity.RetryError):
        session.get(site.url + "books/busy.html")
    assert site.hits["/books/busy.html"] == 2, "two attempts, then give up"


def test_429_waits_as_long_as_retry_after_says(site: BookSite) -> None:
    session, sleep = fetcher()
    started = time.monotonic()
    assert session.get(site.url + "books/throttled.html").status_code == 200
    assert sleep.waits == [1.0]
    assert time.monotonic() - started >= 1.0


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 3 ") == 3.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert retry_after_seconds(None) is None


def test_redirects_are_followed_up_to_a_limit(site: BookSite) -> None:
    session, _ = fetcher(max_redirects=4)
    moved = session.get(site.url + "books/moved.html")
    assert moved.url.endswith("/books/relocated.html")
    assert [r.status_code for r in moved.history] == [302]
    with pytest.raises(requests.TooManyRedirects):
        session.get(site.url + "loop/a.html")
    assert site.hits["/loop/a.html"] + site.hits["/loop/b.html"] == 5, "the first try + 4 redirects"


def test_an_honest_user_agent_by_default(site: BookSite) -> None:
    session, _ = fetcher()
    session.get(site.url + "books/1.html")
    assert site.traffic.user_agents["/books/1.html"] == HONEST_USER_AGENT
    assert "python-requests" not in HONEST_USER_AGENT


def test_fake_user_agent_works_offline_and_varies(site: BookSite) -> None:
    session, _ = fetcher(fake_user_agent=True)
    for number in range(1, 7):
        session.get(site.url + f"books/{number}.html")
    agents = {site.traffic.user_agents[f"/books/{n}.html"] for n in range(1, 7)}
    assert all(agent.startswith("Mozilla/5.0") for agent in agents)
    assert len(agents) > 1, "a different browser string per request"


def test_requests_go_through_the_proxy(site: BookSite) -> None:
    with ForwardProxy() as proxy:
        session, _ = fetcher(proxy=proxy.url)
        assert session.get(site.url + "books/2.html").status_code == 200
        assert session.get(site.url + "books/missing.html").status_code == 404
    assert site.traffic.via["/books/2.html"] == "1.1 forward_proxy"
    assert site.traffic.via["/robots.txt"] == "1.1 forward_proxy"


def test_requests_cache_serves_repeats_from_the_cache(site: BookSite, tmp_path) -> None:
    session, _ = fetcher(cache=str(tmp_path / "pages"))
    first = session.get(site.url + "books/3.html")
    second = session.get(site.url + "books/3.html")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.text == first.text
    assert site.hits["/books/3.html"] == 1
    session.session.close()


def test_local_rate_limiter_spaces_requests_to_one_host() -> None:
    limiter = LocalRateLimiter()
    starts = []
    for _ in range(3):
        limiter.wait_turn("site", 0.1)
        starts.append(time.monotonic())
    limiter.wait_turn("other", 0.1)
    assert starts[2] - starts[0] >= 0.19
    assert time.monotonic() - starts[2] < 0.09, "another host does not wait"


def test_shared_rate_limiter_gives_each_worker_its_own_slot(tmp_path) -> None:
    db = CrawlDB(str(tmp_path / "crawl.sqlite"))
    assert [db.reserve_slot("site", 0.5, now=100.0) for _ in range(4)] == [0, 0.5, 1.0, 1.5]
    assert db.reserve_slot("site", 0.5, now=103.0) == 0, "an idle host has a free slot at once"
    slots = []
    for _ in range(3):  # on the real clock: each slot is one delay after the previous
        asked = time.time()
        slots.append(asked + db.reserve_slot("clocked", 0.5))
    assert [b - a for a, b in itertools.pairwise(slots)] == pytest.approx([0.5, 0.5], abs=0.05)
    started = time.monotonic()
    SharedRateLimiter(db).wait_turn("fresh-host", 0.5)
    assert time.monotonic() - started < 0.2
    db.engine.dispose()
