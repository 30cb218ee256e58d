"""Figures on the pages: every placeholder resolves from its results file, and nothing else runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_tools.checks.page_rules import check_fences
from site_tools.paths import DOCS
from site_tools.site_build.figures import FigureError, evaluate, figures_in, fill

PAGES = sorted(DOCS.rglob("*.md"))
RESULTS = {"results": {"rows": [{"s": 2.0}, {"s": 0.5}], "size-bytes": 152371, "n": 1427}}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(DOCS).as_posix())
def test_every_figure_on_a_page_comes_from_its_results_file(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assets = page.parent / "assets"
    for figure in figures_in(text):
        assert figure.render(assets), figure.text  # raises FigureError if it cannot be filled


@pytest.mark.parametrize(
    ("expression", "spec", "shown"),
    [
        ("results.rows[0].s / results.rows[1].s", ".1f", "4.0"),
        ("results['size-bytes'] / 1024", ".1f", "148.8"),
        ("results.n", ",d", "1,427"),
        ("max(results.rows[0].s, results.rows[1].s)", "", "2.0"),
        ("round(-results.rows[1].s * 10)", "", "-5"),
    ],
)
def test_a_placeholder_shows_its_value(
    tmp_path: Path, expression: str, spec: str, shown: str
) -> None:
    (tmp_path / "talk").mkdir()
    (tmp_path / "talk" / "bench.json").write_text(json.dumps(RESULTS))
    page = f'It took {{{{ figure("talk/bench", "{expression}", "{spec}") }}}} seconds.'
    assert fill(page, tmp_path) == f"It took {shown} seconds."


@pytest.mark.parametrize(
    "expression",
    ["__import__('os').system('true')", "results.n.__class__", "open('x')", "results.missing"],
)
def test_only_data_and_arithmetic_are_evaluated(expression: str) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        evaluate(expression, RESULTS)


def test_a_missing_file_or_key_fails_with_the_placeholder_named(tmp_path: Path) -> None:
    with pytest.raises(FigureError, match=r'figure\("talk/none"'):
        fill('{{ figure("talk/none", "results.n") }}', tmp_path)
    (tmp_path / "talk").mkdir()
    (tmp_path / "talk" / "bench.json").write_text(json.dumps(RESULTS))
    with pytest.raises(FigureError, match="KeyError"):
        fill('{{ figure("talk/bench", "results.gone") }}', tmp_path)


def test_a_placeholder_in_a_fence_is_refused() -> None:
    page = '```console\n$ run\n{{ figure("talk/bench", "results.n") }}\n```\n'
    assert any("figures belong in prose" in problem for problem in check_fences(page))


def test_code_shows_a_placeholder_as_written(tmp_path: Path) -> None:
    code = '`{{ figure("talk/none", "results.n") }}`\n\n```text\n{{ figure("x/y", "z") }}\n```\n'
    assert figures_in(code) == []
    assert fill(code, tmp_path) == code


@pytest.mark.slow
def test_no_built_page_shows_a_placeholder(built_site: Path) -> None:
    # Pages the build assembles from other pages (the day overview quotes each talk's takeaways)
    # must be filled too, and so must the search index, which readers see as result snippets.
    # A placeholder shown as code (CONTRIBUTING explains the syntax) is not one to fill.
    unfilled = [
        path.relative_to(built_site).as_posix()
        for path in [*built_site.rglob("*.html"), *built_site.rglob("search_index.json")]
        if "{{ figure(" in re.sub(r"<code>.*?</code>", "", path.read_text("utf-8"), flags=re.S)
    ]
    assert unfilled == []
