"""Doctest blocks as a reader sees them: prompts and output told apart, and a copy that pastes.

The pages write doctests in bare ```python fences, because that is the info string Sybil runs.
Highlighted as Python, ``>>>`` looks like an operator and the output like code. At build time
(never in the source, which Sybil reads):

- ``as_console`` shows a fence whose first line is a ``>>>`` prompt with Pygments' Python console
  lexer, which marks prompts (``gp``) and output (``go``, ``gt``) so the stylesheet can set them
  apart;
- ``mark_varying`` shows a doctest wildcard (``...`` in output) as a marked ellipsis that says the
  text there varies from run to run;
- ``pasteable`` gives each such block a ``data-copy`` attribute, which Material's copy button
  copies instead of the block's text: the statements alone, without prompts or output, so what
  is copied runs when pasted into Python.
"""

from __future__ import annotations

import html
import re

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})python[ \t]*$")
CONSOLE_BLOCK = re.compile(
    r'<div class="language-pycon highlight"(?P<attrs>[^>]*)>(?P<body><pre>.*?</pre>)</div>',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


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


def statements(session: str) -> str:
    """The code of a console session: prompt lines without their prompts, output left out."""
    kept, continues = [], False
    for line in session.splitlines():
        # "..." continues a statement only right after a prompt line; later it is output (a
        # doctest wildcard), which is left out like any other output.
        prompts = (">>>", "...") if continues else (">>>",)
        prompt = next((p for p in prompts if line == p or line.startswith(p + " ")), None)
        continues = prompt is not None
        if prompt:
            kept.append(line[len(prompt) + 1 :])
    return "\n".join(kept).strip("\n") + "\n"


def pasteable(page_html: str) -> str:
    """Give every console block the text Material's copy button should copy."""

    def with_copy(match: re.Match[str]) -> str:
        session = html.unescape(TAG.sub("", match["body"]))
        copy = html.escape(statements(session), quote=True)
        return (
            f'<div class="language-pycon highlight"{match["attrs"]} data-copy="{copy}">'
            f"{match['body']}</div>"
        )

    return CONSOLE_BLOCK.sub(with_copy, page_html)


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
