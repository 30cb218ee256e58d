"""Long example listings move, at build time, from a talk page to its "example sources" page.

Authors include whole example files into talk pages (``--8<--`` in a titled fence). A few
hundred highlighted lines weigh tens of kilobytes each, and the heaviest talk pages carried more
listing than prose. The MkDocs hook therefore replaces an included file longer than
``LONG_LISTING`` lines with a one-paragraph card (file name, line count, the module docstring's
first line) linking to ``<event>/<talk>/sources.md``, a generated page that shows every such
file in full, highlighted and copyable, by the same snippet include. Plain links: no JavaScript
needed. Pure functions on Markdown text, so tests need no build.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from site_tools.page_markdown import Fence, fences, section_at

LONG_LISTING = 60  # lines; shorter files stay on the talk page, where they are read in place
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^":]+)"[ \t]*$')
TITLE = re.compile(r'^(?P<lang>[\w+.-]+)[ \t]+title="(?P<title>[^"]+)"[ \t]*$')


@dataclass(frozen=True)
class Include:
    """A titled fence whose only line includes a whole file: where it stands and what it names."""

    fence: Fence
    path: str
    lang: str


def includes(markdown: str) -> list[Include]:
    """Every whole-file include fence of a page, in page order."""
    found = []
    for fence in fences(markdown):
        titled = TITLE.match(fence.info.strip())
        included = INCLUDE.match(fence.body[0].strip()) if len(fence.body) == 1 else None
        if titled and included:
            found.append(Include(fence, included["path"], titled["lang"]))
    return found


@dataclass(frozen=True)
class Listing:
    """One whole example file included into a talk page by a titled fence."""

    path: str  # from the repository root, as the include names it
    lang: str
    fence: str  # long enough for the file's own content (see fence_for)
    lines: int
    summary: str  # first line of the module docstring or leading comment; may be empty
    section: str  # the heading it stands under on the talk page ("" before the first one)
    section_anchor: str

    @property
    def short_path(self) -> str:
        """Its path in its talk's example folder: the heading on the sources page."""
        return re.sub(r"^examples/(?:pycon_us_2022/[^/]+/)?", "", self.path)

    @property
    def anchor(self) -> str:
        """Its heading's id on the sources page."""
        return re.sub(r"[^\w-]+", "-", self.short_path).strip("-")


def summary_line(text: str, suffix: str) -> str:
    """What the file says it is: a Python docstring's first line, else its first comment line."""
    if suffix == ".py":
        try:
            docstring = ast.get_docstring(ast.parse(text)) or ""
        except SyntaxError:  # a file mid-edit still gets its card, without a summary
            docstring = ""
        return docstring.strip().partition("\n")[0]
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("//", "# ")) and not stripped.startswith("#!"):
            return stripped.lstrip("/# ").strip()
        if stripped:
            return ""
    return ""


def long_listings(markdown: str, root: Path, limit: int = LONG_LISTING) -> list[Listing]:
    """Whole-file includes of ``markdown`` longer than ``limit`` lines, in page order."""
    found: list[Listing] = []
    for include in includes(markdown):
        source = root / include.path
        if not source.is_file():
            continue  # pymdownx.snippets' check_paths reports it; nothing to move
        text = source.read_text(encoding="utf-8")
        if len(text.splitlines()) <= limit:
            continue
        section, anchor = section_at(markdown, include.fence.line)
        found.append(
            Listing(
                path=include.path,
                lang=include.lang,
                fence=fence_for(text, include.fence.marker),
                lines=len(text.splitlines()),
                summary=summary_line(text, source.suffix),
                section=section,
                section_anchor=anchor,
            )
        )
    return found


def sources_uri(talk_uri: str) -> str:
    """``pycon-us-2022/attributes.md`` → ``pycon-us-2022/attributes/sources.md``."""
    return talk_uri.removesuffix(".md") + "/sources.md"


def card(listing: Listing, link: str, indent: str = "") -> str:
    """The paragraph that stands on the talk page where the listing was."""
    lines = [
        f"**Full listing:** [`{listing.path}`]({link}#{listing.anchor}), {listing.lines} lines, "
        "on this talk's example sources page.",
    ]
    if listing.summary:
        lines[0] += "<br>"
        lines.append(_escape(listing.summary))
    lines.append("{ .listing-card }")
    return "\n".join(indent + line for line in lines)


def fence_for(text: str, fence: str = "```") -> str:
    """A fence that no line of ``text`` can close: longer than any backtick run opening a line.

    Example docstrings hold Markdown fences (pytest-markdown-docs runs them); included into a
    three-backtick fence, their first bare ```` ``` ```` ended the listing and the rest of the
    file rendered as Markdown, its comments as headings.
    """
    runs = re.findall(r"^[ \t]*(`{3,}|~{3,})", text, re.MULTILINE)
    longest = max((len(run) for run in runs if run[0] == fence[0]), default=0)
    return fence[0] * max(len(fence), longest + 1)


def rewrite_includes(markdown: str, talk_uri: str, moved: list[Listing], root: Path) -> str:
    """Each include of ``moved`` replaced by its card; the others fenced so that they hold."""
    link = sources_uri(talk_uri).partition("/")[2]  # relative to the talk page's folder
    by_path = {listing.path: listing for listing in moved}
    lines = markdown.split("\n")
    for include in reversed(includes(markdown)):  # from the end, so line numbers stay valid
        fence = include.fence
        start, end = fence.line - 1, fence.end - 1
        listing = by_path.get(include.path)
        if listing is not None:
            lines[start:end] = card(listing, link, fence.indent).split("\n")
            continue
        source = root / include.path
        if source.is_file():
            marker = fence_for(source.read_text(encoding="utf-8"), fence.marker)
            for index in (start, end - 1):
                lines[index] = lines[index].replace(fence.marker, marker, 1)
    return "\n".join(lines)


def sources_page(title: str, talk_uri: str, listings: list[Listing]) -> str:
    """The generated page that shows each listing in full, once, under its own heading."""
    talk = "../" + talk_uri.rpartition("/")[2]
    lines = [
        "---",
        f"title: {_yaml_string(f'Example sources: {title}')}",
        "---",
        "",
        f"# Example sources: {title} {{ .sources-page }}",
        "",
        f"The complete example files that [the talk page]({talk}) links to, included from the",
        "repository as its tests run them; each title above a listing gives the file's path.",
        "",
    ]
    seen: set[str] = set()
    for listing in listings:
        if listing.path in seen:
            continue
        seen.add(listing.path)
        lines += [f"## `{listing.short_path}` {{#{listing.anchor}}}", ""]
        if listing.summary:
            lines += [_escape(listing.summary), ""]
        where = f"{talk}#{listing.section_anchor}" if listing.section_anchor else talk
        section = listing.section or "the talk page"
        lines += [f"{listing.lines} lines, shown on the talk page in [{section}]({where}).", ""]
        lines += [
            f'{listing.fence}{listing.lang} title="{listing.path}"',
            f'--8<-- "{listing.path}"',
            listing.fence,
            "",
        ]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """A docstring line as Markdown text: code spans kept, no emphasis or HTML by accident."""
    parts = re.split(r"(`+[^`]*`+)", text)
    return "".join(
        part if index % 2 else re.sub(r"([\\*_\[\]])", r"\\\1", part).replace("<", "&lt;")
        for index, part in enumerate(parts)
    )


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
