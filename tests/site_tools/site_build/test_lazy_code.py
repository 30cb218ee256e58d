"""Code blocks start keyboard-focusable; inline code and the rest of the page are untouched."""

from __future__ import annotations

from site_tools.page_markdown import mkdocs_config
from site_tools.site_build import lazy_code


def test_each_code_block_body_gets_a_tab_stop_and_inline_code_none() -> None:
    html = (
        "<p>Run <code>uv run pytest</code>.</p>"
        '<div class="highlight"><pre><span></span><code>a = 1\n</code></pre></div>'
        '<pre class="x"><code>b</code></pre>'
    )
    assert lazy_code.focusable(html) == (
        "<p>Run <code>uv run pytest</code>.</p>"
        '<div class="highlight"><pre><span></span><code tabindex="0">a = 1\n</code></pre></div>'
        '<pre class="x"><code tabindex="0">b</code></pre>'
    )


def test_lazy_mounting_and_a_body_colour_that_needs_no_restyle_are_configured() -> None:
    config = mkdocs_config()
    assert "content.lazy" in config["theme"]["features"]
    automatic, light, _dark = config["theme"]["palette"]
    # Material renders the first entry's colours into <body>; its script then applies the light
    # entry's. Equal colours mean no whole-page restyle on load.
    assert (automatic["primary"], automatic["accent"]) == (light["primary"], light["accent"])
