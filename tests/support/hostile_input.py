"""Hostile input for any talk's command lines: special files, non-UTF-8 bytes, huge numbers.

Shared by the binary-extension, Linux features and Python oddities talks' bad-input tests
(with ``example_support/benchmark_results.show_saved``, which reads the saved results
these files imitate). Each case answers at once: one ``prog: error:`` line and a non-zero exit,
or, where the input is legitimately fine, a normal result; never a traceback, never a wait. A FIFO
with no writer blocks a plain ``open()`` for ever, so every run has a short timeout.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tests.support.command_lines import assert_one_line_error, run_example

NOT_UTF8 = os.fsdecode(b"caf\xe9")  # how Python hands a reader's Latin-1 bytes to argparse
HUGE = str(10**20)
NOT_SAVED = "is not a saved results file"


def hostile_files(folder: Path, saved: Iterable[str] = ()) -> dict[str, str]:
    """Paths for the placeholders {fifo}, {loop}, {latin1}, {plain}, {name}, {dir}, and folders
    {fifo_json}, {bad_json}, {empty_json} whose ``saved`` results files are not results."""
    os.mkfifo(folder / "fifo")  # nobody ever writes to it
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "latin1").write_bytes("caf\u00e9 = 'penguins'\n".encode("latin-1"))
    (folder / "plain").write_text("penguins\n")
    (folder / NOT_UTF8).write_text("penguins\n")  # a file name that is not UTF-8
    contents = {"fifo-json": None, "bad-json": b"\xff{not json", "empty-json": b"{}"}
    for name, content in contents.items():
        (folder / name).mkdir()
        for file_name in saved:
            if content is None:
                os.mkfifo(folder / name / file_name)
            else:
                (folder / name / file_name).write_bytes(content)
    paths = {name.replace("-", "_"): str(folder / name) for name in ["fifo", "loop", *contents]}
    paths |= {name: str(folder / name) for name in ("latin1", "plain")}
    return paths | {"dir": str(folder), "name": str(folder / NOT_UTF8)}


def assert_answers_at_once(
    talk: str, module: str, args: list[str], status: int, message: str, paths: dict[str, str]
) -> None:
    """Run one case; ``message`` is in stderr's one error line, or (status 0) in stdout."""
    # A UTF-8 terminal: stdout is strict there (C.UTF-8 would quietly pass surrogates through).
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    argv = [arg.format(**paths) for arg in args]
    result = run_example(talk, module, *argv, env=env, timeout=30)
    if status == 0:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert message in result.stdout
    else:
        assert_one_line_error(result, module, status, message)
