"""What ``docker build`` sends to the builder: the build context after the ignore file.

``COPY`` can only copy what is in the build context, the directory named last on the
``docker build`` command line, minus what the ignore file excludes. This script applies the ignore
file the way BuildKit does and lists what is left, then checks that every source a ``COPY`` names
is in it (what BuildKit's ``CopyIgnoredFile`` check warns about, found here without an engine).

The ignore file BuildKit reads is ``<Dockerfile name>.dockerignore`` next to the Dockerfile if
there is one, else ``.dockerignore`` at the root of the context. Its patterns are Go
``filepath.Match`` globs relative to the context root, plus ``**`` for any number of
directories; a pattern that matches a directory covers everything in it; a ``!`` line
re-includes; the last matching line wins.

```python
from examples.pycon_us_2022.docker_jupyter.build_context import is_ignored, read_patterns

patterns = read_patterns("*\\n!docs/page.ipynb\\n")
assert is_ignored(".venv/bin/python", patterns)
assert not is_ignored("docs/page.ipynb", patterns)
```
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.docker_jupyter.dockerfile_rules import DOCKERFILE, is_exec_form
from examples.pycon_us_2022.docker_jupyter.dockerfile_text import parse, read_dockerfile, read_text


class BadPattern(ValueError):
    """A line of an ignore file that is no pattern (BuildKit stops the build on it)."""


@dataclass(frozen=True)
class Pattern:
    text: str  # cleaned, without the leading '!'
    include: bool  # True for a '!' line
    regex: re.Pattern[str]


def _translate(pattern: str) -> re.Pattern[str]:
    """A Go filepath.Match glob (plus ``**``) as a regex that also matches paths below it."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := pattern.find("]", index + 1)) != -1:
            body = pattern[index + 1 : end]
            out.append("[" + ("^" + body[1:] if body[:1] in "^!" and body else body) + "]")
            index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + r"(?:/.*)?\Z")


def read_patterns(text: str) -> list[Pattern]:
    """The patterns of an ignore file, cleaned as BuildKit cleans them."""
    patterns = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        line = posixpath.normpath(line[1:].strip() if include else line).lstrip("/")
        try:
            patterns.append(Pattern(line, include, _translate(line)))
        except re.error as error:  # [z-a], [], an unclosed class: Go's ErrBadPattern
            raise BadPattern(f"line {number}: bad pattern {raw.strip()!r}: {error}") from None
    return patterns


def is_ignored(path: str, patterns: list[Pattern]) -> bool:
    """Whether a path (relative to the context, with '/') is left out: the last match wins."""
    ignored = False
    for pattern in patterns:
        if pattern.regex.match(path):
            ignored = not pattern.include
    return ignored


def _may_reinclude(directory: str, patterns: list[Pattern]) -> bool:
    """Whether some '!' pattern could match a path inside this ignored directory."""
    parts = directory.split("/")
    for pattern in (p for p in patterns if p.include):
        wanted = pattern.text.split("/")
        for index, part in enumerate(parts):
            if index >= len(wanted) or wanted[index] == "**":
                return True
            if not fnmatchcase(part, wanted[index]):
                break
        else:
            return True
    return False


def context_files(context: Path, patterns: list[Pattern]) -> list[str]:
    """Every file of the context that the patterns keep, as sorted relative paths."""
    kept = []
    for root, dirs, files in os.walk(context):
        here = Path(root).relative_to(context).as_posix()
        prefix = "" if here == "." else f"{here}/"
        # Like BuildKit, skip an ignored directory unless a '!' line may reach inside it.
        dirs[:] = [
            d
            for d in dirs
            if not is_ignored(prefix + d, patterns) or _may_reinclude(prefix + d, patterns)
        ]
        kept += [prefix + f for f in files if not is_ignored(prefix + f, patterns)]
    return sorted(kept)


def ignore_file(dockerfile: Path, context: Path) -> Path | None:
    """The ignore file BuildKit uses for this Dockerfile and context, if any."""
    specific = dockerfile.with_name(f"{dockerfile.name}.dockerignore")
    if specific.is_file():
        return specific
    shared = context / ".dockerignore"
    return shared if shared.is_file() else None


def copy_sources(dockerfile_text: str) -> list[tuple[int, str]]:
    """(line, source) for each COPY/ADD source taken from the context (not --from, not URLs)."""
    sources = []
    for step in parse(dockerfile_text):
        if step.name not in ("COPY", "ADD") or "--from=" in step.value:
            continue
        if is_exec_form(step.value):  # COPY ["a b.txt", "/app/"]: names may hold spaces
            words = json.loads(step.value)
        else:
            words = [w for w in step.value.split() if not w.startswith("--")]
        sources += [(step.line, w) for w in words[:-1] if "://" not in w and "<<" not in w]
    return sources


def missing_sources(dockerfile_text: str, sent: list[str]) -> list[tuple[int, str]]:
    """COPY sources that match no file the context sends."""
    return [
        (line, source)
        for line, source in copy_sources(dockerfile_text)
        if not any(fnmatchcase(path, source.lstrip("./")) for path in sent)
        and not any(path.startswith(source.strip("/") + "/") for path in sent)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="build_context",
        description="List what docker build would send, and check every COPY source is in it.",
    )
    parser.add_argument("--dockerfile", type=Path, default=DOCKERFILE, help="the page's own")
    parser.add_argument("context", nargs="?", type=Path, default=Path(), help="default: .")
    args = parser.parse_args()
    if not args.context.is_dir():
        raise UsageError(f"the build context must be a directory: {args.context}")
    text = read_dockerfile(args.dockerfile)
    found = ignore_file(args.dockerfile, args.context)
    try:
        patterns = read_patterns(read_text(found, "an ignore file")) if found else []
    except BadPattern as error:
        raise UsageError(f"{found}: {error}") from None
    sent = context_files(args.context, patterns)
    shown = Path(os.path.relpath(found)).as_posix() if found else "none"
    print(f"ignore file: {shown}")
    print(f"sent to the builder: {len(sent)} files")
    for path in sent[:20]:
        print(f"  {path}")
    if len(sent) > 20:
        print(f"  ... and {len(sent) - 20} more")
    missing = missing_sources(text, sent)
    for line, source in missing:
        print(f"line {line}: COPY {source} is not in the context")
    if not missing:
        print(f"every COPY source is in the context ({len(copy_sources(text))} sources)")
    return 1 if missing else 0


if __name__ == "__main__":
    run(main, prog="build_context")
