"""The attributes examples as a reader runs them: --help, real output, one-line errors."""

from __future__ import annotations

import subprocess

import pytest

from tests.support.command_lines import assert_one_line_error, run_example, runnable_modules


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example("attributes", module, *args)


@pytest.mark.parametrize(
    ("module", "expected_kinds"),
    [
        ("side_by_side", ["property", "classmethod", "staticmethod", "bound method", "partial"]),
        ("property_in_python", ["property"]),
        ("methods_in_python", ["classmethod", "staticmethod", "bound method"]),
        ("partial_in_python", ["partial"]),
        ("descriptor_cases", ["property", "classmethod", "staticmethod", "bound method"]),
        ("partial_cases", ["partial"]),
    ],
)
def test_every_comparison_passes(module: str, expected_kinds: list[str]) -> None:
    result = run_module(module)
    assert result.returncode == 0, result.stdout + result.stderr
    headers = [line.split(":")[0] for line in result.stdout.splitlines() if ":" in line[:14]]
    assert headers[: len(expected_kinds)] == expected_kinds
    assert "DIFFERS" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].split()[1] == "of"


def test_show_prints_each_outcome() -> None:
    result = run_module("partial_in_python", "--show", "--case", "add5")
    assert result.returncode == 0
    assert "same    the notes' add5(10)  -> 15" in result.stdout


def test_tracer_prints_every_expression() -> None:
    result = run_module("lookup_tracer", "p1.population", "e1.salary")
    assert result.returncode == 0
    assert result.stdout.count("\n  -> ") == 2
    assert "Employee.__getattr__ gets a turn" in result.stdout


BAD_INPUT = [
    ("lookup_tracer", ["joe.name"], "unknown object 'joe'"),
    ("lookup_tracer", ["p1"], "expected OBJECT.NAME, got 'p1'"),
    ("lookup_tracer", ["p1.not-a-name"], "expected OBJECT.NAME"),
    ("lookup_tracer", [], "the following arguments are required"),
    ("side_by_side", ["dataclass"], "unknown kind 'dataclass'"),
    ("side_by_side", ["--case", "no such case"], "no case name contains 'no such case'"),
    ("side_by_side", ["property", "--show=yes"], "ignored explicit argument 'yes'"),
    ("partial_in_python", ["--case", "zzz"], "no case name contains 'zzz'"),
    ("partial_in_python", ["partial"], "unrecognized arguments: partial"),
    ("property_in_python", ["--bogus"], "unrecognized arguments: --bogus"),
    ("methods_in_python", ["--case"], "argument --case: expected one argument"),
    ("descriptor_cases", ["--case", "\N{SNOWMAN}"], "no case name contains '\N{SNOWMAN}'"),
    ("partial_cases", ["--case", "flatten", "--case"], "expected one argument"),
]


@pytest.mark.parametrize(("module", "args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_a_failure(module: str, args: list[str], message: str) -> None:
    assert_one_line_error(run_module(module, *args), module, 2, message)


def test_every_command_is_given_bad_input() -> None:
    talk_modules = {name.split(".")[1] for name in runnable_modules() if name.startswith("attr")}
    assert talk_modules == {module for module, _, _ in BAD_INPUT}
