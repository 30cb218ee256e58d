"""Screenshots of the built site for the README: ``python -m site_tools.screenshots``.

Builds the site into a temporary folder, serves it on a free loopback port, and saves a PNG of
a talk page (light scheme, desktop width) to ``docs/assets/screenshots/``. Re-run it when the
design changes; the README shows what it wrote.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from site_tools.browser import chromium
from site_tools.doctests import REPO_ROOT

OUT = REPO_ROOT / "docs" / "assets" / "screenshots"
PAGES = {"talk-page.png": "pycon-us-2022/python-oddities/"}


def build_site(site_dir: Path) -> None:
    """``mkdocs build`` into ``site_dir``, with this environment's MkDocs."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run(
        [str(mkdocs), "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=REPO_ROOT,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Say nothing: the script's output is the list of files it saved."""


def capture(site_dir: Path, out: Path, width: int = 1280, height: int = 800) -> list[Path]:
    """Serve ``site_dir`` on 127.0.0.1 and save one PNG per entry of ``PAGES``."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = []
    try:
        with chromium() as browser:
            page = browser.new_page(
                viewport={"width": width, "height": height}, color_scheme="light"
            )
            for name, path in PAGES.items():
                page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
                page.wait_for_load_state("networkidle")
                out.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=out / name)
                saved.append(out / name)
    finally:
        server.shutdown()
        server.server_close()
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
