"""Run-in-browser markers are checked, become a data-run attribute, and Pyodide's core is copied."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown as python_markdown
import pytest

from site_tools import registry
from site_tools.checks.doctests import count_sybil_examples
from site_tools.site_build.doctest_display import as_console
from site_tools.site_build.run_in_browser import (
    CORE_FILES,
    MARKER,
    SITE_FOLDER,
    MarkError,
    add_starter,
    copy_into_site,
    installed,
    mark,
    marked_blocks,
)

PAGE = f"""\
# A page

{MARKER}
```python
>>> x = 2
>>> x * 21
42
```

```python
>>> "not marked"
'not marked'
```

!!! note

    {MARKER}
    ```python
    >>> x + 1
    3
    ```

````markdown
{MARKER}
```python
print("inside a fence, the marker is only text")
```
````
"""


def test_marked_blocks_are_found_in_order_and_dedented() -> None:
    blocks = marked_blocks(PAGE)
    assert [block.line for block in blocks] == [4, 18]
    assert blocks[0].session == ">>> x = 2\n>>> x * 21\n42\n"
    assert blocks[1].session == ">>> x + 1\n3\n"


@pytest.mark.parametrize(
    ("page", "error"),
    [
        (f"{MARKER}\n\n```python\n>>> 1\n1\n```\n", "must stand right before a fence"),
        (f"{MARKER}\n```py\n>>> 1\n1\n```\n", "marks a ```py fence"),
        (f"{MARKER}\n```console\n$ ls\n```\n", "marks a ```console fence"),
        (f"{MARKER}\n```python\nx = 1\n```\n", "not a doctest"),
        (f"{MARKER}\n    ```python\n    >>> 1\n    1\n    ```\n", "at its indentation"),
        (f"text\n{MARKER}", "must stand right before a fence"),
    ],
)
def test_a_marker_that_marks_no_doctest_is_an_error(page: str, error: str) -> None:
    with pytest.raises(MarkError, match=error):
        marked_blocks(page)
    with pytest.raises(MarkError, match=error):
        mark(as_console(page), enabled=True)


def test_sybil_collects_a_marked_fence_as_before(tmp_path: Path) -> None:
    marked, plain = tmp_path / "marked.md", tmp_path / "plain.md"
    marked.write_text(PAGE, encoding="utf-8")
    plain.write_text(PAGE.replace(MARKER, ""), encoding="utf-8")
    # Four doctest statements, and the fence inside the ````markdown fence, which Sybil also runs.
    assert count_sybil_examples(marked) == count_sybil_examples(plain) == 5


def _render(page: str) -> str:
    return python_markdown.markdown(
        page,
        extensions=["admonition", "attr_list", "pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )


def test_marked_blocks_carry_data_run() -> None:
    html = _render(mark(as_console(PAGE), enabled=True))
    assert MARKER not in html.replace("&lt;", "<").split("```markdown")[0]
    assert html.count('<div class="language-pycon highlight" data-run="">') == 2
    assert html.count('<div class="language-pycon highlight">') == 1  # not marked


def test_without_pyodide_the_markers_go_and_no_block_is_runnable() -> None:
    shown = mark(as_console(PAGE), enabled=False)
    assert "data-run" not in _render(shown)
    assert shown.count(MARKER) == 1  # the one inside the markdown fence, shown as text


def test_the_starter_goes_only_into_pages_with_runnable_blocks() -> None:
    page = '<html><body><div class="language-pycon highlight" data-run=""></div></body></html>'
    started = add_starter(page, "pycon-us-2022/python-oddities/")
    assert started.endswith("</script></body></html>")
    assert "import('../../assets/javascripts/run-python.js')" in started
    assert "'../../assets/pyodide/'" in started
    assert len(started) - len(page) < 600
    plain = "<html><body><p>no code</p></body></html>"
    assert add_starter(plain, "tags/") == plain


def _fake_pyodide(folder: Path) -> Path:
    folder.mkdir()
    for name in (*CORE_FILES, "pyodide.js.map", "console.html", "ffi.d.ts"):
        (folder / name).write_text(name, encoding="utf-8")
    return folder


def test_only_pyodides_core_is_copied_and_only_once(tmp_path: Path) -> None:
    pyodide = _fake_pyodide(tmp_path / "pyodide")
    site = tmp_path / "site"
    copied = copy_into_site(site, pyodide)
    assert sorted(path.name for path in copied) == sorted(CORE_FILES)
    assert sorted(path.name for path in (site / SITE_FOLDER).iterdir()) == sorted(CORE_FILES)
    before = [(path.stat().st_mtime_ns, path.stat().st_ino) for path in copied]
    copy_into_site(site, pyodide)
    assert [(path.stat().st_mtime_ns, path.stat().st_ino) for path in copied] == before


def test_without_pyodide_the_build_says_how_to_get_run_buttons(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "not-installed"
    assert not installed(missing)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.run_in_browser"):
        assert copy_into_site(tmp_path / "site", missing) == []
    assert "npm ci --prefix site_tools/site_build/pyodide" in caplog.text
    assert not (tmp_path / "site").exists()


def test_every_marker_on_the_site_marks_a_doctest() -> None:
    counts = {
        talk.slug: len(marked_blocks(talk.page.read_text(encoding="utf-8")))
        for talk in registry.talks()
    }
    assert counts["python-oddities"] > 0
    assert counts["attributes"] > 0
