"""Every command line of the talk against hostile input: special files, link loops, non-finite and
huge numbers, non-UTF-8 names and contents. Each answers at once with one ``prog: error:`` line
(or a finding), never a traceback and never a wait: a FIFO with no writer would block a plain
open() forever, so every run has a short timeout.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pycon_us_2022.python3_migration.support import assert_one_line_error, run_module

ROUTES = "prefix,backend\n/,old\n"
OLD = "old=http://127.0.0.1:1"


def fifo(tmp_path: Path, name: str) -> str:
    os.mkfifo(tmp_path / name)  # nobody ever writes to it
    return str(tmp_path / name)


def link_loop(tmp_path: Path, name: str) -> str:
    (tmp_path / name).symlink_to(tmp_path / name)
    return str(tmp_path / name)


def non_utf8(tmp_path: Path, name: str) -> str:
    (tmp_path / name).write_bytes(b"prefix,backend\n/,old\n/caf\xe9,old\n")
    return str(tmp_path / name)


def routes(tmp_path: Path) -> str:
    (tmp_path / "routes.csv").write_text(ROUTES)
    return str(tmp_path / "routes.csv")


def cache_with_fifo(tmp_path: Path) -> str:
    fifo(tmp_path, "0" * 64 + ".entry")
    (tmp_path / "folder.entry").mkdir()
    link_loop(tmp_path, "loop.entry")
    return str(tmp_path)


def saved_results(content: bytes) -> Callable[[Path], str]:
    def write(tmp_path: Path) -> str:
        (tmp_path / "parsability-vs-compileall.json").write_bytes(content)
        return str(tmp_path)

    return write


# (program, its arguments with {} for the prepared path, how to prepare it, status, message)
CASES = [
    ("parsability", ["{}"], lambda t: fifo(t, "x.py"), 1, "not a regular file (FIFO)"),
    ("parsability", ["{}"], lambda t: link_loop(t, "x.py"), 1, "Too many levels"),
    ("parsability", ["-j", "9" * 30, "{}"], lambda t: fifo(t, "x.py"), 1, "not a regular file"),
    ("importability", ["--timeout", "nan", "{}"], str, 2, "--timeout must be a finite number"),
    ("importability", ["--timeout", "inf", "{}"], str, 2, "--timeout must be a finite number"),
    ("importability", ["--timeout", "1e308", "{}"], str, 2, "--timeout must be at most"),
    ("importability", ["{}"], str, 2, "no importable modules found in"),
    ("importability", ["{}"], lambda t: link_loop(t, "src"), 2, "no such folder"),
    ("functional_parity", ["{}"], lambda t: fifo(t, "r.xml"), 2, "not a regular file (FIFO)"),
    ("functional_parity", ["{}"], lambda t: link_loop(t, "r.xml"), 2, "Too many levels"),
    ("functional_parity", ["{}"], lambda t: str(t), 2, "is a folder"),
    ("functional_parity", ["--show", "-1", "{}"], str, 2, "--show must be at least 0"),
    ("functional_parity", ["{}"], lambda t: non_utf8(t, "r.xml"), 2, "is not XML"),
    ("cache_store", ["{}"], cache_with_fifo, 0, "0 json, 0 pickle, 3 unreadable"),
    ("cache_migration", ["census", "{}"], cache_with_fifo, 0, "0 json, 0 pickle, 3 unreadable"),
    ("cache_migration", ["census", "{}"], lambda t: link_loop(t, "c"), 2, "no such cache folder"),
    (
        "rollout_proxy",
        ["--routes", "{}", "--backend", OLD, "--check"],
        lambda t: fifo(t, "r.csv"),
        2,
        "not a regular file (FIFO)",
    ),
    (
        "rollout_proxy",
        ["--routes", "{}", "--backend", OLD, "--check"],
        lambda t: link_loop(t, "r.csv"),
        1,
        "Too many levels",
    ),
    (
        "rollout_proxy",
        ["--routes", "{}", "--backend", OLD, "--check"],
        lambda t: non_utf8(t, "r.csv"),
        2,
        "not UTF-8 text (byte 0xe9",
    ),
    (
        "rollout_proxy",
        ["--routes", "{}", "--backend", OLD, "--port", "99999"],
        routes,
        2,
        "--port must be between 1 and 65535",
    ),
    (
        "rollout_proxy",
        ["--routes", "{}", "--backend", OLD, "--port", "-1"],
        routes,
        2,
        "--port must be between 1 and 65535",
    ),
    (
        "bench_parsability",
        ["--saved", "--out", "{}"],
        saved_results(b"\xff\xfe"),
        2,
        "not saved benchmark results",
    ),
    (
        "bench_parsability",
        ["--saved", "--out", "{}"],
        saved_results(b'{"results": 1}'),
        2,
        "not saved benchmark results",
    ),
    ("bench_parsability", ["--repeat", "-1"], str, 2, "--repeat must be at least 1"),
    ("legacy_sample", ["{}"], lambda t: link_loop(t, "sample"), 2, "exists and is not an empty"),
    ("legacy_sample", ["{}"], lambda t: fifo(t, "sample"), 2, "exists and is not an empty"),
    ("demo_backend", ["--port", "9" * 30, "--name", "x"], str, 2, "--port must be between"),
]


@pytest.mark.parametrize(
    ("prog", "args", "prepare", "status", "message"),
    CASES,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(CASES)],
)
def test_hostile_input_gets_one_line_or_a_finding_at_once(
    tmp_path: Path, prog: str, args: list[str], prepare, status: int, message: str
) -> None:
    prepared = prepare(tmp_path)
    result = run_module(prog, *(a.replace("{}", prepared) for a in args), timeout=20)
    if status == 2:
        assert_one_line_error(result, prog, 2)
    assert (result.returncode, "Traceback" in result.stderr) == (status, False), result.stderr
    assert message in result.stdout + result.stderr
