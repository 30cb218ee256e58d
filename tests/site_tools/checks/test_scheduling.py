"""The suite's scheduler: pages whole, tests one by one unless they share a costly fixture."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from site_tools.checks import scheduling
from site_tools.paths import REPO_ROOT
from tests.support.command_lines import run_module

PAGE = "docs/pycon-us-2022/attributes.md"


def test_a_page_and_a_docstring_run_whole_and_tests_run_one_by_one() -> None:
    assert scheduling.work_unit(f"{PAGE}::line:12,column:1") == PAGE
    assert scheduling.work_unit("README.md::line:40") == "README.md"
    example = "examples/pycon_us_2022/middleware/asgi_middleware.py::docstring"
    assert scheduling.work_unit(example) == example.split("::")[0]
    test = "tests/test_shell_sessions.py::test_command_runs_as_the_page_shows[x]"
    assert scheduling.work_unit(test) == test


def test_modules_that_share_a_costly_fixture_stay_together() -> None:
    test = "tests/site/test_run_in_browser.py::test_every_marked_block_prints[attributes]"
    assert scheduling.work_unit(test) == "tests/site/test_run_in_browser.py"


def _module_scoped_fixtures(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            scope = [
                keyword.value.value
                for keyword in getattr(decorator, "keywords", [])
                if keyword.arg == "scope" and isinstance(keyword.value, ast.Constant)
            ]
            if scope and scope[0] in {"module", "package"}:
                found.append(node.name)
    return found


# Module-scoped fixtures that cost nothing worth keeping a module together for.
CHEAP = {("tests/conftest.py", "no_process_left_behind")}
# Modules spread although they share a module-scoped fixture, with why. The accessibility sweep's
# shards each take tens of seconds of axe; a browser start more per shard is under one second.
SPREAD_ANYWAY = {"tests/site/test_accessibility.py"}


def test_every_costly_module_fixture_keeps_its_tests_together() -> None:
    unlisted = []
    for path in sorted((REPO_ROOT / "tests").rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        for fixture in _module_scoped_fixtures(path):
            if (relative, fixture) in CHEAP or relative.startswith(scheduling.KEEP_TOGETHER):
                continue
            users = [relative] if path.name.startswith("test_") else _users_of(fixture, path)
            unlisted += [
                f"{user} ({fixture})"
                for user in users
                if scheduling.work_unit(f"{user}::t") != user and user not in SPREAD_ANYWAY
            ]
    assert unlisted == [], "add to scheduling.KEEP_TOGETHER: " + ", ".join(unlisted)


def _users_of(fixture: str, defined_in: Path) -> list[str]:
    """Test modules under the conftest that defines ``fixture`` whose tests ask for it."""
    return sorted(
        path.relative_to(REPO_ROOT).as_posix()
        for path in defined_in.parent.rglob("test_*.py")
        if any(
            isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_")
            and fixture in [argument.arg for argument in node.args.args]
            for node in ast.walk(ast.parse(path.read_text()))
        )
    )


def test_a_conftest_fixture_is_found_where_tests_ask_for_it() -> None:
    users = _users_of("desktop", REPO_ROOT / "tests" / "site" / "conftest.py")
    assert "tests/site/test_first_screen.py" in users
    assert "tests/site/test_accessibility.py" in users
    assert all(user.startswith("tests/site/") for user in users)


@pytest.mark.parametrize(("cores", "workers"), [(2, 3), (4, 5), (1, 2), (None, 2)])
def test_auto_starts_one_worker_more_than_the_cores(cores: int | None, workers: int) -> None:
    assert scheduling.auto_workers(cores) == workers


@pytest.mark.parametrize(
    ("args", "workers"),
    [
        ([PAGE], 0),  # one page: one work unit, run in pytest's own process
        ([f"{PAGE}::line:12,column:1"], 0),
        (["README.md"], 0),
        ([PAGE, "docs/pycon-us-2022/middleware.md"], 3),  # two units: two workers can share them
        (["docs/"], 3),
        (["tests/test_page_rules.py"], 3),
        ([], 3),
    ],
)
def test_a_single_page_runs_without_workers(args: list[str], workers: int) -> None:
    assert scheduling.auto_workers(2, args) == workers


def test_the_readme_command_for_one_page_runs_in_one_process() -> None:
    result = run_module("pytest", PAGE, "-p", "no:randomly", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout
    assert "passed" in result.stdout
    assert "workers" not in result.stdout, "pytest-xdist started workers for one page"


def test_longest_units_start_first_and_a_page_keeps_its_order() -> None:
    ids = [f"{PAGE}::line:1", "tests/test_a.py::quick", f"{PAGE}::line:9", "tests/test_b.py::long"]
    ordered = scheduling.slow_first(ids, slow=set(), durations={"tests/test_b.py::long": 20.0})
    assert ordered[0] == "tests/test_b.py::long"
    assert ordered.index(f"{PAGE}::line:1") < ordered.index(f"{PAGE}::line:9")


def test_on_a_first_run_tests_marked_slow_start_first() -> None:
    ids = ["tests/test_a.py::quick", "tests/test_b.py::marked"]
    assert (
        scheduling.slow_first(ids, {"tests/test_b.py::marked"}, {})[0] == "tests/test_b.py::marked"
    )


SITE_A, SITE_B = "tests/site/test_a.py", "tests/site/test_b.py"


@pytest.mark.parametrize(
    ("workers", "expected"),
    [
        (3, [SITE_A, "tests/test_x.py::t", "tests/test_y.py::t", SITE_B]),
        (2, [SITE_A, "tests/test_x.py::t", SITE_B, "tests/test_y.py::t"]),
        (1, [SITE_A, SITE_B, "tests/test_x.py::t", "tests/test_y.py::t"]),
    ],
)
def test_workers_start_with_one_unit_that_reads_the_site(workers: int, expected: list[str]) -> None:
    """The others start on work that needs no site while the first builds it."""
    units = [SITE_A, SITE_B, "tests/test_x.py::t", "tests/test_y.py::t"]
    assert scheduling.one_site_reader_first(units, workers) == expected


def test_slow_first_deals_the_site_readers_apart_and_keeps_each_unit_whole() -> None:
    browser, reading = "tests/site/test_browser.py", "tests/site/test_reading.py"  # whole units
    ids = [f"{browser}::one", "tests/test_x.py::t", f"{reading}::t", f"{browser}::two"]
    durations = {f"{browser}::one": 30.0, f"{browser}::two": 20.0, f"{reading}::t": 40.0}
    ordered = scheduling.slow_first(ids, set(), durations, workers=2)
    assert ordered == [f"{browser}::one", f"{browser}::two", "tests/test_x.py::t", f"{reading}::t"]


def test_every_module_that_reads_the_site_is_known_to_the_scheduler() -> None:
    conftest = REPO_ROOT / "tests" / "conftest.py"
    readers = set(_users_of("built_site", conftest)) | set(_users_of("site_url", conftest))
    assert "tests/site/test_browser.py" in readers
    unknown = sorted(user for user in readers if not user.startswith(scheduling.READS_THE_SITE))
    assert unknown == [], "add to scheduling.READS_THE_SITE: " + ", ".join(unknown)


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '{"t": "soon"}'])
def test_a_torn_or_strange_durations_file_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.setattr(scheduling, "DURATIONS", tmp_path / "durations.json")
    scheduling.DURATIONS.write_text(content)
    assert scheduling.load_durations() == {}


def test_durations_are_merged_with_the_last_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduling, "DURATIONS", tmp_path / "cache" / "durations.json")
    scheduling.save_durations({"a": 1.0, "b": 2.0})
    scheduling.save_durations({"b": 3.0})
    assert scheduling.load_durations() == {"a": 1.0, "b": 3.0}
    assert [p.name for p in scheduling.DURATIONS.parent.iterdir()] == ["durations.json"]
