// The kernels of kernels.hpp exposed with pybind11 (header-only, C++11 and later).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <vector>

#include "kernels.hpp"

namespace py = pybind11;

PYBIND11_MODULE(with_pybind11, m) {
    m.doc() = "The kernels of compiled_kernels, bound with pybind11.";

    m.def("add", &kernels::add, py::arg("a"), py::arg("b"),
          "a + b for 64-bit signed integers (OverflowError when the sum does not fit).");

    py::class_<kernels::Vec2>(m, "Vec2")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"))
        .def_readwrite("x", &kernels::Vec2::x)
        .def_readwrite("y", &kernels::Vec2::y)
        .def("dot", &kernels::Vec2::dot, py::arg("other"), "The dot product with another Vec2.")
        .def("__repr__", [](const kernels::Vec2 &v) {
            return py::str("Vec2(x={!r}, y={!r})").format(v.x, v.y);
        });

    m.def(
        "escape_counts",
        [](double xmin, double xmax, double ymin, double ymax, int width, int height,
           int max_iter) {
            kernels::check_grid(width, height, max_iter);  // before allocating the result
            py::array_t<std::int32_t> counts({height, width});
            std::int32_t *out = counts.mutable_data();
            {
                // Pure C++ from here on: other Python threads may run meanwhile.
                py::gil_scoped_release no_gil;
                kernels::escape_counts(xmin, xmax, ymin, ymax, width, height, max_iter, out);
            }
            return counts;
        },
        py::arg("xmin"), py::arg("xmax"), py::arg("ymin"), py::arg("ymax"), py::arg("width"),
        py::arg("height"), py::arg("max_iter"),
        "Mandelbrot escape counts as a (height, width) int32 array.");

    // A list arrives as a copy: every item is checked and converted to a double.
    m.def(
        "sum_of_squares_list",
        [](const std::vector<double> &values) {
            return kernels::sum_of_squares(values.data(), values.size());
        },
        py::arg("values"), "Sum of squares of a list of numbers (converted into a C++ vector).");

    // noconvert: a float64 C-contiguous array is used in place; anything else is a TypeError
    // instead of a silent copy.
    using Values = py::array_t<double, py::array::c_style>;
    m.def(
        "sum_of_squares_array",
        [](const Values &values) {
            if (values.ndim() != 1) {
                throw py::value_error("sum_of_squares_array: expected a 1-D array");
            }
            return kernels::sum_of_squares(values.data(), static_cast<std::size_t>(values.size()));
        },
        py::arg("values").noconvert(), "Sum of squares of a 1-D float64 array, read in place.");

    m.def(
        "data_address",
        [](const Values &values) { return reinterpret_cast<std::uintptr_t>(values.data()); },
        py::arg("values").noconvert(), "Where the C++ side reads the array's numbers from.");
}
