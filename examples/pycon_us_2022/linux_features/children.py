"""How the examples fork: the child always leaves through ``os._exit``; the parent always reaps.

A forked child is a copy of the parent, including its ``finally`` blocks, ``atexit`` handlers and
unflushed buffers. If the child returned normally it would run the parent's clean-up code a second
time (and, under a test runner, carry on running the test suite). ``os._exit`` ends it on the spot.
The parent waits for every child it made, with a deadline, so nothing is left behind or hangs.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Callable


def flush_standard_streams() -> None:
    """Empty Python's buffers, so text written before a fork is not printed twice (once by each)."""
    sys.stdout.flush()
    sys.stderr.flush()


def fork_child(work: Callable[[], int | None]) -> int:
    """Fork; the child runs ``work`` and exits with its status; the parent gets the child's PID."""
    flush_standard_streams()
    pid = os.fork()
    if pid != 0:
        return pid  # the parent: fork() returned the child's PID
    status = 1
    try:
        status = work() or 0
    except BaseException:  # the child must never unwind into the parent's code
        traceback.print_exc()
    finally:
        flush_standard_streams()
        os._exit(status)


def reap(pid: int, timeout: float = 10.0) -> int:
    """Wait for a child; return its exit code, or minus the signal number that killed it."""
    deadline = time.monotonic() + timeout
    while True:
        waited, status = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise TimeoutError(f"child {pid} did not finish within {timeout} s; killed it")
        time.sleep(0.005)


def describe_exit(code: int) -> str:
    """``exited with 0`` or ``killed by SIGUSR1``, from what ``reap`` returned."""
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exited with {code}"
