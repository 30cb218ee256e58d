"""The "verified" stamp of a talk page, read from the test run's JUnit XML, never typed.

``.ci/run`` runs ``pytest --junitxml=.cache/junit.xml`` before ``mkdocs build``; the root
conftest records the Python version, the operating system and the date as properties of that
run. The MkDocs hook then tells each talk page how many of its examples (its Sybil doctests) and
of its example tests passed. A build without that file (a local preview) shows no stamp at all.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from site_tools.paths import REPO_ROOT

JUNIT = Path(os.environ.get("PYCON_NOTES_JUNIT", REPO_ROOT / ".cache" / "junit.xml"))


@dataclass(frozen=True)
class Tally:
    """Outcomes of the test cases that belong to one page."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, int, int]:
        return self.passed, self.failed, self.skipped


@dataclass(frozen=True)
class TestRun:
    """One pytest run: where it ran, and the outcome of every test case by its class name."""

    python: str
    system: str
    date: str
    cases: dict[str, list[str]]

    def tally(self, prefixes: tuple[str, ...]) -> Tally:
        total = Tally()
        for classname, outcomes in self.cases.items():
            if classname.startswith(prefixes):
                total += Tally(
                    passed=outcomes.count("passed"),
                    failed=outcomes.count("failed"),
                    skipped=outcomes.count("skipped"),
                )
        return total


def read_run(path: Path = JUNIT) -> TestRun | None:
    """The run recorded at ``path``, or None if there is none (or it cannot be read)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        return None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    cases: dict[str, list[str]] = {}
    for case in suite.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        cases.setdefault(case.get("classname", ""), []).append(outcome)
    return TestRun(
        python=properties.get("python", "?"),
        system=properties.get("system", "?"),
        date=properties.get("date", (suite.get("timestamp") or "?")[:10]),
        cases=cases,
    )


def page_prefixes(page_src: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """JUnit class names of a page's doctests, and of its examples' tests.

    ``pycon-us-2022/python-oddities.md`` → doctests under ``docs.pycon-us-2022.python-oddities.md``;
    example tests under ``tests.pycon_us_2022.test_python_oddities`` or the folder
    ``tests.pycon_us_2022.python_oddities.``.
    """
    event, _, name = page_src.rpartition("/")
    slug = name.removesuffix(".md")
    docs = (f"docs.{event.replace('/', '.')}.{name}",)
    snake_event, snake = event.replace("-", "_"), slug.replace("-", "_")
    tests = (f"tests.{snake_event}.test_{snake}", f"tests.{snake_event}.{snake}.")
    return docs, tests


HOW = "../contributing.md#code-on-a-page-two-kinds-of-fence"


def stamp(page_src: str, run: TestRun | None) -> str:
    """The line a talk page shows under its header: what the last test run proved, or nothing.

    A local preview has no test run to read, so it claims nothing: the line appears only where a
    run before the build recorded this page's outcomes (as CI does before it publishes).
    """
    if run is None:
        return ""
    doc_prefixes, test_prefixes = page_prefixes(page_src)
    doctests, tests = run.tally(doc_prefixes), run.tally(test_prefixes)
    ran = doctests.passed + doctests.failed + tests.passed + tests.failed
    where = f"on Python {run.python} ({run.system}), {run.date}"
    how = f"[How pages are checked]({HOW})"
    if ran == 0:
        text, kind = f"No example of this page ran {where}.", "verified verified--none"
    elif doctests.failed or tests.failed:
        failed = doctests.failed + tests.failed
        text, kind = f"{failed} of {ran} checks of this page failed {where}.", "verified--failed"
        kind = f"verified {kind}"
    else:
        text = (
            f"Verified: all {doctests.passed} code examples on this page and {tests.passed} "
            f"tests of its scripts passed {where}."
        )
        kind = "verified"
    return f'<p class="{kind}" markdown>{text} {how}</p>'
