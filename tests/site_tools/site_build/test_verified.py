"""The verified stamp is read from a real pytest run's JUnit XML, never typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_tools.paths import REPO_ROOT
from site_tools.site_build import verified


def test_a_real_run_of_one_page_is_tallied(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    page = "docs/pycon-us-2022/python-oddities.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            page,
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            f"--junitxml={junit}",
        ],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    run = verified.read_run(junit)
    assert run is not None
    assert run.python.count(".") == 2
    docs, _ = verified.page_prefixes("pycon-us-2022/python-oddities.md")
    tally = run.tally(docs)
    assert tally.passed > 25
    assert tally.failed == 0
    stamp = verified.stamp("pycon-us-2022/python-oddities.md", run)
    assert stamp.startswith('<p class="verified" markdown>Verified: all')
    assert f"Python {run.python}" in stamp


def test_failures_and_missing_runs_are_said_plainly(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest" timestamp="2026-01-02T03:04:05">'
        '<properties><property name="python" value="3.14.0"/>'
        '<property name="system" value="Linux"/></properties>'
        '<testcase classname="docs.pycon-us-2022.a-talk.md" name="line:1"/>'
        '<testcase classname="tests.pycon_us_2022.test_a_talk" name="t">'
        '<failure message="boom"/></testcase>'
        "</testsuite></testsuites>"
    )
    run = verified.read_run(junit)
    assert run is not None
    assert run.date == "2026-01-02"
    assert "1 of 2 checks of this page failed" in verified.stamp("pycon-us-2022/a-talk.md", run)
    assert "No example of this page ran" in verified.stamp("pycon-us-2022/other.md", run)
    assert verified.stamp("pycon-us-2022/a-talk.md", None) == "", "a preview claims nothing"
    assert verified.read_run(tmp_path / "missing.xml") is None
    (tmp_path / "torn.xml").write_text("<testsuites><testsuite")
    assert verified.read_run(tmp_path / "torn.xml") is None
