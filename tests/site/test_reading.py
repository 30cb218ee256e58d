"""What a reader sees, in Chromium: charts that go dark with the page, and heading anchors that
stay out of the way on the notebook pages.

Charts are judged by their pixels, not by the CSS that produces them: a screenshot of each chart
on its page, decoded by the browser, must be mostly dark in the dark scheme (Material's
``slate``), with its lines and labels still light against it. The notebook pages' "¶" anchors
must be invisible until a reader points at their heading or tabs to them, as Material's own
heading links are.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.site.support import visit

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Talk pages with an SVG image, the form every benchmark chart takes.
CHART_PAGES = sorted(
    page.stem
    for page in (DOCS / "pycon-us-2022").glob("*.md")
    if re.search(r"!\[[^\]]*\]\([^)]+\.svg\)", page.read_text(encoding="utf-8"))
)
NOTEBOOK_PAGES = ["pycon-us-2022/notebook/", "pycon-us-2022/docker-jupyter/digits/"]
CHART = "article img[src$='.svg']"
# Relative luminance (WCAG's, 0 black to 1 white). A chart drawn on white averages near 0.9.
DARK_MEAN = 0.25
LIGHT_INK = 0.4
MAX_TABS = 200  # the header, tabs and sidebar links come before the first heading

# Decodes a PNG in the page: the mean of its pixels' relative luminance, and the luminance that
# only its lightest thousandth of pixels reaches (its text and lines, on a dark chart).
LUMINANCE = """async (data) => {
    const bitmap = await createImageBitmap(await (await fetch(data)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const linear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const values = [];
    for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b] = [0, 1, 2].map((k) => linear(pixels[i + k] / 255));
        values.push(0.2126 * r + 0.7152 * g + 0.0722 * b);
    }
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    values.sort((a, b) => a - b);
    return [mean, values[Math.floor(values.length * 0.999)]];
}"""


def _charts_luminance(desktop, site_url: str, talk: str, scheme: str) -> list[list[float]]:
    """``[mean, lightest thousandth]`` of each chart's luminance on ``talk``'s page, as shown."""
    page = visit(desktop, f"{site_url}pycon-us-2022/{talk}/", scheme)
    palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert palette == ("slate" if scheme == "dark" else "default")
    shots = []
    charts = page.locator(CHART)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()  # charts load lazily
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        shots.append(chart.screenshot(animations="disabled"))
    return [
        page.evaluate(LUMINANCE, "data:image/png;base64," + base64.b64encode(shot).decode())
        for shot in shots
    ]


def test_the_pages_with_charts_are_found() -> None:
    assert len(CHART_PAGES) >= 3


@pytest.mark.parametrize("talk", CHART_PAGES)
def test_charts_are_dark_in_the_dark_scheme(desktop, site_url: str, talk: str) -> None:
    measured = _charts_luminance(desktop, site_url, talk, "dark")
    assert measured, f"no chart rendered on {talk}"
    bright = [
        f"chart {i + 1}: mean {mean:.2f}"
        for i, (mean, _) in enumerate(measured)
        if mean > DARK_MEAN
    ]
    assert bright == [], "bright panels in the dark scheme"
    # Still a chart, not a dark rectangle: its labels and lines stand out.
    assert all(ink > LIGHT_INK for _, ink in measured)


def test_the_measure_sees_a_chart_as_drawn_in_the_light_scheme(desktop, site_url: str) -> None:
    """The control: the same measure on the light page finds the white panel charts are drawn on."""
    measured = _charts_luminance(desktop, site_url, CHART_PAGES[0], "light")
    assert measured
    assert all(mean > 0.6 for mean, _ in measured)


def _anchor_opacity(page, index: int) -> float:
    return (
        page.locator("a.anchor-link")
        .nth(index)
        .evaluate(
            """(a) => {
            const style = getComputedStyle(a);
            return style.visibility === "hidden" ? 0 : Number(style.opacity);
        }"""
        )
    )


def _settles_to(page, index: int, opacity: float) -> bool:
    """Whether anchor ``index`` reaches ``opacity`` (Material fades heading links in)."""
    for _ in range(40):
        if _anchor_opacity(page, index) == opacity:
            return True
        page.wait_for_timeout(50)
    return False


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_heading_anchors_show_only_on_hover_or_focus(
    desktop, site_url: str, path: str
) -> None:
    page = visit(desktop, site_url + path)
    page.mouse.move(0, 0)
    anchors = page.locator("a.anchor-link")
    count = anchors.count()
    assert count > 0, "the notebook's headings have no anchors"
    shown = [
        anchors.nth(i).get_attribute("href") for i in range(count) if _anchor_opacity(page, i) > 0
    ]
    assert shown == [], "¶ shown with no pointer or focus on its heading"

    last = count - 1
    heading = anchors.nth(last).locator("xpath=..")
    heading.scroll_into_view_if_needed()
    heading.hover()
    assert _settles_to(page, last, 1.0), "¶ not shown while pointing at its heading"
    page.mouse.move(0, 0)
    assert _settles_to(page, last, 0.0)

    # A keyboard reader, tabbing from the top of the page to the first anchor.
    page.evaluate("window.scrollTo(0, 0)")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('anchor-link')"):
            break
    else:
        pytest.fail(f"no anchor reached in {MAX_TABS} presses of Tab")
    focused = page.evaluate(
        "[...document.querySelectorAll('a.anchor-link')].indexOf(document.activeElement)"
    )
    assert _settles_to(page, focused, 1.0), "¶ not shown while it has keyboard focus"


TITLE_GAP = """() => {
    const title = document.querySelector(".md-content h1");
    const text = document.createRange();
    text.selectNodeContents(title.firstChild);
    return title.getBoundingClientRect().bottom - text.getBoundingClientRect().bottom;
}"""


@pytest.mark.parametrize("width", [360, 412])
def test_a_talks_title_ends_with_its_last_words_on_a_phone(
    phone, site_url: str, width: int
) -> None:
    """The hidden "¶" after a title once wrapped onto a line of its own: blank space on a phone."""
    page = phone.new_page()
    page.set_viewport_size({"width": width, "height": 915})
    gaps = {}
    for talk in sorted(path.stem for path in (DOCS / "pycon-us-2022").glob("*.md")):
        if talk != "index":
            page.goto(f"{site_url}pycon-us-2022/{talk}/")
            gaps[talk] = page.evaluate(TITLE_GAP)
    page.close()
    assert gaps
    assert {talk: gap for talk, gap in gaps.items() if gap > 8} == {}
