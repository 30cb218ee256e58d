"""Search in a real browser: words of prose, names from code, and hyphenated terms as written.

"Found as written" means, for a term such as ``pre-commit``, ``Retry-After`` or ``kill -9``: a
page that contains the term comes first, the term is highlighted whole in that result, and no
result that lacks the term (say, one that has only ``commit``, or ``kill`` without ``-9``) ranks
above one that has it. A hyphen inside a word is part of the word; a hyphen in front of a word
is part of it when the site has such an option (``-9``, ``--no-cache-dir``), and otherwise keeps
lunr's meaning, "must not contain" (``docs/assets/javascripts/material-patches.js``).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from site_tools.paths import DOCS
from tests.site.support import first_search_result

pytestmark = pytest.mark.slow

# Each term stands on its talk's page, in prose (code blocks are not indexed).
HYPHENATED = [
    ("pre-commit", "python3-migration"),
    ("free-threaded", "binary-extensions"),
    ("Retry-After", "distributed-scraping"),
    ("scikit-build-core", "binary-extensions"),
    ("copy-on-write", "linux-features"),
    ("kill -9", "distributed-scraping"),
    ("--no-cache-dir", "docker-jupyter"),
]


def search(page, query: str) -> list[dict]:
    """Material's results for ``query``, one entry per page: its links, text and highlights.

    The field is cleared (until the previous results are gone) and the query entered whole, then
    a key is released, which is what Material listens to: no result of another query, or of a
    partly typed one, can stand in for it. The index loads in a web worker, and a query entered
    before it is ready can be lost: enter it again until results come.
    """
    field = page.locator("input.md-search__input")
    first = page.locator(".md-search-result__item").first
    field.click()
    for _ in range(15):
        field.fill("")
        field.press("End")
        first.wait_for(state="detached", timeout=10_000)
        field.fill(query)
        field.press("End")
        try:
            first.wait_for(timeout=2_000)
            break
        except PlaywrightTimeout:
            continue
    return page.eval_on_selector_all(
        ".md-search-result__item",
        """(items) => items.map((item) => ({
            links: [...item.querySelectorAll("a.md-search-result__link")].map((a) => a.href),
            text: item.textContent,
            marks: [...item.querySelectorAll("mark")].map((mark) => mark.textContent),
        }))""",
    )


@pytest.fixture(scope="module")
def reader(desktop, site_url: str):
    """One page for the module's searches: the index is loaded and built once. Each search clears
    the field and waits for the last results to go, so no test sees another's."""
    page = desktop.new_page()  # a tab of its own, kept on the page whose index it built
    page.goto(site_url)
    yield page
    page.close()


@pytest.mark.parametrize(("query", "talk"), HYPHENATED)
def test_hyphenated_terms_are_found_as_written(reader, query: str, talk: str) -> None:
    assert query.casefold() in (DOCS / "pycon-us-2022" / f"{talk}.md").read_text().casefold()
    results = search(reader, query)
    assert results, f"no result for {query!r}"
    pages = [_location(result["links"][0]).split("#")[0] for result in results]
    assert f"pycon-us-2022/{talk}/" in pages
    first = results[0]
    assert query.casefold() in first["text"].casefold(), f"first result lacks {query!r}"
    marked = {mark.casefold() for mark in first["marks"]}
    assert all(word.casefold() in marked for word in query.split()), first["marks"]
    has_term = [query.casefold() in result["text"].casefold() for result in results]
    assert has_term == sorted(has_term, reverse=True), "a result without the term ranks higher"


def test_a_part_of_a_hyphenated_word_still_finds_it(reader) -> None:
    results = search(reader, "useragent")
    assert any("fake-useragent" in mark.casefold() for r in results for mark in r["marks"])


def _location(link: str) -> str:
    """A result link as the search index names its entry: path and fragment, no query."""
    url = urllib.parse.urlsplit(link)
    return url.path.removeprefix("/") + (f"#{url.fragment}" if url.fragment else "")


def _index_text(built_site: Path) -> dict[str, str]:
    """Each search entry's words, by the URL path it links to."""
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    return {
        doc["location"]: re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}").casefold()
        for doc in index["docs"]
    }


def test_a_leading_hyphen_before_a_plain_word_still_excludes_it(reader, built_site: Path) -> None:
    texts = _index_text(built_site)
    with_copy = search(reader, "copy")
    without_write = search(reader, "copy -write")
    assert 0 < len(without_write) < len(with_copy)
    for result in without_write:
        for link in result["links"]:
            assert not re.search(r"\bwrite\b", texts[_location(link)]), link


@pytest.mark.parametrize(
    ("query", "page"),
    [("make_counter", "python-oddities"), ("register_at_fork", "linux-features")],
)
def test_search_finds_names_from_code(reader, query: str, page: str) -> None:
    assert f"pycon-us-2022/{page}/" in first_search_result(reader, query)
