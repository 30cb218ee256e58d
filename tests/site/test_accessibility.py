"""Every page of the site loads with no error, asks no other host for anything, and has no
axe-core violation of serious or critical impact, in either palette.

The slowest check of the suite (axe reads every element of about two dozen pages, twice), so the
pages are dealt into shards that the workers share, and each page is loaded once: its console,
failed requests and requests to other hosts are recorded, then axe runs in the light palette and
again after the page is switched to the dark one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.conftest import site_pages
from tests.site.support import (
    AXE_OPTIONS,
    EVERY_PAGE_TIMEOUT,
    SERIOUS,
    open_recorded,
    wait_for_scrollable_code,
)

pytestmark = pytest.mark.slow
SHARDS = 4


@pytest.mark.timeout(EVERY_PAGE_TIMEOUT)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_loads_cleanly_with_no_serious_accessibility_violation(
    browser, built_site: Path, site_url: str, shard: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = site_pages(built_site)[shard::SHARDS]
    assert pages, f"shard {shard} of {SHARDS} got no page: fewer pages than shards"
    found = []
    for path in pages:
        page, problems = open_recorded(browser, site_url + path, "light")
        for scheme, palette in (("light", "default"), ("dark", "slate")):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(
                "(palette) => document.body.dataset.mdColorScheme === palette", arg=palette
            )
            wait_for_scrollable_code(page)
            for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    found.append(
                        f"/{path} ({scheme}): {violation['id']} ({violation['impact']}) {targets}"
                    )
        found += [f"/{path}: {problem}" for problem in problems]
        page.close()
    assert found == []
