"""The new-talk scaffold: three mirror places at once, checked input, nothing overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.doctests import REPO_ROOT
from site_tools.page_rules import check_fences, check_talk_page

SCHEDULE = "https://us.pycon.org/2022/schedule/presentation/99/"
GOOD = [
    "pycon-us-2022",
    "sample-talk",
    "--title",
    'A "Sample" Talk',
    "--speaker",
    "Ada Lovelace",
    "--schedule",
    SCHEDULE,
    "--video",
    "https://www.youtube.com/watch?v=example",
    "--video-seconds",
    "1800",
    "--tag",
    "language",
]
PAGE = Path("docs/pycon-us-2022/sample-talk.md")
PACKAGE = Path("examples/pycon_us_2022/sample_talk")
TEST_MODULE = Path("tests/pycon_us_2022/test_sample_talk.py")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A repository with one event and nothing else: what the scaffold needs to find."""
    (tmp_path / "docs" / "pycon-us-2022").mkdir(parents=True)
    (tmp_path / "examples" / "pycon_us_2022").mkdir(parents=True)
    (tmp_path / "examples" / "__init__.py").write_text("")
    (tmp_path / "examples" / "pycon_us_2022" / "__init__.py").write_text("")
    (tmp_path / "tests" / "pycon_us_2022").mkdir(parents=True)
    return tmp_path


def new_talk(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "site_tools.new_talk", *args, "--root", str(root)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def files_under(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


def test_creates_the_three_places_and_says_so(site: Path) -> None:
    result = new_talk(site, *GOOD)
    assert result.returncode == 0, result.stderr
    made = files_under(site)
    assert {PAGE, PACKAGE / "__init__.py", TEST_MODULE} <= made
    for path in (PAGE, PACKAGE / "__init__.py", TEST_MODULE):
        assert f"created {path.as_posix()}" in result.stdout
    assert "tests/test_page_rules.py" in result.stdout


def test_the_page_follows_the_standard_except_what_only_content_gives(site: Path) -> None:
    assert new_talk(site, *GOOD).returncode == 0
    text = (site / PAGE).read_text()
    assert check_fences(text) == []
    # The one rule a template cannot meet: corrections come from checking the notes.
    assert check_talk_page(text) == [
        'no !!! warning "Correction": the notes were typed live; check them'
    ]
    assert 'title: "A \\"Sample\\" Talk"' in text


def test_generated_code_is_lint_clean(site: Path) -> None:
    assert new_talk(site, *GOOD).returncode == 0
    files = [str(site / TEST_MODULE), str(site / PACKAGE / "__init__.py")]
    # Outside the repository ruff cannot tell that ``examples`` is this project's own package.
    ruff = [sys.executable, "-m", "ruff", "--config", "lint.isort.known-first-party=['examples']"]
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run(
            [*ruff, *command, *files], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def _pytest_in(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_generated_tests_fail_until_the_talk_has_an_example(site: Path) -> None:
    assert new_talk(site, *GOOD).returncode == 0
    (site / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    first = _pytest_in(site)
    assert first.returncode == 1, first.stdout
    assert "write the first example in examples/pycon_us_2022/sample_talk/" in first.stdout

    (site / PACKAGE / "greeting.py").write_text(
        "import argparse\n\nargparse.ArgumentParser(prog='greeting').parse_args()\n"
    )
    second = _pytest_in(site)
    assert second.returncode == 0, second.stdout
    assert "2 passed" in second.stdout


def test_refuses_to_overwrite_and_changes_nothing(site: Path) -> None:
    assert new_talk(site, *GOOD).returncode == 0
    (site / PAGE).write_text("my work\n")
    before = files_under(site)
    result = new_talk(site, *GOOD)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "new_talk: error: refusing to overwrite: docs/pycon-us-2022/sample-talk.md, "
        "examples/pycon_us_2022/sample_talk/__init__.py, tests/pycon_us_2022/test_sample_talk.py, "
        "examples/pycon_us_2022/sample_talk"
    ]
    assert files_under(site) == before
    assert (site / PAGE).read_text() == "my work\n"


def test_an_existing_examples_folder_alone_is_enough_to_refuse(site: Path) -> None:
    (site / PACKAGE).mkdir()
    result = new_talk(site, *GOOD)
    assert result.returncode == 1
    assert "refusing to overwrite: examples/pycon_us_2022/sample_talk" in result.stderr
    assert not (site / PAGE).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({1: "Sample_Talk"}, "slug 'Sample_Talk' must be kebab-case"),
        ({1: "sample--talk"}, "slug 'sample--talk' must be kebab-case"),
        ({1: "x" * 41}, "at most 40 characters"),
        ({1: "errata"}, "slug 'errata' is reserved"),
        ({0: "pycon-us-2099"}, "unknown event 'pycon-us-2099'; the site has: pycon-us-2022"),
        ({0: "PyCon 2022"}, "event 'PyCon 2022' must look like pycon-us-2022"),
        ({3: "  "}, "title must be one non-empty line"),
        ({7: "http://example.org/"}, "schedule must be a link under https://us.pycon.org/"),
        ({9: "http://v"}, "video must be an https:// link and --video-seconds its length"),
        ({11: "0"}, "video must be an https:// link and --video-seconds its length"),
        ({13: "rust"}, "tags must come from mkdocs.yml's tags_allowed (got rust)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(site: Path, change: dict[int, str], message: str) -> None:
    args = [change.get(index, value) for index, value in enumerate(GOOD)]
    result = new_talk(site, *args)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("new_talk: error: ")
    assert message in result.stderr
    assert files_under(site) == {
        Path("examples/__init__.py"),
        Path("examples/pycon_us_2022/__init__.py"),
    }
