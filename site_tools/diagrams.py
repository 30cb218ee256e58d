"""Mermaid fences without a script from another host.

Material draws a ``mermaid`` fence in the browser with mermaid.js, which it fetches from
unpkg.com when a page holds one: a request to another host (the site makes none) that fails
offline, leaving an unfocusable scrolling block. Until diagrams are drawn at build time, the hook
shows each one as its Mermaid source in an ordinary code block (readable as text, copyable,
scrollable by keyboard like every other code block) under a caption that says what it is.
"""

from __future__ import annotations

import re

MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.DOTALL)
CAPTION = "Diagram in Mermaid notation, shown as text."


def _as_source(match: re.Match[str]) -> str:
    return (
        '<figure class="diagram-source">'
        f'<div class="language-mermaid highlight"><pre><span></span><code>{match["source"]}'
        f"</code></pre></div><figcaption>{CAPTION}</figcaption></figure>"
    )


def show_sources(html: str) -> str:
    """``html`` with each Mermaid block as a captioned code block, which Material leaves alone."""
    return MERMAID_BLOCK.sub(_as_source, html)
