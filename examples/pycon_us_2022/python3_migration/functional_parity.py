"""Phase 3, functional parity: group the failing tests of a JUnit XML report by their root cause.

Functional parity took Yelp about a year: run the ~100,000 tests under Python 3 every day, group
the failures by traceback, file tickets for the biggest groups, repeat. A thousand failing tests
are rarely a thousand bugs: one helper that mixes ``str`` and ``bytes`` fails every test that
calls it. This tool reads the JUnit XML that pytest (``--junit-xml``), unittest reporters and
most CI systems write, and groups failures by *where they crashed and with which exception*:
the innermost ``path:line`` of the traceback plus the exception type and message (memory
addresses removed; assertion messages dropped, since they differ per test).

The report is parsed with ``xml.etree.ElementTree``: fine for reports your own CI wrote; for XML
from elsewhere the Python docs recommend defusedxml.

```python
from examples.pycon_us_2022.python3_migration.functional_parity import root_cause

text = ">   return name + sku\\nE   TypeError: ...\\nshop/cat.py:2: TypeError"
assert root_cause("TypeError: can only concatenate str", text) == (
    "shop/cat.py:2", "TypeError: can only concatenate str")
```
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.python3_migration.legacy_sample import sample_tree
from examples.pycon_us_2022.python3_migration.regular_files import NotARegularFile, read_regular

PYTEST_CRASH = re.compile(r"^(?P<path>[^\s:][^:\n]*\.py):(?P<line>\d+): (?P<type>[\w.]+)$", re.M)
TRACEBACK_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)', re.M)
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


@dataclass(frozen=True)
class FailedTest:
    """One failing (or erroring) test case of the report."""

    test: str
    location: str
    cause: str


def root_cause(message: str, text: str) -> tuple[str, str]:
    """(innermost path:line, "Type: message") for one failure's message attribute and text."""
    crashes = list(PYTEST_CRASH.finditer(text))
    frames = list(TRACEBACK_FRAME.finditer(text))
    if crashes:  # pytest ends each traceback section with "path:line: ExceptionType"
        last = crashes[-1]
        location, kind = f"{last['path']}:{last['line']}", last["type"]
    elif frames:  # a plain Python traceback (unittest reporters)
        last = frames[-1]
        location, kind = f"{last['path']}:{last['line']}", ""
    else:
        location, kind = "unknown location", ""
    # The report's message attribute if any, else the traceback's last line ("Type: message").
    lines = message.strip().splitlines()[:1] or text.strip().splitlines()[-1:]
    first_line = lines[0].strip() if lines else ""
    if not kind:
        kind = first_line.partition(":")[0] if ":" in first_line else first_line or "failure"
    detail = first_line.partition(": ")[2] if first_line.startswith(kind) else first_line
    if kind.endswith("AssertionError"):  # the asserted values differ in every test
        detail = ""
    detail = ADDRESS.sub("0x…", detail)
    return location, f"{kind}: {detail}" if detail else kind


def failures_in(report: Path) -> tuple[int, list[FailedTest]]:
    """The number of test cases in a JUnit XML file and its failures and errors."""
    try:  # a FIFO or a link loop named as a report is bad usage, not a wait or a traceback
        data = read_regular(report)
    except (NotARegularFile, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise UsageError(f"cannot read {report}: {error.strerror or error}") from None
    try:
        root = ET.fromstring(data)  # our CI's own report: trusted
    except ET.ParseError as error:
        raise UsageError(f"{report} is not XML: {error}") from None
    if root.tag not in {"testsuites", "testsuite"}:
        raise UsageError(f"{report} is not a JUnit report (its root is <{root.tag}>)")
    cases = list(root.iter("testcase"))
    failed = []
    for case in cases:
        name = "::".join(filter(None, [case.get("classname"), case.get("name")]))
        for outcome in (*case.findall("failure"), *case.findall("error")):
            location, cause = root_cause(outcome.get("message", ""), outcome.text or "")
            failed.append(FailedTest(name, location, cause))
    return len(cases), failed


def group(failed: Iterable[FailedTest]) -> list[tuple[int, str, str, list[str]]]:
    """Root causes, biggest first: (tests, location, cause, the tests' names)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for failure in failed:
        groups.setdefault((failure.location, failure.cause), []).append(failure.test)
    rows = [(len(tests), loc, cause, sorted(tests)) for (loc, cause), tests in groups.items()]
    return sorted(rows, key=lambda row: (-row[0], row[1], row[2]))


def demo_report(folder: Path) -> Path:
    """Run the sample's tests under this Python with pytest, which writes a real JUnit report."""
    report = folder / "report.xml"
    with sample_tree() as root:
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
             f"--junit-xml={report}", "tests"],
            cwd=root, capture_output=True, check=False, timeout=120,
        )  # fmt: skip
    if not report.is_file():
        raise UsageError("pytest wrote no report for the sample")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="functional_parity",
        description="Group the failing tests of JUnit XML reports by root cause, biggest first. "
        "Exit 0 if nothing failed, 1 if something did, 2 on bad usage.",
    )
    parser.add_argument("reports", nargs="*", type=Path, help="JUnit XML files (shards welcome)")
    parser.add_argument("--show", type=int, default=3, help="test names to list per cause")
    parser.add_argument("--demo", action="store_true", help="run the sample's tests and group")
    args = parser.parse_args(argv)
    if args.show < 0:
        raise UsageError(f"--show must be at least 0, not {args.show}")
    if not args.reports and not args.demo:
        raise UsageError("give JUnit XML reports (or --demo)")
    total, failed = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        reports = [demo_report(Path(scratch))] if args.demo else []
        for report in [*reports, *args.reports]:
            if report.is_dir():
                raise UsageError(f"{report} is a folder, not a JUnit XML file")
            cases, found = failures_in(report)
            total, failed = total + cases, failed + found
    rows = group(failed)
    for count, location, cause, tests in rows:
        print(f"{count:7} {location}  {cause}")
        more = f" and {len(tests) - args.show} more" if len(tests) > args.show else ""
        print(f"{'':8}{', '.join(tests[: args.show])}{more}")
    print(f"{total} tests, {len(failed)} failed, {len(rows)} root causes")
    return 1 if failed else 0


if __name__ == "__main__":
    run(main, prog="functional_parity")
