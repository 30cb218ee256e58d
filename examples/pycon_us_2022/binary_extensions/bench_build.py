"""Compile time and binary size: pybind11 against nanobind, for the same small API.

nanobind's author publishes large gains over pybind11 in compile time and binary size. This script
measures both for this package: it copies ``compiled_kernels`` to ``build/binary-extensions/``
(git-ignored), configures it with CMake there, builds each module from clean, then touches each
binding file and times the rebuild, the edit-compile loop a developer lives in. Sizes are of the
built, stripped modules. ``--smoke`` compiles nothing: it reports the sizes of the modules that
``uv sync`` installed and the commands a full run would use.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import compiled_kernels
import nanobind
import pybind11
from tqdm import tqdm

from example_support.benchmark_results import ASSETS, save_results, save_svg, show_saved
from example_support.command_line import UsageError, run
from example_support.environment_stamp import environment_stamp, stamp_line
from examples.pycon_us_2022.binary_extensions.build_wheel import MAX_JOBS

TALK = "binary-extensions"
PACKAGES = ["pybind11", "nanobind", "scikit-build-core"]
PROJECT = Path(__file__).resolve().parent / "compiled_kernels"
REPO_ROOT = PROJECT.parents[3]
BUILD_DIR = REPO_ROOT / "build" / "binary-extensions" / "bench"
# The benchmark edits (touches) binding files: it does so in a copy, so the package's own sources
# keep their timestamps and uv's cache of the installed build stays valid.
SOURCE_COPY = BUILD_DIR.parent / "bench-src"
BINDINGS = {"pybind11": "bind_pybind11.cpp", "nanobind": "bind_nanobind.cpp"}
TARGETS = {"pybind11": "with_pybind11", "nanobind": "with_nanobind"}
MAX_ROUNDS = 100  # each round rebuilds both modules: seconds of CPU apiece


def configure_command(build_dir: Path, source_dir: Path = SOURCE_COPY) -> list[str]:
    """What scikit-build-core would run, minus the wheel: a Release build with Ninja."""
    return [
        "cmake",
        "-S",
        str(source_dir),
        "-B",
        str(build_dir),
        "-G",
        "Ninja",
        "-DCMAKE_BUILD_TYPE=Release",
        "-DSKBUILD_PROJECT_NAME=compiled_kernels",
        "-DSKBUILD_PROJECT_VERSION=0.1.0",
        f"-DPython_EXECUTABLE={sys.executable}",
        f"-Dpybind11_DIR={pybind11.get_cmake_dir()}",
        f"-Dnanobind_DIR={nanobind.cmake_dir()}",
    ]


def build_command(build_dir: Path, target: str, jobs: int) -> list[str]:
    return ["cmake", "--build", str(build_dir), "--target", target, "--parallel", str(jobs)]


def _children_cpu_seconds() -> float:
    try:
        import resource  # POSIX only
    except ImportError:
        raise UsageError("timing builds needs the resource module, which Windows lacks") from None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str]) -> float:
    """Run a build step quietly; the CPU seconds it used. A failure shows the compiler's output.

    CPU time of the finished child processes (CMake, Ninja, the compiler, the linker), not wall
    time: on a shared machine, waiting for other programs' turn is not the compiler's cost.
    """
    start = _children_cpu_seconds()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = _children_cpu_seconds() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise UsageError(f"build step failed: {' '.join(command[:4])} …")
    return elapsed


def module_file(folder: Path, target: str) -> Path:
    """The built module of ``target`` in ``folder`` (its suffix depends on the interpreter)."""
    found = sorted(folder.glob(f"{target}.*.so")) + sorted(folder.glob(f"{target}.*.pyd"))
    if not found:
        raise UsageError(f"no built module {target} in {folder.name}")
    return found[0]


def _relative(word: str) -> str:
    """A path under the repository, shown from its root: never this machine's absolute path."""
    path = Path(word)
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else word


def tool_versions() -> dict[str, str]:
    """The first line of ``cmake --version`` and ``c++ --version``: compile times depend on them."""
    versions = {}
    for tool in ("cmake", "c++"):
        result = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
        versions[tool] = result.stdout.splitlines()[0] if result.stdout else "unknown"
    return versions


def installed_sizes() -> dict[str, int]:
    """Bytes of the modules that ``uv sync`` built and installed."""
    folder = Path(compiled_kernels.__file__).parent
    return {name: module_file(folder, target).stat().st_size for name, target in TARGETS.items()}


def measure(rounds: int, jobs: int, build_dir: Path) -> dict:
    """Clean-build time, rebuild times after touching each binding file, and module sizes."""
    if shutil.which("cmake") is None or shutil.which("ninja") is None:
        raise UsageError("cmake and ninja must be on PATH")
    shutil.rmtree(build_dir, ignore_errors=True)
    shutil.rmtree(SOURCE_COPY, ignore_errors=True)
    shutil.copytree(PROJECT, SOURCE_COPY, ignore=shutil.ignore_patterns("build", "__pycache__"))
    _run(configure_command(build_dir))
    results: dict[str, dict] = {}
    # One target at a time from clean: the kernels library is shared, so build it first.
    _run(build_command(build_dir, "kernels", jobs))
    for name, target in tqdm(TARGETS.items(), desc="clean builds", disable=None):
        results[name] = {"clean_build_s": _run(build_command(build_dir, target, jobs))}
    steps = [(r, name) for r in range(rounds) for name in TARGETS]
    rebuilds: dict[str, list[float]] = {name: [] for name in TARGETS}
    for _, name in tqdm(steps, desc="rebuilds", disable=None):
        source = SOURCE_COPY / "src" / BINDINGS[name]
        os.utime(source)  # as if edited: Ninja recompiles this file and relinks the module
        rebuilds[name].append(_run(build_command(build_dir, TARGETS[name], jobs)))
    for name, target in TARGETS.items():
        results[name]["rebuild_s"] = rebuilds[name]
        results[name]["rebuild_median_s"] = statistics.median(rebuilds[name])
        results[name]["module_bytes"] = module_file(build_dir, target).stat().st_size
    return results


def report(results: dict) -> str:
    """The table both runs print: measured now, or rebuilt from the saved JSON (``--saved``).

    Rows follow ``TARGETS`` (pybind11, then nanobind), not the JSON's sorted keys.
    """
    lines = [f"{'':<10}{'rebuild (median)':>18}{'clean build':>14}{'module size':>14}"]
    for name in (name for name in TARGETS if name in results):
        row = results[name]
        lines.append(
            f"{name:<10}{row['rebuild_median_s']:>16.1f} s{row['clean_build_s']:>12.1f} s"
            f"{row['module_bytes'] / 1024:>10.1f} KiB"
        )
    return "\n".join(lines)


def plot(results: dict, stamp: str) -> object:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name in TARGETS if name in results]  # pybind11, then nanobind
    colours = [{"pybind11": "#c44e52", "nanobind": "#dd8452"}[name] for name in names]
    figure, axes = plt.subplots(1, 3, figsize=(11, 3), layout="constrained")
    panels = [
        ("rebuild_median_s", "rebuild after editing the binding file (CPU s)", "{:.1f} s"),
        ("clean_build_s", "module from clean, kernels prebuilt (CPU s)", "{:.1f} s"),
        ("module_bytes", "size of the built module (KiB)", "{:.0f} KiB"),
    ]
    for ax, (key, title, label) in zip(axes, panels, strict=True):
        scale = 1024 if key == "module_bytes" else 1
        values = [results[name][key] / scale for name in names]
        ax.bar(names, values, color=colours)
        ax.set_title(title, fontsize=9)
        for x, value in enumerate(values):
            ax.text(x, value, label.format(value), ha="center", va="bottom", fontsize=8)
        ax.margins(y=0.15)
    figure.suptitle(stamp, fontsize=7)
    return figure


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench_build",
        description="Time rebuilding each binding file and measure module sizes (pybind11 vs "
        "nanobind).",
    )
    parser.add_argument("--smoke", action="store_true", help="compile nothing; installed sizes")
    parser.add_argument("--rounds", type=int, default=3, help="rebuilds per binding (default: 3)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="parallel compile jobs (default: 1, comparable timings)"
    )
    parser.add_argument("--out-dir", type=Path, help="where to write build.json and .svg")
    parser.add_argument(
        "--saved", action="store_true", help="print the saved run's table; compile nothing"
    )
    args = parser.parse_args()
    if args.saved:
        print(show_saved((args.out_dir or ASSETS / TALK) / "build.json", report, "modules"))
        return 0
    if not 1 <= args.rounds <= MAX_ROUNDS:
        raise UsageError(f"--rounds must be between 1 and {MAX_ROUNDS}")
    if not 1 <= args.jobs <= MAX_JOBS:
        raise UsageError(f"--jobs must be between 1 and {MAX_JOBS}")
    if args.smoke:
        sizes = installed_sizes()
        for name, size in sizes.items():
            print(f"{name:<10} installed module: {size / 1024:8.1f} KiB")
        print("smoke run: nothing compiled; a full run configures with")
        shown = [_relative(word) for word in configure_command(BUILD_DIR)[:7]]
        print("  " + " ".join(shown) + " …")
        return 0
    results = measure(args.rounds, args.jobs, BUILD_DIR)
    print(report(results))
    payload = {"rounds": args.rounds, "jobs": args.jobs, "modules": results}
    payload["tools"] = tool_versions()
    path = save_results(TALK, "build", payload, PACKAGES, args.out_dir)
    save_svg(plot(results, stamp_line(environment_stamp([]))), TALK, "build", args.out_dir)
    print(f"saved {path.name} and build.svg", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main, prog="bench_build")
