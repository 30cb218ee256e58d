"""A Dockerfile's text as BuildKit reads it: instructions with the physical lines they span.

``dockerfile-parse`` does most of the reading. Where it reads a file differently from BuildKit,
this module adjusts the text first, keeping every line where it was, so that line numbers stay the
file's own (counted by ``\\n``, as BuildKit, hadolint and editors count them):

- a blank line inside a continuation ends the instruction for dockerfile-parse; BuildKit skips it;
- an instruction continued on the last line of the file is dropped by dockerfile-parse;
- heredoc bodies (``RUN <<EOF`` ... ``EOF``) are lines of their instruction, not instructions.

```python
from examples.pycon_us_2022.docker_jupyter.dockerfile_text import parse

(from_, run) = parse("FROM a:1\\nRUN <<EOF\\ncd x\\nEOF\\n")
assert (run.name, run.line, run.lines) == ("RUN", 2, ("RUN <<EOF", "cd x", "EOF"))
```
"""

from __future__ import annotations

import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from dockerfile_parse import DockerfileParser

from example_support.command_line import UsageError

# <<EOF, <<-EOF, <<"EOF", <<'EOF' (the instructions that take heredocs: RUN, COPY, ADD).
HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][\w.-]*)\2")
TAKES_HEREDOCS = frozenset({"RUN", "COPY", "ADD"})


@dataclass(frozen=True)
class Instruction:
    """One instruction, with 1-based line numbers."""

    name: str
    value: str  # the arguments, continuations joined; a RUN's heredoc bodies on their own lines
    line: int
    lines: tuple[str, ...]  # the physical lines: continuations, comments and heredocs included

    def line_of(self, pattern: str) -> int:
        """The physical line where ``pattern`` first matches (the first line if none does)."""
        for offset, text in enumerate(self.lines):
            if re.search(pattern, text) and (offset == 0 or not text.lstrip().startswith("#")):
                return self.line + offset
        return self.line


class NoInstructions(ValueError):
    """What BuildKit says of an empty Dockerfile: 'file with no instructions'."""


def physical_lines(text: str) -> list[str]:
    """The lines of a file, split at '\\n' only, without their '\\r'."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return lines[:-1] if lines[-1] == "" else lines


def _structure(lines: list[str]) -> list[dict]:
    # A trailing blank line closes an instruction left continued at the end of the file.
    text = "".join(f"{line}\n" for line in lines) + "\n"
    return DockerfileParser(fileobj=io.BytesIO(text.encode())).structure


def _heredoc_body(lines: list[str], after: int, value: str) -> list[int]:
    """The indices of the lines that the heredocs opened in ``value`` take, from ``after`` on."""
    body, index = [], after
    for strip_tabs, _, word in HEREDOC.findall(value):
        while index < len(lines):
            body.append(index)
            index += 1
            if (lines[index - 1].lstrip("\t") if strip_tabs else lines[index - 1]) == word:
                break
    return body


def parse(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile (comments left out)."""
    lines = physical_lines(text)
    masked = [line if line.strip() else "#" for line in lines]  # blank: skipped, as BuildKit does
    bodies: dict[int, list[int]] = {}  # first line of an instruction -> its heredoc lines
    while True:  # hide one instruction's heredoc bodies from dockerfile-parse, then read again
        structure = [item for item in _structure(masked) if item["instruction"] != "COMMENT"]
        opened = next(
            (
                item
                for item in structure
                if item["instruction"] in TAKES_HEREDOCS
                and item["startline"] not in bodies
                and HEREDOC.search(item["value"])
            ),
            None,
        )
        if opened is None:
            break
        bodies[opened["startline"]] = _heredoc_body(masked, opened["endline"] + 1, opened["value"])
        for index in bodies[opened["startline"]]:
            masked[index] = "#"
    steps = []
    for item in structure:
        start, body = item["startline"], bodies.get(item["startline"], [])
        end = min(body[-1] if body else item["endline"], len(lines) - 1)
        value = item["value"]
        if item["instruction"] == "RUN" and body:  # a RUN's heredoc is shell: rules read it
            value = "\n".join([value, *(lines[index] for index in body)])
        steps.append(
            Instruction(item["instruction"], value, start + 1, tuple(lines[start : end + 1]))
        )
    return steps


def read_text(path: Path, what: str) -> str:
    """A file's UTF-8 text; anything else is a UsageError naming the file (a FIFO is not read)."""
    mode = path.stat().st_mode  # FileNotFoundError: example_support.command_line reports it
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a directory, not {what}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is not a regular file, not {what}")
    try:
        return path.read_bytes().decode("utf-8-sig")  # BuildKit also skips a byte-order mark
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text (byte {error.start})") from None


def read_dockerfile(path: Path) -> str:
    """A Dockerfile's text, which must hold at least one instruction."""
    text = read_text(path, "a Dockerfile")
    if not parse(text):
        raise UsageError(f"{path} has no instructions, so it is not a Dockerfile")
    return text
