"""Headless Chromium for pages whose data appears only after JavaScript runs.

``requests`` downloads HTML; it runs no scripts. When a page builds its content in the browser,
the scraper needs a browser. The talk used Selenium; this example uses Playwright for Python
driving the system's own Chromium (Debian's ``chromium`` package) through ``executable_path``, so
nothing downloads a browser or a driver behind your back. A fresh browser per page costs about a
second, which is fine for the few pages that need it, and leaves no process behind if a worker
dies between pages.
"""

from __future__ import annotations

import argparse
import os
import shutil

from example_support.command_line import UsageError, run

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserUnavailable(RuntimeError):
    """No Chromium to run: install Debian's ``chromium`` package (or set SCRAPER_CHROMIUM)."""


def chromium_path() -> str:
    """The Chromium executable: ``SCRAPER_CHROMIUM``, else ``chromium`` on the PATH."""
    path = os.environ.get("SCRAPER_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise BrowserUnavailable("no chromium on the PATH (Debian package: chromium)")
    return path


def render(url: str, *, user_agent: str, proxy: str | None = None, timeout: float = 20) -> str:
    """The page's HTML after its scripts ran (the DOM, serialised), fetched by headless Chromium."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_FLAGS,
            proxy={"server": proxy} if proxy else None,
        )
        try:
            page = browser.new_page(user_agent=user_agent)
            page.goto(url, wait_until="load", timeout=timeout * 1000)
            return page.content()
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    from examples.pycon_us_2022.distributed_scraping.book_pages import parse_book
    from examples.pycon_us_2022.distributed_scraping.polite_session import HONEST_USER_AGENT

    parser = argparse.ArgumentParser(prog="browser", description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a page of the local test site, e.g. …/books/js-only.html")
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        raise UsageError(f"not an http(s) URL: {args.url}")
    try:
        html = render(args.url, user_agent=HONEST_USER_AGENT)
    except BrowserUnavailable as error:
        raise UsageError(str(error)) from None
    print(parse_book(html))
    return 0


if __name__ == "__main__":
    run(main, prog="browser")
