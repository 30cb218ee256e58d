"""Every page of the site loads with no error, asks no other host for anything, and has no
axe-core violation of serious or critical impact, in either palette.

The slowest check of the suite (axe reads every element of about two dozen pages, twice), so the
pages are dealt into shards that the workers share, and each page is loaded once: its console,
failed requests and requests to other hosts are recorded, then axe runs in the light palette and
again, with the rules that read colours, after the page is switched to the dark one. In code
blocks axe checks one token of each style per block (``support.ONE_SPAN_PER_TOKEN_STYLE``): the
others have the same colours on the same background.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.conftest import site_pages
from tests.site.support import (
    EVERY_PAGE_TIMEOUT,
    ONE_SPAN_PER_TOKEN_STYLE,
    PALETTE_RULES,
    in_each_palette,
    problems_on,
    serious_violations,
    visit,
    wait_for_scrollable_code,
)

pytestmark = pytest.mark.slow
SHARDS = 4


@pytest.mark.timeout(EVERY_PAGE_TIMEOUT)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_loads_cleanly_with_no_serious_accessibility_violation(
    desktop, built_site: Path, site_url: str, shard: int
) -> None:
    pages = site_pages(built_site)[shard::SHARDS]
    assert pages, f"shard {shard} of {SHARDS} got no page: fewer pages than shards"
    found = []
    for path in pages:
        # networkidle: whatever the page asks for after its load event is recorded too.
        tab = visit(desktop, site_url + path, wait_until="networkidle")
        tab.evaluate(ONE_SPAN_PER_TOKEN_STYLE)
        for scheme in in_each_palette(tab):
            wait_for_scrollable_code(tab)
            # In the dark palette only colours differ, so only the colour rules run again. The
            # one other change, the header's palette button with its other label, is the same
            # on every page: all rules run in the dark on the home page to check it once.
            rules = PALETTE_RULES if scheme == "dark" and path else None
            found += [f"/{path} ({scheme}): {v}" for v in serious_violations(tab, rules=rules)]
        found += [f"/{path}: {problem}" for problem in problems_on(tab)]
    assert found == []


def test_a_token_style_with_poor_contrast_is_still_found_with_one_span_per_style(desktop) -> None:
    """The control for the shortcut above: a badly coloured token class, used many times, is
    still reported once its later spans are plain text."""
    page = desktop.new_page()
    tokens = '<span class="k">def</span> <span class="faint">value</span>' * 50
    page.set_content(
        "<html lang='en'><title>t</title><style>.faint { color: #eee }</style>"
        f"<main><pre><code>{tokens}</code></pre></main></html>"
    )
    unwrapped = page.evaluate(ONE_SPAN_PER_TOKEN_STYLE)
    found = serious_violations(page)
    page.close()
    assert unwrapped == 98
    assert any(violation.startswith("color-contrast") for violation in found), found


def test_the_dark_pass_finds_a_colour_that_fails_only_in_the_dark(desktop) -> None:
    """The control for the dark pass's shorter list of rules: a text readable in the light
    palette and not in the dark one is reported by the colour rules alone."""
    page = desktop.new_page()
    page.set_content(
        "<html lang='en'><title>t</title><style>@media (prefers-color-scheme: dark) {"
        " body { background: #111 } .dim { color: #222 } }</style>"
        "<main><p class='dim'>Readable in the light palette only.</p></main></html>"
    )
    light = serious_violations(page, rules=PALETTE_RULES)
    page.emulate_media(color_scheme="dark")
    dark = serious_violations(page, rules=PALETTE_RULES)
    page.close()
    assert light == []
    assert [violation.split()[0] for violation in dark] == ["color-contrast"]
