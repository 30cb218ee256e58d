"""A headless Chromium to read the built site with (the site itself: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.checks.browser import chromium, chromium_path
from site_tools.paths import REPO_ROOT

ARTEFACTS = REPO_ROOT / ".cache" / "artefacts"


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: closed before the module's no-process-left check."""
    if chromium_path() is None:
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    with chromium() as browser:
        yield browser


def site_pages(built_site: Path) -> list[str]:
    """Every page of the built site, as a path relative to its root."""
    return sorted(
        "" if index.parent == built_site else f"{index.parent.relative_to(built_site)}/"
        for index in built_site.rglob("index.html")
    )
