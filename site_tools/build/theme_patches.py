"""Where this site depends on Material's internals, and the Material versions that holds for.

The site is lighter and faster than a stock Material site because of a few patches that reach
into Material's own code. Each is listed here with the browser test that proves it still works,
and the build refuses a Material outside the range they were written for, with a clear message,
instead of shipping a site whose patches silently stopped applying.
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
    "copy button copies data-copy (doctest_display.py)": (
        "tests/site/test_first_screen.py::test_copying_a_doctest_gives_code_that_runs"
    ),
    "unused CSS rules and markup trimmed (css_purge.py, lean_html.py)": (
        "tests/site/test_accessibility.py::test_no_serious_accessibility_violation"
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
            f"for {supported} (site_tools/build/theme_patches.py lists them and their browser "
            "tests)"
        )
    return version
