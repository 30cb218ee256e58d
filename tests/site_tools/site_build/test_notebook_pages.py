"""Notebook pages lose the template's inlined CSS and gain the site's notebook stylesheet."""

from __future__ import annotations

import pytest

from site_tools.site_build import notebook_pages

PAGE = (
    '<head><link rel="stylesheet" href="../../assets/stylesheets/site.css">'
    "<style>.jupyter-wrapper .jp-Cell{padding:0}</style></head>"
    '<body><script src=""></script><div class="highlight-ipynb hl-python"><pre>x</pre></div></body>'
)


def test_notebook_page_links_its_stylesheet_beside_the_sites_and_drops_the_template_css() -> None:
    assert notebook_pages.lighten(PAGE) == (
        '<head><link rel="stylesheet" href="../../assets/stylesheets/site.css">'
        '<link rel="stylesheet" href="../../assets/stylesheets/notebook.css"></head>'
        '<body><div class="highlight hl-python"><pre>x</pre></div></body>'
    )


def test_a_notebook_page_without_the_site_stylesheet_fails_the_build() -> None:
    with pytest.raises(ValueError, match=r"site\.css"):
        notebook_pages.lighten("<head></head><body></body>")
