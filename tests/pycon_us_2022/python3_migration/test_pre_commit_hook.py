"""The pre-commit hook, for real: a hook repository, a project using it, and commits it judges."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_tools.paths import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "pycon_us_2022" / "python3_migration"
TEMPLATE_REPO = "https://example.org/your-org/migration-hooks.git"


def git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """Git and pre-commit isolated from this machine's configuration and caches."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO_ROOT),  # where the hook's entry finds the examples package
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }


@pytest.fixture
def project(tmp_path: Path, environment: dict[str, str]) -> Path:
    """A project whose .pre-commit-config.yaml is the example's, pointed at a local hook repo."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / ".pre-commit-hooks.yaml").write_text((EXAMPLE / ".pre-commit-hooks.yaml").read_text())
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "hooks"]):
        assert git(hooks, *command, env=environment).returncode == 0
    revision = git(hooks, "rev-parse", "HEAD", env=environment).stdout.strip()
    config = (EXAMPLE / "pre-commit-config.yaml").read_text()
    assert TEMPLATE_REPO in config
    project = tmp_path / "project"
    project.mkdir()
    config = config.replace(TEMPLATE_REPO, str(hooks)).replace("rev: v1.0.0", f"rev: {revision}")
    (project / ".pre-commit-config.yaml").write_text(config)
    assert git(project, "init", "-q", env=environment).returncode == 0
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=project, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    return project


def commit(project: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    assert git(project, "add", *files, env=env).returncode == 0
    return git(project, "commit", "-m", "change", env=env)


def test_the_manifest_and_the_config_agree() -> None:
    [hook] = yaml.safe_load((EXAMPLE / ".pre-commit-hooks.yaml").read_text())
    config = yaml.safe_load((EXAMPLE / "pre-commit-config.yaml").read_text())
    assert config["repos"][0]["hooks"][0]["id"] == hook["id"] == "parsability"
    assert hook["types"] == ["python"]
    assert hook["entry"].startswith(
        "python -m examples.pycon_us_2022.python3_migration.parsability"
    )


@pytest.mark.slow
def test_a_commit_with_python_2_syntax_is_refused_and_the_fix_goes_through(
    project: Path, environment: dict[str, str]
) -> None:
    (project / "legacy.py").write_text("print 'hello'\n")
    (project / "untouched.py").write_text("print 'not staged, not checked'\n")
    refused = commit(project, environment, ".pre-commit-config.yaml", "legacy.py")
    output = refused.stdout + refused.stderr
    assert refused.returncode == 1, output
    assert "legacy.py:1: Missing parentheses in call to 'print'" in output
    assert "untouched.py" not in output, "only staged files are checked"
    (project / "legacy.py").write_text("print('hello')\n")
    accepted = commit(project, environment, ".pre-commit-config.yaml", "legacy.py")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr


@pytest.mark.slow
def test_the_configs_target_refuses_syntax_newer_than_311(
    project: Path, environment: dict[str, str]
) -> None:
    # PEP 695 (Python 3.12): fails under --target=3.11 whatever Python runs the hook.
    (project / "aliases.py").write_text("type Pair = tuple[int, int]\n")
    (project / "notes.txt").write_text("print 'not Python: the hook does not look at it'\n")
    refused = commit(project, environment, ".pre-commit-config.yaml", "aliases.py", "notes.txt")
    output = refused.stdout + refused.stderr
    assert refused.returncode == 1, output
    assert "aliases.py:1: " in output
    assert "notes.txt" not in output
