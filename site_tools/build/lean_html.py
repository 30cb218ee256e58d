"""Lighter HTML for every page, with nothing a reader sees or copies changed.

Two byte savings the MkDocs hook applies to each page after it is rendered:

- Pygments wraps every name (``<span class="n">``) and every run of whitespace
  (``<span class="w">``) in code. Under Material both render exactly as the unwrapped text:
  ``.n`` takes ``--md-code-hl-name-color``, which Material defines as the code colour itself,
  and ``.w`` has no style. Unwrapping them leaves the copied text and the colours identical
  (``tests/site_tools/build/test_lean_html.py`` checks Material still defines them so).
- The templates indent their markup; the indentation between tags is collapsed to one newline,
  everywhere except inside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>``, where
  whitespace is content.
"""

from __future__ import annotations

import re

PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')
# Elements whose whitespace is content, matched whole so they are left exactly as they are.
VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
INDENT_BETWEEN_TAGS = re.compile(r">\n[ \t\n]+<")


def unwrap_plain_tokens(html: str) -> str:
    """Code blocks without the spans that change nothing on screen."""
    return PLAIN_TOKEN.sub(r"\1", html)


def collapse_indentation(html: str) -> str:
    """Whitespace between tags reduced to one newline, outside verbatim elements."""
    pieces: list[str] = []
    position = 0
    for verbatim in VERBATIM.finditer(html):
        pieces.append(INDENT_BETWEEN_TAGS.sub(">\n<", html[position : verbatim.start()]))
        pieces.append(verbatim[0])
        position = verbatim.end()
    pieces.append(INDENT_BETWEEN_TAGS.sub(">\n<", html[position:]))
    return "".join(pieces)


def lighten(html: str) -> str:
    """Both savings: what ``on_post_page`` hands to MkDocs to write."""
    return collapse_indentation(unwrap_plain_tokens(html))
