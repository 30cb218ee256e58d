"""The new-talk scaffold: three mirror places at once, checked input, nothing overwritten."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.checks.page_rules import check_fences, check_talk_page
from site_tools.paths import REPO_ROOT

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
TESTS = Path("tests/pycon_us_2022/sample_talk")
TEST_MODULE = TESTS / "test_command_lines.py"
NAV = """\
site_name: A site
nav:
  - Home: index.md
  - PyCon US 2022:
      - pycon-us-2022/index.md
      - The original notebook: pycon-us-2022/notebook.ipynb
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A repository with one event and nothing else: what the scaffold needs to find."""
    (tmp_path / "docs" / "pycon-us-2022").mkdir(parents=True)
    (tmp_path / "examples" / "pycon_us_2022").mkdir(parents=True)
    (tmp_path / "examples" / "__init__.py").write_text("")
    (tmp_path / "examples" / "pycon_us_2022" / "__init__.py").write_text("")
    (tmp_path / "tests" / "pycon_us_2022").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(NAV)
    return tmp_path


def new_talk(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "site_tools.commands.new_talk", *args, "--root", str(root)],
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
    assert {PAGE, PACKAGE / "__init__.py", TESTS / "__init__.py", TEST_MODULE} <= made
    for path in (PAGE, PACKAGE / "__init__.py", TEST_MODULE):
        assert f"created {path.as_posix()}" in result.stdout
    assert "registered pycon-us-2022/sample-talk.md in the nav" in result.stdout
    # The registry entry goes after the event's overview and its talks, before its other pages.
    assert "      - pycon-us-2022/index.md\n      - pycon-us-2022/sample-talk.md\n" in (
        (site / "mkdocs.yml").read_text()
    )


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


def _in_copy(copy: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``python -m <command>`` inside a scaffolded copy, importing the copy's own packages."""
    env = {k: v for k, v in os.environ.items() if k != "UV"}  # never sync the copy's own env
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=copy,
        env={**env, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


# A handful of tests: pytest-xdist's workers would spend longer starting than the tests take.
PYTEST_IN_COPY = ("pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-n", "0")


@pytest.mark.slow
def test_the_generated_tests_fail_until_the_talk_has_an_example(site: Path) -> None:
    assert new_talk(site, *GOOD).returncode == 0
    (site / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    first = _in_copy(site, *PYTEST_IN_COPY)
    assert first.returncode == 1, first.stdout
    assert "write the first example in examples/pycon_us_2022/sample_talk/" in first.stdout

    (site / PACKAGE / "greeting.py").write_text(
        "import argparse\n\nargparse.ArgumentParser(prog='greeting').parse_args()\n"
    )
    second = _in_copy(site, *PYTEST_IN_COPY)
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
        "examples/pycon_us_2022/sample_talk/__init__.py, "
        "tests/pycon_us_2022/sample_talk/__init__.py, "
        "tests/pycon_us_2022/sample_talk/test_command_lines.py, "
        "examples/pycon_us_2022/sample_talk, tests/pycon_us_2022/sample_talk"
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
        Path("mkdocs.yml"),
    }
    assert (site / "mkdocs.yml").read_text() == NAV


def _copy_of_the_repository(destination: Path) -> Path:
    """The tracked files of this repository, as a contributor's fresh clone has them."""
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.mark.slow
def test_a_new_talk_is_its_nav_entry_and_its_own_files(tmp_path: Path) -> None:
    """Scaffold a talk into a copy of the repository, then run the rules, tests and build there.

    Until the talk has a correction and an example, exactly those two things fail; once it has
    them, everything passes, and no shared file was edited by hand.
    """
    copy = _copy_of_the_repository(tmp_path / "repo")
    assert _in_copy(copy, "site_tools.commands.new_talk", *GOOD).returncode == 0
    checks = (*PYTEST_IN_COPY, "-k", "sample")
    targets = ("tests/test_page_rules.py", str(TESTS))
    first = _in_copy(copy, *checks, *targets)
    failed = [line for line in first.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2, first.stdout
    assert any("has_front_matter_and_sections[pycon-us-2022/sample-talk.md]" in f for f in failed)
    assert any("test_the_talk_has_examples" in f for f in failed)

    page = copy / PAGE
    page.write_text(
        page.read_text().replace(
            "## Changed since 2022",
            '!!! warning "Correction"\n    The notes say X; Y is right.\n\n## Changed since 2022',
        )
    )
    example = 'import argparse\n\nargparse.ArgumentParser(prog="greeting").parse_args()\n'
    (copy / PACKAGE / "greeting.py").write_text(f'"""Greets."""\n\n{example}')
    second = _in_copy(copy, *checks, *targets)
    assert second.returncode == 0, second.stdout
    build = _in_copy(copy, "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "pycon-us-2022" / "sample-talk" / "index.html").is_file()
