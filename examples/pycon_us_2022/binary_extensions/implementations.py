"""Every route to a fast kernel, side by side, and a check that they all return the same answer.

The talk's advice was to keep the driver code in Python, try Numba first, and pre-compile when
that is not enough. This module lines up each route for the page's two kernels: the pure-Python
reference, NumPy (vectorised), Numba (``@njit``), and the C++ kernels bound with pybind11 and with
nanobind (the ``compiled_kernels`` package). Run it to see which ones agree bit for bit.

```python
from examples.pycon_us_2022.binary_extensions.implementations import compare

rows = compare(width=24, height=16, max_iter=50, count=1000)
assert all(row.difference == 0.0 for row in rows if row.kernel == "escape_counts")
```
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from compiled_kernels import pure_python, with_nanobind, with_pybind11
from numba import njit

from example_support.command_line import UsageError, run

# The region of the complex plane every escape_counts call looks at: the whole Mandelbrot set.
REGION = (-2.0, 0.5, -1.25, 1.25)
# The largest problem the command line accepts: pure Python takes minutes at these sizes, and the
# C++ kernels take C ints, so a huge number is refused up front instead of hanging or overflowing.
MAX_SIDE, MAX_ITER, MAX_COUNT = 2_000, 100_000, 10_000_000


def numpy_escape_counts(
    xmin: float, xmax: float, ymin: float, ymax: float, width: int, height: int, max_iter: int
) -> npt.NDArray[np.int32]:
    """Vectorised: each step updates every point still inside, as whole arrays."""
    pure_python.check_grid(width, height, max_iter)
    dx, dy = (xmax - xmin) / width, (ymax - ymin) / height
    c_r = np.tile(xmin + np.arange(width) * dx, height)
    c_i = np.repeat(ymin + np.arange(height) * dy, width)
    index = np.arange(width * height)
    z_r, z_i = np.zeros_like(c_r), np.zeros_like(c_i)
    counts = np.zeros(width * height, dtype=np.int32)
    for n in range(max_iter):
        z_r2, z_i2 = z_r * z_r, z_i * z_i
        inside = z_r2 + z_i2 <= 4.0
        # Escaped points are dropped instead of iterated on, so nothing overflows to inf.
        index, z_r, z_i, z_r2, z_i2 = (a[inside] for a in (index, z_r, z_i, z_r2, z_i2))
        c_r, c_i = c_r[inside], c_i[inside]
        if index.size == 0:
            break
        counts[index] = n + 1
        z_i = 2.0 * z_r * z_i + c_i
        z_r = z_r2 - z_i2 + c_r
    return counts.reshape(height, width)


def numba_escape_counts(
    xmin: float, xmax: float, ymin: float, ymax: float, width: int, height: int, max_iter: int
) -> npt.NDArray[np.int32]:
    """The pure-Python loop, compiled by Numba the first time it is called."""
    pure_python.check_grid(width, height, max_iter)  # the same errors as every other route
    return _numba_escape_counts(xmin, xmax, ymin, ymax, width, height, max_iter)


@njit
def _numba_escape_counts(
    xmin: float, xmax: float, ymin: float, ymax: float, width: int, height: int, max_iter: int
) -> npt.NDArray[np.int32]:
    dx, dy = (xmax - xmin) / width, (ymax - ymin) / height
    out = np.empty((height, width), dtype=np.int32)
    for row in range(height):
        c_i = ymin + row * dy
        for col in range(width):
            c_r = xmin + col * dx
            z_r = z_i = 0.0
            n = 0
            while n < max_iter:
                z_r2, z_i2 = z_r * z_r, z_i * z_i
                if z_r2 + z_i2 > 4.0:
                    break
                z_i = 2.0 * z_r * z_i + c_i
                z_r = z_r2 - z_i2 + c_r
                n += 1
            out[row, col] = n
    return out


def numpy_sum_of_squares(values: npt.NDArray[np.float64]) -> float:
    """One call into NumPy's dot product (BLAS): fastest, but it adds in its own order."""
    return float(np.dot(values, values))


@njit
def numba_sum_of_squares(values: npt.NDArray[np.float64]) -> float:
    """A left-to-right loop, compiled by Numba: the same order of additions as the C++."""
    total = 0.0
    for value in values:
        total += value * value
    return total


# kernel -> implementation -> (function, what it is fed: "list" or "array")
Kernel = dict[str, tuple[Callable, str]]
KERNELS: dict[str, Kernel] = {
    "escape_counts": {
        "pure Python": (pure_python.escape_counts, "grid"),
        "NumPy": (numpy_escape_counts, "grid"),
        "Numba": (numba_escape_counts, "grid"),
        "pybind11": (with_pybind11.escape_counts, "grid"),
        "nanobind": (with_nanobind.escape_counts, "grid"),
    },
    "sum_of_squares": {
        "pure Python (list)": (pure_python.sum_of_squares_list, "list"),
        "pybind11 (list)": (with_pybind11.sum_of_squares_list, "list"),
        "nanobind (list)": (with_nanobind.sum_of_squares_list, "list"),
        "NumPy (array)": (numpy_sum_of_squares, "array"),
        "Numba (array)": (numba_sum_of_squares, "array"),
        "pybind11 (array)": (with_pybind11.sum_of_squares_array, "array"),
        "nanobind (array)": (with_nanobind.sum_of_squares_array, "array"),
    },
}
REFERENCE = {"escape_counts": "pure Python", "sum_of_squares": "pure Python (list)"}


def sample_values(count: int) -> list[float]:
    """Reproducible inputs for sum_of_squares: floats in [0, 1)."""
    return np.random.default_rng(2022).random(count).tolist()


@dataclass(frozen=True)
class Row:
    kernel: str
    implementation: str
    difference: float  # 0.0 means bit-identical to the reference


def compare(width: int, height: int, max_iter: int, count: int) -> list[Row]:
    """Run every implementation once; report how far each is from the pure-Python reference."""
    values = sample_values(count)
    inputs = {"grid": (*REGION, width, height, max_iter), "list": (values,)}
    inputs["array"] = (np.array(values),)
    rows = []
    for kernel, implementations in KERNELS.items():
        reference = None
        for name, (function, kind) in implementations.items():
            result = function(*inputs[kind])
            if name == REFERENCE[kernel]:
                reference = result
            rows.append(Row(kernel, name, _difference(result, reference)))
    return rows


def _difference(result: object, reference: object) -> float:
    if isinstance(result, np.ndarray):
        return float(np.abs(result.astype(np.int64) - np.asarray(reference)).max())
    return abs(result - reference) / abs(reference) if reference else abs(result)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="implementations",
        description="Run each implementation of each kernel once and compare it with pure Python.",
    )
    parser.add_argument("--width", type=int, default=120, help="grid width (default: 120)")
    parser.add_argument("--height", type=int, default=80, help="grid height (default: 80)")
    parser.add_argument("--max-iter", type=int, default=100, help="iteration limit (default: 100)")
    parser.add_argument("--count", type=int, default=100_000, help="values to square (100000)")
    args = parser.parse_args()
    if not (1 <= args.width <= MAX_SIDE and 1 <= args.height <= MAX_SIDE):
        raise UsageError(f"--width and --height must be between 1 and {MAX_SIDE:,}")
    if not 0 <= args.max_iter <= MAX_ITER:
        raise UsageError(f"--max-iter must be between 0 and {MAX_ITER:,}")
    if not 1 <= args.count <= MAX_COUNT:
        raise UsageError(f"--count must be between 1 and {MAX_COUNT:,}")
    print(f"{'kernel':<16}{'implementation':<22}result")
    for row in compare(args.width, args.height, args.max_iter, args.count):
        if row.implementation == REFERENCE[row.kernel]:
            verdict = "(the reference)"
        elif row.difference == 0.0:
            verdict = "identical to pure Python"
        elif row.kernel == "escape_counts":
            verdict = f"counts differ by up to {row.difference:.0f}"
        else:
            verdict = f"relative difference {row.difference:.1e}"
        print(f"{row.kernel:<16}{row.implementation:<22}{verdict}")
    return 0


if __name__ == "__main__":
    run(main, prog="implementations")
