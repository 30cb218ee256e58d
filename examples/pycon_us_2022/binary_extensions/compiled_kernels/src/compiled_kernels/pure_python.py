"""The reference implementation: the compiled modules must return exactly what this returns.

It follows the C++ in ``kernels.cpp`` operation by operation (same order of additions, same
comparisons), so results agree to the last bit. Where Python and C++ differ on purpose, the
difference is the lesson: ``add`` here never overflows, because a Python int has no size limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


def add(a: int, b: int) -> int:
    """a + b, with Python's unbounded integers."""
    return a + b


@dataclass(slots=True)
class Vec2:
    """A 2-D vector; ``dot`` takes another ``Vec2``."""

    x: float
    y: float

    def dot(self, other: Vec2) -> float:
        """The dot product with another Vec2."""
        return self.x * other.x + self.y * other.y


def check_grid(width: int, height: int, max_iter: int) -> None:
    """The same checks, and the same messages, as ``kernels::check_grid``."""
    if width < 1 or height < 1:
        message = f"escape_counts: width and height must be at least 1, got {width} x {height}"
        raise ValueError(message)
    if max_iter < 0:
        raise ValueError("escape_counts: max_iter must not be negative")


def escape_count(cr: float, ci: float, max_iter: int) -> int:
    """How many iterations of z = z**2 + c keep |z| <= 2, at most ``max_iter``."""
    zr = zi = 0.0
    n = 0
    while n < max_iter:
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            break
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
        n += 1
    return n


def escape_counts(
    xmin: float, xmax: float, ymin: float, ymax: float, width: int, height: int, max_iter: int
) -> npt.NDArray[np.int32]:
    """Mandelbrot escape counts as a (height, width) int32 array."""
    check_grid(width, height, max_iter)
    dx = (xmax - xmin) / width
    dy = (ymax - ymin) / height
    rows = [
        [escape_count(xmin + col * dx, ymin + row * dy, max_iter) for col in range(width)]
        for row in range(height)
    ]
    return np.array(rows, dtype=np.int32)


def sum_of_squares_list(values: list[float]) -> float:
    """Sum of x*x, added left to right like the C++ loop (``sum()`` rounds differently)."""
    total = 0.0
    for value in values:
        total += float(value) * float(value)
    return total


def sum_of_squares_array(values: npt.NDArray[np.float64]) -> float:
    """Sum of squares of a 1-D float64 array, with the compiled modules' checks."""
    _check_array(values)
    return sum_of_squares_list(values.tolist())


def data_address(values: npt.NDArray[np.float64]) -> int:
    """Where the array's numbers start in memory."""
    _check_array(values)
    return values.__array_interface__["data"][0]


def _check_array(values: object) -> None:
    # The compiled modules refuse anything they would have to copy; so does the reference.
    if not (
        isinstance(values, np.ndarray)
        and values.dtype == np.float64
        and values.flags.c_contiguous
        and values.ndim == 1
    ):
        raise TypeError("expected a 1-D, C-contiguous float64 NumPy array")
