"""How the Linux features tests run the demos: in a child process, never in pytest's own.

Everything that forks, execs or sends signals runs in a subprocess started here, so the pytest
process itself never forks: a forked child would be a second copy of the test session, and its
signals and handlers would be the session's too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from example_support.benchmark_results import ASSETS
from tests.support.command_lines import run_example

LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs Linux: /proc, SO_PEERCRED, smaps_rollup"
)
PACKAGE = "examples.pycon_us_2022.linux_features"
PUBLISHED = ASSETS / "linux-features"


def run_module(
    module: str, *args: str, tmp: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    if tmp is not None:
        env["TMPDIR"] = str(tmp)  # every temporary folder a demo makes goes here, to be checked
    return run_example("linux_features", module, *args, env=env, timeout=timeout)


def output_of(module: str, *args: str, tmp: Path | None = None) -> str:
    result = run_module(module, *args, tmp=tmp)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout
