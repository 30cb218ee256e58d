"""The talk's command lines beyond --help: a write that refuses, and the benchmark's smoke run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration.bench_parsability import report
from tests.pycon_us_2022.python3_migration.support import run_module


def test_legacy_sample_writes_only_into_an_empty_folder(tmp_path: Path) -> None:
    result = run_module("legacy_sample", str(tmp_path / "sample"))
    assert result.returncode == 0
    assert (tmp_path / "sample" / "shop" / "prices.py").is_file()
    again = run_module("legacy_sample", str(tmp_path / "sample"))
    assert again.returncode == 2
    assert again.stderr.startswith("legacy_sample: error: ")


@pytest.mark.slow
def test_benchmark_smoke_mode_compares_both_tools(tmp_path: Path) -> None:
    result = run_module("bench_parsability", "--smoke", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    saved = json.loads((tmp_path / "parsability-vs-compileall.json").read_text())
    results = saved["results"]
    assert results["files"] > 0
    assert set(results["files_per_cpu_second"]) == {"parsability -j 1", "compileall -j 1"}
    assert all(rate > 0 for rate in results["files_per_cpu_second"].values())
    # --saved prints, from the JSON alone, exactly the report the measuring run printed.
    again = run_module("bench_parsability", "--saved", "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout == report(results) + "\n"
    assert "saved parsability-vs-compileall.json" in result.stderr
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


@pytest.mark.parametrize("mode", ["--replot", "--saved"])
def test_replot_or_saved_without_results_is_bad_usage(tmp_path: Path, mode: str) -> None:
    result = run_module("bench_parsability", mode, "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("bench_parsability: error: no saved results: ")
