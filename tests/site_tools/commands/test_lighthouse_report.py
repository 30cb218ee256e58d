"""The Lighthouse report runs for real, and the README's figures are the ones it wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.checks.browser import chromium_path
from site_tools.commands import lighthouse_report
from site_tools.paths import REPO_ROOT
from tests.support.command_lines import assert_one_line_error, run_module


@pytest.mark.slow
@pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium package")
@pytest.mark.skipif(
    not lighthouse_report.LIGHTHOUSE.exists(),
    reason="needs Lighthouse: npm ci --prefix site_tools/commands/lighthouse (.ci/run does it)",
)
def test_smoke_run_scores_the_home_page(built_site: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "site_tools.commands.lighthouse_report",
            "--smoke",
            "--site-dir",
            str(built_site),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| / |"))
    scores = [float(cell) for cell in row.split("|")[2:6]]
    assert all(0 <= score <= 100 for score in scores)


def test_bad_arguments_are_one_line() -> None:
    result = run_module("site_tools.commands.lighthouse_report", "--runs", "0", timeout=60)
    assert_one_line_error(result, "lighthouse_report", 2, "--runs must be at least 1")


def test_readme_table_is_the_one_the_results_file_renders() -> None:
    if not lighthouse_report.RESULTS.exists():
        pytest.fail("docs/assets/lighthouse/lighthouse.json is missing: run the report")
    results = json.loads(lighthouse_report.RESULTS.read_text())
    start, end = lighthouse_report.MARKERS
    readme = lighthouse_report.README.read_text()
    shown = readme.split(start)[1].split(end)[0].strip()
    assert shown == lighthouse_report.readme_table(results)
