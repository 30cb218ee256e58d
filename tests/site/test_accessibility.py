"""No page of the site has an axe-core violation of serious or critical impact, in either palette.

Its own module, so that the slowest check of the suite runs beside the others when the suite is
spread over several workers (pytest-xdist gives each worker whole modules).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.conftest import site_pages
from tests.site.support import EVERY_PAGE_TIMEOUT, SERIOUS, open_recorded, wait_for_scrollable_code

pytestmark = pytest.mark.slow


@pytest.mark.timeout(EVERY_PAGE_TIMEOUT)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(
    browser, built_site: Path, site_url: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for path in site_pages(built_site):
        page, _ = open_recorded(browser, site_url + path, scheme)
        wait_for_scrollable_code(page)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"/{path}: {violation['id']} ({violation['impact']}) {targets}")
        page.close()
    assert found == []
