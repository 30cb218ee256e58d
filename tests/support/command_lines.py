"""Running the examples as a reader does: ``python -m examples.pycon_us_2022.<talk>.<module>``.

Every talk's tests run its scripts this way, from the repository root, with the output captured,
and check bad input the same way: one line ``<prog>: error: …`` on stderr, a non-zero exit, no
traceback (``example_support/command_line.py`` is the convention they test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from site_tools.paths import REPO_ROOT

EVENT_PACKAGE = "examples.pycon_us_2022"


def example_argv(talk: str, module: str, *args: str) -> list[str]:
    """The command line that runs one example module of one talk."""
    return [sys.executable, "-m", f"{EVENT_PACKAGE}.{talk}.{module}", *args]


def run_example(
    talk: str,
    module: str,
    *args: str,
    cwd: os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run one example (``prefix`` goes before it, e.g. a tool that drops privileges)."""
    return run_module(
        f"{EVENT_PACKAGE}.{talk}.{module}", *args, cwd=cwd, env=env, prefix=prefix, timeout=timeout
    )


def run_module(
    module: str,
    *args: str,
    cwd: os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module`` from the repository root, its output captured."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", module, *args],
        cwd=cwd or REPO_ROOT,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], prog: str, status: int, message: str = ""
) -> None:
    """Bad input: the given exit status, the message, ``prog: error:`` last, no traceback.

    argparse prints its usage line before the error; everything else prints the error alone.
    """
    assert result.returncode == status, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"{prog}: error:"), result.stderr
    assert len(lines) == 1 or (len(lines) > 1 and lines[0].startswith("usage:")), result.stderr


def runnable_modules(examples: Path = REPO_ROOT / "examples" / "pycon_us_2022") -> list[str]:
    """``talk.module`` for every example module a reader can run (it has a ``__main__`` guard)."""
    found = []
    for path in sorted(examples.glob("*/*.py")):
        if path.name != "__init__.py" and 'if __name__ == "__main__":' in path.read_text("utf-8"):
            found.append(f"{path.parent.name}.{path.stem}")
    return found
