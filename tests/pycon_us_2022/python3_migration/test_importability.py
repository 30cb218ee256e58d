"""Phase 2: each module is imported in its own interpreter; failures rank by last in-tree frame."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from examples.pycon_us_2022.python3_migration import importability
from tests.pycon_us_2022.python3_migration.support import (
    assert_one_line_error,
    run_module,
    without_file_privileges,
)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_discovers_modules_and_packages_but_not_setup_or_hidden(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/__init__.py": "", "app/views.py": "", "app/sub/__init__.py": "", "app/sub/x.py": "",
        "loose/not_a_package.py": "", "top.py": "", "setup.py": "", ".hidden/h.py": "",
        "app/__pycache__/views.cpython-311.pyc": "", "app/bad-name.py": "",
    })  # fmt: skip
    assert importability.discover_modules(tmp_path) == [
        "app", "app.sub", "app.sub.x", "app.views", "top",
    ]  # fmt: skip


def test_failures_are_located_at_the_last_frame_inside_the_tree(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/__init__.py": "",
        "app/legacy.py": "import json\nimport cPickle\n",
        "app/views.py": "from app import legacy\n",
        "app/parse.py": "import json\n\nCONFIG = json.loads('{broken')\n",
        "app/hangs.py": "import time\ntime.sleep(60)\n",
        "app/exits.py": "raise SystemExit(3)\n",
        "app/crashes.py": "import os\nos._exit(7)\n",
        "app/syntax.py": "x = 1\nprint 'old'\n",
        "app/fine.py": "import collections\n",
    })  # fmt: skip
    modules, failures = importability.check_tree(tmp_path, timeout=3, jobs=2)
    assert len(modules) == 9
    found = {module: (location, reason) for module, location, reason in failures}
    assert found["app.legacy"] == (
        "app/legacy.py:2",
        "ModuleNotFoundError: No module named 'cPickle'",
    )
    assert found["app.views"] == found["app.legacy"], "the import chain ends in legacy.py"
    # The stdlib frames of json.loads are skipped: the line to fix is ours.
    assert found["app.parse"][0] == "app/parse.py:3"
    assert found["app.parse"][1].startswith("JSONDecodeError: ")
    assert found["app.hangs"] == ("app/hangs.py", "timed out after 3 s")
    assert found["app.exits"] == ("app/exits.py:1", "SystemExit: 3")
    assert found["app.crashes"] == ("app/crashes.py", "interpreter exited with status 7")
    assert found["app.syntax"][0] == "app/syntax.py:2"
    assert "app.fine" not in found
    assert "app" not in found
    top = importability.rank(failures)[0]
    assert top[:2] == (2, "app/legacy.py:2")
    assert top[3] == ["app.legacy", "app.views"]


def test_rank_is_uniq_c_then_sort_by_count() -> None:
    failures = [("m1", "b.py:1", "E"), ("m2", "a.py:1", "E"), ("m3", "b.py:1", "E")]
    assert [(count, where) for count, where, _, _ in importability.rank(failures)] == [
        (2, "b.py:1"), (1, "a.py:1"),
    ]  # fmt: skip


def test_nothing_is_left_in_the_tree(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": "VALUE = 1\n"})
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert importability.check_tree(tmp_path)[1] == []
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "no __pycache__"


def test_command_line_ranks_the_sample_and_fails() -> None:
    result = run_module("importability", "--demo", "--no-progress", "-v")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["2", "shop/cache.py:1", "ModuleNotFoundError:", "No", "module",
                                "named", "'cPickle'"]  # fmt: skip
    assert lines[1].strip() == "shop.cache, shop.views"
    assert lines[-1] == "4 of 8 modules import"


def test_another_interpreter_can_be_named(tmp_path: Path) -> None:
    write(tmp_path, {"mod.py": "import sys\nassert sys.flags.isolated == 0\n"})
    result = run_module("importability", str(tmp_path), "--python", sys.executable)
    assert (result.returncode, result.stdout.strip()) == (0, "1 of 1 modules import")


def test_an_unreadable_module_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    locked = write(tmp_path, {"locked.py": "X = 1\n"}) / "locked.py"
    locked.chmod(0)
    try:
        result = run_module("importability", str(tmp_path), prefix=without_file_privileges())
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    assert "PermissionError" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/dir"], "no such folder: no/such/dir"),
        (["README.md"], "README.md is not a folder"),
        ([".", "--python", "python1.5"], "no such interpreter: python1.5"),
        ([".", "--timeout", "0"], "--jobs and --timeout must be positive"),
        ([], "give the folder to check (or --demo)"),
    ],
)
def test_bad_usage_is_one_line_and_status_two(args: list[str], message: str) -> None:
    result = run_module("importability", *args)
    assert_one_line_error(result, "importability", 2)
    assert message in result.stderr
