"""Named pipes and Unix domain sockets: real FIFOs and sockets in a temporary folder."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.linux_features.support import (
    LINUX_ONLY,
    PACKAGE,
    output_of,
    run_module,
)

pytestmark = LINUX_ONLY


def special_files(folder: Path) -> list[Path]:
    """FIFOs and sockets anywhere under folder."""
    kinds = (stat.S_ISFIFO, stat.S_ISSOCK)
    return [p for p in folder.rglob("*") if any(k(p.lstat().st_mode) for k in kinds)]


def test_named_pipe_blocks_until_both_ends_are_open(tmp_path: Path) -> None:
    out = output_of("named_pipe", "--dir", str(tmp_path), "--delay", "0.3")
    assert "no reader yet: ENXIO" in out
    waited = float(re.search(r"open\(\) blocked ([\d.]+) s", out).group(1))
    assert waited >= 0.2, "the reader's open() returned before the writer opened its end"
    assert "received 'penguin 1', 'penguin 2', 'penguin 3', then end of file" in out
    assert "writing back into the read end: EBADF" in out
    assert "with the stream open: 0 bytes" in out
    assert special_files(tmp_path) == []


def test_named_pipe_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "penguins.fifo").write_text("mine")
    result = run_module("named_pipe", "--dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("penguins.fifo already exists")
    assert (tmp_path / "penguins.fifo").read_text() == "mine"


def test_named_unix_socket_is_two_way_and_guarded_by_its_mode(tmp_path: Path) -> None:
    out = output_of("unix_sockets", "named", tmp=tmp_path)
    assert "socket True, 0o600" in out
    assert "open() on it: ENXIO" in out
    assert "the peer is the forked client: True" in out
    assert "then received b'client got HELLO PENGUINS'" in out
    assert re.search(r"another user's connect\(\): .*EACCES", out)
    assert list(tmp_path.iterdir()) == [], "the temporary folder and the socket are removed"


def test_socketpair_and_fork_talk_both_ways() -> None:
    out = output_of("unix_sockets", "pair")
    assert "the answer came from the forked child: True" in out
    assert "child: exited with 0" in out


def test_a_fifo_open_with_no_writer_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "lonely.fifo"
    code = (
        "import os, sys\n"
        f"from {PACKAGE}.named_pipe import alarm_after\n"
        "os.mkfifo(sys.argv[1])\n"
        "try:\n"
        "    with alarm_after(1):\n"
        "        open(sys.argv[1]).close()\n"
        "except TimeoutError as error:\n"
        "    print('TimeoutError:', error)\n"
        "finally:\n"
        "    os.unlink(sys.argv[1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(fifo)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout == "TimeoutError: the other end was not opened within 1 s\n"
    assert special_files(tmp_path) == []
