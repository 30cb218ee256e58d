"""Charts a reader can open full size: each SVG image on a page becomes a link to itself.

Charts also load lazily: a talk page's first view fetches only the charts near the screen.

Benchmark charts are SVGs drawn for a desktop column; on a phone their text is a few pixels
high. Linked, a tap opens the chart alone, where it can be zoomed. The stylesheet also dims and
inverts them in the dark palette, so they are not bright white panels (``img.chart``).
"""

from __future__ import annotations

import re

SVG_IMAGE = re.compile(r'<img alt="(?P<alt>[^"]*)" src="(?P<src>[^"]+\.svg)" />')


def linked(html: str) -> str:
    """Wrap every SVG ``<img>`` in a link to the SVG, and mark it as a chart."""
    return SVG_IMAGE.sub(
        r'<a class="chart-link" href="\g<src>" title="Open the chart full size">'
        r'<img class="chart" alt="\g<alt>" src="\g<src>" loading="lazy" decoding="async" /></a>',
        html,
    )
