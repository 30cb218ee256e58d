"""Every module of the talk: --help works, and the benchmark's smoke mode measures and writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.doctests import REPO_ROOT
from tests.pycon_us_2022.python3_migration.support import PACKAGE, run_module

MODULES = sorted(
    path.stem
    for path in (REPO_ROOT / PACKAGE.replace(".", "/")).glob("*.py")
    if path.stem != "__init__"
)


def test_every_module_is_listed() -> None:
    assert {"parsability", "importability", "functional_parity", "rollout_proxy",
            "cache_migration", "bench_parsability"} <= set(MODULES)  # fmt: skip


@pytest.mark.parametrize("module", MODULES)
def test_help(module: str) -> None:
    result = run_module(module, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {module}")


def test_legacy_sample_writes_only_into_an_empty_folder(tmp_path: Path) -> None:
    result = run_module("legacy_sample", str(tmp_path / "sample"))
    assert result.returncode == 0
    assert (tmp_path / "sample" / "shop" / "prices.py").is_file()
    again = run_module("legacy_sample", str(tmp_path / "sample"))
    assert again.returncode == 2
    assert again.stderr.startswith("legacy_sample: error: ")


@pytest.mark.slow
def test_benchmark_smoke_mode_compares_both_tools(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"{PACKAGE}.bench_parsability", "--smoke", "--out", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    saved = json.loads((tmp_path / "parsability-vs-compileall.json").read_text())
    results = saved["results"]
    assert results["files"] > 0
    assert set(results["files_per_cpu_second"]) == {"parsability -j 1", "compileall -j 1"}
    assert all(rate > 0 for rate in results["files_per_cpu_second"].values())
    # The json package parses: both tools succeed on it.
    assert results["exit_status"] == {"parsability -j 1": 0, "compileall -j 1": 0}
    assert results["checker_summary"].startswith(f"{results['files']} files checked with")
    assert "hostname" not in saved["environment"]
    svg = tmp_path / "parsability-vs-compileall.svg"
    assert svg.read_text().startswith("<?xml")
    first = svg.read_bytes()
    svg.unlink()
    replot = run_module("bench_parsability", "--replot", "--out", str(tmp_path))
    assert replot.returncode == 0, replot.stderr
    assert svg.read_bytes() == first, "charts are reproducible from the saved JSON"


def test_replot_without_results_is_bad_usage(tmp_path: Path) -> None:
    result = run_module("bench_parsability", "--replot", "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("bench_parsability: error: no saved results to plot")
