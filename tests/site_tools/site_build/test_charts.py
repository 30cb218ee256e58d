"""Charts open full size from the page, and load only when near the screen."""

from __future__ import annotations

from site_tools.site_build.charts import linked


def test_an_svg_image_links_to_itself_and_other_images_stay() -> None:
    page = '<p><img alt="A chart" src="../assets/t/x.svg" /> <img alt="A photo" src="p.png" /></p>'
    assert linked(page) == (
        '<p><a class="chart-link" href="../assets/t/x.svg" title="Open the chart full size">'
        '<img class="chart" alt="A chart" src="../assets/t/x.svg" loading="lazy" '
        'decoding="async" /></a> <img alt="A photo" src="p.png" /></p>'
    )
