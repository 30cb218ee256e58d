"""Real servers for tests: started on a free 127.0.0.1 port, waited for, and always stopped.

Every talk whose examples need a server (the scraping test site, Redis, gunicorn and uvicorn, the
migration proxy, ``mkdocs serve``) starts it through ``serving`` so that none is left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    """Return once ``port`` accepts connections; fail early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on {LOOPBACK}:{port} within {timeout} s")


def wait_for_http(url: str, timeout: float) -> None:
    """Return once ``url`` answers with any HTTP status (the app is up, not only the socket)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a server and everything it started (its process group): TERM, then KILL."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    else:
        # The leader is gone; its workers may not be.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def serving(
    command: Sequence[str],
    port: int,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ready_url: str | None = None,
    timeout: float = 30,
    log: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """Run ``command`` (which must listen on ``port``) for the duration of the ``with`` block.

    The server runs in its own process group, so workers it forks are stopped with it. Its output
    goes to ``log`` (or is discarded) so that a chatty server cannot fill a pipe and stall.
    """
    output = log.open("wb") if log else subprocess.DEVNULL
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(port, process, timeout)
            if ready_url:
                wait_for_http(ready_url, timeout)
            yield process
        finally:
            stop(process)
    finally:
        if log:
            output.close()
