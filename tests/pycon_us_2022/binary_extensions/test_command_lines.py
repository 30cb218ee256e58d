"""The talk's scripts: what they compute, their smoke runs, their command lines and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from example_support.benchmark_results import ASSETS
from examples.pycon_us_2022.binary_extensions import bench_build, implementations
from site_tools.paths import REPO_ROOT

RESULTS = ASSETS / "binary-extensions"
PACKAGE = "examples.pycon_us_2022.binary_extensions"
MODULES = [
    "implementations",
    "bench_kernels",
    "bench_overhead",
    "bench_build",
    "wheel_tags",
    "build_wheel",
]


def run_module(module: str, *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", f"{PACKAGE}.{module}", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_every_route_agrees_with_pure_python() -> None:
    rows = implementations.compare(width=40, height=30, max_iter=80, count=5_000)
    assert {row.kernel for row in rows} == set(implementations.KERNELS)
    for row in rows:
        if row.implementation.startswith("NumPy") and row.kernel == "sum_of_squares":
            assert 0 < row.difference < 1e-12, "BLAS adds in its own order: close, not equal"
        else:
            assert row.difference == 0.0, row


def test_numpy_and_numba_refuse_a_bad_grid_like_the_rest() -> None:
    for function in (implementations.numpy_escape_counts, implementations.numba_escape_counts):
        with pytest.raises(ValueError, match="width and height must be at least 1"):
            function(*implementations.REGION, 0, 3, 10)


def test_kernels_smoke_run_saves_stamped_results(tmp_path: Path) -> None:
    result = run_module("bench_kernels", "--smoke", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    payload = json.loads((tmp_path / "kernels.json").read_text())
    assert payload["environment"]["packages"]["numba"] != "not installed"
    assert "hostname" not in payload["environment"]
    kernels = payload["results"]["kernels"]
    assert set(kernels["escape_counts"]) == set(implementations.KERNELS["escape_counts"])
    for rows in kernels.values():
        assert all(row["seconds"] > 0 for row in rows.values())
    assert (tmp_path / "kernels.svg").read_text().lstrip().startswith("<?xml")


def test_overhead_smoke_run_times_every_binding(tmp_path: Path) -> None:
    result = run_module("bench_overhead", "--smoke", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    timings = json.loads((tmp_path / "overhead.json").read_text())["results"]["ns_per_operation"]
    assert len(timings) == 3
    for row in timings.values():
        assert set(row) == {"pure Python", "pybind11", "nanobind"}
        assert all(ns > 0 for ns in row.values())
    assert (tmp_path / "overhead.svg").exists()


def test_smoke_runs_without_out_dir_leave_published_results_alone() -> None:
    published = {path.name: path.stat().st_mtime_ns for path in RESULTS.glob("*.json")}
    for module in ("bench_overhead", "bench_build"):
        result = run_module(module, "--smoke")
        assert result.returncode == 0, result.stderr
    assert "nothing compiled" in result.stdout
    after = {path.name: path.stat().st_mtime_ns for path in RESULTS.glob("*.json")}
    assert after == published


def test_build_smoke_reports_the_installed_modules() -> None:
    sizes = bench_build.installed_sizes()
    assert set(sizes) == {"pybind11", "nanobind"}
    assert all(size > 10_000 for size in sizes.values())
    command = bench_build.configure_command(bench_build.BUILD_DIR)
    assert command[:2] == ["cmake", "-S"]
    assert bench_build.BUILD_DIR.is_relative_to(REPO_ROOT / "build"), "a git-ignored folder"


@pytest.mark.parametrize(
    ("module", "name", "first_row"),
    [
        ("bench_kernels", "kernels", "escape_counts   pure Python"),
        ("bench_overhead", "overhead", "call: add(1, 2)"),
        ("bench_build", "build", "pybind11"),
    ],
)
def test_saved_prints_the_saved_table_and_measures_nothing(
    module: str, name: str, first_row: str, tmp_path: Path
) -> None:
    published = {path.name: path.stat().st_mtime_ns for path in RESULTS.glob("*")}
    result = run_module(module, "--saved", timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith(first_row), "rows in the script's fixed order, not the JSON's"
    assert "saved" not in result.stdout, "notes about files go to stderr"
    assert {path.name: path.stat().st_mtime_ns for path in RESULTS.glob("*")} == published
    # The same table comes from any results folder, and a missing file is one clear error.
    (tmp_path / f"{name}.json").write_text((RESULTS / f"{name}.json").read_text())
    again = run_module(module, "--saved", "--out-dir", str(tmp_path), timeout=60)
    assert again.stdout == result.stdout
    empty = tmp_path / "empty"
    missing = run_module(module, "--saved", "--out-dir", str(empty), timeout=60)
    assert missing.returncode == 2
    assert (
        missing.stderr.strip().splitlines()[-1] == f"{module}: error: no saved results: {name}.json"
    )


def test_published_results_are_the_ones_on_the_page() -> None:
    page = (REPO_ROOT / "docs" / "pycon-us-2022" / "binary-extensions.md").read_text()
    for name in ("kernels", "overhead", "build"):
        payload = json.loads((RESULTS / f"{name}.json").read_text())
        assert payload["environment"]["python"]
        assert f"assets/binary-extensions/{name}.svg" in page


# Command lines: --help works, bad input is one line and a non-zero exit.


@pytest.mark.parametrize("module", MODULES)
def test_help(module: str) -> None:
    result = run_module(module, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: {module}")


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("implementations", ["--width", "0"], "--width and --height must be between 1 and"),
        ("bench_kernels", ["--smoke", "--repeat", "0"], "--repeat must be between 1 and"),
        ("bench_overhead", ["--number", "0"], "--number must be between 1 and"),
        ("bench_build", ["--rounds", "0"], "--rounds must be between 1 and"),
        ("wheel_tags", ["compiled_kernels-0.1.tar.gz"], "not a wheel file name"),
        ("wheel_tags", ["--limit", "-1"], "--limit must not be negative"),
        ("build_wheel", ["--jobs", "0"], "--jobs must be between 1 and"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(module: str, args: list[str], message: str) -> None:
    result = run_module(module, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"{module}: error: ")
    assert message in last
