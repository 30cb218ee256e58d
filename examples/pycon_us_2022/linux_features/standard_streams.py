"""stdin, stdout and stderr are file descriptors 0, 1 and 2, and Python buffers what it writes.

``/proc/self/fd`` shows what each descriptor points to: a terminal (``/dev/pts/N``), a pipe, a
file. Python's ``sys.stdout`` is line-buffered on a terminal but block-buffered on a pipe or a
file, while ``sys.stderr`` is always line-buffered (3.9+). So a program whose output is piped can
show its stderr lines before stdout lines written earlier. ``python -u`` (or
``PYTHONUNBUFFERED=1``) or ``flush=True`` restores the order.

Line buffering has its own surprise, shown on a pseudo-terminal: text written without a final
newline stays in the buffer, so a prompt written before a read from stdin does not appear until the
program flushes (``input()`` flushes ``sys.stdout`` for you; ``sys.stdin.readline()`` does not).

```python
from examples.pycon_us_2022.linux_features.standard_streams import descriptors

assert [number for number, _ in descriptors()] == [0, 1, 2]
```
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from example_support.command_line import run

STREAM_NAMES = ["stdin", "stdout", "stderr"]


def descriptors() -> list[tuple[int, str]]:
    """Where file descriptors 0, 1 and 2 of this process point."""
    return [(fd, str(Path(f"/proc/self/fd/{fd}").readlink())) for fd in range(3)]


def write_both() -> None:
    """What the child runs: two lines to each stream, alternating."""
    print("stdout 1")
    print("stderr 1", file=sys.stderr)
    print("stdout 2")
    print("stderr 2", file=sys.stderr)


def arrival_order(unbuffered: bool) -> list[str]:
    """Run ``write_both`` in a child whose stdout and stderr are one pipe; return the lines."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])  # the repository root
    flags = ["-u"] if unbuffered else []
    result = subprocess.run(
        [sys.executable, *flags, "-m", __spec__.name, "--child"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # both into the same pipe, as `2>&1 | cat` does
        env=env,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def prompt_child() -> None:
    """Two writes to stdout, the second without a newline, then a read from stdin."""
    with Path("/dev/stdout").open("a", encoding="utf-8") as stdout:  # the terminal, again
        stdout.write("Hello PyCon\n")
        stdout.write("Hello Salt Lake City")  # no newline: a line-buffered file keeps it
        sys.stdin.readline()
    # Leaving the block closes the file, which flushes what was left in its buffer.


def _read_available(fd: int, wait: float) -> bytes:
    """Whatever the terminal shows within ``wait`` seconds of quiet; b"" once it is closed."""
    data = b""
    while select.select([fd], [], [], wait)[0]:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # EIO: every process holding the terminal has closed it
            break
        if not chunk:
            break
        data += chunk
    return data


def on_a_terminal(timeout: float = 30) -> tuple[list[str], list[str]]:
    """Run ``prompt_child`` on a pseudo-terminal; the lines shown before and after Enter."""
    controller, terminal = os.openpty()
    settings = termios.tcgetattr(terminal)
    settings[3] &= ~termios.ECHO  # do not echo the Enter we type back onto the screen
    termios.tcsetattr(terminal, termios.TCSANOW, settings)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    child = subprocess.Popen(
        [sys.executable, "-m", __spec__.name, "--prompt-child"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(terminal)
    try:
        screen, deadline = b"", time.monotonic() + timeout
        while b"Hello PyCon" not in screen and time.monotonic() < deadline:
            screen += _read_available(controller, 0.1)
        screen += _read_available(controller, 0.5)  # anything else would show by now
        before = screen.decode().replace("\r\n", "\n").splitlines()
        os.write(controller, b"\n")
        child.wait(timeout=timeout)
        screen += _read_available(controller, 0.5)
        after = screen.decode().replace("\r\n", "\n").splitlines()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(controller)
    return before, after


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="standard_streams",
        description="Show where fds 0-2 point, and how buffering reorders piped output.",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prompt-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        write_both()
        return 0
    if args.prompt_child:
        prompt_child()
        return 0
    for fd, target in descriptors():
        print(f"/proc/self/fd/{fd} ({STREAM_NAMES[fd]}) -> {target}")
    for unbuffered in (False, True):
        how = "python -u" if unbuffered else "python   "
        print(f"{how} child, stdout and stderr into one pipe: {arrival_order(unbuffered)}")
    before, after = on_a_terminal()
    print("on a terminal: write 'Hello PyCon\\n', write 'Hello Salt Lake City', read stdin")
    print(f"  on screen while it waits for input: {before}")
    print(f"  on screen after Enter:              {after}")
    return 0


if __name__ == "__main__":
    run(main, prog="standard_streams")
