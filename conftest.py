"""Collection for the whole repository: Sybil runs the pages, pytest-markdown-docs the rest.

The split is deliberate (CONTRIBUTING.md, "How the site is built"): Sybil owns ``docs/**/*.md``;
pytest-markdown-docs owns README.md, CONTRIBUTING.md and the Markdown fences in the docstrings of
``examples/``. Neither ever sees the other's files."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path

import pytest
from _pytest import junitxml  # the JUnit writer of the main process
from hypothesis import settings
from pytest_markdown_docs.plugin import MarkdownDocstringCodeModule, MarkdownTextFile

from site_tools.checks import bytecode, compiler_cache, scheduling, talk_groups
from site_tools.checks.doctests import docs_sybil, owned_by_markdown_docs

_collect_pages = docs_sybil().pytest()

# One bytecode cache for the suite's every process, kept between runs (site_tools/checks/bytecode).
bytecode.share(Path(__file__).parent / ".cache" / "pycache")
# And one compiler cache for the C++ it builds, where ccache is installed (compiler_cache).
compiler_cache.share(Path(__file__).parent / ".cache" / "ccache")

# Property-based tests: bounded, and the same examples on every run, so CI is deterministic and
# the suite's time budget holds; no example database is written into the work tree.
settings.register_profile(
    "site", max_examples=60, derandomize=True, deadline=None, database=None, print_blob=True
)
settings.load_profile("site")


def pytest_configure(config: pytest.Config) -> None:
    """Before anything is collected, install the talks' packages if they are missing.

    ``uv run`` installs only the docs and test groups (the preview needs nothing else); the suite
    needs every talk's. Done once, by the main process (not by pytest-xdist's workers).
    """
    if not hasattr(config, "workerinput"):
        talk_groups.install(Path(__file__).with_name("pyproject.toml"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Record what ran the suite (never where) in the JUnit XML: the pages' "verified" stamps
    read it. Recorded by the main process, so it holds with parallel workers too."""
    if hasattr(session.config, "workerinput"):
        return
    xml = session.config.stash.get(junitxml.xml_key, None)
    if xml is not None:
        xml.add_global_property("python", platform.python_version())
        xml.add_global_property("system", platform.system())
        xml.add_global_property("date", dt.datetime.now(dt.UTC).date().isoformat())


_IN_ORDER = (MarkdownTextFile, MarkdownDocstringCodeModule)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if owned_by_markdown_docs(file_path):
        if file_path.suffix == ".md":
            return MarkdownTextFile.from_parent(parent, path=file_path)
        if not file_path.name.startswith("test_"):
            return MarkdownDocstringCodeModule.from_parent(parent, path=file_path)
        return None
    return _collect_pages(file_path, parent)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than there are cores, none for one page
    (site_tools/checks/scheduling.py)."""
    return scheduling.auto_workers(os.cpu_count(), config.args)


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Pages whole, other tests one by one, longest first (site_tools/checks/scheduling.py)."""
    return scheduling.WholePagesScheduling(config, log)


_durations: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Time each test (set-up, call, tear-down), so that the next run starts the longest first."""
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return
    if _durations:
        scheduling.save_durations(_durations)
    bytecode.forget_temporary(Path(sys.pycache_prefix), keep=Path(__file__).parent)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each page's examples in page order, whatever order pytest-randomly chose.

    The fences of one page share one namespace: a later example uses names an earlier one
    defined. pytest-randomly shuffles before this hook runs, so pages and test modules still run
    in random order; only the examples *within* a page are put back in reading order. The suite
    runs in parallel, a page's examples on one worker; the longest work starts first.
    """
    slots: dict[pytest.Collector, list[int]] = {}
    for index, item in enumerate(items):
        parent = item.parent
        if parent is not None and (_is_sybil_document(parent) or isinstance(parent, _IN_ORDER)):
            slots.setdefault(parent, []).append(index)
    for indices in slots.values():
        in_order = sorted((items[i] for i in indices), key=_position)
        for index, item in zip(indices, in_order, strict=True):
            items[index] = item
    slow = {item.nodeid for item in items if item.get_closest_marker("slow")}
    by_id = {item.nodeid: item for item in items}
    # Every worker orders its collection alike: xdist requires the same one from each.
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    ordered = scheduling.slow_first(by_id, slow, scheduling.load_durations(), workers)
    items[:] = [by_id[nodeid] for nodeid in ordered]


def _is_sybil_document(collector: pytest.Collector) -> bool:
    return type(collector).__module__.startswith("sybil.")


def _position(item: pytest.Item) -> int:
    """Where an example starts in its file: a character offset for Sybil, a line otherwise."""
    example = getattr(item, "example", None)
    if example is not None:
        return example.region.start
    return item.reportinfo()[1] or 0
