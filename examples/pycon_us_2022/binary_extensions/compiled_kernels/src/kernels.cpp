// Compiled once, with full optimisation, into a static library both modules link: the kernels
// run the same machine code whichever binding library calls them.
#include "kernels.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kernels {

std::int64_t add(std::int64_t a, std::int64_t b) {
    std::int64_t result;
    // Signed overflow is undefined behaviour in C++: check instead of wrapping silently.
    if (__builtin_add_overflow(a, b, &result)) {
        throw std::overflow_error("add: the sum does not fit a 64-bit signed integer");
    }
    return result;
}

double Vec2::dot(const Vec2 &other) const { return x * other.x + y * other.y; }

void check_grid(int width, int height, int max_iter) {
    if (width < 1 || height < 1) {
        throw std::invalid_argument("escape_counts: width and height must be at least 1, got " +
                                    std::to_string(width) + " x " + std::to_string(height));
    }
    if (max_iter < 0) {
        throw std::invalid_argument("escape_counts: max_iter must not be negative");
    }
}

static std::int32_t escape_count(double cr, double ci, int max_iter) {
    double zr = 0.0, zi = 0.0;
    int n = 0;
    // The same operations in the same order as the Python, NumPy and Numba versions, so every
    // implementation returns identical counts (no -ffast-math, no reassociation).
    for (; n < max_iter; ++n) {
        const double zr2 = zr * zr;
        const double zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) {
            break;
        }
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
    }
    return n;
}

void escape_counts(double xmin, double xmax, double ymin, double ymax, int width, int height,
                   int max_iter, std::int32_t *out) {
    check_grid(width, height, max_iter);
    const double dx = (xmax - xmin) / width;
    const double dy = (ymax - ymin) / height;
    for (int row = 0; row < height; ++row) {
        const double ci = ymin + row * dy;
        for (int col = 0; col < width; ++col) {
            out[static_cast<std::size_t>(row) * width + col] =
                escape_count(xmin + col * dx, ci, max_iter);
        }
    }
}

double sum_of_squares(const double *values, std::size_t count) {
    double total = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        total += values[i] * values[i];
    }
    return total;
}

}  // namespace kernels
