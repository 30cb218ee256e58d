"""The built site, served on a free loopback port, and a headless Chromium to read it with."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_tools.browser import chromium, chromium_path
from site_tools.doctests import REPO_ROOT
from tests.support.servers import LOOPBACK

ARTEFACTS = REPO_ROOT / ".cache" / "artefacts"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The tests read what the browser saw; the server's log adds nothing."""


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build --strict`` of the working tree, once per test session."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "mkdocs"),
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(site),
        ],
        cwd=REPO_ROOT,
        check=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (search and the palette need a real origin)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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
        str(index.parent.relative_to(built_site)).replace(".", "") + "/"
        if index.parent != built_site
        else ""
        for index in built_site.rglob("index.html")
    )
