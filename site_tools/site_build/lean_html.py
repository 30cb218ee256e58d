"""Lighter HTML for every page, with nothing a reader sees or copies changed.

Savings the MkDocs hook applies to each page after it is rendered:

- Pygments wraps every name (``<span class="n">``) and every run of whitespace
  (``<span class="w">``) in code. Under Material both render exactly as the unwrapped text:
  ``.n`` takes ``--md-code-hl-name-color``, which Material defines as the code colour itself,
  and ``.w`` has no style. Unwrapping them leaves the copied text and the colours identical
  (``tests/site_tools/site_build/test_lean_html.py`` checks Material still defines them so). Two
  spans of one class that then stand side by side, or with only whitespace between them, become
  one (not prompts, whose whitespace must stay unselectable, nor the classes Material draws a box
  around).
- The templates indent their markup; the indentation between tags is collapsed to one newline,
  and a run of whitespace in text to one space or newline, everywhere except inside ``<pre>``,
  ``<code>``, ``<kbd>``, ``<samp>``, ``<textarea>``, ``<script>`` and ``<style>``, where
  whitespace is content (Material shows inline code with ``white-space: pre-wrap``).
- ``>`` needs no escaping in HTML text: ``&gt;`` (each doctest prompt has three) is written as
  the character, outside scripts and stylesheets, where an entity is not decoded.
- ``data-search-exclude`` keeps code out of the search index; the search plugin has read the page
  before this step, so the attribute goes.
- The scripts the templates load at the end of ``<body>`` (the site's patches, Material's bundle,
  ``site.js``) run once the page is parsed either way. Marked ``defer`` they keep their order but
  no longer hold up the first paint: Chromium treated them as render-blocking once charts loaded
  lazily left no image before them (Lighthouse's first paint of a talk page, simulated mobile:
  about 1.5 s, 0.9 s deferred). No inline script needs them: those of the templates come before
  them, and the Run buttons' starter imports its own module on a click.
"""

from __future__ import annotations

import re

PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')
# Prompts (gp) and Material's boxed classes (gd, gi, hll) keep their spans apart.
SAME_CLASS_PAIR = re.compile(
    r'<span class="(?!(?:gp|gd|gi|hll)")(\w+)">([^<]*)</span>([ \t\n]*)<span class="\1">'
)
# Elements whose whitespace is content, matched whole so they are left exactly as they are.
VERBATIM = re.compile(
    r"<(pre|code|kbd|samp|textarea|script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE
)
INDENT_BETWEEN_TAGS = re.compile(r">\n[ \t\n]+<")
TAG = re.compile(r"(<[^>]*>)")
WHITESPACE_RUN = re.compile(r"[ \t\n]{2,}")  # not U+00A0: a no-break space is content
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>|&gt;", re.DOTALL | re.IGNORECASE)
BUILD_ONLY = " data-search-exclude"
EXTERNAL_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')


def unwrap_plain_tokens(html: str) -> str:
    """Code blocks without the spans that change nothing on screen."""
    html = PLAIN_TOKEN.sub(r"\1", html)
    while True:
        joined = SAME_CLASS_PAIR.sub(r'<span class="\1">\2\3', html)
        if joined == html:
            return html
        html = joined


def _collapse(html: str) -> str:
    parts = TAG.split(INDENT_BETWEEN_TAGS.sub(">\n<", html))
    for index in range(0, len(parts), 2):  # text between tags; attribute values stay as they are
        parts[index] = WHITESPACE_RUN.sub(lambda run: "\n" if "\n" in run[0] else " ", parts[index])
    return "".join(parts)


def collapse_indentation(html: str) -> str:
    """Whitespace between tags and in text reduced to one character, outside verbatim elements."""
    pieces: list[str] = []
    position = 0
    for verbatim in VERBATIM.finditer(html):
        pieces.append(_collapse(html[position : verbatim.start()]))
        pieces.append(verbatim[0])
        position = verbatim.end()
    pieces.append(_collapse(html[position:]))
    return "".join(pieces)


def plain_greater_than(html: str) -> str:
    """``&gt;`` written as ``>``, except inside scripts and stylesheets."""
    return SCRIPT_OR_STYLE.sub(lambda m: ">" if m[0] == "&gt;" else m[0], html)


def deferred_scripts(html: str) -> str:
    """Scripts that ``<body>`` loads from files marked ``defer``; ``<head>`` left as it is."""
    head, body_tag, body = html.partition("<body")
    return head + body_tag + EXTERNAL_SCRIPT.sub(r'<script src="\1" defer></script>', body)


def lighten(html: str) -> str:
    """All the savings: what ``on_post_page`` hands to MkDocs to write."""
    html = html.replace(BUILD_ONLY, "")
    return deferred_scripts(plain_greater_than(collapse_indentation(unwrap_plain_tokens(html))))
