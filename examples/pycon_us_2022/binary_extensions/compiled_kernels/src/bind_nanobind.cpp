// The kernels of kernels.hpp exposed with nanobind (C++17, a small compiled core library).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels.hpp"

namespace nb = nanobind;
using namespace nb::literals;

// The type carries the contract: 1-D, float64, C-contiguous, on the CPU. With noconvert below,
// nothing else is accepted, so the C++ side always reads the caller's own buffer.
using Values = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

NB_MODULE(with_nanobind, m) {
    m.doc() = "The kernels of compiled_kernels, bound with nanobind.";

    m.def("add", &kernels::add, "a"_a, "b"_a,
          "a + b for 64-bit signed integers (OverflowError when the sum does not fit).");

    nb::class_<kernels::Vec2>(m, "Vec2")
        .def(nb::init<double, double>(), "x"_a, "y"_a)
        .def_rw("x", &kernels::Vec2::x)
        .def_rw("y", &kernels::Vec2::y)
        .def("dot", &kernels::Vec2::dot, "other"_a, "The dot product with another Vec2.")
        .def("__repr__", [](const kernels::Vec2 &v) {
            return nb::str("Vec2(x={!r}, y={!r})").format(v.x, v.y);
        });

    m.def(
        "escape_counts",
        [](double xmin, double xmax, double ymin, double ymax, int width, int height,
           int max_iter) {
            kernels::check_grid(width, height, max_iter);  // before allocating the result
            const auto size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
            auto data = std::make_unique<std::int32_t[]>(size);
            {
                // Pure C++ from here on: other Python threads may run meanwhile.
                nb::gil_scoped_release no_gil;
                kernels::escape_counts(xmin, xmax, ymin, ymax, width, height, max_iter,
                                       data.get());
            }
            // From here the capsule owns the buffer: it is freed with the last NumPy view of it.
            std::int32_t *counts = data.release();
            nb::capsule owner(counts, [](void *p) noexcept {
                delete[] static_cast<std::int32_t *>(p);
            });
            return nb::ndarray<nb::numpy, std::int32_t, nb::ndim<2>>(
                counts, {static_cast<std::size_t>(height), static_cast<std::size_t>(width)}, owner);
        },
        "xmin"_a, "xmax"_a, "ymin"_a, "ymax"_a, "width"_a, "height"_a, "max_iter"_a,
        "Mandelbrot escape counts as a (height, width) int32 array.");

    // A list arrives as a copy: every item is checked and converted to a double.
    m.def(
        "sum_of_squares_list",
        [](const std::vector<double> &values) {
            return kernels::sum_of_squares(values.data(), values.size());
        },
        "values"_a, "Sum of squares of a list of numbers (converted into a C++ vector).");

    m.def(
        "sum_of_squares_array",
        [](const Values &values) { return kernels::sum_of_squares(values.data(), values.size()); },
        "values"_a.noconvert(), "Sum of squares of a 1-D float64 array, read in place.");

    m.def(
        "data_address",
        [](const Values &values) { return reinterpret_cast<std::uintptr_t>(values.data()); },
        "values"_a.noconvert(), "Where the C++ side reads the array's numbers from.");
}
