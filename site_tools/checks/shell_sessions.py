"""Shell sessions on the pages, as data: the commands a reader is told to run and what they print.

A ```console fence holds ``$ command`` lines, each followed by the output it prints. A last output
line ``[exit status N]`` says the command is expected to fail with status N (the pages show bad
input too). tests/test_shell_sessions.py runs every command found here.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from site_tools.page_markdown import fences
from site_tools.paths import DOCS, REPO_ROOT

EXIT_STATUS = re.compile(r"^\[exit status (?P<status>\d+)\]$")
SHELL_LANGUAGES = {"console", "shell-session"}
CHECKER = doctest.OutputChecker()
# ``...`` in a page's output matches anything, as in a doctest; spacing may differ.
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# A benchmark's table on a page is what ``--saved`` prints from its results file, to the letter:
# the page shows the measured run, and the suite fails when the two disagree.
SAVED = "--saved"


@dataclass(frozen=True)
class Command:
    """One ``$`` line of a page, with the output the page shows for it."""

    source: str
    line: int
    command: str
    output: str
    status: int

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}"


def commands_in(text: str, source: str) -> list[Command]:
    """Every command of every console fence in ``text``."""
    found = []
    for fence in fences(text):
        if fence.language not in SHELL_LANGUAGES:
            continue
        current: list | None = None
        for offset, line in enumerate(fence.body, start=1):
            if line.startswith("$ "):
                if current:
                    found.append(_command(source, *current))
                current = [fence.line + offset, line[2:].strip(), []]
            elif current is not None:
                current[2].append(line)
        if current:
            found.append(_command(source, *current))
    return found


def _command(source: str, line: int, command: str, output: list[str]) -> Command:
    while output and not output[-1].strip():
        output.pop()
    status = 0
    if output and (match := EXIT_STATUS.match(output[-1].strip())):
        status = int(match["status"])
        output = output[:-1]
    return Command(source, line, command, "\n".join(output), status)


def argv(command: str) -> list[str]:
    """The argument vector to run: ``uv run X`` runs X from this very environment.

    The suite itself runs under ``uv run``, so the environment is already the project's; calling
    uv again would only re-check the lock. ``python`` becomes this interpreter.
    """
    words = shlex.split(command)
    if words[:2] == ["uv", "run"]:
        words = words[2:]
    if words and words[0] == "python":
        return [sys.executable, *words[1:]]
    if words:
        tool = Path(sys.executable).parent / words[0]
        if tool.exists():
            return [str(tool), *words[1:]]
    return words


def command_on_page(page: str, starts_with: str) -> Command:
    """The one command of ``page`` (relative to docs/) that starts with ``starts_with``."""
    source = (DOCS / page).relative_to(REPO_ROOT).as_posix()
    found = [
        c
        for c in commands_in((DOCS / page).read_text(), source)
        if c.command.startswith(starts_with)
    ]
    if len(found) != 1:
        raise LookupError(f"{len(found)} commands of {page} start with {starts_with!r}")
    return found[0]


def run(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a command as a reader would, from the repository root, with plain, unbuffered output."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "100", "NO_COLOR": "1"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def shows(expected: str, printed: str) -> bool:
    """Whether ``printed`` is what a page shows as ``expected`` (``...`` matching anything)."""
    return CHECKER.check_output(expected + "\n", printed, FLAGS)


def saved_table_difference(command: Command, args: list[str]) -> str | None:
    """How the table a benchmark's ``--saved`` prints differs from the one ``command`` shows on
    its page (spacing aside, no ``...``), or None. ``args``: the benchmark's command line."""
    saved = run([*args, SAVED])
    if saved.returncode != 0:
        return f"{command.id}: `{command.command} {SAVED}` failed:\n{saved.stderr}"
    if CHECKER.check_output(command.output + "\n", saved.stdout, doctest.NORMALIZE_WHITESPACE):
        return None
    return (
        f"{command.id}: `{command.command} {SAVED}` printed\n{saved.stdout}\n"
        f"but the page shows\n{command.output}"
    )
