"""Fixtures for the scraping talk: the local test site, a real Redis server, the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.pycon_us_2022.distributed_scraping.book_site import BookSite
from site_tools.paths import REPO_ROOT
from tests.support.servers import free_port, serving

PACKAGE = "examples.pycon_us_2022.distributed_scraping"


@pytest.fixture
def site() -> Iterator[BookSite]:
    """The catalogue with every bad habit, fast enough for tests."""
    with BookSite(books=12, slow_seconds=0.2) as served:
        yield served


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server of its own: a free port, its files in tmp_path, stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("needs Debian's redis-server package (apt-get install redis-server)")
    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
               "--save", "", "--appendonly", "no"]  # fmt: skip
    with serving(command, port, log=folder / "redis.log"):
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    return path


def run_module(
    module: str, *args: str, timeout: float = 120, **options
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m examples.pycon_us_2022.distributed_scraping[.module]`` from the repo root."""
    target = f"{PACKAGE}.{module}" if module else PACKAGE
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", target, *args],
        cwd=options.pop("cwd", REPO_ROOT),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **options,
    )
