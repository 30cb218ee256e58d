"""The built site in a real browser (Debian's Chromium through Playwright).

Every page loads without a console error, a failed request or a request to another host; search,
the palette toggle and the copy buttons work, and wide code blocks stay keyboard-scrollable
(accessibility has its own module, test_accessibility.py). Screenshots land
in .cache/artefacts/ for CI to keep.
"""

from __future__ import annotations

import pytest

from site_tools import registry
from site_tools.paths import DOCS
from tests.site.conftest import ARTEFACTS
from tests.site.support import first_search_result, open_recorded, visit

pytestmark = pytest.mark.slow

TALK_PAGE_BUDGET = 400 * 1024  # bytes, uncompressed, everything a talk page loads
# A word of one talk page's body and of no other page, to prove search indexes bodies.
BODY_WORD, BODY_PAGE = "Plummeting", "pycon-us-2022/python-oddities.md"


def _mount_every_code_block(page) -> int:
    """Scroll each code block into view, as a reader would, until Material has mounted it.

    With ``content.lazy`` a block gets its copy button when it first becomes visible. Returns
    the number of blocks.
    """
    blocks = page.locator("div.highlight > pre")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.scroll_into_view_if_needed()
        block.locator('button[data-md-type="copy"]').wait_for(state="attached")
    return blocks.count()


def test_search_finds_a_talk_by_a_word_of_its_body(desktop, site_url: str) -> None:
    holders = [p for p in DOCS.rglob("*.md") if BODY_WORD.lower() in p.read_text().lower()]
    assert [p.relative_to(DOCS).as_posix() for p in holders] == [BODY_PAGE]
    page = visit(desktop, site_url)
    href = first_search_result(page, BODY_WORD)
    assert "python-oddities" in href


def test_palette_toggle_switches_to_dark_and_back(browser, site_url: str) -> None:
    # A context of its own: the palette chosen is stored for the pages that come after it.
    page, _ = open_recorded(browser, site_url)

    def scheme() -> str | None:
        return page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    def declared_schemes() -> list[str]:
        return page.eval_on_selector_all(
            'meta[name="color-scheme"]', "(metas) => metas.map((m) => m.content)"
        )

    # One declaration, made by the template (material-patches.js keeps the bundle's copy out).
    assert declared_schemes() == ["light"]
    seen = [(scheme(), declared_schemes())]
    for _ in range(3):  # automatic → light → dark → automatic
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        seen.append((scheme(), declared_schemes()))
    assert ("slate", ["dark"]) in seen
    assert ("default", ["light"]) in seen
    page.close()


def test_code_blocks_have_copy_buttons_and_screenshots_are_kept(desktop, site_url: str) -> None:
    page = visit(desktop, site_url + "pycon-us-2022/python-oddities/")
    assert _mount_every_code_block(page) > 10
    page.evaluate("window.scrollTo(0, 0)")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTEFACTS / "talk-page.png", full_page=False)
    home = visit(desktop, site_url)
    home.screenshot(path=ARTEFACTS / "home-page.png")
    assert (ARTEFACTS / "talk-page.png").stat().st_size > 10_000


def test_every_wide_code_block_stays_keyboard_scrollable_once_mounted(
    desktop, site_url: str
) -> None:
    # Code blocks start with tabindex="0" (site_tools/site_build/lazy_code.py); when one scrolls
    # into view, Material mounts it and keeps the tab stop only if its lines are wider than the
    # block.
    page = visit(desktop, site_url + "pycon-us-2022/binary-extensions/")
    not_yet_mounted = page.eval_on_selector_all(
        "div.highlight > pre:not(:has(.md-code__nav)) > code",
        "(codes) => codes.map((code) => code.getAttribute('tabindex'))",
    )
    assert not_yet_mounted, "every block was mounted at load: content.lazy is not in effect"
    assert set(not_yet_mounted) == {"0"}
    assert _mount_every_code_block(page) > 10
    wide = page.eval_on_selector_all(
        "div.highlight > pre > code",
        """(codes) => codes.filter((code) => code.scrollWidth > code.clientWidth)
            .map((code) => code.getAttribute("tabindex"))""",
    )
    assert wide, "no wide block left to check on this page"
    assert set(wide) == {"0"}


def test_talk_pages_stay_within_their_weight_budget(browser, site_url: str) -> None:
    talks = registry.talks()
    assert talks
    heavy = {}
    # Every byte counted, as on a reader's first visit: the HTTP cache is off in this context,
    # so each page fetches all it loads again. One tab goes through the pages: a new context
    # per page, the other way to start cold, costs about three times the CPU (eight pages,
    # measured: 8.1 CPU-seconds against 2.6, the same byte counts).
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    for talk in talks:
        page.goto(site_url + talk.url, wait_until="networkidle")
        total = page.evaluate(
            """() => performance.getEntriesByType("navigation")
                .concat(performance.getEntriesByType("resource"))
                .reduce((sum, entry) => sum + (entry.decodedBodySize || 0), 0)"""
        )
        if total > TALK_PAGE_BUDGET:
            heavy[talk.slug] = f"{total / 1024:.0f} KiB"
    context.close()
    assert heavy == {}, f"talk pages over {TALK_PAGE_BUDGET // 1024} KiB: {heavy}"
