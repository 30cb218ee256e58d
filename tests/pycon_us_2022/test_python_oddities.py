"""Tests for the Python Oddities examples: each script's logic, its command line and bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_support.command_line import run
from examples.pycon_us_2022.python_oddities import duck_typing, iadd_tracer, local_names
from tests.support.command_lines import assert_one_line_error, run_example, runnable_modules
from tests.support.hostile_input import (
    NOT_UTF8,
    assert_answers_at_once,
    hostile_files,
)


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example("python_oddities", module, *args)


# iadd_tracer: the order of the three steps is the whole lesson.


@pytest.mark.parametrize("kind", ["tuple", "list", "dict"])
def test_iadd_reads_then_mutates_then_assigns(kind: str) -> None:
    steps, error = iadd_tracer.trace(kind)
    names = [step.split("(")[0].split(" ")[0] for step in steps[:3]]
    assert names == ["__getitem__", "__iadd__", "__setitem__"]
    assert steps[-1] == "x[0] is now [1, 2, 3, 4]", "the list is mutated in every case"
    assert error == ("TypeError" if kind == "tuple" else None)


def test_tracer_reports_pythons_own_tuple_message() -> None:
    steps, _ = iadd_tracer.trace("tuple")
    t = ([1, 2],)
    with pytest.raises(TypeError) as real:
        t[0] += [3, 4]
    assert steps[2].endswith(str(real.value))


# local_names: symtable agrees with what happens at run time.


def test_local_names_match_the_unbound_local_error() -> None:
    report = local_names.scopes(local_names.TALK_SOURCE)
    assert list(report) == [
        "add_numbers",
        "add_numbers_with_plus",
        "set_numbers",
        "set_numbers_swapped",
        "extend_numbers",
    ]
    namespace: dict = {}
    exec(local_names.TALK_SOURCE, namespace)  # the talk's own function bodies, run for real
    for function, grouped in report.items():
        # A local NUMBERS fails exactly when the function reads it before assigning it.
        fails = "NUMBERS" in grouped["local"] and function != "set_numbers_swapped"
        call = namespace[function]
        if fails:
            with pytest.raises(UnboundLocalError):
                call([4, 5, 6])
        else:
            call([4, 5, 6])
    assert namespace["NUMBERS"] == [1, 2, 3, 4, 5, 6], "only the extend version changed it"


def test_nested_functions_and_free_variables() -> None:
    source = "def outer():\n    total = 0\n    def inner():\n        return total\n"
    report = local_names.scopes(source)
    assert report["outer"]["local"] == ["inner", "total"]
    assert report["outer.inner"]["free"] == ["total"]


# duck_typing: the table is computed, not typed.


def test_list_iadd_is_extend_and_tuple_iadd_wants_a_tuple() -> None:
    rows = {
        (op, kind): outcome for op, kind, outcome in duck_typing.table(list(duck_typing.OPERATIONS))
    }
    for kind in duck_typing.ARGUMENTS:
        assert rows[("list += x", kind)] == rows[("list.extend(x)", kind)]
    assert rows[("tuple += x", "a tuple")] == "('ab', 'cd')"
    assert all(
        rows[("tuple += x", kind)].startswith("TypeError")
        for kind in duck_typing.ARGUMENTS
        if kind != "a tuple"
    )
    assert rows[("list + x", "a tuple")].startswith("TypeError"), "plain + is strict"


def test_generators_are_fresh_for_every_operation() -> None:
    outcomes = [
        duck_typing.attempt(duck_typing.OPERATIONS[op], duck_typing.ARGUMENTS["a generator"]())
        for op in ("list += x", "list += x")
    ]
    assert outcomes == ["['ab', 'cd']", "['ab', 'cd']"]


# Command lines: --help works, bad input is one line and a non-zero exit.


@pytest.mark.parametrize(
    ("module", "args", "status", "message"),
    [
        ("iadd_tracer", ["set"], 2, "invalid choice: 'set'"),
        ("duck_typing", ["list * x"], 2, "unknown operation 'list * x'"),
        ("local_names", ["missing.py"], 1, "no such file: missing.py"),
        ("local_names", ["examples"], 2, "is a directory"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(
    module: str, args: list[str], status: int, message: str
) -> None:
    assert_one_line_error(run_module(module, *args), module, status, message)


def test_local_names_reports_syntax_and_encoding_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    latin = tmp_path / "latin.py"
    latin.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    for path, message in [(broken, ":1: "), (latin, "is not UTF-8 text")]:
        result = run_module("local_names", str(path))
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr


# Hostile input: special files, a symlink loop, non-UTF-8 bytes, source too deep to compile.

HOSTILE = [
    ("local_names", ["{fifo}"], 2, "not a regular file"),  # open() would wait for a writer
    ("local_names", ["{loop}"], 1, "Too many levels of symbolic links"),
    ("local_names", ["{dir}"], 2, "is a directory"),
    ("local_names", ["{latin1}"], 2, "is not UTF-8 text"),
    ("local_names", ["{name}"], 0, ""),  # a file name that is not UTF-8 is a file like another
    ("local_names", ["{nul}"], 2, "nul.py: source code string cannot contain null bytes"),
    ("local_names", ["{deep}"], 2, "too deeply nested"),
    ("iadd_tracer", [NOT_UTF8], 2, "invalid choice"),
    ("duck_typing", [NOT_UTF8], 2, "unknown operation"),
]


def test_every_command_line_of_the_talk_is_tried() -> None:
    talk = {
        name.split(".")[1] for name in runnable_modules() if name.startswith("python_oddities.")
    }
    assert talk == {module for module, *_ in HOSTILE}


@pytest.mark.parametrize(("module", "args", "status", "message"), HOSTILE)
def test_hostile_input_is_one_line_or_a_normal_result(
    module: str, args: list[str], status: int, message: str, tmp_path: Path
) -> None:
    paths = hostile_files(tmp_path)
    (tmp_path / "nul.py").write_bytes(b"x = 1\0\n")
    (tmp_path / "deep.py").write_text("f = " + "lambda: " * 5_000 + "0\n")
    paths |= {"nul": str(tmp_path / "nul.py"), "deep": str(tmp_path / "deep.py")}
    assert_answers_at_once("python_oddities", module, args, status, message, paths)


# local_names reads source from outside: properties against the compiler and arbitrary text.

STATEMENTS = [
    "NUMBERS = nums",
    "NUMBERS += nums",
    "print(NUMBERS)",
    "NUMBERS.extend(nums)",
    "for NUMBERS in nums: pass",
    "import os as NUMBERS",
    "del NUMBERS",
    "total = len(nums)",
    "def inner(): return total + len(NUMBERS)",
]


@given(body=st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=5), declare=st.booleans())
def test_scopes_agree_with_the_compiled_code(body: list[str], declare: bool) -> None:
    """Local means a slot in the frame (co_varnames, or a cell an inner function reads), as the
    compiler decides it before a line runs."""
    lines = ["global NUMBERS", *body] if declare else body
    source = "def talk(nums):\n" + "".join(f"    {line}\n" for line in lines)
    namespace: dict = {}
    exec(source, namespace)  # compiled only: the body never runs
    code = namespace["talk"].__code__
    report = local_names.scopes(source)["talk"]
    assert set(report["local"]) == set(code.co_varnames) | set(code.co_cellvars)
    # co_names also holds attribute and module names (extend, os): the globals are among them,
    # with a declared global the body never touches.
    assert set(report["global"]) <= set(code.co_names) | ({"NUMBERS"} if declare else set())
    assert "NUMBERS" not in report["local"] or not declare, "global wins over any assignment"


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.one_of(
        st.text(max_size=60),
        st.lists(st.sampled_from(STATEMENTS)).map("\n".join),
        # Nesting the parser gives up on (a MemoryError in 3.11), at depths it would not reach.
        st.sampled_from([10, 100, 10_000]).map(lambda depth: "f = " + "lambda: " * depth + "0"),
    )
)
def test_any_source_file_is_a_report_or_one_error_line(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "any.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["local_names", str(path)])
    with pytest.raises(SystemExit) as stop:
        run(local_names.main, prog="local_names")
    result = subprocess.CompletedProcess([], stop.value.code, *capsys.readouterr())
    if result.returncode:
        assert_one_line_error(result, "local_names", 2)
