"""What every request to one host shares, however many threads send them: its slots and its rules.

A worker keeps many requests in flight (one thread each), so politeness cannot live in one
request's code. Each host has a **next free slot**: every request books one, ``delay`` after the
previous booking, and a ``Retry-After`` pushes the slot back for every thread at once. Its
**robots.txt** is read once per process, however many threads ask at the same moment.
``LocalRateLimiter`` keeps the slots of one process; ``crawl_db.SharedRateLimiter`` keeps them in
the crawl database for every worker of a crawl.

```python
from examples.pycon_us_2022.distributed_scraping.host_limits import LocalRateLimiter

limiter = LocalRateLimiter()
limiter.hold("books.example", 0.05)  # a 429 said "Retry-After": nobody sends for 50 ms
```
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol
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
        time.sleep(max(0.0, start - now))

    def hold(self, host: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._next[host] = max(until, self._next.get(host, until))


class RobotsRules:
    """robots.txt per origin, fetched once per process and shared by every thread's session."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotFileParser] = {}
        self._lock = threading.Lock()

    def get(self, origin: str, read: Callable[[str], RobotFileParser]) -> RobotFileParser:
        """The rules of ``origin``; ``read`` fetches them the first time (the others wait)."""
        with self._lock:
            if origin not in self._rules:
                self._rules[origin] = read(origin)
            return self._rules[origin]
