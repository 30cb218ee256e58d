"""Scaffold a new talk: its page, its examples and its tests, registered in the nav.

    uv run python -m site_tools.commands.new_talk pycon-us-2022 my-talk --title "My Talk" \\
        --speaker "Ada Lovelace" --schedule https://us.pycon.org/2022/schedule/presentation/99/ \\
        --video https://www.youtube.com/watch?v=… --video-seconds 1800 --tag language

Adding a talk means one registry entry (a line in the nav of mkdocs.yml, which this writes) plus
the talk's own page, examples package and tests folder. The page starts from the standard in
CONTRIBUTING.md (front matter and sections in order); the tests fail until the talk has its first
example, and the page rules fail until the page has its corrections: the suite tells a
contributor what is still missing. Nothing is ever overwritten: if any of the places exists,
nothing is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from site_tools.checks.page_rules import SCHEDULE_PREFIX, allowed_tags
from site_tools.paths import REPO_ROOT

SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
EVENT = re.compile(r"^[a-z]+(?:-[a-z]+)*-\d{4}$")
# Names an event folder already uses for pages that are not talks.
RESERVED_SLUGS = {"index", "notebook", "errata", "changes", "assets", "tags"}
MAX_SLUG = 40


class ScaffoldError(Exception):
    """Input the scaffold refuses, said in one line: exit 2, or 1 for a refusal to overwrite."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Talk:
    """What the contributor gives: where the talk belongs and what its header says."""

    event: str
    slug: str
    title: str
    speaker: str
    schedule: str
    tags: tuple[str, ...]
    video: str = ""
    video_seconds: int = 0

    @property
    def package(self) -> str:
        return self.slug.replace("-", "_")

    @property
    def event_package(self) -> str:
        return self.event.replace("-", "_")


def validate(talk: Talk, root: Path) -> None:
    """Raise ScaffoldError for the first thing wrong with ``talk``."""
    if not EVENT.match(talk.event):
        raise ScaffoldError(f"event {talk.event!r} must look like pycon-us-2022")
    known = sorted(p.name for p in (root / "docs").iterdir() if p.is_dir() and EVENT.match(p.name))
    if talk.event not in known:
        raise ScaffoldError(f"unknown event {talk.event!r}; the site has: {', '.join(known)}")
    if not SLUG.match(talk.slug) or len(talk.slug) > MAX_SLUG:
        raise ScaffoldError(
            f"slug {talk.slug!r} must be kebab-case (a-z, 0-9, single hyphens), "
            f"at most {MAX_SLUG} characters"
        )
    if talk.slug in RESERVED_SLUGS:
        raise ScaffoldError(f"slug {talk.slug!r} is reserved for a page that is not a talk")
    for label, value in (("title", talk.title), ("speaker", talk.speaker)):
        if not value.strip() or "\n" in value:
            raise ScaffoldError(f"{label} must be one non-empty line")
    if not talk.schedule.startswith(SCHEDULE_PREFIX):
        raise ScaffoldError(f"schedule must be a link under {SCHEDULE_PREFIX}")
    if not talk.video.startswith("https://") or talk.video_seconds <= 0:
        raise ScaffoldError("video must be an https:// link and --video-seconds its length (> 0)")
    unknown = sorted(set(talk.tags) - allowed_tags())
    if unknown or not talk.tags:
        raise ScaffoldError(
            f"tags must come from mkdocs.yml's tags_allowed (got {', '.join(unknown) or 'none'})"
        )


def examples_dir(talk: Talk, root: Path) -> Path:
    """The talk's examples package."""
    return root / "examples" / talk.event_package / talk.package


def targets(talk: Talk, root: Path) -> dict[Path, str]:
    """The files to create, each with its text."""
    return {
        root / "docs" / talk.event / f"{talk.slug}.md": _page(talk),
        examples_dir(talk, root) / "__init__.py": (
            f'"""Runnable examples for the talk {talk.title}."""\n'
        ),
        tests_dir(talk, root) / "__init__.py": "",
        tests_dir(talk, root) / "test_command_lines.py": _test_module(talk),
    }


def tests_dir(talk: Talk, root: Path) -> Path:
    """The talk's tests: a folder, as every talk keeps them."""
    return root / "tests" / talk.event_package / talk.package


def add_to_nav(talk: Talk, root: Path) -> None:
    """Register the talk: a nav entry after its event's last talk (site_tools/registry.py)."""
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    entry = re.compile(
        rf"^(?P<indent>\s*)- (?:[^:]+: )?{re.escape(talk.event)}/(?P<slug>[\w-]+)\.md\s*$"
    )
    anchors = []
    for index, line in enumerate(lines):
        match = entry.match(line)
        if match and (match["slug"] == "index" or _is_talk(root, talk.event, match["slug"])):
            anchors.append((index, match["indent"]))
    if not anchors:
        raise ScaffoldError(f"mkdocs.yml's nav has no {talk.event}/index.md to add the talk under")
    index, indent = anchors[-1]
    lines.insert(index + 1, f"{indent}- {talk.event}/{talk.slug}.md")
    config.write_text("\n".join(lines), encoding="utf-8")


def _is_talk(root: Path, event: str, slug: str) -> bool:
    page = root / "docs" / event / f"{slug}.md"
    return page.is_file() and "\nspeaker:" in page.read_text(encoding="utf-8").split("\n---\n")[0]


def scaffold(talk: Talk, root: Path = REPO_ROOT) -> list[Path]:
    """Create the talk's three places; refuse if any of them exists. Returns what was made."""
    validate(talk, root)
    files = targets(talk, root)
    # The examples and tests folders count even when empty: a half-made talk is not adopted.
    taken = [p for p in (*files, examples_dir(talk, root), tests_dir(talk, root)) if p.exists()]
    if taken:
        shown = ", ".join(p.relative_to(root).as_posix() for p in taken)
        raise ScaffoldError(f"refusing to overwrite: {shown}", status=1)
    add_to_nav(talk, root)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def _page(talk: Talk) -> str:
    tags = "".join(f"  - {tag}\n" for tag in talk.tags)
    return f"""---
title: {_yaml_string(talk.title)}
speaker: {_yaml_string(talk.speaker)}
schedule: {talk.schedule}
video: {talk.video}
video_seconds: {talk.video_seconds}
examples: 0
tags:
{tags}---

# {talk.title}

## In short

- The first of three to five takeaways, one short sentence each.
- The second takeaway.
- The third takeaway.

??? quote "The talk's abstract, as the notes quote it"

    > The abstract.

## The talk's first idea

Follow the talk's own structure. Every fact of the notes appears, explained and, wherever code can
show it, shown by an executed `python` fence. Where the notes are wrong, add a correction here.

## Changed since 2022

- What a reader today must know, each with the version it changed in.

## Run it yourself

Each example of `examples/{talk.event_package}/{talk.package}/`, included with `--8<--`, with the
exact command and what it prints.

## Sources

- [Schedule entry]({talk.schedule})
"""


def _test_module(talk: Talk) -> str:
    module = f"examples.{talk.event_package}.{talk.package}"
    return f'''"""Tests for the examples of the talk {talk.title}."""

import pkgutil
import subprocess
import sys

import pytest

import {module} as talk

MODULES = sorted(info.name for info in pkgutil.iter_modules(talk.__path__))


def test_the_talk_has_examples() -> None:
    assert MODULES, "write the first example in examples/{talk.event_package}/{talk.package}/"


@pytest.mark.parametrize("name", MODULES)
def test_each_example_explains_itself(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"{module}.{{name}}", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
'''


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="new_talk", description="Create a talk's page, examples package and test module."
    )
    parser.add_argument("event", help="the event folder under docs/, e.g. pycon-us-2022")
    parser.add_argument("slug", help="kebab-case name of the talk, e.g. linux-features")
    parser.add_argument("--title", required=True)
    parser.add_argument("--speaker", required=True)
    parser.add_argument("--schedule", required=True, help=f"a link under {SCHEDULE_PREFIX}")
    parser.add_argument("--video", required=True, help="the recording (pyvideo/data lists them)")
    parser.add_argument("--video-seconds", type=int, required=True, help="its length in seconds")
    parser.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    talk = Talk(
        args.event,
        args.slug,
        args.title,
        args.speaker,
        args.schedule,
        tuple(args.tag),
        args.video,
        args.video_seconds,
    )
    try:
        made = scaffold(talk, args.root)
    except ScaffoldError as error:
        print(f"new_talk: error: {error}", file=sys.stderr)
        return error.status
    for path in made:
        print(f"created {path.relative_to(args.root).as_posix()}")
    print(f"registered {talk.event}/{talk.slug}.md in the nav of mkdocs.yml")
    print("next: `uv run pytest` lists what the page still lacks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
