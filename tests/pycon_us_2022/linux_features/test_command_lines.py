"""Every script: --help, one-line errors, and nothing left behind after the demos."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pycon_us_2022.linux_features.support import LINUX_ONLY, PACKAGE, output_of, run_module
from tests.support.command_lines import assert_one_line_error

pytestmark = LINUX_ONLY


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("process_life_cycle", ["spawn"], "invalid choice: 'spawn'"),
        ("signals", ["sigterm"], "unknown demo 'sigterm'"),
        ("named_pipe", ["--delay", "-1"], "--delay must be between 0 and 5 seconds"),
        ("bench_copy_on_write", ["--objects", "10"], "--objects must be between 1000 and"),
        ("memray_profile", ["--top", "0"], "--top must be at least 1"),
        ("clocks", ["--sleep", "0"], "--sleep must be more than 0"),
        ("file_compare", ["one"], "give two paths, or none"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(module: str, args: list[str], message: str) -> None:
    assert_one_line_error(run_module(module, *args), module, 2, message)


def demo_processes(tmp: Path) -> list[int]:
    """PIDs of any process still running a demo this test started, wherever it was re-parented.

    The demos run with ``TMPDIR`` set to this test's own folder, and every process they start
    inherits it: other tests, on other workers, may be running demos of the same talk meanwhile.
    """
    marker = f"TMPDIR={tmp}".encode() + b"\0"
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                cmdline = (proc / "cmdline").read_bytes()
                environ = (proc / "environ").read_bytes()
            except OSError:
                continue  # it ended while we looked
            if PACKAGE.encode() in cmdline and marker in environ:
                found.append(int(proc.name))
    return found


def test_every_demo_leaves_nothing_behind(tmp_path: Path) -> None:
    for args in [
        ("process_life_cycle", "fork"),
        ("process_life_cycle", "exec"),
        ("process_life_cycle", "threads"),
        ("named_pipe",),
        ("unix_sockets", "named"),
        ("unix_sockets", "pair"),
        ("signals", "usr1", "sigpipe"),
        ("file_compare",),
    ]:
        output_of(*args, tmp=tmp_path)
    assert list(tmp_path.iterdir()) == [], "no FIFO, socket or temporary folder is left"
    assert demo_processes(tmp_path) == [], "every child was reaped"


def test_a_demo_left_running_is_found_and_other_tests_demos_are_not(tmp_path: Path) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)", PACKAGE]
    mine = subprocess.Popen(sleeper, env={**os.environ, "TMPDIR": str(tmp_path)})
    others = subprocess.Popen(sleeper, env={**os.environ, "TMPDIR": str(tmp_path / "other")})
    try:
        assert demo_processes(tmp_path) == [mine.pid]
    finally:
        for process in (mine, others):
            process.kill()
            process.wait()
