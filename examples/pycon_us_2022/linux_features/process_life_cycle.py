"""A process's life cycle with ``os.fork``, ``os.register_at_fork`` and ``os.execvp``.

``fork`` clones the calling process: it returns twice, the child's PID in the parent and 0 in the
child, and the two go on with separate (copy-on-write) memory. ``register_at_fork`` hooks run
around every ``os.fork``: the *before* hooks in reverse order of registration, the *after* hooks in
order. ``execvp`` replaces the program of the calling process (the PID stays) and never returns,
so text still waiting in Python's buffers is lost. Only the thread that called ``fork`` exists in
the child. Each subcommand shows one of these; ``subprocess`` is built from the same calls.

```python
from examples.pycon_us_2022.linux_features.process_life_cycle import HOOK_ORDER

assert HOOK_ORDER["parent"][:3] == ["before B", "before A", "fork"]
```
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from example_support.command_line import run
from examples.pycon_us_2022.linux_features.children import describe_exit, fork_child, reap

# What the at-fork demo prints, for readers of this module (the demo computes its own).
HOOK_ORDER = {
    "parent": ["before B", "before A", "fork", "after_in_parent A", "after_in_parent B"],
    "child": ["before B", "before A", "fork", "after_in_child A", "after_in_child B"],
}


def show_fork() -> None:
    """fork() returns twice; after it, each process has its own copy of every variable."""
    parent_pid = os.getpid()
    counter = 1

    def child() -> int:
        nonlocal counter
        counter = 99  # changes the child's copy only
        print(f"child:  fork() returned 0; my PID is {os.getpid()}, my parent's is {os.getppid()}")
        print(f"child:  parent is the process that forked me: {os.getppid() == parent_pid}")
        print(f"child:  set counter = {counter}")
        return 0

    pid = fork_child(child)
    code = reap(pid)  # the parent speaks last, so the output keeps one order
    print(f"parent: my PID is {parent_pid}; fork() returned {pid}, the child's PID")
    print(f"parent: counter is still {counter}; child {describe_exit(code)}")


def hook_order() -> dict[str, list[str]]:
    """Register two sets of at-fork hooks (A, then B), fork, and return the order they ran in."""
    log: list[str] = []
    for name in ("A", "B"):
        os.register_at_fork(
            before=lambda name=name: log.append(f"before {name}"),
            after_in_parent=lambda name=name: log.append(f"after_in_parent {name}"),
            after_in_child=lambda name=name: log.append(f"after_in_child {name}"),
        )
    read_end, write_end = os.pipe()

    def child() -> int:
        os.close(read_end)
        child_log = [*log[:2], "fork", *log[2:]]  # the before hooks ran in the parent, pre-fork
        os.write(write_end, "\n".join(child_log).encode())
        return 0

    pid = fork_child(child)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        child_log = pipe.read().decode().splitlines()
    reap(pid)
    order = {"parent": [*log[:2], "fork", *log[2:]], "child": child_log}
    log.clear()
    # subprocess forks without running the hooks: its child never returns to Python code.
    subprocess.run(["true"], check=True)
    order["subprocess"] = list(log)
    return order


def show_at_fork() -> None:
    order = hook_order()
    print("registered hooks A, then B")
    print("in the parent:", ", ".join(order["parent"]))
    print("in the child: ", ", ".join(order["child"]))
    print("subprocess.run(['true']) ran:", ", ".join(order["subprocess"]) or "no hook")


def show_exec(flush: bool) -> None:
    """Fork, then exec sh in the child: same PID, new program, and Python's buffer is gone."""
    read_end, write_end = os.pipe()

    def child() -> int:
        os.close(read_end)
        os.dup2(write_end, 1)  # the child's stdout is now the pipe the parent reads
        # A fresh stdout on a pipe is block-buffered, as Python's own is when output is piped.
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        print("python: flushed before exec", flush=True)
        print("python: written just before exec", flush=flush)
        os.execvp("sh", ["sh", "-c", 'echo "sh:     a new program, running as PID $$"'])
        return 1  # never reached: execvp only comes back by raising

    pid = fork_child(child)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read().decode()
    code = reap(pid)
    print(f"parent: forked child {pid}; what the child wrote to its stdout:")
    for line in received.splitlines():
        print(f"  {line}")
    print(f"parent: the PID {'stayed' if f'PID {pid}' in received else 'changed'} across exec")
    if "written just before exec" not in received:
        print("parent: the second Python line was lost: it was in the buffer that exec replaced")
    print(f"parent: child {describe_exit(code)}")


def count_threads() -> int:
    """Threads of this process, as the kernel sees them."""
    return len(list(Path(f"/proc/{os.getpid()}/task").iterdir()))


def show_threads() -> None:
    """Only the thread that calls fork() exists in the child; 3.12+ warns about the risk."""
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, name="worker")
    worker.start()
    try:
        print(f"parent: {count_threads()} threads before fork")

        def child() -> int:
            print(f"child:  {count_threads()} thread; threading sees {threading.active_count()}")
            return 0

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pid = fork_child(child)
        reap(pid)
        print(f"parent: {count_threads()} threads after fork")
        for warning in caught:
            message = re.sub(r" \(pid=\d+\)", "", str(warning.message))  # PIDs vary
            print(f"parent: Python warned: {warning.category.__name__}: {message}")
        if not caught:
            print(f"parent: no warning (Python {sys.version_info[0]}.{sys.version_info[1]})")
    finally:
        stop.set()
        worker.join()


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="process_life_cycle",
        description="fork, register_at_fork, execvp and threads, each shown by running it.",
    )
    parser.add_argument("demo", choices=["fork", "at-fork", "exec", "threads"])
    parser.add_argument("--flush", action="store_true", help="exec: flush before exec")
    args = parser.parse_args()
    if not Path("/proc/self/task").is_dir():
        parser.error("needs Linux (/proc); fork and exec exist elsewhere, /proc does not")
    match args.demo:
        case "fork":
            show_fork()
        case "at-fork":
            show_at_fork()
        case "exec":
            show_exec(args.flush)
        case "threads":
            show_threads()
    return 0


if __name__ == "__main__":
    run(main, prog="process_life_cycle")
