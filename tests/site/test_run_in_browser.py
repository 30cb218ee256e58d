"""Run it here, in a real browser: every marked block runs in Pyodide and prints the page's output.

The marked blocks are read from the Markdown sources (``run_in_browser.marked_blocks``); their
expected output is the doctest's own, compared with what the page shows after Run the way the
suite compares it (doctest's OutputChecker with ELLIPSIS). The page never reaches another host,
before or after Run; nothing of Pyodide loads before the first Run; Reset and Edit work, from
the keyboard, and axe finds nothing serious in the controls and their output. The boot time and
the bytes fetched are recorded in .cache/artefacts/pyodide-boot.json, never asserted.

The boot measurement opens a context of its own, so it starts cold. The other tests go from page
to page in the one tab of the module's ``desktop`` context (``support.visit``), as a reader does:
after the first boot, Pyodide's files come from the browser's cache, and its compiled WebAssembly
from the tab's renderer process, which keeps it for the next page. A boot there costs about half
the CPU of one in a new tab (six pages, measured: 14 CPU-seconds in one tab, 24 in a tab each).
"""

from __future__ import annotations

import doctest
import gzip
import json
import re
from pathlib import Path

import pytest

from site_tools import registry
from site_tools.checks.doctests import DOCTEST_FLAGS
from site_tools.site_build import run_in_browser
from tests.site.conftest import ARTEFACTS
from tests.site.support import (
    in_each_palette,
    open_recorded,
    problems_on,
    serious_violations,
    visit,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),  # above BOOT_TIMEOUT_MS: a cold boot on busy cores is slow
    pytest.mark.skipif(
        not run_in_browser.installed(),
        reason=f"Pyodide is not installed: {run_in_browser.INSTALL} (needs Node and npm)",
    ),
]

RUNNABLE = {
    talk: blocks
    for talk in registry.talks()
    if (blocks := run_in_browser.marked_blocks(talk.page.read_text(encoding="utf-8")))
}
# A cold start takes a few seconds; on a 2-core machine whose cores are both busy (the suite runs
# in parallel) compiling the WebAssembly has taken minutes. Generous, since nothing is timed here.
BOOT_TIMEOUT_MS = 540_000
ODDITIES = next(talk for talk in RUNNABLE if talk.slug == "python-oddities")
PARSER, CHECKER = doctest.DocTestParser(), doctest.OutputChecker()


def _press(button) -> None:
    """Press a Run (or Edit) button from the keyboard. A click aims at where the button was when
    it scrolled into view; Material mounting code blocks above it can move it before the click
    lands, and the press is lost (seen once under load, as a nine-minute wait)."""
    button.press("Enter")  # focuses the button first


def _wait_until_ran(page, count: int) -> None:
    """Wait until ``count`` outputs are done; fail at once if Python could not start."""
    page.wait_for_function(
        f"""() => document.querySelectorAll('.run-py__out[data-state=done]').length >= {count}
            || document.querySelector('.run-py__out[data-state=error]')""",
        timeout=BOOT_TIMEOUT_MS,
    )
    errors = page.locator(".run-py__out[data-state=error]").all_inner_texts()
    assert errors == [], errors


def _differences(expected_session: str, shown_session: str) -> list[str]:
    """Where what the page showed after Run differs from the doctest's expected output."""
    want = PARSER.get_examples(expected_session)
    got = PARSER.get_examples(shown_session)
    if [e.source for e in want] != [e.source for e in got]:
        return [f"ran other statements than the page shows:\n{shown_session}"]
    found = []
    for expected, shown in zip(want, got, strict=True):
        if expected.exc_msg is not None:
            ok = shown.exc_msg is not None and CHECKER.check_output(
                expected.exc_msg, shown.exc_msg, DOCTEST_FLAGS
            )
        else:
            ok = shown.exc_msg is None and CHECKER.check_output(
                expected.want, shown.want, DOCTEST_FLAGS
            )
        if not ok:
            found.append(
                f">>> {expected.source.strip()}\nexpected {expected.want!r}\ngot {shown.want!r}"
            )
    return found


def _run_every_block(page, talk: registry.Talk) -> dict[str, list[str]]:
    """Press the page's last Run, which runs every marked block above it first, in one
    namespace, as Sybil does; where what each block then shows differs from its doctest."""
    blocks = RUNNABLE[talk]
    runs = page.locator(".run-py__run")
    assert runs.count() == len(blocks), "one Run button per marked block"
    _press(runs.last)
    page.wait_for_selector(".run-py__out progress, .run-py__out[data-state=done]")
    _wait_until_ran(page, len(blocks))
    shown = page.locator(".run-py__session").all_inner_texts()
    found = {}
    for block, session in zip(blocks, shown, strict=True):
        if differences := _differences(block.session, session):
            found[f"{talk.page.name}:{block.line}"] = differences
    return found


# The oddities page's blocks run in the cold-boot test below: a boot of Python costs about four
# CPU-seconds, and that test boots on that page anyway.
@pytest.mark.parametrize(
    "talk", [talk for talk in RUNNABLE if talk is not ODDITIES], ids=lambda talk: talk.slug
)
def test_every_marked_block_prints_the_pages_own_output(
    desktop, site_url: str, talk: registry.Talk
) -> None:
    page = visit(desktop, site_url + talk.url)
    assert _run_every_block(page, talk) == {}
    assert problems_on(page) == []


def test_nothing_loads_before_run_and_a_cold_boot_runs_the_page(browser, site_url: str) -> None:
    """A first visit: nothing of Pyodide before Run; then every block of the page, measured."""
    seen: list[str] = []  # every URL the page requests, from its first
    page, problems = open_recorded(browser, site_url + ODDITIES.url, seen=seen)
    early = [url for url in seen if "pyodide" in url or "run-python" in url]
    assert early == [], "Pyodide or the Run script loaded before the first Run"
    assert page.locator(".run-py__out").count() == 0
    assert _run_every_block(page, ODDITIES) == {}
    boot_ms = int(page.locator("[data-boot-ms]").get_attribute("data-boot-ms"))
    fetched = page.evaluate(
        """() => performance.getEntriesByType("resource")
            .filter((e) => e.name.includes("/assets/pyodide/") || e.name.includes("run-python"))
            .map((e) => ({name: e.name.split("/").pop(), bytes: e.decodedBodySize}))"""
    )
    page.close()
    assert problems == []
    assert {entry["name"] for entry in fetched} >= set(run_in_browser.CORE_FILES)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    record = {"boot_ms": boot_ms, "bytes": sum(e["bytes"] for e in fetched), "files": fetched}
    (ARTEFACTS / "pyodide-boot.json").write_text(json.dumps(record, indent=2), encoding="utf-8")


def test_the_controls_work_from_the_keyboard_and_axe_finds_nothing_serious_in_them(
    desktop, site_url: str
) -> None:
    """Run, Edit and Reset from the keyboard, with axe run over the controls, an output and an
    open editor in both palettes on the way (one boot of Python for all of it)."""
    page = visit(desktop, site_url + ODDITIES.url)
    first, second = page.locator(".run-py__run").nth(0), page.locator(".run-py__run").nth(1)
    second.focus()
    page.keyboard.press("Enter")
    _wait_until_ran(page, 2)
    assert page.evaluate("document.activeElement.classList.contains('run-py__run')")
    output = page.locator(".run-py__out").nth(1)
    assert output.get_attribute("aria-live") == "polite"
    edit = page.locator(".run-py__edit").first
    edit.focus()
    page.keyboard.press("Space")
    assert edit.get_attribute("aria-pressed") == "true"
    editor = page.locator(".run-py__editor").first
    assert page.evaluate("document.activeElement.classList.contains('run-py__editor')")
    violations = []
    for scheme in in_each_palette(page):
        violations += [f"{scheme}: {v}" for v in serious_violations(page, ".run-py")]
    assert violations == []
    editor.fill("sorted(name for name in globals() if not name.startswith('__'))")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /'squares'/.test(document.querySelector('.run-py__session').textContent)"
    )
    page.locator(".run-py__reset").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".run-py__out[data-state=reset]")
    assert page.locator(".run-py__session").count() == 0
    first.focus()
    page.keyboard.press("Enter")
    _wait_until_ran(page, 1)
    assert page.locator(".run-py__session").first.inner_text().rstrip().endswith("\n[]")
    assert problems_on(page) == []


STARTER = re.compile(r"<script>\(\(\)=>\{for\(const b of document\.querySelectorAll.*?</script>")


@pytest.mark.parametrize("talk", list(RUNNABLE), ids=lambda talk: talk.slug)
def test_a_talk_page_before_run_is_only_a_few_hundred_bytes_heavier(
    built_site: Path, talk: registry.Talk
) -> None:
    html = (built_site / talk.url / "index.html").read_bytes()
    without = STARTER.sub("", html.decode()).replace(' data-run=""', "").encode()
    assert len(without) < len(html)
    added = len(gzip.compress(html, mtime=0)) - len(gzip.compress(without, mtime=0))
    assert added < 500, f"{added} bytes more over the wire before Run"
