"""Long example listings move to a generated sources page; check the Markdown both sides get."""

from __future__ import annotations

from pathlib import Path

from site_tools.site_build import example_sources

TALK = "pycon-us-2022/a-talk.md"
LONG = '"""Shows a thing: ``f`` and *more*."""\n' + "x = 1\n" * 80
DOCSTRING_FENCE = '"""Docstring with an example.\n\n```python\nassert True\n```\n"""\n'


def _page(*paths: str, indent: str = "") -> str:
    fences = "\n\n".join(
        f'{indent}```python title="{p}"\n{indent}--8<-- "{p}"\n{indent}```' for p in paths
    )
    box = "!!! example\n\n" if indent else ""  # an indented fence stands inside a block
    return f"# A talk\n\n## Running it\n\n{box}{fences}\n\nAfter.\n"


def _tree(tmp_path: Path) -> Path:
    folder = tmp_path / "examples" / "pycon_us_2022" / "a_talk"
    folder.mkdir(parents=True)
    (folder / "long_one.py").write_text(LONG)
    (folder / "short_one.py").write_text(DOCSTRING_FENCE)
    return tmp_path


LONG_PATH = "examples/pycon_us_2022/a_talk/long_one.py"
SHORT_PATH = "examples/pycon_us_2022/a_talk/short_one.py"


def test_only_long_whole_file_includes_move(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    [listing] = example_sources.long_listings(_page(LONG_PATH, SHORT_PATH), root)
    assert listing.path == LONG_PATH
    assert listing.lines == 81
    assert listing.summary == "Shows a thing: ``f`` and *more*."
    assert (listing.section, listing.section_anchor) == ("Running it", "running-it")
    assert listing.anchor == "long_one-py"


def test_the_talk_page_gets_a_card_and_keeps_short_listings(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    page = _page(LONG_PATH, SHORT_PATH, indent="    ")
    moved = example_sources.long_listings(page, root)
    rewritten = example_sources.rewrite_includes(page, TALK, moved, root)
    assert f'--8<-- "{LONG_PATH}"' not in rewritten
    assert f"    **Full listing:** [`{LONG_PATH}`](a-talk/sources.md#long_one-py), 81 lines" in (
        rewritten
    )
    assert "    Shows a thing: ``f`` and \\*more\\*." in rewritten
    assert "    { .listing-card }" in rewritten
    # The short file's docstring holds a ``` fence: its include gets a longer one.
    assert f'    ````python title="{SHORT_PATH}"\n    --8<-- "{SHORT_PATH}"\n    ````' in rewritten


def test_the_sources_page_includes_each_file_once_and_links_back(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    moved = example_sources.long_listings(_page(LONG_PATH, LONG_PATH), root)
    assert len(moved) == 2
    page = example_sources.sources_page('A "talk"', TALK, moved)
    assert page.startswith('---\ntitle: "Example sources: A \\"talk\\""\n---\n')
    assert page.count(f'--8<-- "{LONG_PATH}"') == 1
    assert "## `long_one.py` {#long_one-py}" in page
    assert "81 lines, shown on the talk page in [Running it](../a-talk.md#running-it)." in page
    assert example_sources.sources_uri(TALK) == "pycon-us-2022/a-talk/sources.md"


def test_a_fence_outlasts_any_fence_in_the_file() -> None:
    assert example_sources.fence_for("plain") == "```"
    assert example_sources.fence_for("  ````\n```") == "`````"
    assert example_sources.fence_for("```", "~~~") == "~~~"


def test_summaries_of_other_languages_and_broken_files() -> None:
    assert example_sources.summary_line("// Kernels in C++.\nint x;", ".cpp") == "Kernels in C++."
    assert example_sources.summary_line("# A build.\n", ".txt") == "A build."
    assert example_sources.summary_line("#!/bin/sh\necho", ".sh") == ""
    assert example_sources.summary_line("def (:", ".py") == ""
