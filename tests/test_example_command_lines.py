"""Every runnable example explains itself: ``--help`` exits 0 and prints its usage.

CONTRIBUTING.md ("How the site is built") asks each example module for a command line with
``--help``; this one test holds every talk to it, so a new example cannot forget it."""

from __future__ import annotations

import pytest

from tests.support.command_lines import run_example, runnable_modules

MODULES = runnable_modules()


def test_every_talk_has_runnable_examples() -> None:
    talks = {name.split(".")[0] for name in MODULES}
    assert "python_oddities" in talks
    assert len(talks) >= 7


@pytest.mark.parametrize("name", MODULES)
def test_help_prints_usage(name: str) -> None:
    talk, module = name.split(".")
    result = run_example(talk, module, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lower().startswith("usage:"), result.stdout[:200]
    prog = talk if module == "__main__" else module  # a package's __main__ is named after it
    assert prog in result.stdout.splitlines()[0]
