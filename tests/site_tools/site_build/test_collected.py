"""The errata and "changed since" pages are built from the talk pages: check the extraction."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

from site_tools.site_build import collected

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
    assert header.endswith("1\u00a0min\u00a0read</p>")


def test_talk_header_gives_the_recording_its_length() -> None:
    meta = {"speaker": "S", "video": "https://v", "video_seconds": 1544}
    assert "[video\u00a0(26\u00a0min)](https://v)" in collected.talk_header(meta, PAGE)


def test_talk_header_wraps_only_after_a_separator() -> None:
    meta = {
        "speaker": "Ada Lovelace",
        "video": "https://v",
        "video_seconds": 1544,
        "code": "https://c",
    }
    header = collected.talk_header(meta, PAGE).removeprefix('<p class="talk-header" markdown>')
    after_speaker = header.split("**", 2)[2]
    # Every breakable space follows a "·": an item is never split, nor a "·" sent to a new line.
    assert re.findall(r".(?= )", after_speaker) == ["·"] * 3


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
    from site_tools.site_build import hooks as mkdocs_hooks

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


# No item twice on the generated pages. Two items "say the same thing" when they share a claim:
# - the same sentence (case, punctuation and Markdown aside) that names a version or a date;
# - the same PEP (one PEP is one change);
# - the same release and date ("Python 3.10 … October 2026"), however the rest is worded;
# - the same release and subject: the first API a sentence names ("Python 3.14: `multiprocessing`
#   no longer forks" and "Python 3.14 changed the start method of `multiprocessing`").
# A sentence without a digit ("This block holds on every version:") is not a claim.
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{_MONTHS}) \d{{4}}\b|\b\d{{4}}-\d\d-\d\d\b", re.I)
_RELEASE = re.compile(r"\b([A-Z][\w-]*|[a-z][\w]*-[\w-]+) (\d+(?:\.\d+)+)\b")
_PEP = re.compile(r"\bPEP (\d+)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\[(])")


def _claims(text: str) -> set[tuple[str, ...]]:
    """What the sentences of one item assert, as comparable keys (code spans keep backticks)."""
    found: set[tuple[str, ...]] = set()
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        words = re.sub(r"\W+", " ", sentence.lower()).strip()
        if re.search(r"\d", words):
            found.add(("sentence", words))
        found |= {("PEP", number) for number in _PEP.findall(sentence)}
        release = _RELEASE.search(sentence.replace("`", ""))
        if release:
            name = f"{release[1].lower()} {release[2]}"
            found |= {("release and date", name, d.lower()) for d in _DATE.findall(sentence)}
            subject = re.search(r"`([^`]+)`", sentence)
            if subject:
                found.add(("release and subject", name, subject[1]))
    return found


def _items(page: str) -> list[tuple[str, str]]:
    """``(talk, text)`` of each top-level list item and paragraph, code blocks left out.

    ``talk`` is the page a ``##`` heading links to, without ``.md`` (its text if it links
    nowhere), or "intro" before the first one; deeper headings stay in their talk's section.
    """
    from markdown_it import MarkdownIt

    from site_tools.page_markdown import split_front_matter

    items: list[tuple[str, list[str]]] = []
    talk, open_item = "intro", None
    tokens = MarkdownIt("commonmark").parse(split_front_matter(page)[1])
    for before, token in itertools.pairwise(tokens):
        if token.type == "list_item_open" and token.level == 1:
            open_item = []
            items.append((talk, open_item))
        elif token.type == "list_item_close" and token.level == 1:
            open_item = None
        elif token.type == "inline" and before.type == "heading_open":
            if before.tag == "h2":
                links = [c.attrGet("href") for c in token.children or [] if c.type == "link_open"]
                talk = (
                    str(links[0]).partition("#")[0].removesuffix(".md") if links else token.content
                )
        elif token.type == "inline":
            text = "".join(
                f"`{child.content}`" if child.type == "code_inline" else child.content or " "
                for child in token.children or []
                if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
            )
            if open_item is not None:
                open_item.append(text)
            elif token.level == 1:  # a paragraph of its own, outside any list
                items.append((talk, [text]))
    return [(talk, " ".join(parts)) for talk, parts in items]


def _repeats(page: str) -> set[tuple[str, str, tuple[str, ...]]]:
    """``(talk, talk, claim)`` for every two items of ``page`` that share a claim."""
    claimed = [(talk, _claims(text)) for talk, text in _items(page)]
    return {
        (talk_a, talk_b, shared)
        for (talk_a, a), (talk_b, b) in itertools.combinations(claimed, 2)
        for shared in a & b
    }


def _real_pages() -> list[SimpleNamespace]:
    from site_tools import registry

    return [
        SimpleNamespace(src_uri=talk.src_uri, content_string=talk.page.read_text(encoding="utf-8"))
        for talk in registry.talks()
    ]


def test_the_same_fact_in_two_talks_is_found_however_it_is_worded() -> None:
    from site_tools.site_build import hooks as mkdocs_hooks

    said_twice = [
        "- **Python 3.10**, current at the talk, reached its end of life in October 2026.",
        "- Python 3.10, the version of the notes, reached its end of life in October 2026;",
        "- The free-threaded build (PEP 703) is supported.",
        "- Threads run without the GIL in the free-threaded build (PEP 703).",
        "- **Python 3.14** changed the start method of `multiprocessing` to forkserver.",
        "- Python 3.14: `multiprocessing` no longer forks by default (a `DeprecationWarning`).",
        "- Version 2.0 of the thing shipped.",
        "- Version 2.0 of the *thing* shipped!",
    ]
    pages = [
        SimpleNamespace(
            src_uri=f"e/talk-{number}.md",
            content_string=PAGE.replace("- Python 3.12 did a thing.", item),
        )
        for number, item in enumerate(said_twice)
    ]
    repeats = _repeats(mkdocs_hooks.changes_page(pages))
    # The page's own opening states Python 3.10's end of life: a talk may not say it again.
    assert {(a, b) for a, b, _ in repeats} == {
        ("intro", "talk-0"),
        ("intro", "talk-1"),
        ("talk-0", "talk-1"),
        ("talk-2", "talk-3"),
        ("talk-4", "talk-5"),
        ("talk-6", "talk-7"),
    }
    kinds = {claim[0] for _, _, claim in repeats}
    assert kinds == {"sentence", "PEP", "release and date", "release and subject"}


def test_a_sentence_without_a_version_or_date_is_no_claim() -> None:
    said = "This block holds on every version:"
    assert _repeats(f"- One.\n  {said}\n- Two.\n  {said}\n") == set()


def test_the_errata_page_corrects_nothing_twice() -> None:
    from site_tools.page_markdown import admonitions
    from site_tools.site_build import hooks as mkdocs_hooks

    errata = mkdocs_hooks.errata_page(_real_pages())
    # Each box's correction, without the line that says where it stands and its anchor.
    framing = re.compile(r"^(In \[.*\):|\{: #[\w-]+ \})$", re.MULTILINE)
    corrections = [
        framing.sub("", box.body).strip().split("\n\n", 1)[0]
        for box in admonitions(errata)
        if box.kind == "warning"
    ]
    assert len(corrections) > 10
    # Two corrections of the same statement would quote the same words of the notes.
    quoted = [
        {" ".join(q.lower().split()) for q in re.findall(r'"([^"]+)"', text) if " " in q.strip()}
        for text in corrections
    ]
    pairs = itertools.combinations(range(len(corrections)), 2)
    same = [(corrections[a], corrections[b]) for a, b in pairs if quoted[a] & quoted[b]]
    assert same == []
    assert _repeats("\n\n".join(corrections)) == set()


def test_the_changes_page_states_each_change_once() -> None:
    from site_tools.site_build import hooks as mkdocs_hooks

    # A fact two talks share is stated in one and linked from the other.
    assert _repeats(mkdocs_hooks.changes_page(_real_pages())) == set()
