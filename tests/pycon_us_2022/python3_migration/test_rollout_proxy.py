"""Phase 4: the rollout proxy, end to end: two real backends, the real proxy, a rollback by CSV."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration.rollout_proxy import RoutingTable
from tests.pycon_us_2022.python3_migration.support import (
    assert_one_line_error,
    module_argv,
    run_module,
)
from tests.support.servers import LOOPBACK, free_port, serving

ROUTES = """prefix,backend,owner
/,old,core-services
/search,new,search
/biz,new,biz-owners
"""


@dataclass
class Rollout:
    proxy: str
    routes: Path


def fetch(url: str, data: bytes | None = None) -> tuple[int, str, dict]:
    """Status, serving backend and JSON body of one request through the proxy."""
    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["X-Rollout-Backend"], json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            body = error.read()
            backend = error.headers["X-Rollout-Backend"]
        return error.code, backend, json.loads(body) if body.startswith(b"{") else {}


@pytest.fixture
def rollout(tmp_path: Path) -> Iterator[Rollout]:
    """The old deployment, a new one whose /biz is buggy, and the proxy in front of both."""
    routes = tmp_path / "routes.csv"
    routes.write_text(ROUTES)
    old, new, proxy = free_port(), free_port(), free_port()
    with ExitStack() as stack:
        for port, name, extra in [(old, "old", []), (new, "new", ["--broken", "/biz"])]:
            command = module_argv("demo_backend", "--port", str(port), "--name", name, *extra)
            stack.enter_context(serving(command, port))
        command = module_argv(
            "rollout_proxy", "--routes", str(routes), "--port", str(proxy),
            "--backend", f"old=http://{LOOPBACK}:{old}", "--backend", f"new=http://{LOOPBACK}:{new}",
        )  # fmt: skip
        stack.enter_context(serving(command, proxy, log=tmp_path / "proxy.log"))
        yield Rollout(f"http://{LOOPBACK}:{proxy}", routes)


def rewrite(routes: Path, text: str) -> None:
    """Edit the table as an owner would; the proxy notices the new modification time and size."""
    time.sleep(0.05)  # a distinct mtime: the kernel stamps files at clock-tick granularity
    routes.write_text(text)


def test_prefixes_go_to_their_deployment(rollout: Rollout) -> None:
    assert fetch(f"{rollout.proxy}/search?q=tacos")[:2] == (200, "new")
    assert fetch(f"{rollout.proxy}/")[:2] == (200, "old")
    assert fetch(f"{rollout.proxy}/bizarre")[:2] == (200, "old"), "prefixes match whole segments"
    status, backend, body = fetch(f"{rollout.proxy}/search/deep/path?page=2")
    assert (status, backend, body["path"]) == (200, "new", "/search/deep/path?page=2")


def test_request_bodies_reach_the_backend(rollout: Rollout) -> None:
    status, backend, body = fetch(f"{rollout.proxy}/search", data=b"x" * 10_000)
    assert (status, backend, body["method"], body["received_bytes"]) == (200, "new", "POST", 10_000)


def test_a_buggy_prefix_is_rolled_back_alone_and_forward_again(rollout: Rollout) -> None:
    assert fetch(f"{rollout.proxy}/biz/claim")[:2] == (500, "new")
    rewrite(rollout.routes, ROUTES.replace("/biz,new", "/biz,old"))
    assert fetch(f"{rollout.proxy}/biz/claim")[:2] == (200, "old"), "rolled back"
    assert fetch(f"{rollout.proxy}/search")[:2] == (200, "new"), "the rest stays on new"
    rewrite(rollout.routes, ROUTES)
    assert fetch(f"{rollout.proxy}/biz/claim")[:2] == (500, "new"), "rolled forward"


def test_a_broken_table_keeps_the_last_good_one(rollout: Rollout, tmp_path: Path) -> None:
    rewrite(rollout.routes, "prefix,backend\n/,python4\n")
    assert fetch(f"{rollout.proxy}/search")[:2] == (200, "new")
    with urllib.request.urlopen(f"{rollout.proxy}/_rollout", timeout=10) as response:
        table = json.load(response)
    assert {"prefix": "/biz", "backend": "new", "owner": "biz-owners"} in table
    assert "keeping the last good table" in (tmp_path / "proxy.log").read_text()


def test_an_unreachable_backend_is_a_502_from_the_proxy(tmp_path: Path) -> None:
    routes = tmp_path / "routes.csv"
    routes.write_text("prefix,backend\n/,old\n")
    proxy, nobody = free_port(), free_port()
    command = module_argv("rollout_proxy", "--routes", str(routes), "--port", str(proxy),
                          "--backend", f"old=http://{LOOPBACK}:{nobody}")  # fmt: skip
    with serving(command, proxy):
        status, backend, _ = fetch(f"http://{LOOPBACK}:{proxy}/anything")
    assert (status, backend) == (502, "old")


def test_longest_prefix_wins_and_the_table_is_validated() -> None:
    table = RoutingTable.parse("prefix,backend\n/,old\n/api,new\n/api/v1/legacy,old\n")
    assert [table.route(p) for p in ("/api/v2", "/api/v1/legacy/x", "/apiary")] == [
        "new", "old", "old",
    ]  # fmt: skip
    for text, message in [
        ("prefix,backend\n/api,new\n", "needs a / row"),
        ("prefix,backend\n/,python4\n", "unknown backend 'python4'"),
        ("prefix,backend\napi,new\n", "starts with /"),
        ("path,where\n/,old\n", "columns prefix,backend"),
    ]:
        with pytest.raises(ValueError, match=message):
            RoutingTable.parse(text)


def test_check_mode_prints_the_table_and_the_routes() -> None:
    routes = "examples/pycon_us_2022/python3_migration/routes.csv"
    result = run_module("rollout_proxy", "--routes", routes, "--backend", "old=http://127.0.0.1:1",
                        "--backend", "new=http://127.0.0.1:2", "--check", "/biz/claim")  # fmt: skip
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "/biz/claim is served by new"


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--routes", "nope.csv", "--backend", "old=http://127.0.0.1:1"], 1, "no such file"),
        (["--routes", "README.md", "--backend", "old=http://127.0.0.1:1"], 2, "columns"),
        (["--routes", "README.md"], 2, "give at least one --backend"),
        (["--routes", "README.md", "--backend", "old=ftp://x"], 2, "want NAME=http://HOST:PORT"),
    ],
)
def test_bad_input(args: list[str], status: int, message: str) -> None:
    result = run_module("rollout_proxy", *args)
    assert result.returncode == status
    assert message in result.stderr.splitlines()[-1]
    if status == 1 or "give at least" in message or "columns" in message:
        assert_one_line_error(result, "rollout_proxy", status)


def test_the_backend_port_must_be_valid() -> None:
    assert_one_line_error(
        run_module("demo_backend", "--port", "70000", "--name", "x"), "demo_backend", 2
    )
