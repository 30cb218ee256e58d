"""filecmp, locale, clocks and standard streams (in-process where nothing forks)."""

from __future__ import annotations

import locale
import re
from pathlib import Path

import pytest

from examples.pycon_us_2022.linux_features import (
    clocks,
    file_compare,
    locale_numbers,
    standard_streams,
)
from tests.pycon_us_2022.linux_features.support import LINUX_ONLY, output_of, run_module

pytestmark = LINUX_ONLY


def test_shallow_comparison_is_fooled_and_deep_is_not(tmp_path: Path) -> None:
    file_compare.build_trees(tmp_path)
    lines = file_compare.compare_files(tmp_path / "left/sneaky.txt", tmp_path / "right/sneaky.txt")
    assert lines[0].endswith("True  (shallow: compares os.stat)")
    assert lines[1].startswith("filecmp.cmp(..., shallow=False): False")
    report = file_compare.compare_trees(tmp_path / "left", tmp_path / "right")
    assert any("Differing files : ['colony.txt']" in line for line in report)
    assert report[-1] == f"'identical' by stat, different bytes: {tmp_path / 'left/sneaky.txt'}"


def test_file_compare_rejects_a_file_and_a_folder() -> None:
    result = run_module("file_compare", "README.md", "docs")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "file_compare: error: compare two files or two directories, not one of each"
    )


# locale, in-process: LC_NUMERIC is switched and always switched back.


def test_c_utf8_is_always_there_and_missing_locales_are_reported() -> None:
    before = locale.setlocale(locale.LC_NUMERIC)
    row = locale_numbers.under("C.UTF-8", ["1,234.5", "1234.5"])
    assert row == {
        "decimal": "'.'",
        "thousands": "''",
        "1,234.5": "ValueError",
        "1234.5": "1234.5",
        "written": "1234567.89",
    }
    assert locale_numbers.under("xx_XX.UTF-8", []) is None
    assert locale.setlocale(locale.LC_NUMERIC) == before


@pytest.mark.parametrize(
    ("name", "reads_as"), [("en_US.UTF-8", "1234.5"), ("de_DE.UTF-8", "1.2345")]
)
def test_the_same_text_is_a_different_number_elsewhere(name: str, reads_as: str) -> None:
    row = locale_numbers.under(name, ["1,234.5"])
    if row is None:
        pytest.skip(f"{name} is not installed here (Debian: apt-get install locales-all)")
    assert row["1,234.5"] == reads_as


def test_locale_table_runs_where_only_c_utf8_may_exist() -> None:
    out = output_of("locale_numbers", "--locale", "C.UTF-8", "--locale", "xx_XX.UTF-8")
    assert "LC_NUMERIC=C" in out.splitlines()[0]
    assert out.splitlines()[-1] == "xx_XX.UTF-8  not installed (locale.Error)"


# Clocks and streams.


def test_clocks_during_a_sleep() -> None:
    elapsed = clocks.elapsed_during_sleep(0.05)
    assert elapsed["monotonic"] >= 0.05
    assert elapsed["process_time"] < 0.05, "CPU time does not pass while sleeping"
    assert "not monotonic, adjustable" in clocks.describe("time")


def test_buffering_reorders_piped_output() -> None:
    assert standard_streams.arrival_order(unbuffered=False) == [
        "stderr 1", "stderr 2", "stdout 1", "stdout 2",
    ]  # fmt: skip
    assert standard_streams.arrival_order(unbuffered=True) == [
        "stdout 1", "stderr 1", "stdout 2", "stderr 2",
    ]  # fmt: skip


def test_a_line_without_a_newline_waits_in_the_buffer_of_a_terminal() -> None:
    before, after = standard_streams.on_a_terminal()
    assert before == ["Hello PyCon"], "the line-buffered file flushed at the newline only"
    assert after == ["Hello PyCon", "Hello Salt Lake City"], "closing the file flushed the rest"


def test_standard_streams_are_file_descriptors() -> None:
    out = output_of("standard_streams")
    assert re.search(r"/proc/self/fd/1 \(stdout\) -> pipe:\[\d+\]", out)
