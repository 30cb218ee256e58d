"""Every example's command line: --help works, bad input is one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from site_tools.paths import REPO_ROOT
from tests.support.command_lines import assert_one_line_error, example_argv, run_example

# Bytes no UTF-8 decoder accepts: Python hands them to main() as lone surrogates.
NOT_UTF8 = os.fsdecode(b"/polls/\xff\xfe")


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example("middleware", module, *args)


def run_with_bytes(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run with argv as raw bytes (undecodable ones included), as a shell would pass them."""
    argv = [os.fsencode(arg) for arg in example_argv("middleware", module, *args)]
    result = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, timeout=120, check=False)
    return subprocess.CompletedProcess(
        argv,
        result.returncode,
        result.stdout.decode("utf-8", "backslashreplace"),
        result.stderr.decode("utf-8", "backslashreplace"),
    )


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("flask_app", ["polls"], "a path starts with '/'"),
        ("django_project", ["polls"], "a path starts with '/'"),
        ("wsgi_middleware", ["pyramid"], "invalid choice: 'pyramid'"),
        ("wsgi_middleware", ["flask", "polls"], "a path starts with '/'"),
        ("asgi_middleware", ["cache", "--requests", "0"], "--requests: want int from 1"),
        ("fastapi_app", ["/expensive", "--times", "0"], "--times: want int from 1"),
        ("bench_middleware_overhead", ["--rounds", "0"], "--rounds: want int from 1"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(module: str, args: list[str], message: str) -> None:
    assert_one_line_error(run_module(module, *args), module, 2, message)


# Every command line of the talk, with every kind of bad value it can be given: non-finite and
# huge numbers, negative ones, undecodable bytes, paths no route answers.
BAD_INPUT = {
    "flask_app": [
        ([NOT_UTF8], 2, "a path is UTF-8 text"),
        (["/nowhere"], 1, "GET /nowhere failed: 404"),
        (
            ["/stream?lines=99999999999999999999"],
            1,
            "GET /stream?lines=99999999999999999999 failed: 400",
        ),
        (["/stream?lines=-1"], 1, "failed: 400"),
    ],
    "django_project": [
        ([NOT_UTF8], 2, "a path is UTF-8 text"),
        (["/nowhere/"], 1, "GET /nowhere/ failed: 404"),
        (["/stream/?lines=99999999999999999999"], 1, "failed: 400"),
        (["/stream/?lines=-1"], 1, "failed: 400"),
    ],
    "wsgi_middleware": [
        (["flask", NOT_UTF8], 2, "a path is UTF-8 text"),
        (["django", "/nowhere/"], 1, "GET /nowhere/ failed: 404"),
        (["flask", "/stream?lines=99999999999999999999"], 1, "failed: 400"),
        (["django", "/stream/?lines=-1"], 1, "failed: 400"),
    ],
    "fastapi_app": [
        ([NOT_UTF8], 2, "a path is UTF-8 text"),
        (["/nowhere"], 1, "GET /nowhere failed: 404"),
        (["/v1/stream?lines=99999999999999999999"], 1, "failed: 400"),
        (["--seconds", "inf"], 2, "--seconds: want float from 0"),
        (["--seconds", "nan"], 2, "--seconds: want float from 0"),
        (["--seconds", "-1"], 2, "--seconds: want float from 0"),
        (["--seconds", "1e309"], 2, "--seconds: want float from 0"),
        (["--times", "99999999999999999999"], 2, "--times: want int from 1"),
        (["--times", "-1"], 2, "--times: want int from 1"),
        (["--times", "9" * 5000], 2, "--times: want int from 1"),
    ],
    "asgi_middleware": [
        (["cache", "--requests", "99999999999999999999"], 2, "--requests: want int from 1"),
        (["ratelimit", "--limit", "-1"], 2, "--limit: want int from 1"),
        (["ratelimit", "--limit", "nan"], 2, "--limit: want int from 1"),
        (["cache", "--requests", NOT_UTF8], 2, "--requests: want int from 1"),
    ],
    "bench_middleware_overhead": [
        (["--requests", "99999999999999999999"], 2, "--requests: want int from 1"),
        (["--rounds", "-1"], 2, "--rounds: want int from 1"),
        (["--rounds", "inf"], 2, "--rounds: want int from 1"),
    ],
}


@pytest.mark.parametrize(
    ("module", "args", "status", "message"),
    [(module, *case) for module, cases in BAD_INPUT.items() for case in cases],
    ids=lambda value: value[:2] if isinstance(value, list) else None,
)
def test_every_command_line_rejects_bad_values_in_one_line(
    module: str, args: list[str], status: int, message: str
) -> None:
    assert_one_line_error(run_with_bytes(module, *args), module, status, message)


def test_benchmark_saved_from_an_unknown_undecodable_folder_creates_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / os.fsdecode(b"results-\xff")
    result = run_with_bytes("bench_middleware_overhead", "--saved", "--out-dir", str(folder))
    assert_one_line_error(result, "bench_middleware_overhead", 2, "no saved results")
    assert list(tmp_path.iterdir()) == [], "--saved only reads"


@pytest.mark.parametrize(
    ("module", "args", "streamed", "error"),
    [
        ("flask_app", ["/stream-boom"], "line 0", "in the middle of its response"),
        ("flask_app", ["/stream-boom?after=0"], "", "in the middle of its response"),
        ("flask_app", ["/boom"], "500", "before any byte was sent"),
        ("fastapi_app", ["/v1/stream-boom", "--times", "1"], "line 0", "in the middle"),
        ("fastapi_app", ["/v1/boom", "--times", "1"], "500", "before any byte was sent"),
        ("wsgi_middleware", ["flask", "/stream-boom?after=2"], "line 1", "in the middle"),
        ("django_project", ["/boom/", "--talk-version"], "500", "RuntimeError: the view failed"),
    ],
)
def test_a_failing_route_is_one_line_after_what_it_streamed(
    module: str, args: list[str], streamed: str, error: str
) -> None:
    result = run_module(module, *args)
    assert_one_line_error(result, module, 1, "failed: RuntimeError: the view failed")
    assert error in result.stderr
    assert streamed in result.stdout


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
