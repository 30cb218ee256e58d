"""The errata and "changed since" pages are built from the talk pages: check the extraction."""

from __future__ import annotations

import re
from types import SimpleNamespace

from site_tools.build import collected

PAGE = """\
---
title: A talk
speaker: Someone
schedule: https://us.pycon.org/2022/schedule/presentation/1/
---

# A talk

## In `+=`, [a link](https://example.org) and more

!!! warning "Correction"
    The notes say X.

    ```python
    >>> 1
    1
    ```

Not part of it.

```python
# a fence that only looks like one:
# !!! warning "Correction"
```

## Changed since 2022

- Python 3.12 did a thing.

## Run it yourself

text
"""


def test_corrections_carry_their_section_and_anchor() -> None:
    [found] = collected.corrections(PAGE)
    assert found.section == "In `+=`, [a link](https://example.org) and more"
    assert found.anchor == "in-a-link-and-more"
    assert found.text.startswith("The notes say X.")
    assert ">>> 1" in found.text
    assert "Not part of it" not in found.text


def test_changed_since_is_the_section_body_only() -> None:
    assert collected.changed_since(PAGE) == "- Python 3.12 did a thing."
    assert collected.changed_since("# no such section\n") == ""


def test_reading_time_counts_prose_not_code() -> None:
    prose = " ".join(["word"] * 401)
    code = "```python\n" + "x = 1\n" * 5000 + "```\n"
    assert collected.reading_minutes(prose) == 3
    assert collected.reading_minutes(prose + "\n\n" + code) == 3


def test_talk_header_lists_only_the_links_a_talk_has() -> None:
    meta = {"speaker": "Someone", "schedule": "https://s", "code": "https://c"}
    header = collected.talk_header(meta, PAGE)
    assert "**Someone**" in header
    assert "[schedule](https://s)" in header
    assert "[code](https://c)" in header
    assert "video" not in header
    assert header.endswith("1 min read</p>")


def test_talk_header_gives_the_recording_its_length() -> None:
    meta = {"speaker": "S", "video": "https://v", "video_seconds": 1544}
    assert "[video (26 min)](https://v)" in collected.talk_header(meta, PAGE)


def test_moved_text_keeps_its_in_page_links_working() -> None:
    text = "See [the build](#stage-3) and [another page](other.md#x) and [out](https://a.org/#y)."
    assert collected.rebase_anchors(text, "talk.md") == (
        "See [the build](talk.md#stage-3) and [another page](other.md#x) and [out](https://a.org/#y)."
    )


def test_a_correction_is_summed_up_by_its_first_sentence() -> None:
    correction = collected.Correction(
        "S", "s", 'The notes say `os.fork()` "fails". In fact it\nreturns. More.\n\nEvidence.'
    )
    assert correction.summary == 'The notes say `os.fork()` "fails".'
    assert (
        collected.Correction("S", "s", "One line | with a bar").summary == "One line \\| with a bar"
    )


def test_the_errata_page_opens_with_one_row_per_correction() -> None:
    from site_tools.build import hooks as mkdocs_hooks

    # errata_page reads only these two attributes of MkDocs' File.
    page = SimpleNamespace(src_uri="e/t.md", content_string=PAGE)
    text = mkdocs_hooks.errata_page([page])
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == len(collected.corrections(PAGE)) > 0
    assert text.count("{: #t-1 }") == 1


def test_the_overview_takes_each_talk_from_its_page() -> None:
    page = PAGE.replace(
        "## Changed since", "## In short\n\n- One takeaway, see [x](#y).\n\n## Changed since"
    )
    summary = collected.talk_summary("talk.md", page)
    assert summary.startswith("## [A talk](talk.md)\n")
    assert "**Someone**" in summary
    assert "- One takeaway, see [x](talk.md#y)." in summary


def test_the_home_page_names_each_speaker_as_the_talk_page_does() -> None:
    from site_tools.checks.page_rules import is_talk_page
    from site_tools.page_markdown import split_front_matter
    from site_tools.paths import DOCS

    home = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        if is_talk_page(page):
            meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
            card = home[home.index(f"({page.parent.name}/{page.name})") :].split("</div>")[0]
            assert f"{meta['speaker']} ·" in card.split("\n\n-")[0], page.name


def test_run_it_yourself_starts_with_how_to_get_the_code() -> None:
    page = collected.with_setup(PAGE, "https://github.com/o/notes")
    section = page[page.index("## Run it yourself") :]
    assert "$ git clone https://github.com/o/notes\n    $ cd notes" in section
    assert section.index("Get the code first") < section.index("text")


def test_collected_text_reads_on_its_own() -> None:
    """Corrections and changes are shown again on the errata and changes pages, away from the
    blocks around them: "above" and "below" would point at nothing there."""
    from site_tools.checks.page_rules import is_talk_page
    from site_tools.paths import DOCS

    pointing = re.compile(r"\b(above|below)\b(?! HTTP)")  # "below HTTP" is a layer, not a place
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        if not is_talk_page(page):
            continue
        text = page.read_text(encoding="utf-8")
        moved = [c.text for c in collected.corrections(text)] + [collected.changed_since(text)]
        found += [
            f"{page.name}: …{m.string[max(0, m.start() - 40) : m.end() + 20]}…"
            for part in moved
            for m in pointing.finditer(part)
        ]
    assert found == []
