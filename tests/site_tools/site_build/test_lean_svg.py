"""Chart SVGs lose bytes, not pixels: check what the trimming keeps."""

from __future__ import annotations

from site_tools.site_build import lean_svg

FONT = "'DejaVu Sans', sans-serif"
SVG = f"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">
<svg width="800.39952pt" viewBox="0 0 800.39952 224.39952">
 <metadata>
  <rdf:RDF/>
 </metadata>
 <g transform="translate(172.003083 258.396395) scale(0.015625)">
  <path d="M 36.465625 200.198739 L 1.5 2"/>
  <text style="font-size: 10px; font-family: {FONT}; text-anchor: middle">a</text>
  <text style="font-size: 10px; font-family: {FONT}">b</text>
  <text style="font-family: monospace; font-size: 8px">c</text>
 </g>
</svg>
"""


def test_the_drawing_keeps_its_shapes_and_fonts() -> None:
    lean = lean_svg.lighten(SVG)
    assert lean.startswith(
        f'<svg width="800.39pt" viewBox="0 0 800.39 224.39"><style>text{{font-family:{FONT}}}'
    )
    assert "metadata" not in lean
    assert "<!DOCTYPE" not in lean
    assert 'translate(172.00 258.39) scale(0.015625)"' in lean
    assert 'd="M 36.46 200.19 L 1.5 2"' in lean
    assert '<text style="font-size: 10px; text-anchor: middle">a</text>' in lean
    assert '<text style="font-size: 10px; ">b</text>' in lean
    assert '<text style="font-family: monospace; font-size: 8px">c</text>' in lean


def test_a_label_without_a_font_keeps_the_inline_declarations() -> None:
    svg = f'<svg><text style="font-family: {FONT}">a</text><text>b</text></svg>'
    assert lean_svg.lighten(svg) == svg


def test_spans_keep_their_own_fonts() -> None:
    svg = (
        f'<svg><text style="font-family: {FONT}">a</text>'
        f'<text style="font-family: {FONT}"><tspan style="font-family: {FONT}">b</tspan></text>'
        "</svg>"
    )
    assert lean_svg.lighten(svg) == (
        f'<svg><style>text{{font-family:{FONT}}}</style><text style="">a</text>'
        f'<text style=""><tspan style="font-family: {FONT}">b</tspan></text></svg>'
    )
