"""Every command line of the talk against hostile input: non-finite and huge numbers, special files
(a FIFO, a file or a symlink loop where a folder goes), non-UTF-8 bytes in arguments and in files.

Each answers at once (``support.py`` says how), before anything is built or measured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.command_lines import runnable_modules
from tests.support.hostile_input import (
    HUGE,
    NOT_SAVED,
    NOT_UTF8,
    assert_answers_at_once,
    hostile_files,
)

SAVED = ["kernels.json", "overhead.json", "build.json"]
SIZES = "--width and --height must be between 1 and"
# (module, arguments with {placeholders}, exit status, what stderr (or, for 0, stdout) holds)
CASES = [
    ("implementations", ["--width", HUGE], 2, SIZES),
    ("implementations", ["--height", "-1"], 2, SIZES),
    ("implementations", ["--max-iter", HUGE], 2, "--max-iter must be between 0 and"),
    ("implementations", ["--count", HUGE], 2, "--count must be between 1 and"),
    ("implementations", ["--width", "nan"], 2, "invalid int value"),
    ("implementations", ["--count", NOT_UTF8], 2, "invalid int value"),
    ("bench_kernels", ["--smoke", "--repeat", HUGE], 2, "--repeat must be between 1 and"),
    ("bench_kernels", ["--saved", "--out-dir", "{fifo_json}"], 2, "no saved results"),
    ("bench_kernels", ["--saved", "--out-dir", "{bad_json}"], 2, NOT_SAVED),
    ("bench_kernels", ["--saved", "--out-dir", "{empty_json}"], 2, NOT_SAVED),
    ("bench_kernels", ["--saved", "--out-dir", "{plain}"], 2, "no saved results"),
    ("bench_overhead", ["--smoke", "--number", HUGE], 2, "--number must be between 1 and"),
    ("bench_overhead", ["--number", "1e309"], 2, "invalid int value"),
    ("bench_overhead", ["--saved", "--out-dir", "{bad_json}"], 2, NOT_SAVED),
    ("bench_overhead", ["--saved", "--out-dir", "{loop}"], 2, "no saved results"),
    ("bench_build", ["--rounds", HUGE], 2, "--rounds must be between 1 and"),
    ("bench_build", ["--jobs", HUGE], 2, "--jobs must be between 1 and"),
    ("bench_build", ["--saved", "--out-dir", "{fifo_json}"], 2, "no saved results"),
    ("bench_build", ["--saved", "--out-dir", "{empty_json}"], 2, NOT_SAVED),
    ("build_wheel", ["--jobs", HUGE], 2, "--jobs must be between 1 and"),
    ("build_wheel", ["--jobs", "-1"], 2, "--jobs must be between 1 and"),
    ("build_wheel", ["--out-dir", "{plain}"], 2, "not a folder"),
    ("build_wheel", ["--out-dir", "{loop}"], 2, "not a folder"),
    ("build_wheel", ["--out-dir", "{fifo}"], 2, "not a folder"),
    ("wheel_tags", [f"{NOT_UTF8}-1.0-py3-none-any.whl"], 2, "not a wheel file name"),
    ("wheel_tags", [f"a-1.0-py3-none-{NOT_UTF8}.whl"], 0, "caf\\udce9.whl: cannot be installed"),
    ("wheel_tags", ["--limit", HUGE], 0, "py3-none-any"),  # every tag: as many as there are
    ("wheel_tags", ["--limit", "nan"], 2, "invalid int value"),
]


def test_every_command_line_of_the_talk_is_tried() -> None:
    talk = {
        name.split(".")[1] for name in runnable_modules() if name.startswith("binary_extensions.")
    }
    assert talk == {module for module, *_ in CASES}


@pytest.mark.parametrize(("module", "args", "status", "message"), CASES)
def test_hostile_input_is_one_line_or_a_normal_result(
    module: str, args: list[str], status: int, message: str, tmp_path: Path
) -> None:
    paths = hostile_files(tmp_path, SAVED)
    assert_answers_at_once("binary_extensions", module, args, status, message, paths)
