"""Doctest blocks are shown as console sessions, and their copy text pastes into Python."""

from __future__ import annotations

import subprocess
import sys

from site_tools.build.doctest_display import as_console, mark_varying, pasteable, statements

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


def test_only_doctest_fences_change_and_only_for_display() -> None:
    page = "```python\n>>> 1\n1\n```\n\n!!! note\n    ```python\n    >>> 2\n    2\n    ```\n\n"
    page += "```python\nx = 1\n```\n"
    shown = as_console(page)
    assert shown.count("```pycon") == 2
    assert "    ```pycon\n    >>> 2" in shown
    assert "```python\nx = 1" in shown


def test_the_copy_is_the_statements_without_prompts_or_output() -> None:
    code = statements(SESSION)
    assert code == 'def square(x):\n    return x * x\n\nsquare(3)\nprint("a\\n...")\n1 / 0\n'
    # What is copied runs: pasted into Python it defines square and reaches the last line.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().endswith("ZeroDivisionError: division by zero")


def test_a_rendered_console_block_gets_its_copy_text() -> None:
    rendered = (
        '<div class="language-pycon highlight"><pre><span></span><code>'
        '<span class="gp">&gt;&gt;&gt; </span>x <span class="o">=</span> 1\n'
        '<span class="gp">&gt;&gt;&gt; </span>x\n<span class="go">1</span>\n</code></pre></div>'
    )
    assert 'data-copy="x = 1\nx\n"' in pasteable(rendered)
    assert pasteable(rendered.replace("pycon", "python")) == rendered.replace("pycon", "python")


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
