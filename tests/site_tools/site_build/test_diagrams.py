"""Mermaid flowcharts are drawn at build time: no mermaid.js, no request to another host."""

from __future__ import annotations

import re

import pytest

from site_tools.site_build import diagrams

PAGE = (
    '<p>Before:</p>\n<pre class="mermaid"><code>flowchart LR\n    A --&gt; B</code></pre>\n<p>x</p>'
)
PIPELINE = """\
flowchart LR
    C["controller<br/>phase 1"] -->|one message per URL| Q[("work queue")]
    Q --> N1[node] & N2[node]
    N1 & N2 -->|one row per URL| R[("results")]
    R -->|progress| C
"""


def test_a_mermaid_block_becomes_an_inline_svg_figure() -> None:
    html = diagrams.show_sources(PAGE)
    assert 'class="mermaid"' not in html  # Material loads mermaid.js only for this class
    assert html.startswith(
        '<p>Before:</p>\n<figure class="diagram" tabindex="0"><svg class="diagram"'
    )
    assert 'aria-label="Diagram: A to B"' in html
    assert html.endswith("</svg></figure>\n<p>x</p>")


def test_nodes_are_ranked_left_to_right_and_the_back_edge_goes_round() -> None:
    direction, nodes, edges = diagrams.parse(PIPELINE)
    assert direction == "LR"
    assert nodes["C"].lines == ["controller", "phase 1"]
    assert nodes["Q"].store
    assert {(e.source, e.target) for e in edges} >= {("N1", "R"), ("N2", "R"), ("R", "C")}
    back = diagrams._rank(nodes, edges)
    assert {(e.source, e.target) for e in back} == {("R", "C")}
    assert [nodes[n].rank for n in ("C", "Q", "N1", "N2", "R")] == [0, 1, 2, 2, 3]
    svg = diagrams.render(PIPELINE)
    assert svg.count("<text") == 6 + 3  # six text lines in nodes, three distinct edge labels
    assert len(re.findall(r"marker-end", svg)) == len(edges)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("graph LR\n A --> B", "only 'flowchart LR' or 'flowchart TD'"),
        ("flowchart LR\n A{decision} --> B", "cannot read 'A{decision}'"),
    ],
)
def test_what_it_cannot_draw_fails_with_the_line(source: str, message: str) -> None:
    with pytest.raises(diagrams.DiagramError, match=re.escape(message)):
        diagrams.render(source)
