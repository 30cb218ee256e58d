"""The built site, served on a free loopback port, and a headless Chromium to read it with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from site_tools.checks import built_site as published
from site_tools.checks.browser import chromium, chromium_path
from site_tools.paths import REPO_ROOT

ARTEFACTS = REPO_ROOT / ".cache" / "artefacts"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """``mkdocs build --strict`` of the working tree, once per test run.

    With pytest-xdist, the first worker to need the site builds it into the run's shared temporary
    folder while the others wait on a lock, then all read the same build.
    """
    if worker_id == "master":  # not under xdist
        return published.build_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent
    site, done = shared / "site", shared / "site.built"
    with FileLock(shared / "site.lock"):
        if not done.exists():
            published.build_site(site)
            done.touch()  # only after a whole build: a failed one is tried again, not reused
    return site


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (search and the palette need a real origin)."""
    with published.serving(built_site) as base:
        yield base


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
