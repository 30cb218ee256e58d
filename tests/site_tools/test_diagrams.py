"""Mermaid fences never make Material fetch mermaid.js from another host."""

from __future__ import annotations

from site_tools import diagrams

PAGE = (
    '<p>Before:</p>\n<pre class="mermaid"><code>flowchart LR\n    A --&gt; B</code></pre>\n<p>x</p>'
)


def test_a_mermaid_block_becomes_a_captioned_code_block() -> None:
    html = diagrams.show_sources(PAGE)
    assert 'class="mermaid"' not in html  # Material loads mermaid.js only for this class
    assert (
        '<div class="language-mermaid highlight"><pre><span></span><code>flowchart LR\n'
        "    A --&gt; B</code></pre></div><figcaption>"
    ) in html
    assert html.startswith("<p>Before:</p>\n<figure")
    assert html.endswith("</figure>\n<p>x</p>")
