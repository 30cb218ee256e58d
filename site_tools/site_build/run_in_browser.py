"""Run it here: a talk page's marked doctest blocks get a Run button that runs them in the browser.

A doctest block is marked runnable by an HTML comment on the line right before its fence, at the
fence's indentation::

    <!-- run-in-browser -->
    ```python
    >>> 1 + 1
    2
    ```

The fence's info string stays ``python``, so Sybil collects it as before, and Sybil ignores the
comment. At build time (never in the source):

- ``mark`` checks every marker (it must stand right before a doctest fence) and, when Pyodide is
  installed, gives the block a ``data-run`` attribute; the marker line itself never reaches the
  page;
- ``add_starter`` inlines a starter script of a few hundred bytes on pages that have such blocks:
  it puts a Run button under each one and, on the first press, imports
  ``assets/javascripts/run-python.js``, which loads Pyodide and runs the page's blocks in one
  namespace, in order, as Sybil does;
- ``copy_pyodide`` copies Pyodide's core (the npm package ``pyodide``, pinned in
  ``site_tools/site_build/pyodide/package-lock.json``, installed by
  ``npm ci --prefix site_tools/site_build/pyodide``)
  into ``assets/pyodide/``, so nothing is fetched from another host.

Without the npm package (a preview without Node) the markers are still checked, and the pages
simply have no Run button. ``tests/site/test_run_in_browser.py`` runs every marked block in
Chromium and compares what it prints with the page's own expected output.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils import get_relative_url

from site_tools.paths import REPO_ROOT

MARKER = "<!-- run-in-browser -->"
PYODIDE = REPO_ROOT / "site_tools" / "site_build" / "pyodide" / "node_modules" / "pyodide"
# What loadPyodide() fetches to start the interpreter with its standard library, and nothing
# else: no package of Pyodide's distribution is needed by a pure-Python block.
CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
SITE_FOLDER = "assets/pyodide"
SCRIPT = "assets/javascripts/run-python.js"
INSTALL = "npm ci --prefix site_tools/site_build/pyodide"

_MARKER_LINE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*run-in-browser\s*-->[ \t]*$")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^`]*)$")
ATTRIBUTE = "data-run"
log = logging.getLogger("mkdocs.hooks.run_in_browser")

# The starter, inlined in a page with runnable blocks. {script} and {pyodide} are URLs relative
# to the page. It only adds the buttons; the real script loads on the first press.
STARTER = (
    "<script>(()=>{{for(const b of document.querySelectorAll('[data-run]')){{"
    "const t=document.createElement('div');t.className='run-py';"
    't.innerHTML=\'<button type="button" class="run-py__run">Run</button>\';'
    "b.after(t)}}"
    "document.addEventListener('click',e=>{{const r=e.target.closest('.run-py__run');"
    "if(r)import('{script}').then(m=>m.run(r,'{pyodide}'))}})}})()</script>"
)


class MarkError(ValueError):
    """A run-in-browser marker that does not stand right before a doctest fence."""


@dataclass(frozen=True)
class Marked:
    """One marked block: the line of its fence (1-based) and its session, dedented."""

    line: int
    session: str


def _marked(lines: list[str]) -> list[tuple[int, int]]:
    """(marker index, fence index) pairs; MarkError for a marker that marks no doctest."""
    found = []
    inside: str | None = None  # the fence that opened the code block we are in
    for index, line in enumerate(lines):
        fence = _FENCE.match(line)
        if inside is not None:
            if fence and fence["fence"] == inside and not fence["info"].strip():
                inside = None
            continue
        if fence:
            inside = fence["fence"]
            continue
        marker = _MARKER_LINE.match(line)
        if not marker:
            continue
        nxt = _FENCE.match(lines[index + 1]) if index + 1 < len(lines) else None
        where = f"line {index + 1}: {MARKER}"
        if nxt is None or nxt["indent"] != marker["indent"]:
            raise MarkError(f"{where} must stand right before a fence, at its indentation")
        if nxt["info"].strip() not in {"python", "pycon"}:
            raise MarkError(f"{where} marks a ```{nxt['info'].strip()} fence; only ```python runs")
        first = lines[index + 2].strip() if index + 2 < len(lines) else ""
        if not first.startswith(">>>"):
            raise MarkError(f"{where} marks a fence that is not a doctest (no >>> first line)")
        found.append((index, index + 1))
    return found


def marked_blocks(markdown: str) -> list[Marked]:
    """The marked doctest blocks of a page's Markdown source, in order."""
    lines = markdown.split("\n")
    blocks = []
    for _, fence_index in _marked(lines):
        opening = _FENCE.match(lines[fence_index])
        assert opening is not None
        indent, fence = opening["indent"], opening["fence"]
        body = []
        for line in lines[fence_index + 1 :]:
            if line.strip() == fence:
                break
            body.append(line.removeprefix(indent))
        blocks.append(Marked(fence_index + 1, "\n".join(body) + "\n"))
    return blocks


def mark(markdown: str, *, enabled: bool) -> str:
    """The page without its markers; with ``enabled``, marked fences carry ``data-run``.

    Runs after ``doctest_display.as_console``: a marked fence is a ``pycon`` fence by then.
    """
    lines = markdown.split("\n")
    pairs = _marked(lines)
    for marker_index, fence_index in reversed(pairs):
        if enabled:
            opening = _FENCE.match(lines[fence_index])
            assert opening is not None
            lang = opening["info"].strip()
            lines[fence_index] = (
                f'{opening["indent"]}{opening["fence"]}{{ .{lang} {ATTRIBUTE}="" }}'
            )
        del lines[marker_index]
    return "\n".join(lines)


def installed(pyodide: Path = PYODIDE) -> bool:
    """True when every file of Pyodide's core is there to be copied into the site."""
    return all((pyodide / name).is_file() for name in CORE_FILES)


def add_starter(page_html: str, page_url: str) -> str:
    """Inline the starter script before ``</body>`` of a page that has runnable blocks."""
    if f"{ATTRIBUTE}=" not in page_html:
        return page_html
    starter = STARTER.format(
        script=get_relative_url(SCRIPT, page_url),
        pyodide=get_relative_url(SITE_FOLDER, page_url) + "/",
    )
    head, body_end, tail = page_html.rpartition("</body>")
    if not body_end:
        return page_html + starter
    return head + starter + body_end + tail


def copy_pyodide(site_dir: Path, pyodide: Path = PYODIDE) -> list[Path]:
    """Copy Pyodide's core into the built site; unchanged files are not copied again."""
    target = site_dir / SITE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in CORE_FILES:
        source, dest = pyodide / name, target / name
        stat = source.stat()
        if not dest.is_file() or (dest.stat().st_size, dest.stat().st_mtime_ns) != (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            shutil.copy2(source, dest)
        copied.append(dest)
    return copied


def copy_into_site(site_dir: Path, pyodide: Path = PYODIDE) -> list[Path]:
    """Pyodide's core copied into the site, or (without it) a note on how to get Run buttons."""
    if installed(pyodide):
        return copy_pyodide(site_dir, pyodide)
    log.info("Run buttons left out: Pyodide is not installed (%s, needs Node)", INSTALL)
    return []
