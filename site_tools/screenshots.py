"""Screenshots of the built site for the README: ``python -m site_tools.screenshots``.

Builds the site into a temporary folder, serves it on a free loopback port, and saves a PNG of
a talk page (light scheme, desktop width) to ``docs/assets/screenshots/``. Re-run it when the
design changes; the README shows what it wrote.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from site_tools.browser import chromium
from site_tools.built_site import build_site, serving
from site_tools.doctests import REPO_ROOT

OUT = REPO_ROOT / "docs" / "assets" / "screenshots"
PAGES = {"talk-page.png": "pycon-us-2022/python-oddities/"}


def capture(site_dir: Path, out: Path, width: int = 1280, height: int = 800) -> list[Path]:
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


def main() -> int:
    parser = argparse.ArgumentParser(prog="screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNGs ({OUT.name})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as site_dir:
        build_site(Path(site_dir))
        for path in capture(Path(site_dir), args.out):
            shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
            print(f"saved {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
