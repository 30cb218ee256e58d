"""fork, at-fork hooks, exec, threads and signals, each run in a child process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from examples.pycon_us_2022.linux_features import process_life_cycle
from tests.pycon_us_2022.linux_features.support import LINUX_ONLY, output_of

pytestmark = LINUX_ONLY


def test_fork_returns_zero_to_the_child_and_the_pid_to_the_parent() -> None:
    out = output_of("process_life_cycle", "fork")
    child_pid, parent_seen_by_child = map(
        int, re.search(r"my PID is (\d+), my parent's is (\d+)", out).groups()
    )
    parent_pid, returned = map(
        int, re.search(r"my PID is (\d+); fork\(\) returned (\d+)", out).groups()
    )
    assert "child:  fork() returned 0" in out
    assert returned == child_pid != parent_pid
    assert parent_seen_by_child == parent_pid
    assert "counter is still 1" in out, "the child's assignment did not reach the parent"


def test_at_fork_hooks_nest_and_subprocess_skips_them() -> None:
    out = output_of("process_life_cycle", "at-fork")
    for side in ("parent", "child"):
        line = next(ln for ln in out.splitlines() if ln.startswith(f"in the {side}:"))
        assert line.split(":", 1)[1].strip().split(", ") == process_life_cycle.HOOK_ORDER[side]
    assert "subprocess.run(['true']) ran: no hook" in out


@pytest.mark.parametrize("flush", [False, True])
def test_exec_keeps_the_pid_and_drops_the_unflushed_buffer(flush: bool) -> None:
    out = output_of("process_life_cycle", "exec", *(["--flush"] if flush else []))
    forked = int(re.search(r"forked child (\d+)", out).group(1))
    assert int(re.search(r"running as PID (\d+)", out).group(1)) == forked
    assert "python: flushed before exec" in out
    assert ("python: written just before exec" in out) is flush


def test_only_the_forking_thread_exists_in_the_child() -> None:
    out = output_of("process_life_cycle", "threads")
    assert "parent: 2 threads before fork" in out
    assert "child:  1 thread; threading sees 1" in out
    warned = "Python warned: DeprecationWarning: This process is multi-threaded" in out
    assert warned is (sys.version_info >= (3, 12))


FORK_BESIDE_A_THREAD = """
import os, threading
stop = threading.Event()
threading.Thread(target=stop.wait).start()
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
stop.set()
print("fork() returned in the parent")
"""
OTHER_PYTHONS = sorted(Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3"))


@pytest.mark.skipif(not OTHER_PYTHONS, reason="no Python 3.12+ under ~/.pyenv/versions")
@pytest.mark.parametrize("python", OTHER_PYTHONS, ids=lambda path: path.parts[-3])
def test_fork_warning_on_312_and_later_is_shown_but_never_raised(python: Path) -> None:
    """The page: 3.12+ warns, and -W error neither raises nor prints the warning."""

    def run(warning_filter: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), "-W", warning_filter, "-c", FORK_BESIDE_A_THREAD],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    as_errors, shown = run("error"), run("always")
    assert (as_errors.returncode, as_errors.stdout, as_errors.stderr) == (
        0,
        "fork() returned in the parent\n",
        "",
    )
    assert "DeprecationWarning: This process" in shown.stderr


def test_signals_demos() -> None:
    out = output_of("signals")
    assert "ran it: SIGUSR1 in MainThread" in out
    assert "the child was killed by SIGUSR1" in out
    assert "sending SIGINT raised KeyboardInterrupt" in out
    assert out.count("OSError EINVAL") == 2, "SIGKILL and SIGSTOP refuse handlers"
    assert "ValueError: signal only works in main thread" in out
    assert "write to a pipe with no reader: BrokenPipeError [Errno 32]" in out
    assert "child killed by SIGPIPE" in out
    assert "alarm(1) around a blocking os.read: TimeoutError" in out
