"""Lighter chart SVGs in the built site, drawn the same.

The benchmark scripts save matplotlib SVGs under ``docs/``; the repository keeps them as written.
The copies in the built site are trimmed: matplotlib's RDF metadata and indentation go,
coordinates keep two decimals (a hundredth of a point, far below a pixel), and the font list
that matplotlib repeats on every label is said once, in a ``text`` rule. That rule only stands
in for inline declarations it equals, and only when every label carries one, so no label's
font changes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
LONG_DECIMAL = re.compile(r"(\d+\.\d\d)\d+")
SCALING = re.compile(r"(?:scale|matrix)\([^)]*\)")  # glyph transforms keep full precision
FONT_FAMILY = re.compile(r"font-family: ([^;\"]+)(; )?")
SVG_OPEN = re.compile(r"<svg\b[^>]*>")
TEXT_TAG = re.compile(r"<text\b[^>]*>")


def _round(text: str) -> str:
    pieces, position = [], 0
    for scaling in SCALING.finditer(text):
        pieces += [LONG_DECIMAL.sub(r"\1", text[position : scaling.start()]), scaling[0]]
        position = scaling.end()
    pieces.append(LONG_DECIMAL.sub(r"\1", text[position:]))
    return "".join(pieces)


def _hoist_font_family(svg: str) -> str:
    labels = TEXT_TAG.findall(svg)
    families = Counter(match[1] for label in labels if (match := FONT_FAMILY.search(label)))
    opening = SVG_OPEN.search(svg)
    if not families or opening is None or sum(families.values()) != len(labels):
        return svg  # a label without a font of its own would take the rule's
    family = families.most_common(1)[0][0]
    if "<" in family or "}" in family:
        return svg

    def strip(tag: re.Match[str]) -> str:
        return FONT_FAMILY.sub(lambda m: "" if m[1] == family else m[0], tag[0])

    svg = TEXT_TAG.sub(strip, svg)  # <tspan>s inherit from their <text>: left as they are
    rule = f"<style>text{{font-family:{family}}}</style>"
    return svg[: opening.end()] + rule + svg[opening.end() :]


def lighten(svg: str) -> str:
    """The same drawing in fewer bytes."""
    svg = METADATA.sub("", PROLOGUE.sub("", svg))
    svg = re.sub(r"[ \t]*\n[ \t]*", "\n", _round(svg))
    return _hoist_font_family(svg)


def lighten_site(site_dir: Path, folder: str) -> int:
    """Lighten every SVG under ``site_dir/folder``; the bytes saved."""
    saved = 0
    for path in (site_dir / folder).rglob("*.svg"):
        before = path.read_text(encoding="utf-8")
        after = lighten(before)
        path.write_text(after, encoding="utf-8")
        saved += len(before) - len(after)
    return saved
