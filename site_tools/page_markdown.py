"""The one Markdown reader of the site's tools: pages parsed by markdown-it, as MkDocs sees them.

The page rules, the shell-session runner, the errata and changes pages and the example sources
pages all need the same few things from a page: its fenced blocks (including those indented
inside admonitions), its headings, and its admonitions. They get them here, from one CommonMark
parser with the admonition syntax MkDocs uses (``!!! kind "title"`` and ``??? kind "title"``),
so no tool can disagree with another about where a fence starts or ends.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from functools import cache, lru_cache

import yaml
from markdown.extensions.toc import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from site_tools.paths import REPO_ROOT

_PARSER = MarkdownIt("commonmark").use(admon_plugin)


@dataclass
class Fence:
    """One fenced code block: where it starts (1-based) and ends, its info string and body."""

    line: int
    info: str
    body: list[str] = field(default_factory=list)
    end: int = 0  # the line after the closing fence (1-based), or after the last line
    indent: str = ""
    marker: str = "```"

    @property
    def language(self) -> str:
        info = self.info.strip()
        if info.startswith("{"):  # superfences' {.python title="…"} form
            dotted = [word for word in info.strip("{}").split() if word.startswith(".")]
            return dotted[0][1:] if dotted else ""
        return info.split()[0] if info else ""


@dataclass(frozen=True)
class Admonition:
    """One ``!!!``/``???`` block: its kind, title, first line (1-based) and body, dedented."""

    kind: str
    title: str
    line: int
    body: str


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(_PARSER.parse(text))


def fences(text: str) -> list[Fence]:
    """Every fenced block, including those indented inside admonitions."""
    lines = text.splitlines()
    found = []
    for token in _tokens(text):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        opening = lines[start]
        indent = opening[: len(opening) - len(opening.lstrip())]
        body = token.content.split("\n")[:-1]  # content ends with a newline unless empty
        found.append(
            Fence(
                line=start + 1,
                info=token.info,
                body=body,
                end=end + 1,
                indent=indent,
                marker=token.markup,
            )
        )
    return found


def heading_anchor(title: str) -> str:
    """The id MkDocs' toc extension gives a heading (code spans and links reduced to text)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # [text](url) → text
    text = text.replace("`", "")
    return slugify(text, "-")


def headings(text: str, min_level: int = 2) -> list[tuple[int, str]]:
    """``(line, title)`` of every heading of ``min_level`` or deeper, in page order (1-based)."""
    found = []
    stream = _tokens(text)
    for index, token in enumerate(stream):
        if token.type == "heading_open" and int(token.tag[1]) >= min_level and token.map:
            found.append((token.map[0] + 1, stream[index + 1].content))
    return found


def section_at(text: str, line: int) -> tuple[str, str]:
    """The title and anchor of the last heading (level 2 or deeper) before ``line``."""
    before = [title for at, title in headings(text) if at < line]
    return (before[-1], heading_anchor(before[-1])) if before else ("", "")


def admonitions(text: str) -> list[Admonition]:
    """Every admonition, with its body as written (indentation removed), in page order."""
    lines = text.splitlines()
    found = []
    for token in _tokens(text):
        if token.type != "admonition_open" or token.map is None:
            continue
        start, end = token.map
        body = textwrap.dedent("\n".join(lines[start + 1 : end])).strip("\n")
        found.append(Admonition(token.meta.get("tag", ""), token.content, start + 1, body))
    return found


def split_front_matter(text: str) -> tuple[dict, str]:
    """The YAML front matter of a page (``{}`` if none) and the Markdown after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end == -1:
        return {}, text
    meta = yaml.safe_load(text[4:end]) or {}
    return meta, text[end + 5 :]


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` tags safe_load refuses, without importing them."""


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@cache
def mkdocs_config() -> dict:
    """mkdocs.yml as plain data (its ``!!python/name`` tags read as None)."""
    return yaml.load((REPO_ROOT / "mkdocs.yml").read_text(), Loader=_MkDocsLoader)


def takeaways(body: str) -> list[str]:
    """The bullets of a page's "In short" section, each joined onto one line."""
    match = re.search(
        r"^## In short[ \t]*\n(?P<section>.*?)(?=^## |^\?\?\?|^!!!|\Z)",
        body,
        flags=re.MULTILINE | re.DOTALL,
    )
    if match is None:
        return []
    items: list[str] = []
    for line in match["section"].splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items
