"""Bounds on what comes from outside: query parameters, command-line numbers, request paths.

A demo server anyone can reach must bound what one request costs, so the streaming routes take
``?lines=`` only up to ``MAX_LINES`` and answer ``400`` beyond it, in every framework.
``count_parameter`` is that check, shared by the Flask and Django routes; ``bounded`` is the same
idea for the command lines' numeric options (no ``nan``, no ``inf``, nothing out of range), and
``request_path`` checks the path a command line is asked to request.

```python
import pytest
from examples.pycon_us_2022.middleware.limits import MAX_LINES, BadParameter, count_parameter

assert count_parameter("2", "lines", default=3) == 2
with pytest.raises(BadParameter):
    count_parameter(str(MAX_LINES + 1), "lines", default=3)
```
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from typing import TypeVar

from example_support.command_line import EXIT_FAILURE, UsageError

MAX_LINES = 10_000
Number = TypeVar("Number", int, float)
# ASCII digits only: int() also takes " 3", "1_000" and other scripts' digits ("١٢").
_COUNT = re.compile(r"[0-9]{1,9}")


class BadParameter(ValueError):
    """A query parameter outside what the route accepts: the framework answers ``400``."""


def count_parameter(raw: str | None, name: str, *, default: int, maximum: int = MAX_LINES) -> int:
    """A count from a query string: absent means ``default``; else 0 to ``maximum`` digits."""
    if raw is None:
        return default
    if not _COUNT.fullmatch(raw) or int(raw) > maximum:
        raise BadParameter(f"{name} must be a whole number from 0 to {maximum}")
    return int(raw)


def bounded(kind: type[Number], minimum: Number, maximum: Number) -> Callable[[str], Number]:
    """An argparse ``type``: ``kind(text)`` if it is finite and within [minimum, maximum]."""

    def parse(text: str) -> Number:
        shown = repr(text) if len(repr(text)) <= 40 else repr(text)[:39] + "…"
        problem = f"want {kind.__name__} from {minimum} to {maximum}, not {shown}"
        try:
            value = kind(text)
        except ValueError:  # not a number, or an int of more digits than Python converts
            raise argparse.ArgumentTypeError(problem) from None
        if not math.isfinite(value) or not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


def request_path(text: str) -> str:
    """The path a command line requests: starts with '/', is UTF-8, has no control characters."""
    if not text.startswith("/"):
        raise UsageError(f"a path starts with '/': {text!r}")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):  # undecodable bytes in argv
        raise UsageError(f"a path is UTF-8 text: {text!r}")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        raise UsageError(f"a path has no control characters: {text!r}")
    return text


def exception_line(error: BaseException) -> str:
    """An exception as the last line of its traceback would show it."""
    return f"{type(error).__name__}: {error}"


def last_logged_error(log: str) -> str | None:
    """The last line a server or framework logged, e.g. a traceback's ``RuntimeError: …``."""
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1].strip() if lines else None


def route_failed(prog: str, path: str, what: str) -> int:
    """Report a failed request in one line on stderr; the status the command exits with."""
    print(f"{prog}: error: GET {path} failed: {what}", file=sys.stderr)
    return EXIT_FAILURE
