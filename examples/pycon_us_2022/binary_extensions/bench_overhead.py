"""What does crossing the Python/C++ boundary cost? Call and object overhead per implementation.

Three operations that do almost no work, so the binding layer is nearly all that is timed:
``add(1, 2)`` (a trivial function: argument and result conversion, dispatch), ``Vec2(1.0, 2.0)``
(creating a bound object) and ``a.dot(b)`` (a method that receives another bound object). Pure
Python is the baseline. Results go to ``docs/pycon-us-2022/assets/binary-extensions/overhead.*``;
``--smoke`` times a few thousand calls and saves nothing unless ``--out-dir`` is given.
"""

from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path

from compiled_kernels import IMPLEMENTATIONS
from tqdm import tqdm

from example_support.benchmark_results import ASSETS, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from example_support.environment_stamp import environment_stamp, stamp_line

TALK = "binary-extensions"
PACKAGES = ["pybind11", "nanobind", "scikit-build-core"]
OPERATIONS = {
    "call: add(1, 2)": ("add(1, 2)", "add = module.add"),
    "object: Vec2(1.0, 2.0)": ("Vec2(1.0, 2.0)", "Vec2 = module.Vec2"),
    "method: a.dot(b)": ("dot(b)", "b = module.Vec2(3.0, 4.0); dot = module.Vec2(1.0, 2.0).dot"),
}
FULL = {"number": 200_000, "repeat": 7}
SMOKE = {"number": 2_000, "repeat": 1}
MAX_NUMBER = 100_000_000  # calls per timing: about ten seconds at 100 ns a call


def measure(number: int, repeat: int) -> dict[str, dict[str, float]]:
    """Nanoseconds per operation: the best of ``repeat`` round-robin rounds of ``number`` calls.

    Timed in CPU time of this process, so other programs sharing the machine are not counted.
    """
    timers = {}
    for operation, (statement, setup) in OPERATIONS.items():
        for implementation, module in IMPLEMENTATIONS.items():
            # Names are looked up once in setup, so the loop times the call, not attribute access.
            timers[operation, implementation] = timeit.Timer(
                statement, setup, timer=time.process_time, globals={"module": module}
            )
    best: dict[tuple[str, str], float] = {}
    for _ in tqdm(range(repeat), desc="rounds", unit="round", disable=None):
        for key, timer in timers.items():
            best[key] = min(timer.timeit(number), best.get(key, float("inf")))
    results: dict[str, dict[str, float]] = {op: {} for op in OPERATIONS}
    for (operation, implementation), seconds in best.items():
        results[operation][implementation] = seconds / number * 1e9
    return results


def report(results: dict[str, dict[str, float]]) -> str:
    """The table both runs print: measured now, or rebuilt from the saved JSON (``--saved``).

    Rows and columns follow ``OPERATIONS`` and ``IMPLEMENTATIONS``, not the JSON's sorted keys.
    """
    names = list(IMPLEMENTATIONS)
    lines = [f"{'ns per operation':<26}" + "".join(f"{name:>13}" for name in names)]
    for operation in (op for op in OPERATIONS if op in results):
        row = results[operation]
        lines.append(f"{operation:<26}" + "".join(f"{row[name]:>13.1f}" for name in names))
    return "\n".join(lines)


def plot(results: dict[str, dict[str, float]], stamp: str) -> object:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"pure Python": "#9e9e9e", "pybind11": "#c44e52", "nanobind": "#dd8452"}
    figure, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    operations = [op for op in OPERATIONS if op in results]  # the fixed order, top down
    height = 0.8 / len(colours)
    for index, (implementation, colour) in enumerate(colours.items()):
        ys = [row + index * height for row in range(len(operations))]
        values = [results[op][implementation] for op in operations]
        ax.barh(ys, values, height=height, color=colour, label=implementation)
        for y, value in zip(ys, values, strict=True):
            ax.text(value, y, f" {value:.0f}", va="center", fontsize=8)
    ax.set_yticks([row + height for row in range(len(operations))], operations)
    ax.invert_yaxis()
    ax.margins(x=0.12)
    ax.set_xlabel("nanoseconds per operation (lower is better)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title("Crossing the boundary: " + stamp, fontsize=7)
    return figure


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_overhead",
        description="Time a trivial call, an object creation and a method call per binding.",
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run, nothing saved")
    parser.add_argument("--out-dir", type=Path, help="where to write overhead.json and .svg")
    parser.add_argument("--number", type=int, help="calls per timing (default: 200000)")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved run's table; measure nothing"
    )
    args = parser.parse_args()
    if args.saved:
        saved = (args.out_dir or ASSETS / TALK) / "overhead.json"
        print(show_saved(saved, report, "ns_per_operation"))
        return 0
    size = dict(SMOKE if args.smoke else FULL)
    if args.number is not None:
        if not 1 <= args.number <= MAX_NUMBER:
            raise UsageError(f"--number must be between 1 and {MAX_NUMBER:,}")
        size["number"] = args.number
    results = measure(**size)
    print(report(results))
    if args.smoke and args.out_dir is None:
        print("smoke run: results not saved")
        return 0
    payload = {"size": size, "ns_per_operation": results}
    path = save_results(TALK, "overhead", payload, PACKAGES, args.out_dir)
    save_svg(plot(results, stamp_line(environment_stamp([]))), TALK, "overhead", args.out_dir)
    print(f"saved {path.name} and overhead.svg", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_overhead")
