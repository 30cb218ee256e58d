"""What the build sends (the ignore file), the pinned requirements, and the scripts' bad input."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from examples.pycon_us_2022.docker_jupyter import build_context
from site_tools.paths import REPO_ROOT
from tests.pycon_us_2022.docker_jupyter.support import HERE, run_module
from tests.support.command_lines import assert_one_line_error

# The build context: what the ignore file lets through.


def test_the_repository_context_sends_only_what_the_dockerfile_copies() -> None:
    dockerfile = HERE / "Dockerfile"
    found = build_context.ignore_file(dockerfile, REPO_ROOT)
    assert found == HERE / "Dockerfile.dockerignore"
    sent = build_context.context_files(REPO_ROOT, build_context.read_patterns(found.read_text()))
    copied = [source for _, source in build_context.copy_sources(dockerfile.read_text())]
    assert sent == sorted(copied)
    assert build_context.missing_sources(dockerfile.read_text(), sent) == []


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("notes/draft.md", True),  # a directory pattern covers what is inside
        ("src/keep.py", False),  # a later '!' line wins
        ("src/deep/cache.pyc", True),  # ** spans directories
        ("cache.pyc", True),  # ** also matches zero directories
        ("srcx/a.py", False),
        ("data-1.csv", True),
        ("data-10.csv", False),  # ? is exactly one character
    ],
)
def test_ignore_patterns_follow_buildkit(path: str, ignored: bool) -> None:
    patterns = build_context.read_patterns(
        "# comment\nnotes\n/src/*\n!src/keep.py\n**/*.pyc\ndata-?.csv\n"
    )
    assert build_context.is_ignored(path, patterns) is ignored


def test_a_copy_of_an_ignored_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "Dockerfile").write_text("FROM a:1\nCOPY --chown=1:1 app.py /app/\n")
    (tmp_path / ".dockerignore").write_text("*.py\n")
    result = run_module(
        "build_context", "--dockerfile", str(tmp_path / "Dockerfile"), str(tmp_path)
    )
    assert result.returncode == 1
    assert "line 2: COPY app.py is not in the context" in result.stdout


# requirements.txt: complete pins (their versions: test_versions.py).


def test_requirements_pin_every_dependency() -> None:
    pins = set()
    for line in (HERE / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            pins.add(canonicalize_name(line.partition("==")[0]))
    for name in pins:
        for requirement in map(Requirement, metadata.requires(name) or []):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert canonicalize_name(requirement.name) in pins, f"{name} needs {requirement}"


# Command lines: --help works, bad input is one line and a non-zero exit.


@pytest.mark.parametrize(
    ("module", "args", "status", "message"),
    [
        ("dockerfile_rules", ["missing.Dockerfile"], 1, "no such file: missing.Dockerfile"),
        ("spot_the_bug", ["missing.Dockerfile"], 1, "no such file: missing.Dockerfile"),
        ("build_context", ["README.md"], 2, "must be a directory: README.md"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(
    module: str, args: list[str], status: int, message: str
) -> None:
    assert_one_line_error(run_module(module, *args), module, status, message)
