"""Screenshots of the built site: ``python -m site_tools.commands.screenshots [--first-screens]``.

Builds the site into a temporary folder and serves it on a free loopback port. By default it
saves a PNG of a talk page (light scheme, desktop width) to ``docs/assets/screenshots/`` for the
README; re-run it when the design changes. With ``--first-screens`` it saves what a phone reader
sees first on every talk page (412 x 915 px, light and dark) to ``.cache/first-screens/``, which
is not committed: look at them after changing a page's opening or the theme.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from site_tools.checks.browser import chromium
from site_tools.checks.built_site import build_site, serving
from site_tools.paths import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

OUT = REPO_ROOT / "docs" / "assets" / "screenshots"
FIRST_SCREENS = REPO_ROOT / ".cache" / "first-screens"
PAGES = {"talk-page.png": "pycon-us-2022/python-oddities/"}
PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1280, "height": 800}  # a laptop's window


def capture(
    site_dir: Path, out: Path, width: int = DESKTOP["width"], height: int = DESKTOP["height"]
) -> list[Path]:
    """Serve ``site_dir`` on 127.0.0.1 and save one PNG per entry of ``PAGES``."""
    saved = []
    with serving(site_dir) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            out.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=out / name)
            saved.append(out / name)
    return saved


def first_screens(browser: Browser, base: str, out: Path) -> list[Path]:
    """The first screen of every talk page on a phone, light and dark: one PNG each.

    ``base`` is the URL the built site is served at; ``browser`` a Chromium to take them with.
    """
    from site_tools.registry import talks

    saved = []
    out.mkdir(parents=True, exist_ok=True)
    # One tab for all of them: a new one is a new renderer process, started cold.
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for talk in talks():
            page.goto(base + talk.url, wait_until="networkidle")
            page.screenshot(path=out / f"{talk.slug}-{scheme}.png")
            saved.append(out / f"{talk.slug}-{scheme}.png")
    page.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(prog="screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help=f"folder for the PNGs (default {OUT.name})")
    parser.add_argument(
        "--first-screens",
        action="store_true",
        help="every talk page's first screen on a phone, light and dark, into .cache/",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as site_dir:
        build_site(Path(site_dir))
        if args.first_screens:
            with serving(Path(site_dir)) as base, chromium() as browser:
                saved = first_screens(browser, base, args.out or FIRST_SCREENS)
        else:
            saved = capture(Path(site_dir), args.out or OUT)
        for path in saved:
            shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
            print(f"saved {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
