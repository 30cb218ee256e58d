"""A named pipe (``os.mkfifo``): a name in the file system for a one-way stream between processes.

The FIFO is a file only by name: the data goes through the kernel, never to disk (its size stays
0). Opening one end blocks until the other end is opened too, a non-blocking open for writing
with no reader fails (``ENXIO``), and the reader sees end of file once every writer has closed.
Data flows one way: the read end cannot be written to. The child here is the writer; the parent
reads, then removes the FIFO.

```python
from examples.pycon_us_2022.linux_features.named_pipe import MESSAGES

assert MESSAGES[0] == "penguin 1"
```
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.linux_features.children import describe_exit, fork_child, reap

MESSAGES = ["penguin 1", "penguin 2", "penguin 3"]
TIMEOUT = 10  # seconds; whole seconds, for signal.alarm


def error_text(error: OSError) -> str:
    return f"{errno.errorcode[error.errno]} ({error.strerror})"


@contextmanager
def alarm_after(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in a blocking call that lasts longer than ``seconds`` (signals.py)."""

    def give_up(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the other end was not opened within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_all(fifo: Path, delay: float) -> list[str]:
    """The reader's side: a blocking open, then lines until end of file."""
    report = []
    started = time.monotonic()
    with fifo.open("r", encoding="utf-8") as pipe:  # blocks until the writer opens its end
        waited = time.monotonic() - started
        report.append(
            f"reader: open() blocked {waited:.1f} s, until the writer opened its end "
            f"(it slept {delay} s first)"
        )
        received = [line.rstrip("\n") for line in pipe]  # ends when every writer has closed
        report.append(
            f"reader: size of {fifo.name} with the stream open: {fifo.stat().st_size} bytes"
        )
        try:
            os.write(pipe.fileno(), b"reply")
        except OSError as error:
            report.append(f"reader: writing back into the read end: {error_text(error)}")
    report.append(f"reader: received {', '.join(map(repr, received))}, then end of file")
    return report


def through_a_fifo(fifo: Path, delay: float) -> list[str]:
    """Send MESSAGES from a child (writer) to this process (reader) through ``fifo``."""
    report = []
    os.mkfifo(fifo, 0o600)
    try:
        mode = fifo.stat().st_mode
        report.append(f"created {fifo.name}: FIFO {stat.S_ISFIFO(mode)}, mode {oct(mode & 0o777)}")
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as error:  # nobody has the read end open yet
            report.append(f"non-blocking open for writing, no reader yet: {error_text(error)}")

        def writer() -> int:
            time.sleep(delay)  # the reader's open() waits at least this long
            with fifo.open("w", encoding="utf-8") as pipe:
                pipe.write("".join(f"{message}\n" for message in MESSAGES))
            return 0

        pid = fork_child(writer)
        try:
            with alarm_after(TIMEOUT):  # if the writer died, open() would wait for ever
                report += read_all(fifo, delay)
        finally:
            report.append(f"writer (child): {describe_exit(reap(pid))}")
    finally:
        fifo.unlink()
    report.append(f"removed {fifo.name}: exists {fifo.exists()}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="named_pipe",
        description="Send three lines from a child to its parent through a named pipe.",
    )
    parser.add_argument("--delay", type=float, default=0.2, help="seconds the writer waits")
    parser.add_argument("--dir", type=Path, help="folder for the FIFO (default: a temporary one)")
    args = parser.parse_args()
    if not 0 <= args.delay <= 5:
        raise UsageError("--delay must be between 0 and 5 seconds")
    if args.dir is not None:
        if not args.dir.is_dir():
            raise UsageError(f"not a folder: {args.dir}")
        if (args.dir / "penguins.fifo").exists():
            raise UsageError(f"{args.dir / 'penguins.fifo'} already exists")
        lines = through_a_fifo(args.dir / "penguins.fifo", args.delay)
    else:
        with tempfile.TemporaryDirectory() as folder:
            lines = through_a_fifo(Path(folder) / "penguins.fifo", args.delay)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    run(main, prog="named_pipe")
