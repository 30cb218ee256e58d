"""Every example's command line: --help works, bad input is one line and a non-zero exit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from site_tools.doctests import REPO_ROOT
from tests.support.command_lines import assert_one_line_error, run_example


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example("middleware", module, *args)


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("flask_app", ["polls"], "a path starts with '/'"),
        ("django_project", ["polls"], "a path starts with '/'"),
        ("wsgi_middleware", ["pyramid"], "invalid choice: 'pyramid'"),
        ("wsgi_middleware", ["flask", "polls"], "a path starts with '/'"),
        ("asgi_middleware", ["cache", "--requests", "0"], "must be at least 1"),
        ("fastapi_app", ["/expensive", "--times", "0"], "--times must be at least 1"),
        ("bench_middleware_overhead", ["--rounds", "0"], "must be at least 1"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(module: str, args: list[str], message: str) -> None:
    assert_one_line_error(run_module(module, *args), module, 2, message)


def test_django_talk_version_shows_the_unreached_except() -> None:
    talk = run_module("django_project", "/boom/", "--talk-version")
    fixed = run_module("django_project", "/boom/")
    assert "TryExceptMiddleware" in talk.stdout
    assert "X-Handled-By" not in talk.stdout
    assert "X-Handled-By: process_exception" in fixed.stdout


@pytest.mark.slow
def test_benchmark_smoke_writes_json_and_svg(tmp_path: Path) -> None:
    result = run_module("bench_middleware_overhead", "--smoke", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    payload = json.loads((tmp_path / "middleware_overhead.json").read_text())
    variants = payload["results"]["variants"]
    assert len(variants) == 8
    assert sorted(payload["results"]["order"]) == sorted(variants)
    assert all(row["best_us"] > 0 for row in variants.values())
    assert variants["FastAPI, no middleware"]["overhead_us"] == 0
    assert payload["environment"]["packages"]["starlette"] != "not installed"
    assert "hostname" not in payload["environment"]
    svg = (tmp_path / "middleware_overhead.svg").read_text()
    assert svg.startswith("<?xml")
    assert "BaseHTTPMiddleware" in svg


def test_benchmark_smoke_without_out_dir_writes_nothing(tmp_path: Path) -> None:
    published = REPO_ROOT / "docs/pycon-us-2022/assets/middleware/middleware_overhead.json"
    before = published.read_bytes() if published.exists() else None
    result = run_module("bench_middleware_overhead", "--smoke")
    assert result.returncode == 0, result.stderr
    assert "FastAPI + 1 BaseHTTPMiddleware" in result.stdout
    assert (published.read_bytes() if published.exists() else None) == before
