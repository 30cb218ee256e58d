"""The GitHub configuration is checked here, offline: JSON schemas and zizmor's audits."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `uv sync` (it is in the contributing group)")
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_dependabot_matches_its_schema() -> None:
    result = _run(
        _tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.dependabot",
        str(GITHUB / "dependabot.yml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "workflow", sorted((GITHUB / "workflows").glob("*.yml")), ids=lambda path: path.name
)
def test_workflow_matches_its_schema(workflow: Path) -> None:
    result = _run(
        _tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_has_no_findings() -> None:
    result = _run(_tool("zizmor"), "--offline", "--no-progress", str(GITHUB))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "form", sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml")), ids=lambda path: path.name
)
def test_issue_form_matches_its_schema(form: Path) -> None:
    result = _run(
        _tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", str(form)
    )
    assert result.returncode == 0, result.stdout + result.stderr
