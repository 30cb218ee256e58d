"""Shared by this talk's tests: run an example module as a reader would, possibly unprivileged."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

import pytest

from site_tools.paths import REPO_ROOT
from tests.support.command_lines import assert_one_line_error as shared_assert_one_line_error
from tests.support.command_lines import example_argv, run_example

TALK = "python3_migration"
PACKAGE = f"examples.pycon_us_2022.{TALK}"


def module_argv(module: str, *args: str) -> list[str]:
    return example_argv(TALK, module, *args)


def run_module(
    module: str,
    *args: str,
    cwd: os.PathLike | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m <module> args`` from the repository root (or ``cwd``), output captured.

    ``timeout`` bounds a run that could block (a FIFO read waits for a writer forever): the test
    fails with TimeoutExpired instead of hanging; ``env`` adds variables to the environment.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1", **(env or {})}
    return run_example(TALK, module, *args, cwd=cwd, env=env, prefix=prefix, timeout=timeout)


def without_file_privileges() -> list[str]:
    """A command prefix under which file permissions apply, even when the tests run as root.

    Root ignores permission bits. Dropping the two capabilities that let it do so
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, with util-linux's setpriv,
    makes ``chmod 000`` mean "permission denied" again, for real. Other users need no prefix.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot deny a read")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def assert_one_line_error(result: subprocess.CompletedProcess[str], prog: str, status: int) -> None:
    """These tools report bad input in exactly one line: no argparse usage before it."""
    shared_assert_one_line_error(result, prog, status)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
