"""How much faster is compiled code? Both kernels, timed for every route of ``implementations``.

The compute-bound kernel (Mandelbrot escape counts) and the data-bound one (a sum of squares, fed
from a list or from a NumPy array) run in pure Python, NumPy, Numba and C++ (pybind11, nanobind).
Results go to ``docs/pycon-us-2022/assets/binary-extensions/kernels.{json,svg}``; ``--smoke`` runs
a tiny problem once, checks the results and saves nothing unless ``--out-dir`` is given.
"""

from __future__ import annotations

import os

# One BLAS thread, set before NumPy loads it: every route then runs on one core, like for like
# (a multi-threaded dot product also suffers most when other programs share the CPU).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time
import timeit
from pathlib import Path

import numpy as np
from tqdm import tqdm

from example_support.benchmark_results import ASSETS, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from example_support.environment_stamp import environment_stamp, stamp_line
from examples.pycon_us_2022.binary_extensions.implementations import (
    KERNELS,
    REFERENCE,
    REGION,
    compare,
    sample_values,
)

TALK = "binary-extensions"
PACKAGES = ["numpy", "numba", "pybind11", "nanobind", "scikit-build-core"]
FULL = {"width": 320, "height": 240, "max_iter": 255, "count": 1_000_000, "repeat": 7}
SMOKE = {"width": 32, "height": 24, "max_iter": 30, "count": 1_000, "repeat": 1}
MAX_REPEAT = 1_000  # timing rounds; a full round takes seconds


def measure(size: dict) -> dict:
    """Seconds per call (best of ``repeat`` rounds) for every kernel and implementation.

    The clock is this process's CPU time, not the wall clock: on a shared machine, the time spent
    waiting while other programs run is not counted. Rounds go round-robin over all routes, so
    what load still leaks in (caches, clock speed) hits every route alike; the best is kept.
    """
    values = sample_values(size["count"])
    inputs = {
        "grid": (*REGION, size["width"], size["height"], size["max_iter"]),
        "list": (values,),
        "array": (np.array(values),),
    }
    jobs = [(k, name, f, kind) for k, impls in KERNELS.items() for name, (f, kind) in impls.items()]
    for _, _, function, kind in jobs:
        function(*inputs[kind])  # warm up: Numba compiles here, caches fill
    seconds: dict[str, dict[str, float]] = {kernel: {} for kernel in KERNELS}
    for _ in tqdm(range(size["repeat"]), desc="rounds", unit="round", disable=None):
        for kernel, name, function, kind in jobs:
            args = inputs[kind]
            timer = timeit.Timer(lambda f=function, a=args: f(*a), timer=time.process_time)
            elapsed = timer.timeit(number=1)
            seconds[kernel][name] = min(elapsed, seconds[kernel].get(name, float("inf")))
    return seconds


def summarise(seconds: dict) -> dict:
    """Speed-ups against pure Python, and the compiled kernels against Numba."""
    summary = {}
    for kernel, times in seconds.items():
        reference = times[REFERENCE[kernel]]
        numba = next(t for name, t in times.items() if name.startswith("Numba"))
        summary[kernel] = {
            name: {"seconds": t, "speedup_vs_python": reference / t, "vs_numba": t / numba}
            for name, t in times.items()
        }
    return summary


def report(summary: dict) -> str:
    """The table both runs print: measured now, or rebuilt from the saved JSON (``--saved``).

    Rows follow the fixed order of ``KERNELS``, not the JSON's sorted keys, so both match.
    """
    lines = [f"{'kernel':<16}{'implementation':<22}{'ms':>10}{'vs Python':>11}{'vs Numba':>10}"]
    for kernel, names in KERNELS.items():
        rows = summary[kernel]
        for name in (name for name in names if name in rows):
            row = rows[name]
            lines.append(
                f"{kernel:<16}{name:<22}{row['seconds'] * 1e3:>10.3f}"
                f"{row['speedup_vs_python']:>10.1f}x{row['vs_numba']:>9.2f}x"
            )
    return "\n".join(lines)


def plot(summary: dict, stamp: str) -> object:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(summary), figsize=(11, 3.8), layout="constrained")
    titles = {
        "escape_counts": "compute-bound: Mandelbrot escape counts",
        "sum_of_squares": "data-bound: sum of squares",
    }
    from matplotlib.ticker import NullFormatter

    for ax, kernel in zip(axes, KERNELS, strict=True):
        rows = summary[kernel]
        names = [name for name in KERNELS[kernel] if name in rows]  # the fixed order, top down
        millis = [rows[name]["seconds"] * 1e3 for name in names]
        ys = range(len(names))
        ax.barh(ys, millis, color=[_colour(name) for name in names])
        ax.set_yticks(ys, names)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels collide on a log axis
        ax.set_xlim(right=max(millis) * 6)  # room for the labels
        ax.set_xlabel("milliseconds per call (log scale, lower is faster)")
        ax.set_title(titles[kernel], fontsize=10)
        for y, (name, ms) in enumerate(zip(names, millis, strict=True)):
            ax.text(ms, y, f"  {rows[name]['speedup_vs_python']:.0f}x", va="center", fontsize=8)
    figure.suptitle("Speed-up against pure Python (labels); " + stamp, fontsize=7)
    return figure


def _colour(name: str) -> str:
    for prefix, colour in [
        ("pure", "#9e9e9e"),
        ("NumPy", "#4c72b0"),
        ("Numba", "#55a868"),
        ("pybind11", "#c44e52"),
        ("nanobind", "#dd8452"),
    ]:
        if name.startswith(prefix):
            return colour
    return "#000000"


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_kernels",
        description="Time both kernels in pure Python, NumPy, Numba, pybind11 and nanobind.",
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks results")
    parser.add_argument("--out-dir", type=Path, help="where to write kernels.json and .svg")
    parser.add_argument("--repeat", type=int, help="timing rounds (default: 7)")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved run's table; measure nothing"
    )
    args = parser.parse_args()
    if args.saved:
        print(show_saved((args.out_dir or ASSETS / TALK) / "kernels.json", report, "kernels"))
        return 0
    size = dict(SMOKE if args.smoke else FULL)
    if args.repeat is not None:
        if not 1 <= args.repeat <= MAX_REPEAT:
            raise UsageError(f"--repeat must be between 1 and {MAX_REPEAT:,}")
        size["repeat"] = args.repeat
    # Timing wrong answers would be pointless: every route must agree with pure Python first.
    wrong = [
        f"{row.kernel}/{row.implementation}"
        for row in compare(size["width"], size["height"], size["max_iter"], size["count"])
        if row.difference > (0 if row.kernel == "escape_counts" else 1e-12)
    ]
    if wrong:
        raise UsageError(f"results differ from pure Python: {', '.join(wrong)}")
    summary = summarise(measure(size))
    print(report(summary))
    if args.smoke and args.out_dir is None:
        print("smoke run: results not saved")
        return 0
    results = {"size": size, "kernels": summary}
    path = save_results(TALK, "kernels", results, PACKAGES, args.out_dir)
    save_svg(plot(summary, stamp_line(environment_stamp([]))), TALK, "kernels", args.out_dir)
    print(f"saved {path.name} and kernels.svg", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_kernels")
