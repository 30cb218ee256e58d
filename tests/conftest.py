"""What every test shares: the built site (built once per run), and a guard that nothing the suite
starts outlives its test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from site_tools.checks import built_site as published


def _live_children() -> list[str]:
    """This process's children that still run (zombies are reaped first: they are finished)."""
    children = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children.extend((task / "children").read_text().split())
        except OSError:  # a thread that ended since the listing (or no such file): no children
            continue
    alive = []
    for pid in children:
        try:
            waited, _ = os.waitpid(int(pid), os.WNOHANG)
        except ChildProcessError:
            waited = 0  # not ours to reap (a grandchild re-parented here): it is alive
        if waited == 0 and Path(f"/proc/{pid}").exists():
            alive.append(f"{pid} ({Path(f'/proc/{pid}/comm').read_text().strip()})")
    return alive


@pytest.fixture(autouse=True, scope="module")
def no_process_left_behind():
    """Fail the module whose tests leave a child process running."""
    yield
    if not Path("/proc/self/task").exists():
        return
    left = _live_children()
    assert not left, f"processes left running: {', '.join(left)}"


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
