"""The copy-on-write measurement and the memray profile, with the JSON and SVG they publish."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from examples.pycon_us_2022.linux_features import bench_copy_on_write
from tests.pycon_us_2022.linux_features.support import (
    LINUX_ONLY,
    PUBLISHED,
    output_of,
    run_module,
)

pytestmark = LINUX_ONLY


def test_parse_rollup_reads_kib_figures() -> None:
    text = Path("/proc/self/smaps_rollup").read_text()
    figures = bench_copy_on_write.parse_rollup(text)
    assert set(figures) >= {"Rss", "Pss", "Private_Dirty"}
    assert figures["Pss"] <= figures["Rss"]


@pytest.mark.slow
def test_copy_on_write_measurement(tmp_path: Path) -> None:
    result = run_module("bench_copy_on_write", "--objects", "60000", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "wrote copy-on-write.json and copy-on-write.svg" in result.stderr, "a note, not output"
    saved_output = output_of("bench_copy_on_write", "--saved", "--out-dir", str(tmp_path))
    assert result.stdout == saved_output, "--saved prints exactly what the measuring run printed"
    saved = json.loads((tmp_path / "copy-on-write.json").read_text())
    assert saved["environment"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert "hostname" not in saved["environment"]
    copied = {
        name: [step["child"]["private"] for step in scenario["stages"]]
        for name, scenario in saved["results"]["scenarios"].items()
    }
    plain, frozen = copied["without gc.freeze()"], copied["with gc.freeze()"]
    data = saved["results"]["data_mib"] * 1024
    assert plain[1] - plain[0] > frozen[1] - frozen[0], "gc.freeze() spares the collector's copies"
    for steps in (plain, frozen):
        assert steps[2] - steps[0] > data / 2, "reading every object copies most of the data"
    assert (tmp_path / "copy-on-write.svg").read_text().startswith("<?xml")


def test_copy_on_write_smoke_saves_nothing() -> None:
    before = {p: p.stat().st_mtime for p in PUBLISHED.glob("copy-on-write.*")}
    out = output_of("bench_copy_on_write", "--smoke")
    assert "after reading every object" in out
    after = {p: p.stat().st_mtime for p in PUBLISHED.glob("copy-on-write.*")}
    assert after == before


@pytest.mark.slow
def test_memray_finds_the_allocating_lines(tmp_path: Path) -> None:
    result = run_module("memray_profile", "--objects", "5000", "--save", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "wrote memray-peak.json and memray-peak.svg" in result.stderr
    saved_output = output_of("memray_profile", "--saved", "--out-dir", str(tmp_path))
    assert result.stdout == saved_output, "--saved prints exactly what the profiling run printed"
    lines = json.loads((tmp_path / "memray-peak.json").read_text())["results"]["lines"]
    where = [line["where"] for line in lines[:2]]
    assert all(w.startswith("bench_copy_on_write.py:") for w in where)
    assert any(w.endswith("in __init__") for w in where), "the names made in Record.__init__"
    assert sum(line["allocations"] for line in lines) >= 2 * 5000
