"""A reader's first five minutes, in a real browser: the gist first, nothing lost on the way.

On a phone-sized viewport every talk page shows its takeaways on the first screen and needs no
sideways scrolling for prose; links into the example sources pages land on their file; Tab never
drops focus to the page body; the copy button of a doctest copies code that runs; charts open
full size. (Search has its own module, test_search.py.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from site_tools import registry
from site_tools.commands import screenshots
from tests.site.support import visit

pytestmark = pytest.mark.slow

PHONE = screenshots.PHONE
FIRST_SCREEN_PX = 800  # where "In short" must start on a phone
HEADER_PX = 80  # a link's target lands under Material's sticky header, within this distance
TALKS = [talk.slug for talk in registry.talks()]


@pytest.mark.parametrize("talk", TALKS)
def test_in_short_starts_on_a_phones_first_screen(phone, site_url: str, talk: str) -> None:
    page = visit(phone, f"{site_url}pycon-us-2022/{talk}/")
    top = page.evaluate("document.getElementById('in-short').getBoundingClientRect().top")
    assert top < FIRST_SCREEN_PX, f"'In short' starts {top:.0f} px down on a phone"


@pytest.mark.parametrize("talk", TALKS)
def test_no_prose_scrolls_sideways_on_a_phone(phone, site_url: str, talk: str) -> None:
    page = visit(phone, f"{site_url}pycon-us-2022/{talk}/")
    # A few pixels of slack: an inline code span's padding may poke past its line's box.
    wide = page.evaluate(
        """() => {
            const found = [];
            if (document.documentElement.scrollWidth > window.innerWidth) found.push("page");
            for (const el of document.querySelectorAll(
                ".md-typeset :is(p, li, h1, h2, h3, blockquote, .admonition-title)")) {
                if (el.scrollWidth > el.clientWidth + 4) found.push(el.textContent.slice(0, 60));
            }
            for (const el of document.querySelectorAll(".language-console code")) {
                if (el.scrollWidth > el.clientWidth + 4) found.push(el.textContent.slice(0, 40));
            }
            return found;
        }"""
    )
    assert wide == []


@pytest.mark.parametrize("talk", TALKS)
def test_links_into_sources_pages_land_on_their_file(desktop, site_url: str, talk: str) -> None:
    page = visit(desktop, f"{site_url}pycon-us-2022/{talk}/")
    links = page.eval_on_selector_all(
        "a[href*='sources/#']", "(links) => links.map((link) => link.href)"
    )
    missed = []
    for href in dict.fromkeys(links):
        page.goto(href)
        page.wait_for_timeout(300)  # let late layout (fonts, observers) settle
        target = href.rsplit("#", 1)[1]
        top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
        if not 0 <= top <= HEADER_PX:
            missed.append(f"{href}: target at {top:.0f} px")
    if not links:
        pytest.skip(f"{talk}'s page has no link into a sources page")
    assert missed == []


def test_tab_never_drops_focus_to_the_page_body(desktop, site_url: str) -> None:
    page = visit(desktop, f"{site_url}pycon-us-2022/python-oddities/")
    lost = []
    for press in range(60):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)  # Material mounts a block once it scrolls into view
        if page.evaluate("document.activeElement === document.body"):
            lost.append(press)
    assert lost == [], f"focus fell to <body> after Tab presses {lost}"


def test_copying_a_doctest_gives_code_that_runs(browser, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_url}pycon-us-2022/python-oddities/")
    block = page.locator("div.language-pycon").first
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator('button[data-md-type="copy"]').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert ">>>" not in copied
    assert copied.strip()
    result = subprocess.run([sys.executable, "-c", copied], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_charts_open_full_size(desktop, site_url: str) -> None:
    page = visit(desktop, f"{site_url}pycon-us-2022/binary-extensions/")
    links = page.eval_on_selector_all(
        "a.chart-link > img.chart", "(imgs) => imgs.map((img) => img.parentElement.href)"
    )
    assert links
    assert all(link.endswith(".svg") for link in links)


def test_first_screens_are_saved_for_a_look(browser, site_url: str, tmp_path: Path) -> None:
    from PIL import Image, ImageStat  # Pillow comes with matplotlib (the plots group)

    saved = screenshots.first_screens(browser, site_url, tmp_path / "first")
    assert len(saved) == 2 * len(TALKS)
    data = saved[0].read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == PHONE["width"]
    # The same tab takes both palettes: the dark screenshots must be the darker ones.
    brightness = []
    for scheme in ("light", "dark"):
        with Image.open(tmp_path / "first" / f"{TALKS[0]}-{scheme}.png") as image:
            brightness.append(ImageStat.Stat(image.convert("L")).mean[0])
    assert brightness[0] > 2 * brightness[1], brightness


@pytest.mark.parametrize(
    "path", ["pycon-us-2022/attributes/sources/", "pycon-us-2022/docker-jupyter/digits/"]
)
def test_generated_pages_have_their_sidebar_and_tab(desktop, site_url: str, path: str) -> None:
    page = visit(desktop, site_url + path)
    active_tab = page.locator(".md-tabs__item--active").count()
    active_link = page.locator(".md-sidebar--primary .md-nav__link--active").count()
    assert active_tab == 1
    assert active_link >= 1
