// The C++ side of the package: plain C++ that knows nothing about Python.
// Both binding files (bind_pybind11.cpp, bind_nanobind.cpp) expose exactly this API, so any
// difference between the two modules comes from the binding library, not from the kernels.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kernels {

// A trivial function: what it costs to call is almost all binding overhead.
// Throws std::overflow_error when the sum does not fit a 64-bit integer.
std::int64_t add(std::int64_t a, std::int64_t b);

// A small value type with a method that takes another instance across the boundary.
struct Vec2 {
    double x;
    double y;
    double dot(const Vec2 &other) const;
};

// Throws std::invalid_argument for an empty grid or a negative iteration limit.
void check_grid(int width, int height, int max_iter);

// Compute-bound kernel: Mandelbrot escape counts over a width x height grid, row-major into out.
// Iterates several points at once (interleaved lanes), with each point's arithmetic unchanged.
void escape_counts(double xmin, double xmax, double ymin, double ymax, int width, int height,
                   int max_iter, std::int32_t *out);

// Data-bound kernel: sum of x*x, added left to right (the order fixes the rounding).
double sum_of_squares(const double *values, std::size_t count);

}  // namespace kernels
