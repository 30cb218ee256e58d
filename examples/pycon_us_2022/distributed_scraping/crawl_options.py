"""The command-line options the crawl's stages share, checked the same way by each of them.

Stage 1, stage 2 and the controller all start from a catalogue URL and a results database, and
may stop early; the polite stages also take the per-host delay. One definition keeps their
``--help`` and their one-line errors alike.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from example_support.command_line import UsageError


def add_crawl_options(
    parser: argparse.ArgumentParser, *, db_default: str, db_help: str, delay: bool = True
) -> None:
    """The start URL, the results database, ``--max-pages`` and (if ``delay``) ``--delay``."""
    parser.add_argument("url", help="first catalogue page of the local test site")
    parser.add_argument("--db", default=db_default, help=db_help)
    parser.add_argument("--max-pages", type=int, help="stop after this many book pages")
    if delay:
        parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests")


def check_crawl_options(args: argparse.Namespace) -> None:
    """Refuse what no stage can crawl: raises UsageError (one line, exit 2)."""
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {args.url}")
    if args.max_pages is not None and args.max_pages < 1:
        raise UsageError("--max-pages must be at least 1")
    if not 0 <= getattr(args, "delay", 0) < math.inf:  # nan and inf would wait forever
        raise UsageError("--delay must be finite and not negative")
    check_db_path(args.db)


BROKER_SCHEMES = ("filesystem://", "redis://", "rediss://", "amqp://", "pyamqp://", "sqs://")


def check_broker(broker: str) -> None:
    if not broker.startswith(BROKER_SCHEMES):
        raise UsageError(
            f"unsupported broker {broker!r}: use filesystem://PATH, redis:// or amqp://"
        )


def check_db_path(db: str) -> None:
    """A database path must be a regular file, or nothing yet: a folder, a FIFO (SQLite would
    wait on it forever) or a symlink loop is refused in one line. URLs are left to the driver."""
    path = Path(db)
    if "://" in db or db == ":memory:" or not (path.exists() or path.is_symlink()):
        return
    if not path.is_file():
        what = "a symlink that leads nowhere" if not path.exists() else "not a regular file"
        raise UsageError(f"database {db}: {what}")
