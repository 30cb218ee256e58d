"""Lighter notebook pages: Material's styles instead of JupyterLab's, inlined on every page.

mkdocs-jupyter inlines all of JupyterLab's CSS (about 600 KB) and its own Pygments theme into
every notebook page, and a MathJax tag with an empty ``src`` that re-requests the page. The
site's notebooks need little of that: ``notebook.css`` lays cells out (linked from notebook
pages only, next to the site's own stylesheet), and renaming the code blocks'
``highlight-ipynb`` class to ``highlight`` lets Material colour them like every other code
block, in both palettes and with the same contrast fixes.
"""

from __future__ import annotations

import re

# Style blocks that belong to the notebook template, recognised by what they style.
_TEMPLATE_STYLE = re.compile(
    r"<style[^>]*>(?:(?!</style>).)*?(?:jupyter-wrapper|highlight-ipynb|jp-|"
    r"line-height: 125%)(?:(?!</style>).)*</style>",
    re.DOTALL,
)
_EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>')
_MERMAID_LOADER = re.compile(
    r'<script type="module">(?:(?!</script>).)*?jp-Mermaid(?:(?!</script>).)*</script>', re.DOTALL
)

# The site stylesheet's link, whose relative path the notebook stylesheet's link shares.
_SITE_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*)assets/stylesheets/site\.css">')


def lighten(html: str) -> str:
    """The page without the template's inlined CSS, empty script and Mermaid loader, and with
    a link to ``notebook.css``; a page with no link to ``site.css`` to put it beside is an error
    (it would build unstyled without one)."""
    html, linked = _SITE_STYLESHEET.subn(
        r'\g<0><link rel="stylesheet" href="\1assets/stylesheets/notebook.css">', html, count=1
    )
    if not linked:
        raise ValueError("notebook page without a link to site.css: notebook.css has no place")
    html = _TEMPLATE_STYLE.sub("", html)
    html = _EMPTY_SCRIPT.sub("", html)
    html = _MERMAID_LOADER.sub("", html)
    return html.replace('class="highlight-ipynb ', 'class="highlight ')
