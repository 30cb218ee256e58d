"""The rules every page follows (CONTRIBUTING.md), as checks a test can run.

``check_page`` returns a list of one-line problems for one Markdown text; an empty list means the
page keeps the rules. The rules exist because Sybil fails silently: a fence it does not collect is
a fence nobody runs.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from site_tools.page_markdown import fences, mkdocs_config, split_front_matter, takeaways
from site_tools.paths import EXAMPLES, REPO_ROOT
from site_tools.site_build.figures import PLACEHOLDER

# Info strings that look like Python to a reader but that Sybil never collects.
UNCOLLECTED_PYTHON = {"py", "py3", "pycon", "python3", "ipython", "ipython3", "pyi", "python2"}
INCLUDE = re.compile(r'^--8<--\s+"(?P<path>[^"]+)"\s*$')
TITLE = re.compile(r'title="(?P<title>[^"]+)"')
TALK_SECTIONS = ("In short", "Changed since 2022", "Run it yourself", "Sources")
SCHEDULE_PREFIX = "https://us.pycon.org/2022/schedule/presentation/"
# Four consecutive lines of an example file, found in a bare fence, mean the code was pasted.
PASTE_WINDOW = 4
PASTE_MIN_CHARS = 60


def allowed_tags() -> frozenset[str]:
    """The site's tag list, read from the tags plugin of mkdocs.yml: one list, one home."""
    for plugin in mkdocs_config()["plugins"]:
        if isinstance(plugin, dict) and "tags" in plugin:
            return frozenset(plugin["tags"]["tags_allowed"])
    return frozenset()


@cache
def _example_windows() -> frozenset[tuple[str, ...]]:
    windows: set[tuple[str, ...]] = set()
    for path in EXAMPLES.rglob("*.py"):
        lines = _code_lines(path.read_text(encoding="utf-8").splitlines())
        windows.update(_windows(lines))
    return frozenset(windows)


def _code_lines(lines: list[str]) -> list[str]:
    kept = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith((">>> ", "... ")):
            stripped = stripped[4:].strip()
        if stripped and not stripped.startswith("#"):
            kept.append(stripped)
    return kept


def _windows(lines: list[str]) -> list[tuple[str, ...]]:
    return [
        window
        for start in range(len(lines) - PASTE_WINDOW + 1)
        if sum(map(len, window := tuple(lines[start : start + PASTE_WINDOW]))) >= PASTE_MIN_CHARS
    ]


def check_fences(text: str, *, examples: frozenset[tuple[str, ...]] | None = None) -> list[str]:
    """Problems with the code fences of one page: only two kinds of Python fence exist."""
    examples = _example_windows() if examples is None else examples
    problems = []
    for fence in fences(text):
        where = f"line {fence.line}"
        language, info = fence.language, fence.info.strip()
        includes = [m["path"] for line in fence.body if (m := INCLUDE.match(line.strip()))]
        title = TITLE.search(info)
        if language in UNCOLLECTED_PYTHON:
            problems.append(f"{where}: ```{info} is never run by Sybil; use ```python")
        elif language == "python" and info != "python":
            if not title or not title["title"].startswith("examples/"):
                problems.append(
                    f'{where}: a ```python fence with options must be title="examples/…"'
                )
            if len(includes) != 1 or len([ln for ln in fence.body if ln.strip()]) != 1:
                problems.append(f"{where}: a titled python fence holds exactly one --8<-- include")
        if includes:
            if not title or any(path != title["title"] for path in includes):
                problems.append(f"{where}: an include's fence needs title= naming the same file")
            if language == "python" and info == "python":
                problems.append(f"{where}: an include inside a bare ```python fence")
            for path in includes:
                if not (REPO_ROOT / path).is_file():
                    problems.append(f"{where}: include of a missing file {path}")
        if any(PLACEHOLDER.search(line) for line in fence.body):
            problems.append(f"{where}: a {{{{ figure(…) }}}} in a fence; figures belong in prose")
        if info == "python" and set(_windows(_code_lines(fence.body))) & examples:
            problems.append(f"{where}: code pasted from examples/; include the file instead")
    if "invisible-code-block" in text:
        problems.append("invisible code blocks hide what runs; show every executed line")
    return problems


def check_talk_page(text: str) -> list[str]:
    """Problems with a talk page's front matter and the order of its standard sections."""
    meta, body = split_front_matter(text)
    problems = [
        f"front matter lacks {key!r}"
        for key in ("title", "speaker", "schedule", "video", "video_seconds", "tags")
        if not meta.get(key)
    ]
    if str(meta.get("schedule", "")).startswith(SCHEDULE_PREFIX) is False and "schedule" in meta:
        problems.append(f"schedule must be a link under {SCHEDULE_PREFIX}")
    for key in ("video", "slides", "code"):
        if key in meta and not str(meta[key]).startswith("https://"):
            problems.append(f"{key} must be an https:// link")
    if "video_seconds" in meta and not isinstance(meta["video_seconds"], int):
        problems.append("video_seconds must be the recording's length in whole seconds")
    unknown = set(meta.get("tags") or []) - allowed_tags()
    if unknown:
        problems.append(f"tags not in mkdocs.yml's tags_allowed: {sorted(unknown)}")
    headings = re.findall(r"^## (.+?)\s*$", body, flags=re.MULTILINE)
    positions = [headings.index(name) if name in headings else -1 for name in TALK_SECTIONS]
    problems += [
        f"section '## {name}' is missing"
        for name, at in zip(TALK_SECTIONS, positions, strict=True)
        if at == -1
    ]
    present = [at for at in positions if at != -1]
    if present != sorted(present):
        problems.append(f"sections out of order; expected {' → '.join(TALK_SECTIONS)}")
    problems += check_in_short(body)
    if '!!! warning "Correction"' not in body:
        problems.append('no !!! warning "Correction": the notes were typed live; check them')
    return problems


IN_SHORT_ITEMS = (3, 5)
IN_SHORT_WORDS = 110  # the whole list: it has to fit a phone's first screen under the title


def check_in_short(body: str) -> list[str]:
    """The gist comes first: "In short" right under the title, a few one-sentence takeaways."""
    problems = []
    headings = [line for line in body.splitlines() if line.startswith(("# ", "## "))]
    if len(headings) < 2 or headings[1].strip() != "## In short":
        problems.append("'## In short' must be the first section, right under the title")
    title = body.find("\n# ") if not body.startswith("# ") else 0
    before = body[title : body.find("## In short")].strip().splitlines()[1:]
    if any(line.strip() for line in before):
        problems.append("nothing may stand between the title and '## In short'")
    items = takeaways(body)
    low, high = IN_SHORT_ITEMS
    if not low <= len(items) <= high:
        problems.append(f"'In short' has {len(items)} takeaways; give {low} to {high}")
    words = sum(len(PLACEHOLDER.sub("N", item).split()) for item in items)
    if words > IN_SHORT_WORDS:
        problems.append(f"'In short' runs {words} words; keep it under {IN_SHORT_WORDS}")
    for item in items:
        if re.search(r"[.!?] +[A-Z]", PLACEHOLDER.sub("N", item)):
            problems.append(f"a takeaway is one sentence: {item[:50]}…")
    return problems


def is_talk_page(path: Path) -> bool:
    """A talk page is a page of an event's folder (an event of the registry), other than its
    overview: so a new talk's page is held to the rules before it has its nav entry."""
    from site_tools.registry import events  # the registry reads the nav with this module's help

    docs = REPO_ROOT / "docs"
    slugs = {event.slug for event in events()}
    return path.parent.parent == docs and path.parent.name in slugs and path.name != "index.md"
