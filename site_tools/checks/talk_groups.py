"""The talks' dependencies, installed by the test run rather than by every ``uv run``.

``uv run mkdocs serve`` installs only the default groups (docs and test): a contributor can
preview the site on any platform, with no compiler and none of the talks' packages. ``uv run
pytest`` needs everything, so the root conftest asks this module, before collection, which
requirements of ``pyproject.toml``'s dependency groups are not installed, and if any are, runs
``uv sync --all-groups --inexact`` once (inexact: nothing already installed is removed).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def missing(pyproject: Path) -> list[str]:
    """Requirements of any dependency group, for this platform, that are not installed."""
    groups = tomllib.loads(pyproject.read_text(encoding="utf-8"))["dependency-groups"]
    absent = []
    for requirements in groups.values():
        for item in requirements:
            if not isinstance(item, str):
                continue  # {include-group = …}: its own entries are checked where they stand
            requirement = Requirement(item)
            if requirement.marker is not None and not requirement.marker.evaluate():
                continue
            try:
                metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError:
                absent.append(requirement.name)
    return sorted(set(absent))


def install(pyproject: Path) -> list[str]:
    """Install every group if something is missing and uv runs us; returns what was missing."""
    absent = missing(pyproject)
    uv = os.environ.get("UV")
    if absent and uv:
        print(f"installing the talks' packages ({', '.join(absent[:5])}, …)", file=sys.stderr)
        subprocess.run(
            [uv, "sync", "--all-groups", "--inexact", "--quiet"],
            cwd=pyproject.parent,
            check=True,
        )
        importlib.invalidate_caches()
    return absent
