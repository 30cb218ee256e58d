"""Phase 1: the parsability checker parses what Python parses, reports the rest, and never stops."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration import parsability
from examples.pycon_us_2022.python3_migration.legacy_sample import FILES, sample_tree
from tests.pycon_us_2022.python3_migration.support import (
    assert_one_line_error,
    run_module,
    without_file_privileges,
)


def messages(problems: list[parsability.Problem]) -> list[tuple[str, int, str]]:
    return [(Path(p.path).name, p.line, p.severity) for p in problems]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (b"print 'hello'\n", 1, "Missing parentheses in call to 'print'"),
        (b"raise ValueError, 'no'\n", 1, "invalid syntax"),
        (b"x = 0777\n", 1, "leading zeros"),
        (b"def f():\n\treturn 1\n        return 2\n", 3, "indent"),
        (b"break\n", 1, "'break' outside loop"),  # found by the compiler, not the parser
    ],
)
def test_python2_and_compiler_errors_are_reported_with_their_line(
    source: bytes, line: int, words: str
) -> None:
    [problem] = parsability.check_source(source, "old.py")
    assert (problem.line, problem.severity) == (line, "error")
    assert words.lower() in problem.message.lower()
    # The checker's verdict is the interpreter's own.
    with pytest.raises(SyntaxError):
        compile(source, "old.py", "exec")


def test_python_2_except_is_an_error_until_314_and_with_an_older_target() -> None:
    source = b"try:\n    pass\nexcept ValueError, e:\n    pass\n"
    [old] = parsability.check_source(source, "old.py", target=(3, 13))
    assert old.line == 3
    if sys.version_info >= (3, 14):  # PEP 758: it now means "except (ValueError, e):"
        assert parsability.check_source(source, "old.py") == []
    else:
        [problem] = parsability.check_source(source, "old.py")
        assert "parenthesized" in problem.message


def test_code_that_python_accepts_has_no_problems() -> None:
    for name in ("parsability.py", "importability.py", "rollout_proxy.py"):
        source = (Path(parsability.__file__).parent / name).read_bytes()
        assert parsability.check_source(source, name) == []


def test_target_grammar_refuses_newer_syntax() -> None:
    match = b"match command:\n    case 'go':\n        pass\n"
    assert parsability.check_source(match, "m.py", target=(3, 10)) == []
    [problem] = parsability.check_source(match, "m.py", target=(3, 9))
    assert "3.10" in problem.message
    with pytest.raises(SyntaxError):  # the same verdict as the standard library's
        ast.parse(match, feature_version=(3, 9))


def test_invalid_escape_is_a_warning_not_an_error() -> None:
    problems = parsability.check_source(b'pattern = "\\d+"\n', "w.py")
    assert [(p.line, p.severity) for p in problems] == [(1, "warning")]
    assert "invalid escape sequence" in problems[0].message


def test_coding_cookie_is_honoured_and_bad_bytes_are_located() -> None:
    latin = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")
    assert parsability.check_source(latin, "latin.py") == []
    bad = b"x = 1\ny = 2\nname = '\xff'\n"
    [problem] = parsability.check_source(bad, "bad.py")
    assert problem.line == 3, "the line of the undecodable byte"
    assert "0xff" in problem.message or "encoding" in problem.message
    [null] = parsability.check_source(b"x = 1\x00\n", "null.py")
    assert "null" in null.message


def test_a_tree_with_symlink_loops_and_broken_links_is_walked_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "old.py").write_text("print 'x'\n")
    (tmp_path / "pkg" / "up").symlink_to("..")  # a folder loop: not followed
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")  # a file loop: reported
    (tmp_path / "gone.py").symlink_to("nowhere.py")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("print 'skipped'\n")
    count, problems = parsability.check_tree([str(tmp_path)])
    assert count == 2, "the three links are reported, not counted as checked"
    found = {(Path(p.path).name, p.message.split(":")[0]) for p in problems}
    assert found == {
        ("a.py", "cannot read"),
        ("b.py", "cannot read"),
        ("gone.py", "cannot read"),
        ("old.py", "Missing parentheses in call to 'print'. Did you mean print(...)?"),
    }


def test_parallel_and_serial_runs_agree(tmp_path: Path) -> None:
    for number in range(parsability.POOL_THRESHOLD + 6):
        source = "print 'old'\n" if number % 7 == 0 else f"value = {number}\n"
        (tmp_path / f"m{number:03}.py").write_text(source)
    serial = parsability.check_tree([str(tmp_path)], jobs=1)
    parallel = parsability.check_tree([str(tmp_path)], jobs=2)
    assert serial == parallel
    assert len(serial[1]) == 10


def test_the_sample_fails_exactly_where_python_does() -> None:
    with sample_tree() as root:
        count, problems = parsability.check_tree([str(root)])
        for name in FILES:
            source = (root / name).read_bytes()
            try:
                compile(source, name, "exec")
            except SyntaxError:
                assert any(Path(p.path) == root / name for p in problems)
    assert count == len(FILES)
    assert messages(problems) == [("prices.py", 4, "error")]


# The command line: exit statuses for CI and the bad input a user can give.


def test_exit_status_is_zero_one_or_two(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    clean = run_module("parsability", "--no-progress", str(tmp_path))
    assert clean.returncode == 0
    assert clean.stdout.strip().endswith("1 file checked with the Python "
                                         f"{sys.version_info[0]}.{sys.version_info[1]} grammar: "
                                         "0 errors, 0 warnings")  # fmt: skip
    (tmp_path / "old.py").write_text("exec 'x = 1'\n")
    dirty = run_module("parsability", "--no-progress", str(tmp_path))
    assert dirty.returncode == 1
    assert f"{tmp_path / 'old.py'}:1: " in dirty.stdout


def test_strict_turns_warnings_into_failures(tmp_path: Path) -> None:
    (tmp_path / "w.py").write_text('pattern = "\\d"\n')
    assert run_module("parsability", str(tmp_path)).returncode == 0
    assert run_module("parsability", "--strict", str(tmp_path)).returncode == 1


def test_a_file_that_is_not_python_is_reported_not_crashed_on(tmp_path: Path) -> None:
    notes = tmp_path / "README.md"
    notes.write_text("# Notes\n\nSome *prose*, not code.\n")
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_module("parsability", str(notes), str(image))
    assert result.returncode == 1
    assert f"{notes}:3: invalid syntax" in result.stdout
    assert f"{image}:1: " in result.stdout
    assert "Traceback" not in result.stderr


def test_permission_denied_is_a_finding(tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inner.py").write_text("y = 2\n")
    secret.chmod(0)
    locked.chmod(0)
    try:
        result = run_module("parsability", str(tmp_path), prefix=without_file_privileges())
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    assert result.returncode == 1
    assert f"{secret}:0: cannot read: Permission denied" in result.stdout
    assert f"{locked}:0: cannot list: Permission denied" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/dir"], "no such file or folder: no/such/dir"),
        ([], "give files or folders to check (or --demo)"),
        (["--jobs", "0", "."], "--jobs must be at least 1"),
        (["--target", "3.99", "."], "cannot parse 3.99 syntax"),
        (["--target", "2.7", "."], "--target must be at least 3.7"),
        (["--target", "three", "."], "--target wants MAJOR.MINOR"),
    ],
)
def test_bad_usage_is_one_line_and_status_two(args: list[str], message: str) -> None:
    result = run_module("parsability", *args)
    assert_one_line_error(result, "parsability", 2)
    assert message in result.stderr


def test_demo_prints_paths_relative_to_the_sample() -> None:
    result = run_module("parsability", "--demo")
    assert result.returncode == 1
    assert result.stdout.startswith("shop/prices.py:4: invalid syntax")
    assert os.sep + "legacy-sample-" not in result.stdout


# Special files: a FIFO named like Python blocked the reader forever; nothing found passed.


def test_a_fifo_given_or_found_in_a_tree_is_reported_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")  # no writer: a plain open() would wait for one forever
    (tmp_path / "good.py").write_text("x = 1\n")
    for target in (tmp_path / "pipe.py", tmp_path):
        result = run_module("parsability", "--no-progress", str(target), timeout=20)
        assert result.returncode == 1, result.stderr
        assert f"{tmp_path / 'pipe.py'}:0: cannot read: not a regular file (FIFO)" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("1 file checked"), "the FIFO is not counted"


@pytest.mark.parametrize("tree", ["empty", "only a folder link loop", "only other files"])
def test_nothing_to_check_is_an_error_not_a_pass(tmp_path: Path, tree: str) -> None:
    root = tmp_path / "src"
    root.mkdir()
    if tree == "only a folder link loop":
        (root / "again").symlink_to(root)  # symlinked folders are not followed: nothing else
    elif tree == "only other files":
        (root / "README.md").write_text("# no code\n")
    result = run_module("parsability", "--no-progress", str(root), timeout=20)
    assert_one_line_error(result, "parsability", 2)
    assert f"no .py files found in {root}" in result.stderr
    assert result.stdout == ""


def test_a_file_name_that_is_not_utf8_is_printed_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.py")  # a Latin-1 name on a UTF-8 system: a lone surrogate
    (tmp_path / name).write_text("print 'x'\n")
    # PYTHONIOENCODING=utf-8 makes stdout strict, as under most desktop locales.
    result = run_module("parsability", str(tmp_path), env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # Escaped like Python's own tracebacks: valid UTF-8 out, and the byte still identifiable.
    assert f"{tmp_path}{os.sep}caf\\udce9.py:1: " in result.stdout
