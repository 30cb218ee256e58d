"""Where this site depends on Material's internals, and the Material versions that holds for.

The site is lighter and faster than a stock Material site because of a few patches that reach
into Material's own code. Each is listed here with the browser test that proves it still works,
and the build refuses a Material outside the range they were written for, with a clear message,
instead of shipping a site whose patches silently stopped applying.

Why each patch of ``docs/assets/javascripts/material-patches.js`` is there (the file ships with
every page, so its own comments are short):

1. Search loads on first use. The bundle starts its search worker and requests
   ``search/search_index.json`` as soon as a page loads; together they weigh more than the page a
   reader came for. Both wait until the reader opens search (focus on the field, a click on its
   icon, a search shortcut key): the worker is a stand-in that queues messages until then.
2. One colour-scheme declaration. The bundle appends its own ``<meta name="color-scheme">`` and
   then fills it in; Chromium restyles the whole document each time such a tag is added or
   changed, even to the same scheme. The template declares it in ``<head>``; the bundle's tag is
   kept out of the document, and copied to the declared one only when it differs.
3. Focus kept on a mounted code block. Blocks start with ``tabindex="0"`` (``lazy_code``); when
   Material mounts one that does not scroll sideways it removes the attribute, and if the block
   has focus, focus drops to the page body. For that block it becomes ``tabindex="-1"``.
4. Hyphenated terms found as written. The index keeps ``pre-commit``, ``Retry-After`` and
   ``--saved`` whole (the search ``separator`` in ``mkdocs.yml`` splits at spaces and
   punctuation, not hyphens), but lunr's query lexer splits a query at every hyphen, with the
   separator it copied when it loaded (Material sets ``lunr.tokenizer.separator`` later, which
   the lexer never sees), and reads a leading ``-`` as "must not contain". In the search worker,
   after Material's script: the lexer splits at whitespace only; a leading hyphen belongs to a
   word that begins an indexed option (``-9``, ``--saved``); every word is also indexed as its
   parts (``commit`` finds ``pre-commit``) at the word's position, so the whole word is
   highlighted, once. A query of one hyphenated term then finds only what contains it.
"""

from __future__ import annotations

from importlib import metadata

# Written and tested against these releases: Material's bundle and stylesheet change between
# minor versions, and 10 is a rewrite.
MATERIAL_RANGE = ((9, 7), (10, 0))

PATCHES = {
    "search loads on first use (material-patches.js, overrides/main.html)": (
        "tests/site/test_browser.py::test_search_finds_a_talk_by_a_word_of_its_body"
    ),
    "one colour-scheme declaration (material-patches.js, overrides/main.html)": (
        "tests/site/test_browser.py::test_palette_toggle_switches_to_dark_and_back"
    ),
    "focus kept on a mounted code block (material-patches.js)": (
        "tests/site/test_first_screen.py::test_tab_never_drops_focus_to_the_page_body"
    ),
    "code blocks focusable before they are mounted (lazy_code.py)": (
        "tests/site/test_browser.py::test_every_wide_code_block_stays_keyboard_scrollable_once_mounted"
    ),
    "copy button copies a doctest's statements, worked out on first use (site.js)": (
        "tests/site/test_first_screen.py::test_copying_a_doctest_gives_code_that_runs"
    ),
    "search finds hyphenated terms as written (material-patches.js, mkdocs.yml separator)": (
        "tests/site/test_search.py::test_hyphenated_terms_are_found_as_written"
    ),
    "Material's bundle and the site's scripts deferred (lean_html.py)": (
        "tests/site/test_accessibility.py::"
        "test_every_page_loads_cleanly_with_no_serious_accessibility_violation"
    ),
    "unused CSS rules and markup trimmed (css_purge.py, lean_html.py)": (
        "tests/site/test_accessibility.py::"
        "test_every_page_loads_cleanly_with_no_serious_accessibility_violation"
    ),
}


class UnsupportedMaterial(RuntimeError):
    """The installed Material is outside the range the patches were written for."""


def _release(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_material(version: str | None = None) -> str:
    """The installed Material's version; UnsupportedMaterial if the patches do not cover it."""
    version = version or metadata.version("mkdocs-material")
    low, high = MATERIAL_RANGE
    if not low <= _release(version) < high:
        supported = f">={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"
        raise UnsupportedMaterial(
            f"mkdocs-material {version} is installed, but the site's theme patches were written "
            f"for {supported} (site_tools/site_build/theme_patches.py lists them and their browser "
            "tests)"
        )
    return version
