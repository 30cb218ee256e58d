"""Shared by this talk's tests: run an example module as a reader would, possibly unprivileged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence

import pytest

from site_tools.doctests import REPO_ROOT

PACKAGE = "examples.pycon_us_2022.python3_migration"


def module_argv(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", f"{PACKAGE}.{module}", *args]


def run_module(
    module: str, *args: str, cwd: os.PathLike | None = None, prefix: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """``python -m <module> args`` from the repository root (or ``cwd``), output captured."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [*prefix, *module_argv(module, *args)],
        cwd=cwd or REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{prog}: error:"), result.stderr
