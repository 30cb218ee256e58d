"""Properties of the talk's parsers of outside input: locale numbers and names, file comparison,
and the kernel's smaps_rollup figures. Each never crashes, and agrees with the standard library
(or round-trips) on whatever Hypothesis makes up.
"""

from __future__ import annotations

import locale
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examples.pycon_us_2022.linux_features import bench_copy_on_write, file_compare, locale_numbers
from tests.pycon_us_2022.linux_features.support import LINUX_ONLY

pytestmark = LINUX_ONLY

# Text as argv hands it over: any code point, surrogates for bytes that are not UTF-8 included.
ARGV_TEXT = st.text(st.characters(codec=None), max_size=20)
# smaps_rollup fields that are not wanted, some sharing a prefix with a wanted one.
NEAR_MISSES = ["Pss_Anon", "Rss_Shmem", "Swap", "Private_Hugetlb"]
NUMBER_LIKE = st.text(st.sampled_from("0123456789.,-+ eEinfa\u00a0\u202f'_"), max_size=12)


@given(text=st.one_of(NUMBER_LIKE, ARGV_TEXT))
def test_parse_agrees_with_locale_atof(text: str) -> None:
    try:
        expected = repr(locale.atof(text))
    except ValueError:
        expected = "ValueError"
    assert locale_numbers.parse(text) == expected


@given(name=ARGV_TEXT)
def test_any_locale_name_is_a_row_or_not_installed_and_leaves_lc_numeric_alone(name: str) -> None:
    """A name that is no locale (non-UTF-8 bytes, a NUL, garbage) reads as "not installed"."""
    before = locale.setlocale(locale.LC_NUMERIC)
    row = locale_numbers.under(name, ["1,234.5"])
    assert row is None or set(row) == {"decimal", "thousands", "1,234.5", "written"}
    assert locale.setlocale(locale.LC_NUMERIC) == before


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.binary(max_size=64), second=st.binary(max_size=64))
def test_compare_files_agrees_with_the_bytes(first: bytes, second: bytes, tmp_path: Path) -> None:
    """Same mtime for both: shallow says equal when the sizes are, deep when the bytes are."""
    paths = [tmp_path / "left", tmp_path / "right"]
    for path, content in zip(paths, (first, second), strict=True):
        path.write_bytes(content)
        os.utime(path, (file_compare.MTIME, file_compare.MTIME))
    shallow, deep, *note = file_compare.compare_files(*paths)
    assert shallow.split(": ", 1)[1].startswith(str(len(first) == len(second)))
    assert deep.split(": ", 1)[1].startswith(str(first == second))
    assert bool(note) == (len(first) == len(second) and first != second)


@given(
    figures=st.fixed_dictionaries(
        {field: st.integers(0, 2**40) for field in bench_copy_on_write.FIELDS}
    ),
    others=st.lists(st.tuples(st.sampled_from(NEAR_MISSES), st.integers(0, 2**40)), max_size=4),
    spaces=st.integers(1, 12),
)
def test_parse_rollup_reads_back_what_the_kernel_writes(
    figures: dict[str, int], others: list[tuple[str, int]], spaces: int
) -> None:
    """Fields that only share a prefix with a wanted one (Pss_Anon, Rss_Shmem) are not it."""
    lines = ["55d5c8a0e000-7ffc1a3f1000 ---p 00000000 00:00 0    [rollup]"]
    lines += [f"{key}:{' ' * spaces}{value} kB" for key, value in [*others, *figures.items()]]
    assert bench_copy_on_write.parse_rollup("\n".join(lines)) == figures
