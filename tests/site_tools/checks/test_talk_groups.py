"""The test run installs the talks' groups that a plain `uv run` leaves out."""

from __future__ import annotations

from pathlib import Path

from site_tools.checks import talk_groups
from site_tools.paths import REPO_ROOT

PYPROJECT = """\
[dependency-groups]
docs = ["pytest>=8"]
talk = ["surely-not-installed-anywhere>=1", "pytest", "also-absent; sys_platform == 'nowhere'"]
dev = [{ include-group = "docs" }]
"""


def test_missing_names_what_this_platform_needs_and_lacks(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    assert talk_groups.missing(pyproject) == ["surely-not-installed-anywhere"]


def test_nothing_is_missing_in_the_environment_the_suite_runs_in() -> None:
    # The root conftest installed every group before collection: this run proves it worked.
    assert talk_groups.missing(REPO_ROOT / "pyproject.toml") == []
