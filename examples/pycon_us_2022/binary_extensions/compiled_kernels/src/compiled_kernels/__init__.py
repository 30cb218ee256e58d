"""One small API, three implementations: pure Python, and C++ bound with pybind11 or nanobind.

Every implementation module offers the same names: ``add`` (a trivial function), ``Vec2`` (a small
value type whose ``dot`` method takes another ``Vec2``), ``escape_counts`` (a compute-bound
Mandelbrot kernel), ``sum_of_squares_list`` and ``sum_of_squares_array`` (a data-bound kernel fed
from a list or from a NumPy array) and ``data_address`` (where an array's numbers are read from).
"""

from __future__ import annotations

from types import ModuleType

from compiled_kernels import pure_python, with_nanobind, with_pybind11

__all__ = ["IMPLEMENTATIONS", "pure_python", "with_nanobind", "with_pybind11"]

IMPLEMENTATIONS: dict[str, ModuleType] = {
    "pure Python": pure_python,
    "pybind11": with_pybind11,
    "nanobind": with_nanobind,
}
