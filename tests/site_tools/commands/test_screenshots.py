"""The README's screenshot script really builds, serves and photographs a talk page."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.checks.browser import chromium_path
from site_tools.commands import screenshots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
@pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium package")
def test_screenshot_of_a_talk_page(built_site: Path, tmp_path: Path) -> None:
    saved = screenshots.capture(built_site, tmp_path / "shots", width=800, height=600)
    assert [path.name for path in saved] == list(screenshots.PAGES)
    for path in saved:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (800, 600)
