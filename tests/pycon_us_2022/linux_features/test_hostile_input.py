"""Every command line of the talk against hostile input: non-finite and huge numbers, special files
(a FIFO, a folder, a symlink loop), non-UTF-8 bytes in arguments and in files.

Each answers at once (``tests/support/hostile_input.py`` says how).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pycon_us_2022.linux_features.support import LINUX_ONLY
from tests.support.command_lines import runnable_modules
from tests.support.hostile_input import (
    HUGE,
    NOT_SAVED,
    NOT_UTF8,
    assert_answers_at_once,
    hostile_files,
)

pytestmark = LINUX_ONLY

SAVED = ["copy-on-write.json", "memray-peak.json"]
# (module, arguments with {placeholders}, exit status, what stderr (or, for 0, stdout) holds)
CASES = [
    ("clocks", ["--sleep", "nan"], 2, "--sleep must be more than 0"),
    ("clocks", ["--sleep", "inf"], 2, "--sleep must be more than 0"),
    ("clocks", ["--sleep", "1e309"], 2, "--sleep must be more than 0"),
    ("clocks", ["--sleep", HUGE], 2, "--sleep must be more than 0"),
    ("clocks", ["--sleep", NOT_UTF8], 2, "invalid float value"),
    ("named_pipe", ["--delay", "nan"], 2, "--delay must be between 0 and 5"),
    ("named_pipe", ["--delay", "-1"], 2, "--delay must be between 0 and 5"),
    ("named_pipe", ["--dir", "{fifo}"], 2, "not a folder"),
    ("named_pipe", ["--dir", "{loop}"], 2, "not a folder"),
    ("bench_copy_on_write", ["--objects", HUGE], 2, "--objects must be between 1000 and"),
    ("bench_copy_on_write", ["--objects", "nan"], 2, "invalid int value"),
    ("bench_copy_on_write", ["--saved", "--out-dir", "{fifo_json}"], 2, "no saved results"),
    ("bench_copy_on_write", ["--saved", "--out-dir", "{bad_json}"], 2, NOT_SAVED),
    ("bench_copy_on_write", ["--saved", "--out-dir", "{empty_json}"], 2, NOT_SAVED),
    ("bench_copy_on_write", ["--saved", "--out-dir", "{loop}"], 2, "no saved results"),
    ("memray_profile", ["--objects", HUGE], 2, "--objects must be between 1 and"),
    ("memray_profile", ["--top", "-1"], 2, "--top must be at least 1"),
    ("memray_profile", ["--saved", "--out-dir", "{fifo_json}"], 2, "no saved results"),
    ("memray_profile", ["--saved", "--out-dir", "{bad_json}"], 2, NOT_SAVED),
    ("memray_profile", ["--saved", "--out-dir", "{empty_json}"], 2, NOT_SAVED),
    ("file_compare", ["{fifo}", "{plain}"], 0, "shallow=False): False"),  # filecmp never opens it
    ("file_compare", ["{loop}", "{plain}"], 2, "Too many levels of symbolic links"),
    ("file_compare", ["{dir}", "{plain}"], 2, "not one of each"),
    ("file_compare", ["{dir}/missing", "{plain}"], 1, "no such file"),
    ("file_compare", ["{name}", "{plain}"], 0, "caf\\udce9"),  # shown escaped, never a crash
    ("file_compare", ["{latin1}", "{plain}"], 0, "shallow=False): False"),
    ("locale_numbers", ["--locale", NOT_UTF8], 0, "not installed"),
    ("locale_numbers", ["--locale", "C.UTF-8", NOT_UTF8, "1e309", "nan"], 0, "inf"),
    ("process_life_cycle", [NOT_UTF8], 2, "invalid choice"),
    ("signals", [NOT_UTF8], 2, "unknown demo"),
    ("standard_streams", [NOT_UTF8], 2, "unrecognized arguments"),
    ("unix_sockets", [NOT_UTF8], 2, "invalid choice"),
]


def test_every_command_line_of_the_talk_is_tried() -> None:
    talk = {name.split(".")[1] for name in runnable_modules() if name.startswith("linux_features.")}
    assert talk == {module for module, *_ in CASES}


@pytest.mark.parametrize(("module", "args", "status", "message"), CASES)
def test_hostile_input_is_one_line_or_a_normal_result(
    module: str, args: list[str], status: int, message: str, tmp_path: Path
) -> None:
    paths = hostile_files(tmp_path, SAVED)
    assert_answers_at_once("linux_features", module, args, status, message, paths)
