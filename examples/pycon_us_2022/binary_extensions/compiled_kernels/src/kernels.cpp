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

// How many points escape_counts iterates together (see below). Four ran fastest on the machine
// behind the page's benchmark: with more, a group waits longer for its slowest point, and the
// lanes' values (zr, zi, cr, ci each) outgrow the sixteen x86-64 vector registers.
constexpr int kLanes = 4;

void escape_counts(double xmin, double xmax, double ymin, double ymax, int width, int height,
                   int max_iter, std::int32_t *out) {
    check_grid(width, height, max_iter);
    const double dx = (xmax - xmin) / width;
    const double dy = (ymax - ymin) / height;
    const std::size_t total = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    // One point's iteration is a single chain: every multiplication needs the previous step's z,
    // so the CPU spends most of each step waiting for results. kLanes points (consecutive pixels,
    // row-major) are advanced together instead: their chains are independent, so the CPU overlaps
    // them. Each point still goes through exactly the operations, in exactly the order, of the
    // pure-Python loop, so every implementation returns identical counts (no -ffast-math, no
    // reassociation).
    for (std::size_t first = 0; first < total; first += kLanes) {
        double cr[kLanes], ci[kLanes], zr[kLanes], zi[kLanes];
        std::int32_t n[kLanes];
        bool active[kLanes];  // still iterating: a real pixel that has not escaped yet
        for (int lane = 0; lane < kLanes; ++lane) {
            const std::size_t pixel = first + lane;
            active[lane] = pixel < total;  // the last group may be short: its spare lanes idle
            const std::size_t p = active[lane] ? pixel : first;
            const int row = static_cast<int>(p / width);
            const int col = static_cast<int>(p % width);
            cr[lane] = xmin + col * dx;
            ci[lane] = ymin + row * dy;
            zr[lane] = zi[lane] = 0.0;
            n[lane] = 0;
        }
        for (int step = 0; step < max_iter; ++step) {
            bool any_active = false;
            for (int lane = 0; lane < kLanes; ++lane) {
                const double zr2 = zr[lane] * zr[lane];
                const double zi2 = zi[lane] * zi[lane];
                active[lane] = active[lane] && !(zr2 + zi2 > 4.0);
                // A lane that has escaped keeps its count and its z (a select, not a branch), so
                // it neither counts on nor overflows while the others finish.
                n[lane] += active[lane];
                const double next_zi = 2.0 * zr[lane] * zi[lane] + ci[lane];
                const double next_zr = zr2 - zi2 + cr[lane];
                zi[lane] = active[lane] ? next_zi : zi[lane];
                zr[lane] = active[lane] ? next_zr : zr[lane];
                any_active |= active[lane];
            }
            if (!any_active) {
                break;  // every point of the group has escaped (or is a spare lane)
            }
        }
        for (int lane = 0; lane < kLanes && first + lane < total; ++lane) {
            out[first + lane] = n[lane];
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
