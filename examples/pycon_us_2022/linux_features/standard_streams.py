"""stdin, stdout and stderr are file descriptors 0, 1 and 2, and Python buffers what it writes.

``/proc/self/fd`` shows what each descriptor points to: a terminal (``/dev/pts/N``), a pipe, a
file. Python's ``sys.stdout`` is line-buffered on a terminal but block-buffered on a pipe or a
file, while ``sys.stderr`` is always line-buffered (3.9+). So a program whose output is piped can
show its stderr lines before stdout lines written earlier. ``python -u`` (or
``PYTHONUNBUFFERED=1``) or ``flush=True`` restores the order.

```python
from examples.pycon_us_2022.linux_features.standard_streams import descriptors

assert [number for number, _ in descriptors()] == [0, 1, 2]
```
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from examples.command_line import run

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


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="standard_streams",
        description="Show where fds 0-2 point, and how buffering reorders piped output.",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    if parser.parse_args().child:
        write_both()
        return 0
    for fd, target in descriptors():
        print(f"/proc/self/fd/{fd} ({STREAM_NAMES[fd]}) -> {target}")
    for unbuffered in (False, True):
        how = "python -u" if unbuffered else "python   "
        print(f"{how} child, stdout and stderr into one pipe: {arrival_order(unbuffered)}")
    return 0


if __name__ == "__main__":
    run(main, prog="standard_streams")
