"""Doctest blocks as a reader sees them: prompts and output told apart, and a copy that pastes.

The pages write doctests in bare ```python fences, because that is the info string Sybil runs.
Highlighted as Python, ``>>>`` looks like an operator and the output like code. At build time
(never in the source, which Sybil reads):

- ``as_console`` shows a fence whose first line is a ``>>>`` prompt with Pygments' Python console
  lexer, which marks prompts (``gp``) and output (``go``, ``gt``) so the stylesheet can set them
  apart;
- ``mark_varying`` shows a doctest wildcard (``...`` in output) as a marked ellipsis that says the
  text there varies from run to run;
- the copy button of such a block copies its statements alone, without prompts or output, so
  what is copied runs when pasted into Python. That text is worked out in the reader's browser
  from the block itself, on the first click (``docs/assets/javascripts/site.js``): shipped in
  the page as an attribute, it was every session's code a second time. The build leaves the
  block as it is.
"""

from __future__ import annotations

import re

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})python[ \t]*$")


def as_console(markdown: str) -> str:
    """Mark doctest fences (first line ``>>>``) as Python console sessions, for display only."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        opening = OPENING.match(line)
        if opening and index + 1 < len(lines):
            first = lines[index + 1].strip()
            if first.startswith(">>>"):
                lines[index] = f"{opening['indent']}{opening['fence']}pycon"
    return "\n".join(lines)


OUTPUT = re.compile(r'<span class="go">(?P<text>[^<]*)</span>')
# Three dots, except Python's own mark of a container that holds itself: ``[...]``, ``{...}``.
WILDCARD = re.compile(r"(?<![\[{])\.\.\.|\.\.\.(?![\]}])")
VARIES = (
    '<span class="varies" title="Varies from run to run; the test suite matches any text here">'
    "…</span>"
)


def mark_varying(page_html: str) -> str:
    """Show a doctest wildcard in output as a marked ellipsis, not as three dots of output.

    ``...`` in a doctest's expected output matches anything (a memory address, a version); shown
    as is, it reads as if Python printed three dots.
    """
    return OUTPUT.sub(
        lambda m: f'<span class="go">{WILDCARD.sub(VARIES, m["text"])}</span>', page_html
    )
