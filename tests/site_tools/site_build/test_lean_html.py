"""Trimmed HTML shows and copies the same: check each saving and Material's premise."""

from __future__ import annotations

import re
from pathlib import Path

import material

from site_tools.paths import DOCS
from site_tools.site_build import lean_html

CODE = (
    '<pre><span></span><code><span class="n">total</span><span class="w"> </span>'
    '<span class="o">=</span> <span class="mi">1</span>\n    <span class="n">x</span></code></pre>'
)


def test_plain_tokens_are_unwrapped_and_coloured_ones_kept() -> None:
    assert lean_html.unwrap_plain_tokens(CODE) == (
        '<pre><span></span><code>total <span class="o">=</span> <span class="mi">1</span>'
        "\n    x</code></pre>"
    )


def test_spans_of_one_class_side_by_side_become_one_but_prompts_stay_apart() -> None:
    code = (
        '<span class="p">)</span><span class="w"> </span><span class="p">(</span>'
        '<span class="gp">&gt;&gt;&gt; </span>\n<span class="gp">... </span>'
        '<span class="gi">+</span> <span class="gi">+</span>'
    )
    assert lean_html.unwrap_plain_tokens(code) == (
        '<span class="p">) (</span>'
        '<span class="gp">&gt;&gt;&gt; </span>\n<span class="gp">... </span>'
        '<span class="gi">+</span> <span class="gi">+</span>'
    )


def test_whitespace_in_text_collapses_but_not_in_code_or_attributes() -> None:
    html = (
        '<p title="a  b">Made   with\n    care</p><code>a  b</code>'
        "<pre>x   y</pre><kbd>Ctrl  C</kbd><p>no\u00a0\u00a0break</p>"
    )
    assert lean_html.collapse_indentation(html) == (
        '<p title="a  b">Made with\ncare</p><code>a  b</code>'
        "<pre>x   y</pre><kbd>Ctrl  C</kbd><p>no\u00a0\u00a0break</p>"
    )


def test_greater_than_is_plain_text_outside_scripts_and_styles() -> None:
    html = '<span class="gp">&gt;&gt;&gt; </span><script>a = "&gt;"</script><style>b{}</style>'
    assert lean_html.plain_greater_than(html) == (
        '<span class="gp">>>> </span><script>a = "&gt;"</script><style>b{}</style>'
    )


def test_the_search_plugins_marker_does_not_reach_the_page() -> None:
    html = (
        '<div class="language-pycon highlight" data-search-exclude><pre><code>1</code></pre></div>'
    )
    assert (
        lean_html.lighten(html)
        == '<div class="language-pycon highlight"><pre><code>1</code></pre></div>'
    )


def test_the_scripts_of_the_body_are_deferred_in_their_order() -> None:
    html = (
        '<head><script src="head.js"></script></head><body><script>inline()</script>'
        '<script src="patches.js"></script><script src="bundle.js"></script></body>'
    )
    assert lean_html.deferred_scripts(html) == (
        '<head><script src="head.js"></script></head><body><script>inline()</script>'
        '<script src="patches.js" defer></script><script src="bundle.js" defer></script></body>'
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
    site_css = (DOCS / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    assert "--md-code-hl-name-color" not in site_css
