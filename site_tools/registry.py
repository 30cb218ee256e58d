"""The site's events and talks, in one place: the navigation of mkdocs.yml.

MkDocs needs every page in its navigation anyway, so the navigation is the registry. An event is
a section of the nav whose first entry is its overview, ``<event>/index.md``; its talks are the
section's other entries ``<event>/<slug>.md`` whose page names a speaker in its front matter (the
notebook, the errata and the changes page are in the section too, and are not talks). The hooks,
the page rules, the tests, the scaffold and the reports all ask this module, so adding a talk
means one nav entry plus the talk's own page, examples and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_tools.page_markdown import mkdocs_config, split_front_matter
from site_tools.paths import DOCS, EXAMPLES, REPO_ROOT


@dataclass(frozen=True)
class Talk:
    """One talk: its slug names its page, its examples package and its tests."""

    event: str
    slug: str

    @property
    def package(self) -> str:
        return self.slug.replace("-", "_")

    @property
    def src_uri(self) -> str:
        return f"{self.event}/{self.slug}.md"

    @property
    def url(self) -> str:
        return f"{self.event}/{self.slug}/"

    @property
    def page(self) -> Path:
        return DOCS / self.src_uri

    @property
    def examples(self) -> Path:
        return EXAMPLES / self.event.replace("-", "_") / self.package

    @property
    def tests(self) -> Path:
        """The talk's tests: a folder, or one module for a small talk."""
        folder = REPO_ROOT / "tests" / self.event.replace("-", "_") / self.package
        return folder if folder.is_dir() else folder.with_name(f"test_{self.package}.py")


@dataclass(frozen=True)
class Event:
    """One event of the site, with its talks in the navigation's order."""

    slug: str
    title: str
    talks: tuple[Talk, ...]


def events(nav: list | None = None, docs: Path = DOCS) -> list[Event]:
    """Every event of the navigation (``nav`` defaults to mkdocs.yml's)."""
    found = []
    for entry in nav if nav is not None else mkdocs_config()["nav"]:
        if not isinstance(entry, dict):
            continue
        [(title, children)] = entry.items()
        pages = [_path(child) for child in children] if isinstance(children, list) else []
        if not pages or not pages[0].endswith("/index.md"):
            continue
        event = pages[0].removesuffix("/index.md")
        talks = tuple(
            Talk(event, page.removeprefix(f"{event}/").removesuffix(".md"))
            for page in pages[1:]
            if page.startswith(f"{event}/") and page.endswith(".md") and _has_speaker(docs / page)
        )
        found.append(Event(event, title, talks))
    return found


@cache
def talks() -> tuple[Talk, ...]:
    """Every talk of the site, event by event, in the navigation's order."""
    return tuple(talk for event in events() for talk in event.talks)


def talk_of(src_uri: str) -> Talk | None:
    """The talk whose page is ``src_uri`` (relative to docs/), if it is one."""
    return next((talk for talk in talks() if talk.src_uri == src_uri), None)


def _path(child: object) -> str:
    if isinstance(child, dict):
        [value] = child.values()
        return value if isinstance(value, str) else ""
    return child if isinstance(child, str) else ""


def _has_speaker(page: Path) -> bool:
    if not page.is_file():
        return False
    meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
    return bool(meta.get("speaker"))
