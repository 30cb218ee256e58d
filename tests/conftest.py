"""Guards that hold for every test: nothing the suite starts may outlive its test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _live_children() -> list[str]:
    """This process's children that still run (zombies are reaped first: they are finished)."""
    children = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        listed = (task / "children").read_text().split() if (task / "children").exists() else []
        children.extend(listed)
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
