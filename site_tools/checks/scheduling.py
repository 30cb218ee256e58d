"""How the suite is spread over pytest-xdist's workers: pages whole, tests one by one, slow first.

A page's examples share one namespace, so a page (and README, CONTRIBUTING, an example module's
docstring) must run whole, in order, on one worker. A test module is different: most of its tests
are independent, and a few modules hold much of the suite's time (the shell sessions, the
accessibility sweep's shards), so giving each test to whichever worker is free keeps both cores
busy to the end. The exceptions are modules whose tests share an expensive module-scoped fixture
(a browser, a real server, a booted Pyodide, an executed notebook): split, each worker would pay
for the fixture again, and again after each test of another module.

Work starts with what took longest last time (``.cache/test-durations.json``, written by the root
conftest at the end of a run), or with tests marked ``slow`` on a first run, so that no long test
starts last and keeps one worker busy while the other idles. Of the units the workers start with,
only one reads the built site: the worker that gets it builds the site, and the others run
something else meanwhile instead of waiting for the build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from xdist.scheduler import LoadScopeScheduling

from site_tools.paths import REPO_ROOT

DURATIONS = REPO_ROOT / ".cache" / "test-durations.json"
# Modules whose tests share a module-scoped fixture worth more than the spread would gain.
# tests/site_tools/checks/test_scheduling.py finds every such fixture and checks it is listed.
KEEP_TOGETHER = (
    "tests/pycon_us_2022/docker_jupyter/",  # the notebook, executed once
    "tests/pycon_us_2022/middleware/test_real_servers.py",  # Flask, Django, FastAPI under servers
    "tests/pycon_us_2022/python3_migration/test_functional_parity.py",  # both trees, run once
    # One Chromium per browser module: a start and a first page cost about 1.3 CPU-seconds
    # against 0.55 for a page in a running browser, and tests of a module spread one by one
    # started it again for almost every test (24 starts for the 30 first-screen tests).
    "tests/site/test_browser.py",
    "tests/site/test_first_screen.py",
    "tests/site/test_reading.py",
    "tests/site/test_run_in_browser.py",  # Pyodide fetched once, then from the cache
    "tests/site/test_search.py",  # the search index, loaded and built once
    "tests/test_notebook.py",  # the notes' notebook, executed once
)
SLOW_FIRST_RUN = 30.0  # seconds assumed for a test marked slow when no run has been timed yet
# Modules whose tests read the built site (the ``built_site`` and ``site_url`` fixtures of
# tests/conftest.py); tests/site_tools/checks/test_scheduling.py checks that none is missing.
READS_THE_SITE = (
    "tests/site/",
    "tests/site_tools/commands/test_lighthouse_report.py",
    "tests/site_tools/commands/test_screenshots.py",
    "tests/site_tools/site_build/test_figures.py",
)


def auto_workers(cores: int | None, args: Sequence[str] = ()) -> int:
    """How many workers ``-n auto`` starts: one more than the cores, or none for a single page.

    Part of the suite waits rather than computes (servers starting, a crawl's polite delays, a
    page settling in the browser); with one worker per core those waits left the cores about a
    tenth idle. A worker more fills them; more than that only adds workers' own start-up.

    A run of one Markdown file (``uv run pytest docs/<event>/<talk>.md``, what a contributor runs
    while editing a page) is one work unit: one worker would run all of it while the others only
    start and collect, so it runs in pytest's own process instead (1.4 CPU-seconds, not 3.2).
    """
    files = {arg.split("::", 1)[0] for arg in args}
    if len(files) == 1 and next(iter(files)).endswith(".md"):
        return 0
    return max(1, cores or 1) + 1


def work_unit(nodeid: str) -> str:
    """What must run together on one worker: a whole file, or a single test."""
    path = nodeid.split("::", 1)[0]
    if not path.startswith("tests/") or path.startswith(KEEP_TOGETHER):
        return path
    return nodeid


class WholePagesScheduling(LoadScopeScheduling):
    """xdist's load-scope scheduling, with ``work_unit`` as the scope and collection order kept."""

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        # xdist would put the units with most tests first; the collection is already slow first.
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)


def load_durations() -> dict[str, float]:
    """Seconds per test id from the last run; empty if there was none or the file is unreadable."""
    try:
        data = json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, int | float)}


def save_durations(measured: dict[str, float]) -> None:
    """Merge this run's durations into the file (a partial run keeps the others' times)."""
    merged = load_durations() | {nodeid: round(s, 3) for nodeid, s in measured.items()}
    DURATIONS.parent.mkdir(parents=True, exist_ok=True)
    partial = DURATIONS.with_suffix(".tmp")
    partial.write_text(json.dumps(merged, indent=0, sort_keys=True))
    partial.replace(DURATIONS)  # never a torn file for the next run to read


def slow_first(
    nodeids: Iterable[str], slow: set[str], durations: dict[str, float], workers: int = 1
) -> list[str]:
    """Test ids reordered so that the longest work units come first, each unit's tests in order.

    The sort is stable: tests of one page keep their reading order, and units of equal expected
    time keep the (random) order they came in. With several ``workers``, only one of the units
    they start with reads the built site (``one_site_reader_first``).
    """
    nodeids = list(nodeids)

    def expected(nodeid: str) -> float:
        if nodeid in durations:
            return durations[nodeid]
        return SLOW_FIRST_RUN if nodeid in slow else 0.0

    total: dict[str, float] = {}
    first: dict[str, int] = {}
    for position, nodeid in enumerate(nodeids):
        unit = work_unit(nodeid)
        total[unit] = total.get(unit, 0.0) + expected(nodeid)
        first.setdefault(unit, position)
    units = sorted(total, key=lambda unit: (-total[unit], first[unit]))
    rank = {unit: index for index, unit in enumerate(one_site_reader_first(units, workers))}
    return sorted(nodeids, key=lambda nodeid: rank[work_unit(nodeid)])


def one_site_reader_first(units: list[str], workers: int) -> list[str]:
    """``units`` with at most one that reads the built site among the first ``workers``.

    Each worker starts with one of the first units, before the site exists. The first to need it
    builds it (about six seconds), and any other that needs it meanwhile waits on the build's
    lock; dealt the longest units that do not read the site, they run those instead.
    """
    head: list[str] = []
    deferred: list[str] = []
    for index, unit in enumerate(units):
        if len(head) == workers:
            return head + deferred + units[index:]
        if unit.startswith(READS_THE_SITE) and any(u.startswith(READS_THE_SITE) for u in head):
            deferred.append(unit)
        else:
            head.append(unit)
    return head + deferred
