"""Doctest blocks are shown as console sessions, and their copy button gives code that runs."""

from __future__ import annotations

import subprocess
import sys

import markdown as python_markdown
import pytest

from site_tools.checks.browser import chromium, chromium_path
from site_tools.paths import DOCS
from site_tools.site_build.doctest_display import as_console, mark_varying

SITE_JS = DOCS / "assets" / "javascripts" / "site.js"

SESSION = """\
>>> def square(x):
...     return x * x
...
>>> square(3)
9
>>> print("a\\n...")
a
...
>>> 1 / 0
Traceback (most recent call last):
  ...
ZeroDivisionError: division by zero
"""
STATEMENTS = 'def square(x):\n    return x * x\n\nsquare(3)\nprint("a\\n...")\n1 / 0\n'


def test_only_doctest_fences_change_and_only_for_display() -> None:
    page = "```python\n>>> 1\n1\n```\n\n!!! note\n    ```python\n    >>> 2\n    2\n    ```\n\n"
    page += "```python\nx = 1\n```\n"
    shown = as_console(page)
    assert shown.count("```pycon") == 2
    assert "    ```pycon\n    >>> 2" in shown
    assert "```python\nx = 1" in shown


def _render(page: str) -> str:
    """Markdown rendered as the site renders code (mkdocs.yml's highlight settings)."""
    return python_markdown.markdown(
        page,
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )


@pytest.mark.slow
@pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium package")
def test_the_copy_button_copies_the_statements_without_prompts_or_output() -> None:
    # The copy text is worked out in the browser (site.js) from the block as rendered, for the
    # block whose button was pressed and when it is pressed; pasted into Python, it runs.
    blocks = mark_varying(
        _render(as_console(f"```python\n{SESSION}```\n\n```python\n>>> 2\n2\n```"))
    )
    # The first block's copy button, and the Run bar that follows the second (run-python.js).
    blocks = blocks.replace("<pre>", "<pre><button>Copy</button>", 1)
    blocks += '<div class="run-py"><button class="run-py__edit">Edit</button></div>'
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(blocks)
        page.add_script_tag(path=SITE_JS)
        before = page.eval_on_selector_all("[data-copy]", "(found) => found.length")
        copies = []
        for button in ("text=Copy", "text=Edit"):
            page.click(button)
            copies.append(
                page.eval_on_selector_all(".language-pycon", "(b) => b.map((x) => x.dataset.copy)")
            )
    assert before == 0
    # A bare "..." right after a prompt line is a blank line of the statement (it ends the def
    # when pasted at Python's prompt); after output it is output, a doctest wildcard.
    assert copies == [[STATEMENTS, None], [STATEMENTS, "2\n"]]
    result = subprocess.run([sys.executable, "-c", STATEMENTS], capture_output=True, text=True)
    assert result.stderr.strip().endswith("ZeroDivisionError: division by zero")


def test_a_wildcard_in_output_is_shown_as_varying_not_as_dots() -> None:
    rendered = (
        '<span class="gp">&gt;&gt;&gt; </span>p\n<span class="go">&lt;Person at 0x...&gt;</span>'
    )
    shown = mark_varying(rendered)
    assert "0x..." not in shown
    assert '0x<span class="varies" title="Varies from run to run' in shown
    assert shown.startswith('<span class="gp">&gt;&gt;&gt; </span>p')  # prompts untouched


def test_a_list_that_contains_itself_keeps_its_real_dots() -> None:
    rendered = '<span class="go">[[...]]</span>'
    assert mark_varying(rendered) == rendered
