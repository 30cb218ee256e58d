"""Benchmark: the parsability checker against ``python -m compileall``, over the standard library.

Both read every ``.py`` file of the running Python's own standard library, parse it and compile
it; ``compileall`` also writes the bytecode (redirected here to a temporary folder with
``PYTHONPYCACHEPREFIX``, so the installation is never touched). Both run as separate processes
from the same interpreter, in the same run, one worker each (``-j 1``): the comparison is of the
work per file, not of the number of cores. The result is files per CPU second (user + system
time of the process, which neighbours on a shared machine do not inflate), the best of
``--repeat`` runs; the JSON and an SVG chart go to ``docs/pycon-us-2022/assets/python3-migration/``.
``--smoke`` times one small package once and writes to a temporary folder instead;
``--saved`` prints the report of the saved results again, without measuring anything.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from example_support.benchmark_results import assets_dir, save_results, save_svg
from example_support.command_line import UsageError, run
from example_support.environment_stamp import stamp_line
from examples.pycon_us_2022.python3_migration.parsability import python_files

TALK = "python3-migration"
NAME = "parsability-vs-compileall"
SKIP = "site-packages"  # third-party code is not the standard library
# What report() and plot() read from the saved results.
SAVED_KEYS = {"files", "tree", "repeat", "cpu_seconds", "files_per_cpu_second", "checker_summary"}


def commands(tree: Path) -> dict[str, list[str]]:
    """The two contenders, as command lines over ``tree``."""
    checker = "examples.pycon_us_2022.python3_migration.parsability"
    return {
        "parsability -j 1": [sys.executable, "-m", checker, "--no-progress", "--jobs=1",
                             f"--exclude={SKIP}", str(tree)],
        "compileall -j 1": [sys.executable, "-m", "compileall", "-q", "-f", "-j", "1",
                            "-x", f"/{SKIP}/", str(tree)],
    }  # fmt: skip


def time_once(command: list[str], cache_prefix: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), exit status and last output line of a run.

    CPU time is what the comparison uses: on a shared machine the wall clock also measures the
    neighbours. Both tools exit 1 on the standard library's deliberately broken test files.
    """
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(cache_prefix), "PYTHONWARNINGS": "ignore"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=1800
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, (done.stdout.strip().splitlines() or [""])[-1]


def measure(tree: Path, repeat: int, progress: bool) -> dict:
    files = sum(1 for path in python_files([str(tree)], exclude=[SKIP]) if SKIP not in path)
    runs: dict[str, list[float]] = {name: [] for name in commands(tree)}
    walls: dict[str, list[float]] = {name: [] for name in commands(tree)}
    statuses: dict[str, int] = {}
    summaries: dict[str, str] = {}
    plan = [name for _ in range(repeat) for name in runs]  # interleaved: drift hits both alike
    if progress:
        from tqdm import tqdm

        plan = tqdm(plan, unit="run", file=sys.stderr, leave=False)
    with tempfile.TemporaryDirectory(prefix="pycache-") as cache_prefix:
        for name in plan:
            wall, cpu, statuses[name], summaries[name] = time_once(
                commands(tree)[name], Path(cache_prefix)
            )
            runs[name].append(cpu)
            walls[name].append(wall)
    best = {name: min(times) for name, times in runs.items()}
    return {
        "tree": f"standard library of Python {sys.version.split()[0]} (without {SKIP})",
        "files": files,
        "repeat": repeat,
        "cpu_seconds": runs,
        "wall_seconds": walls,
        "exit_status": statuses,
        "checker_summary": summaries["parsability -j 1"],
        "files_per_cpu_second": {name: round(files / seconds, 1) for name, seconds in best.items()},
    }


def plot(results: dict, stamp: str):
    import matplotlib as mpl

    mpl.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.6))
    axes = figure.subplots()
    names = sorted(results["files_per_cpu_second"])  # the order the saved JSON has
    values = [results["files_per_cpu_second"][name] for name in names]
    axes.barh(names, values, color=["#3949ab", "#ffa000"])
    for y, value in enumerate(values):
        axes.text(value, y, f" {value:,.0f}", va="center")
    axes.set_xlabel(f"files per CPU second (best of {results['repeat']}; higher is better)")
    axes.set_title(f"Parse and compile {results['files']:,} standard-library files", loc="left")
    axes.set_xlim(0, max(values) * 1.2)
    figure.text(0, -0.16, stamp, fontsize=7, color="#555")
    return figure


def report(results: dict) -> str:
    """The table the measuring run prints, and ``--saved`` prints again from the JSON."""
    lines = [f"{results['files']:,} files: {results['tree']}, best of {results['repeat']}"]
    lines.append(f"  {'tool, one process':18} {'best CPU s':>10} {'files per CPU s':>16}")
    for name in sorted(results["files_per_cpu_second"]):  # the saved JSON's order: sorted keys
        rate, best = results["files_per_cpu_second"][name], min(results["cpu_seconds"][name])
        lines.append(f"  {name:18} {best:>10.2f} {rate:>16,.1f}")
    lines.append(f"checker: {results['checker_summary']}")
    return "\n".join(lines)


def load_saved(out: Path | None) -> dict:
    saved_path = assets_dir(TALK, out) / f"{NAME}.json"
    if not saved_path.is_file():
        raise UsageError(f"no saved results: {saved_path}")
    try:
        saved = json.loads(saved_path.read_bytes())
    except ValueError:  # not JSON, or not UTF-8 text: a file edited or damaged by hand
        saved = None
    results = saved.get("results") if isinstance(saved, dict) else None
    if not (isinstance(results, dict) and results.keys() >= SAVED_KEYS and "environment" in saved):
        raise UsageError(f"{saved_path} is not saved benchmark results")
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_parsability",
        description="Time the parsability checker and compileall over the standard library.",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (best is kept)")
    parser.add_argument("--smoke", action="store_true", help="one small package, one run")
    parser.add_argument("--out", type=Path, help="folder for JSON and SVG (default: the assets)")
    parser.add_argument("--replot", action="store_true", help="redraw the SVG from saved JSON")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved results' report; measure nothing"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1")
    if args.saved:
        print(report(load_saved(args.out)["results"]))
        return 0
    if args.replot:
        saved = load_saved(args.out)
        save_svg(plot(saved["results"], stamp_line(saved["environment"])), TALK, NAME, args.out)
        return 0
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    tree, repeat = (stdlib / "json", 1) if args.smoke else (stdlib, args.repeat)
    results = measure(tree, repeat, progress=sys.stderr.isatty())
    print(report(results))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) if args.smoke and args.out is None else args.out
        path = save_results(TALK, NAME, results, ["matplotlib", "tqdm"], out)
        stamp = stamp_line(json.loads(path.read_text(encoding="utf-8"))["environment"])
        svg = save_svg(plot(results, stamp), TALK, NAME, out)
        if not args.smoke or args.out is not None:
            print(f"saved {path.name} and {svg.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_parsability")
