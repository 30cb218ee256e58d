"""The compiled package: both bindings agree with pure Python, errors cross over, edges are known.

Every test runs against the modules ``uv sync`` compiled from source and installed.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path
from types import ModuleType

import compiled_kernels
import numpy as np
import pytest
from compiled_kernels import IMPLEMENTATIONS, pure_python, with_nanobind, with_pybind11

COMPILED = {"pybind11": with_pybind11, "nanobind": with_nanobind}
INT64_MAX = 2**63 - 1
REGION = (-2.0, 0.5, -1.25, 1.25)


@pytest.fixture(params=list(COMPILED), ids=str)
def module(request: pytest.FixtureRequest) -> ModuleType:
    return COMPILED[request.param]


def test_installed_as_compiled_modules_next_to_the_package() -> None:
    folder = Path(compiled_kernels.__file__).parent
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for mod in COMPILED.values():
        assert Path(mod.__file__).parent == folder
        assert mod.__file__.endswith(suffix), "a version-specific build, not the stable ABI"
    assert "site-packages" in folder.parts, "installed by uv sync, not imported from src/"


def test_add_matches_python_inside_the_int64_range(module: ModuleType) -> None:
    for a, b in [(1, 2), (-7, 3), (INT64_MAX, 0), (-(2**63), 0), (2**40, -(2**41))]:
        assert module.add(a, b) == pure_python.add(a, b)


def test_vec2_is_a_value_type_with_a_method(module: ModuleType) -> None:
    a, b = module.Vec2(1.5, -2.0), module.Vec2(0.25, 4.0)
    reference = pure_python.Vec2(1.5, -2.0).dot(pure_python.Vec2(0.25, 4.0))
    assert a.dot(b) == reference == -7.625
    a.x = 3.0  # fields are read-write attributes, converted to double on the way in
    assert (a.x, a.y) == (3.0, -2.0)
    assert repr(module.Vec2(0.1, 2)) == repr(pure_python.Vec2(0.1, 2.0)) == "Vec2(x=0.1, y=2.0)"


def test_dot_accepts_only_its_own_modules_vec2(module: ModuleType) -> None:
    other = with_nanobind if module is with_pybind11 else with_pybind11
    with pytest.raises(TypeError):
        module.Vec2(1.0, 2.0).dot(other.Vec2(1.0, 2.0))
    with pytest.raises(TypeError):
        module.Vec2(1.0, 2.0).dot(pure_python.Vec2(1.0, 2.0))


@pytest.mark.parametrize(("width", "height", "max_iter"), [(1, 1, 0), (7, 5, 20), (64, 48, 200)])
def test_escape_counts_are_identical(
    module: ModuleType, width: int, height: int, max_iter: int
) -> None:
    counts = module.escape_counts(*REGION, width, height, max_iter)
    expected = pure_python.escape_counts(*REGION, width, height, max_iter)
    assert counts.dtype == np.int32
    assert counts.shape == (height, width)
    assert np.array_equal(counts, expected)
    assert counts.max() == max_iter or max_iter == 0, "the grid reaches into the set"


# The C++ kernel advances several pixels at once (interleaved lanes, in row-major order). These
# grids have pixel counts that are not a multiple of 2, 4 or 8, so the last group is always short.
@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 1), (1, 5), (7, 3), (13, 11), (5, 9)])
def test_escape_counts_on_grids_that_do_not_fill_the_lanes(
    module: ModuleType, width: int, height: int
) -> None:
    assert (width * height) % 2 == 1
    region = (-0.76, -0.72, 0.08, 0.14)  # on the boundary ("seahorse valley"): counts of all sizes
    counts = module.escape_counts(*region, width, height, 400)
    assert np.array_equal(counts, pure_python.escape_counts(*region, width, height, 400))


def test_escape_counts_when_neighbours_escape_at_very_different_iterations(
    module: ModuleType,
) -> None:
    # One row across the real axis: c = -2.5 escapes after 1 iteration, c = -2.0 never does (z
    # stays at 2), c = 0.5 escapes after a few; neighbours share a group of lanes.
    counts = module.escape_counts(-2.5, 1.0, 0.0, 1.0, 7, 1, 1000)
    expected = pure_python.escape_counts(-2.5, 1.0, 0.0, 1.0, 7, 1, 1000)
    assert np.array_equal(counts, expected)
    assert counts[0, :2].tolist() == [1, 1000], "the first and the last point to stop, side by side"
    assert 1 < counts[0, -1] < 10
    # A taller grid: rows far outside the set (few iterations) next to rows through it (1000).
    tall = (-2.5, 1.0, -1.5, 1.5, 9, 7, 1000)
    counts = module.escape_counts(*tall)
    assert np.array_equal(counts, pure_python.escape_counts(*tall))
    assert counts.min() == 1
    assert counts.max() == 1000


def test_returned_array_outlives_everything_but_itself(module: ModuleType) -> None:
    counts = module.escape_counts(*REGION, 16, 8, 30)
    view = counts[2:4]
    del counts  # the buffer is owned by the array object (pybind11) or a capsule (nanobind)
    assert view.sum() == pure_python.escape_counts(*REGION, 16, 8, 30)[2:4].sum()
    view[0, 0] = -1  # writable: it is the caller's array now
    assert view[0, 0] == -1


def test_sum_of_squares_is_bit_identical_from_lists_and_arrays(module: ModuleType) -> None:
    values = np.random.default_rng(7).standard_normal(10_001).tolist()
    reference = pure_python.sum_of_squares_list(values)
    assert module.sum_of_squares_list(values) == reference
    assert module.sum_of_squares_array(np.array(values)) == reference
    assert module.sum_of_squares_list([]) == 0.0
    assert module.sum_of_squares_list([1, 2, 3]) == 14.0, "ints are converted to double"


def test_numpy_adds_in_another_order_and_rounds_differently() -> None:
    values = np.random.default_rng(7).standard_normal(10_001)
    reference = pure_python.sum_of_squares_array(values)
    assert float(np.dot(values, values)) == pytest.approx(reference, rel=1e-12)


def test_arrays_are_read_in_place(module: ModuleType) -> None:
    values = np.arange(100.0)
    assert module.data_address(values) == values.ctypes.data
    tail = values[10:]  # a view: same buffer, 10 doubles further on
    assert module.data_address(tail) == values.ctypes.data + 10 * values.itemsize
    assert module.data_address(values) == pure_python.data_address(values)


@pytest.mark.parametrize(
    "bad",
    [
        np.arange(10),  # int64: would need a converted copy
        np.arange(10.0, dtype=np.float32),
        np.arange(20.0)[::2],  # not contiguous
        [1.0, 2.0],  # a list is not an array
    ],
    ids=["int64", "float32", "strided", "list"],
)
@pytest.mark.parametrize("name", ["pure Python", *COMPILED])
def test_arrays_that_would_need_a_copy_are_refused(name: str, bad: object) -> None:
    with pytest.raises(TypeError):
        IMPLEMENTATIONS[name].sum_of_squares_array(bad)


# C++ exceptions arrive as Python exceptions, with the C++ message.


def test_cpp_overflow_error_becomes_overflow_error(module: ModuleType) -> None:
    with pytest.raises(OverflowError, match="does not fit a 64-bit signed integer"):
        module.add(2**62, 2**62)
    with pytest.raises(OverflowError):
        module.add(-(2**63), -1)
    assert pure_python.add(2**62, 2**62) == 2**63, "Python ints just grow"


def test_ints_beyond_int64_are_refused_before_any_cpp_runs(module: ModuleType) -> None:
    # The argument cannot be converted, so no overload matches: TypeError, not OverflowError.
    with pytest.raises(TypeError, match="incompatible function arguments"):
        module.add(2**63, 0)
    with pytest.raises(TypeError):
        module.add(1.5, 2)  # no silent truncation of floats either


@pytest.mark.parametrize(("width", "height", "max_iter"), [(0, 5, 10), (5, -1, 10), (5, 5, -1)])
@pytest.mark.parametrize("name", ["pure Python", *COMPILED])
def test_invalid_argument_becomes_value_error(
    name: str, width: int, height: int, max_iter: int
) -> None:
    with pytest.raises(ValueError, match=r"^escape_counts: ") as raised:
        IMPLEMENTATIONS[name].escape_counts(*REGION, width, height, max_iter)
    with pytest.raises(ValueError, match=r"^escape_counts: ") as reference:
        pure_python.escape_counts(*REGION, width, height, max_iter)
    assert str(raised.value) == str(reference.value)


def test_the_package_checks_itself(capsys: pytest.CaptureFixture[str]) -> None:
    from compiled_kernels.__main__ import main

    assert main() == 0
    assert capsys.readouterr().out == "pure Python, pybind11, nanobind: identical results\n"
