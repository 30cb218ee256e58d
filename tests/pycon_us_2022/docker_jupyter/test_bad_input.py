"""Every command line of this talk, given a file that is no Dockerfile: one line, non-zero, no hang.

Each script reads its Dockerfile through ``dockerfile_text.read_dockerfile``; before it did, a
FIFO made them wait forever, non-UTF-8 bytes printed a traceback, and an empty file was checked
as if it were a Dockerfile (with findings on a line 1 it does not have).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pycon_us_2022.docker_jupyter.support import run_module
from tests.support.command_lines import assert_one_line_error


def _fifo(path: Path) -> None:
    os.mkfifo(path)


# name -> (how to make it at a path, the exit status, what the error says)
BAD_FILES: dict[str, tuple[Callable[[Path], object], int, str]] = {
    "missing": (lambda path: None, 1, "no such file"),
    "directory": (Path.mkdir, 2, "is a directory"),
    "fifo": (_fifo, 2, "is not a regular file"),
    "non-utf-8": (lambda path: path.write_bytes(b"FROM a:1\nRUN echo \xff\xfe\n"), 2, "UTF-8"),
    "empty": (Path.touch, 2, "has no instructions"),
}
COMMANDS = {
    "dockerfile_rules": lambda dockerfile, context: [str(dockerfile)],
    "spot_the_bug": lambda dockerfile, context: [str(dockerfile)],
    "build_context": lambda dockerfile, context: ["--dockerfile", str(dockerfile), str(context)],
}


@pytest.mark.parametrize("bad", BAD_FILES)
@pytest.mark.parametrize("module", COMMANDS)
def test_a_bad_dockerfile_is_one_line_and_a_failure(tmp_path: Path, module: str, bad: str) -> None:
    make, status, message = BAD_FILES[bad]
    dockerfile = tmp_path / "Dockerfile"
    make(dockerfile)
    args = COMMANDS[module](dockerfile, tmp_path)
    assert_one_line_error(run_module(module, *args, timeout=20), module, status, message)


@pytest.mark.parametrize(
    ("ignore", "message"),
    [("[z-a]\n", "line 1: bad pattern '[z-a]'"), (b"\xff\n", "is not UTF-8 text")],
)
def test_a_bad_ignore_file_is_one_line_and_a_failure(
    tmp_path: Path, ignore: str | bytes, message: str
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM a:1\n")
    ignore_file = tmp_path / ".dockerignore"
    if isinstance(ignore, bytes):
        ignore_file.write_bytes(ignore)
    else:
        ignore_file.write_text(ignore)
    result = run_module(
        "build_context", "--dockerfile", str(tmp_path / "Dockerfile"), str(tmp_path)
    )
    assert_one_line_error(result, "build_context", 2, message)
