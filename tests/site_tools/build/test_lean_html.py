"""Trimmed HTML shows and copies the same: check the two savings and Material's premise."""

from __future__ import annotations

import re
from pathlib import Path

import material

from site_tools.build import lean_html

CODE = (
    '<pre><span></span><code><span class="n">total</span><span class="w"> </span>'
    '<span class="o">=</span> <span class="mi">1</span>\n    <span class="n">x</span></code></pre>'
)


def test_plain_tokens_are_unwrapped_and_coloured_ones_kept() -> None:
    assert lean_html.unwrap_plain_tokens(CODE) == (
        '<pre><span></span><code>total <span class="o">=</span> <span class="mi">1</span>'
        "\n    x</code></pre>"
    )


def test_indentation_between_tags_collapses_outside_verbatim_elements() -> None:
    script = '<script>\n  let a = "\n  <b>";\n</script>'
    html = "<nav>\n    <ul>\n      <li>a</li>\n    </ul>\n</nav>\n" + script + CODE
    expected = "<nav>\n<ul>\n<li>a</li>\n</ul>\n</nav>\n" + script + CODE
    assert lean_html.collapse_indentation(html) == expected


def test_material_still_renders_names_in_the_plain_code_colour() -> None:
    # The premise of unwrapping .n: Material gives names the code colour, and .w no style.
    stylesheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    [main] = stylesheets.glob("main.*.min.css")
    text = main.read_text(encoding="utf-8")
    assert "--md-code-hl-name-color:var(--md-code-fg-color)" in text
    assert not re.search(r"\.highlight \.w[,{]", text)
    site_css = (Path(__file__).parents[2] / "docs/assets/stylesheets/site.css").read_text()
    assert "--md-code-hl-name-color" not in site_css
