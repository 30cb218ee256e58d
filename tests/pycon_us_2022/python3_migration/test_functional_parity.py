"""Phase 3: failing tests of a real JUnit XML report are grouped by root cause."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration import functional_parity
from tests.pycon_us_2022.python3_migration.support import assert_one_line_error, run_module

PROJECT = {
    "textutil.py": (
        "def greet(name):\n"
        "    return 'hello ' + name\n"
        "\n"
        "def first(mapping):\n"
        "    return mapping.values()[0]\n"
    ),
    "test_text.py": (
        "import unittest\n"
        "from textutil import first, greet\n"
        "\n"
        "def test_bytes_name():\n"
        "    assert greet(b'ada') == 'hello ada'\n"
        "\n"
        "def test_bytes_other_name():\n"
        "    assert greet(b'bob') == 'hello bob'\n"
        "\n"
        "def test_first():\n"
        "    assert first({'a': 1}) == 1\n"
        "\n"
        "def test_str_name():\n"
        "    assert greet('ada') == 'hello ada'\n"
        "\n"
        "def test_assert_one():\n"
        "    assert sorted({3: 1, 1: 2}) == [3, 1]\n"
        "\n"
        "def test_assert_two():\n"
        "    assert round(2.5) == 3\n"
        "\n"
        "class TestOld(unittest.TestCase):\n"
        "    def test_cmp_sort(self):\n"
        "        self.assertEqual(sorted([2, 1], cmp=lambda a, b: a - b), [1, 2])\n"
    ),
}


@pytest.fixture(scope="module")
def junit_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real report: pytest runs a small project whose tests fail for Python 3 reasons."""
    folder = tmp_path_factory.mktemp("project")
    for name, text in PROJECT.items():
        (folder / name).write_text(text)
    report = folder / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         f"--junit-xml={report}", "test_text.py"],
        cwd=folder, capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    assert report.is_file()
    return report


def test_failures_group_by_crash_location_and_exception(junit_report: Path) -> None:
    cases, failed = functional_parity.failures_in(junit_report)
    assert (cases, len(failed)) == (7, 6)
    groups = functional_parity.group(failed)
    top = groups[0]
    assert top[:3] == (
        2,
        "textutil.py:2",
        'TypeError: can only concatenate str (not "bytes") to str',
    )
    assert top[3] == ["test_text::test_bytes_name", "test_text::test_bytes_other_name"]
    causes = {(location, cause) for _, location, cause, _ in groups}
    assert ("textutil.py:5", "TypeError: 'dict_values' object is not subscriptable") in causes
    # sorted(cmp=...) is gone; the wording of the TypeError differs between Python versions.
    [cmp] = [cause for location, cause in causes if location == "test_text.py:24"]
    assert cmp.startswith("TypeError: ")
    assert "'cmp'" in cmp
    # Assertion failures are grouped by where they failed: their messages differ per test.
    assert ("test_text.py:17", "AssertionError") in causes
    assert ("test_text.py:20", "AssertionError") in causes
    assert len(groups) == 5


def test_plain_python_tracebacks_are_understood_too() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "app/tests/test_views.py", line 12, in test_show\n'
        '  File "app/views.py", line 40, in show\n'
        "KeyError: 'user'\n"
    )
    assert functional_parity.root_cause("", text) == ("app/views.py:40", "KeyError: 'user'")


def test_memory_addresses_do_not_split_a_group() -> None:
    one = functional_parity.root_cause("ValueError: bad <Obj at 0x7f00aa>", "x.py:1: ValueError")
    two = functional_parity.root_cause("ValueError: bad <Obj at 0x7f99bb>", "x.py:1: ValueError")
    assert one == two == ("x.py:1", "ValueError: bad <Obj at 0x…>")


def test_shards_add_up_and_the_exit_status_says_whether_anything_failed(
    junit_report: Path, tmp_path: Path
) -> None:
    passing = tmp_path / "passing.xml"
    passing.write_text('<testsuites><testsuite name="s"><testcase classname="c" name="ok"/>'
                       "</testsuite></testsuites>")  # fmt: skip
    assert run_module("functional_parity", str(passing)).returncode == 0
    both = run_module("functional_parity", str(junit_report), str(passing), "--show", "1")
    assert both.returncode == 1
    assert both.stdout.splitlines()[-1] == "8 tests, 6 failed, 5 root causes"
    assert "test_text::test_bytes_name and 1 more" in both.stdout


def test_demo_runs_the_samples_tests() -> None:
    result = run_module("functional_parity", "--demo")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "7 tests, 6 failed, 4 root causes"
    assert "shop/catalogue.py:10  TypeError: 'dict_keys' object is not subscriptable" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file: missing.xml"),
        ("<html><body>not a report</body></html>", "is not a JUnit report (its root is <html>)"),
        ("print 'this is Python, not XML'\n", "is not XML: syntax error"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, content: str | None, message: str) -> None:
    report = tmp_path / "missing.xml"
    if content is not None:
        report.write_text(content)
    result = run_module("functional_parity", report.name, cwd=tmp_path)
    assert_one_line_error(result, "functional_parity", 1 if content is None else 2)
    assert message in result.stderr


def test_a_folder_or_nothing_is_bad_usage(tmp_path: Path) -> None:
    assert_one_line_error(run_module("functional_parity", str(tmp_path)), "functional_parity", 2)
    assert_one_line_error(run_module("functional_parity"), "functional_parity", 2)
