"""What every request to one host shares, however many threads send them: slots, rules, a cap.

A worker keeps many requests in flight (one thread each), so politeness cannot live in one
request's code. Each host has a **next free slot**: every request books one, ``delay`` after the
previous booking, and a ``Retry-After`` pushes the slot back for every thread at once. Its
**robots.txt** is read once per process, however many threads ask at the same moment.
``LocalRateLimiter`` keeps the slots of one process; ``crawl_db.SharedRateLimiter`` keeps them in
the crawl database for every worker of a crawl. ``InFlight`` caps the requests one process has
open to a host at once (a crawl's *concurrency*), whatever its number of threads.

```python
from examples.pycon_us_2022.distributed_scraping.host_limits import InFlight, LocalRateLimiter

limiter = LocalRateLimiter()
limiter.hold("books.example", 0.05)  # a 429 said "Retry-After": nobody sends for 50 ms
with InFlight(limit=2).slot("books.example"):
    pass  # one of the two requests this process may have open to the host
```
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import ClassVar, Protocol
from urllib.robotparser import RobotFileParser


class RateLimiter(Protocol):
    def wait_turn(self, host: str, delay: float) -> None:
        """Sleep until this request's slot; ``delay`` 0 only waits out a hold."""

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` from anyone for ``seconds`` (the site's ``Retry-After``)."""


class LocalRateLimiter:
    """One process's per-host slots: each request to a host starts ``delay`` after the previous."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_turn(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
        if start > now:
            time.sleep(start - now)

    def hold(self, host: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._next[host] = max(until, self._next.get(host, until))


class RobotsRules:
    """robots.txt per origin, fetched once per process and shared by every thread's session."""

    _shared: ClassVar[dict[str, RobotsRules]] = {}

    def __init__(self) -> None:
        self._rules: dict[str, RobotFileParser] = {}
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, policy: str) -> RobotsRules:
        """This process's rules for every session of one crawl policy (its JSON text)."""
        return cls._shared.setdefault(policy, cls())

    def get(self, origin: str, read: Callable[[str], RobotFileParser]) -> RobotFileParser:
        """The rules of ``origin``; ``read`` fetches them the first time (the others wait)."""
        with self._lock:
            if origin not in self._rules:
                self._rules[origin] = read(origin)
            return self._rules[origin]


class InFlight:
    """At most ``limit`` requests of this process open to one host at once (None: no cap).

    What a site feels is how many requests it has open, not how many threads or processes send
    them. Threads may outnumber the slots, so that one thread parses and stores its page while
    another's request is on the wire. An ``urgent`` request (robots.txt, a catalogue page, which
    find the work everyone else does) takes the next free slot before the others.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self._open: Counter[str] = Counter()
        self._urgent: Counter[str] = Counter()
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def slot(self, host: str, urgent: bool = False) -> Iterator[None]:
        if self.limit is None:
            yield
            return
        with self._changed:
            self._urgent[host] += urgent
            try:
                self._changed.wait_for(
                    lambda: self._open[host] < self.limit and (urgent or not self._urgent[host])
                )
            finally:
                self._urgent[host] -= urgent
            self._open[host] += 1
        try:
            yield
        finally:
            with self._changed:
                self._open[host] -= 1
                self._changed.notify_all()


# The requests this process may have open to one host: the crawl command and a worker set it to
# their --concurrency; None (no cap) in a prefork child, which runs one page at a time.
IN_FLIGHT = InFlight()
