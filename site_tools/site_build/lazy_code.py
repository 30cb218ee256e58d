"""Code blocks a keyboard can reach before Material's script has looked at them.

With ``content.lazy`` (mkdocs.yml), Material mounts a code block — copy button, and
``tabindex="0"`` when its lines are wider than the page — only once the block scrolls into view;
mounting all of them at load was most of a talk page's blocking time. Until then a wide block
would have no tab stop, and a keyboard user could not scroll it. So every block starts focusable,
and Material's mount keeps ``tabindex`` where the block scrolls and removes it where it does not.
"""

from __future__ import annotations

import re

CODE_IN_PRE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?)<code>")


def focusable(html: str) -> str:
    """``html`` with ``tabindex="0"`` on each ``<code>`` that is a code block's body."""
    return CODE_IN_PRE.sub(r'\1<code tabindex="0">', html)
