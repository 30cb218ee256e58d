"""A headless Chromium to read the built site with (the site itself: tests/conftest.py).

A module's tests open their pages in one shared browser context (``desktop`` or ``phone``), as a
reader moving from page to page does: the second page reuses the first one's cached stylesheet,
scripts and compiled code, and ``support.visit`` goes there in the context's one tab rather than
a new one. A test whose page changes what later pages would see (the palette it stores), or that
needs a first visit (a cold Pyodide boot, the bytes a page weighs), opens its own. The browser
lives as long as its module, and a module's tests run on one worker (scheduling.KEEP_TOGETHER;
the accessibility sweep's shards are spread on purpose), so it starts once per module; a sync
Playwright kept for the whole session would make every later ``asyncio.run`` in that worker fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.checks.browser import chromium, chromium_path
from site_tools.commands.screenshots import DESKTOP, PHONE
from site_tools.paths import REPO_ROOT

ARTEFACTS = REPO_ROOT / ".cache" / "artefacts"


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: closed before the module's no-process-left check."""
    if chromium_path() is None:
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def desktop(browser):
    """One context at a laptop's size for the module's pages (palette: ``support.visit``)."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    """One context with a phone's screen, touch and mobile layout for the module's pages."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    yield context
    context.close()


def site_pages(built_site: Path) -> list[str]:
    """Every page of the built site, as a path relative to its root."""
    return sorted(
        "" if index.parent == built_site else f"{index.parent.relative_to(built_site)}/"
        for index in built_site.rglob("index.html")
    )
