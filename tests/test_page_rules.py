"""The site's standing rules: fences Sybil can see, talk pages to standard, mirrored trees.

Sybil silently skips a fence it does not recognise, so each page pins its number of collected
examples in its front matter (``examples:``), the way Sybil's own documentation guards itself. A
page that gains or loses an example updates its number in the same commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools import registry
from site_tools.checks.doctests import count_sybil_examples
from site_tools.checks.page_rules import check_fences, check_talk_page, is_talk_page
from site_tools.page_markdown import split_front_matter
from site_tools.paths import DOCS, EXAMPLES

PAGES = sorted(DOCS.rglob("*.md"))
TALK_PAGES = [page for page in PAGES if is_talk_page(page)]
EVENT_EXAMPLES = [EXAMPLES / event.slug.replace("-", "_") for event in registry.events()]
TALK_EXAMPLES = sorted(
    folder
    for event in EVENT_EXAMPLES
    for folder in event.iterdir()
    if folder.is_dir() and folder.name != "__pycache__"
)


def _name(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_fences_are_run_or_included(page: Path) -> None:
    assert check_fences(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("page", TALK_PAGES, ids=_name)
def test_talk_page_has_front_matter_and_sections(page: Path) -> None:
    assert check_talk_page(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_page_runs_the_expected_number_of_examples(page: Path) -> None:
    """The count in the page's front matter (``examples:``, 0 when absent) is what Sybil runs."""
    meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
    assert count_sybil_examples(page) == meta.get("examples", 0), (
        "update `examples:` in the page's front matter to the number of examples it now has"
    )


@pytest.mark.parametrize("talk", registry.talks(), ids=lambda talk: talk.slug)
def test_every_talk_has_its_three_places(talk: registry.Talk) -> None:
    assert talk.page.is_file()
    assert (talk.examples / "__init__.py").is_file(), "examples must be importable as examples.…"
    assert talk.tests.exists(), f"no tests for {talk.slug}: {talk.tests}"


@pytest.mark.parametrize("talk", TALK_EXAMPLES, ids=lambda folder: folder.name)
def test_every_talk_example_folder_belongs_to_a_registered_talk(talk: Path) -> None:
    assert talk in {t.examples for t in registry.talks()}, (
        f"{talk.name} has examples but no talk in mkdocs.yml's nav"
    )


# The checks above are only worth something if they catch what they claim to catch.

PASTED = """\
x = 1
```python
OPERATIONS: dict[str, Callable[[object], object]] = {
    "list += x": _list_iadd,
    "list.extend(x)": _list_extend,
    "list + x": lambda x: [] + x,  # type: ignore[operator]  # noqa: RUF005 (the + is the point)
    "tuple += x": _tuple_iadd,
```
"""
PASTED_FROM = EXAMPLES / "pycon_us_2022" / "python_oddities" / "duck_typing.py"


@pytest.mark.parametrize(
    ("fence", "complaint"),
    [
        ("```py\nprint(1)\n```\n", "never run by Sybil"),
        ("```pycon\n>>> 1\n1\n```\n", "never run by Sybil"),
        ("!!! note\n    ```python3\n    print(1)\n    ```\n", "never run by Sybil"),
        ('```python title="x.py"\n--8<-- "x.py"\n```\n', 'title="examples/…"'),
        ('```python\n--8<-- "examples/pycon_us_2022/__init__.py"\n```\n', "bare ```python"),
        ('```python title="examples/nope.py"\n--8<-- "examples/nope.py"\n```\n', "missing file"),
        ("<!-- invisible-code-block: python\nx = 1\n-->\n", "invisible"),
    ],
)
def test_fence_rules_catch_escapes(fence: str, complaint: str) -> None:
    problems = check_fences(fence)
    assert any(complaint in problem for problem in problems), problems


def test_fence_rules_catch_a_pasted_example() -> None:
    body = PASTED.split("```python\n")[1].split("```")[0]
    assert body in PASTED_FROM.read_text(), "the sample must be real"
    assert any("pasted" in problem for problem in check_fences(PASTED))


def test_fence_rules_accept_the_two_kinds() -> None:
    page = (
        "```python\n>>> 1 + 1\n2\n```\n\n"
        '```python title="examples/pycon_us_2022/python_oddities/duck_typing.py"\n'
        '--8<-- "examples/pycon_us_2022/python_oddities/duck_typing.py"\n```\n\n'
        "```console\n$ uv run pytest\n```\n"
    )
    assert check_fences(page) == []


def test_talk_page_rules_catch_a_bare_page() -> None:
    problems = check_talk_page("---\ntitle: T\ntags: [not-a-tag]\n---\n# T\n")
    expected = ["'speaker'", "'schedule'", "tags not in", "In short", "Sources", "Correction"]
    for fragment in expected:
        assert any(fragment in problem for problem in problems), (fragment, problems)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("# T\n\n> abstract\n\n## In short\n\n- a.\n- b.\n- c.\n", "between the title"),
        ("# T\n\n## Other\n\n## In short\n\n- a.\n- b.\n- c.\n", "first section"),
        ("# T\n\n## In short\n\n- a.\n- b.\n", "has 2 takeaways"),
        ("# T\n\n## In short\n\n- One. Two.\n- b.\n- c.\n", "one sentence"),
        (
            "# T\n\n## In short\n\n"
            + "- word word word word word word word word word word.\n" * 5
            + "- "
            + "w " * 70
            + "\n",
            "runs 120 words",
        ),
    ],
)
def test_in_short_rules_catch_a_buried_or_long_gist(body: str, complaint: str) -> None:
    from site_tools.checks.page_rules import check_in_short

    problems = check_in_short(body)
    assert any(complaint in problem for problem in problems), problems


def test_every_tag_groups_at_least_two_talks() -> None:
    from site_tools.checks.page_rules import allowed_tags

    uses = dict.fromkeys(allowed_tags(), 0)
    for page in TALK_PAGES:
        meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
        for tag in meta.get("tags") or []:
            uses[tag] += 1
    assert {tag: n for tag, n in uses.items() if n < 2} == {}
