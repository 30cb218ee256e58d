"""Signals: handlers, ``os.kill``, what cannot be caught, SIGPIPE, and ``alarm`` as a timeout.

A signal is a small asynchronous notice from the kernel (or from another process through
``kill``). ``os.kill`` *sends* one; whether the target dies depends on the signal's default
action and on the handlers the target installed. Python runs handlers in the main thread, between
bytecodes, and only the main thread may install them. SIGKILL and SIGSTOP cannot be caught.
Python ignores SIGPIPE at start-up, so writing to a closed pipe raises ``BrokenPipeError``
instead of killing the process; and a handler that raises turns ``alarm`` into a timeout.

```python
from examples.pycon_us_2022.linux_features.signals import DEMOS

assert list(DEMOS)[0] == "usr1"
```
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

from example_support.command_line import run
from examples.pycon_us_2022.linux_features.children import describe_exit, fork_child, reap


def usr1() -> list[str]:
    """Install a SIGUSR1 handler, send the signal to ourselves, then see the default action."""
    received: list[str] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(f"{signal.Signals(signum).name} in {threading.current_thread().name}")

    previous = signal.signal(signal.SIGUSR1, handler)
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    report = [f"with a handler: os.kill(own PID, SIGUSR1) ran it: {', '.join(received)}"]

    def child() -> int:
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)  # no handler: the default action applies
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(5)  # never reached in full: the signal ends the process first
        return 0

    report.append(f"without one (SIG_DFL): the child was {describe_exit(reap(fork_child(child)))}")
    os.kill(os.getpid(), 0)  # signal 0 is never delivered: only "does it exist, may I signal it"
    report.append("os.kill(own PID, 0): delivered nothing, raised nothing: the process exists")
    return report


def sigint() -> list[str]:
    """Python's own SIGINT handler raises KeyboardInterrupt in the main thread.

    Python installs it at start-up only if SIGINT is at its default action then. A shell starts
    background jobs (``command &``) with SIGINT ignored, exec keeps an ignored signal ignored, and
    Python leaves it that way; so the demo installs the handler itself before sending the signal.
    """
    found = signal.getsignal(signal.SIGINT)
    at_start = found.name if isinstance(found, signal.Handlers) else getattr(found, "__name__", "?")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
        outcome = "nothing"
    except KeyboardInterrupt:
        outcome = "KeyboardInterrupt"
    finally:
        signal.signal(signal.SIGINT, previous)
    return [
        f"SIGINT handler at start-up: {at_start}",
        f"with signal.default_int_handler installed, sending SIGINT raised {outcome}",
    ]


def uncatchable() -> list[str]:
    report = []
    for signum in (signal.SIGKILL, signal.SIGSTOP):
        try:
            signal.signal(signum, lambda *_: None)
            report.append(f"signal.signal({signum.name}, ...): accepted (unexpected)")
        except OSError as error:
            code = errno.errorcode[error.errno]
            report.append(f"signal.signal({signum.name}, ...): OSError {code} ({error.strerror})")
    return report


def main_thread_only() -> list[str]:
    outcome: list[str] = []

    def worker() -> None:
        try:
            signal.signal(signal.SIGUSR2, signal.SIG_IGN)
            outcome.append("accepted (unexpected)")
        except ValueError as error:
            outcome.append(f"ValueError: {error}")

    thread = threading.Thread(target=worker, name="worker")
    thread.start()
    thread.join(timeout=10)
    return [f"signal.signal() in a worker thread: {outcome[0]}"]


def sigpipe() -> list[str]:
    ignored = signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    report = [f"Python starts with SIGPIPE ignored: {ignored}"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read
    try:
        os.write(write_end, b"penguins")
    except BrokenPipeError as error:
        report.append(f"write to a pipe with no reader: BrokenPipeError [Errno {error.errno}]")

    def child() -> int:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # what a C program such as `yes` has
        os.write(write_end, b"penguins")
        return 0

    code = reap(fork_child(child))
    os.close(write_end)
    report.append(f"with SIGPIPE's default action, the same write: child {describe_exit(code)}")
    return report


def alarm_timeout(seconds: int = 1) -> list[str]:
    """signal.alarm as a timeout around a read that would otherwise wait for ever."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        # Raising is what interrupts the read: since PEP 475 Python retries an interrupted
        # system call when the handler returns normally.
        raise TimeoutError(f"no data within {seconds} s")

    read_end, write_end = os.pipe()  # we hold the write end, so the read never sees EOF
    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    try:
        signal.alarm(seconds)
        os.read(read_end, 1)
        outcome = "data (unexpected)"
    except TimeoutError as error:
        outcome = f"TimeoutError: {error}"
    finally:
        signal.alarm(0)  # cancel a pending alarm, whatever happened
        signal.signal(signal.SIGALRM, previous)
        os.close(read_end)
        os.close(write_end)
    waited = time.monotonic() - started
    return [f"alarm({seconds}) around a blocking os.read: {outcome} (after {waited:.0f} s)"]


DEMOS: dict[str, Callable[[], list[str]]] = {
    "usr1": usr1,
    "sigint": sigint,
    "uncatchable": uncatchable,
    "main-thread": main_thread_only,
    "sigpipe": sigpipe,
    "alarm": alarm_timeout,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="signals", description="Send, handle and fail to handle signals, for real."
    )
    parser.add_argument(
        "demos", nargs="*", metavar="DEMO", help=f"any of {', '.join(DEMOS)} (default: all)"
    )
    names = parser.parse_args().demos or list(DEMOS)
    for name in names:
        if name not in DEMOS:  # checked here: argparse's choices reject an empty list on 3.13.0
            parser.error(f"unknown demo {name!r}; choose from {', '.join(DEMOS)}")
    for name in names:
        print(f"{name}:")
        for line in DEMOS[name]():
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    run(main, prog="signals")
