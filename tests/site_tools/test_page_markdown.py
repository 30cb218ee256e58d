"""The one Markdown reader: fences, headings and admonitions as MkDocs would see them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_tools.page_markdown import admonitions, fences, headings, section_at

PAGE = """\
# Title

## First `section`

!!! warning "Correction"
    The notes say X.

    ```python
    >>> 1
    1
    ```

```console
$ echo hi
hi
```
"""


def test_fences_inside_admonitions_are_found_with_their_lines() -> None:
    python, console = fences(PAGE)
    assert (python.line, python.info, python.body, python.indent) == (
        8,
        "python",
        [">>> 1", "1"],
        "    ",
    )
    assert (console.line, console.end, console.language) == (13, 17, "console")


def test_headings_sections_and_admonitions() -> None:
    assert headings(PAGE) == [(3, "First `section`")]
    assert section_at(PAGE, 8) == ("First `section`", "first-section")
    [box] = admonitions(PAGE)
    assert (box.kind, box.title, box.line) == ("warning", "Correction", 5)
    assert box.body.startswith("The notes say X.\n\n```python\n>>> 1")


@given(st.text())
def test_any_text_parses_and_every_fence_lies_inside_it(text: str) -> None:
    lines = text.splitlines()
    for fence in fences(text):
        assert 1 <= fence.line < fence.end <= len(lines) + 1
        assert all(isinstance(line, str) for line in fence.body)


BODY_LINE = st.text(
    alphabet=st.characters(blacklist_characters="`~\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=30,
)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["python", "console", "text", ""]), st.lists(BODY_LINE, max_size=4)
        ),
        max_size=5,
    )
)
def test_written_fences_are_read_back_exactly(blocks: list[tuple[str, list[str]]]) -> None:
    page = "\n\n".join(
        "```" + info + "\n" + "".join(line + "\n" for line in body) + "```" for info, body in blocks
    )
    found = fences(page)
    assert [(f.info, f.body) for f in found] == [(info, body) for info, body in blocks]
