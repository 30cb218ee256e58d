"""What the browser tests share: a page that records what goes wrong, and a settled page."""

from __future__ import annotations

import contextlib
import urllib.parse

from playwright.sync_api import TimeoutError as PlaywrightTimeout

SERIOUS = {"serious", "critical"}
# axe reports only violations: gathering the passes too takes about twice as long on a page with
# thousands of highlighted tokens, and no test reads them.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Tests that visit every page of the site: about 20 pages, some with thousands of highlighted
# tokens for axe to check, on a shared 2-core machine. The suite's 300 s is per test.
EVERY_PAGE_TIMEOUT = 900


def open_recorded(opener, url: str, scheme: str = "light", seen: list[str] | None = None):
    """A page that records console errors, failed requests, and requests leaving 127.0.0.1.

    ``opener`` is a Browser (a fresh context for the page, in ``scheme``) or a BrowserContext
    (shared, as it is); every URL the page requests is appended to ``seen`` if it is given.
    """
    if hasattr(opener, "contexts"):  # a Browser; a BrowserContext has no .contexts
        page = opener.new_page(color_scheme=scheme, reduced_motion="reduce")
    else:
        page = opener.new_page()
    problems: list[str] = []
    host = urllib.parse.urlparse(url).netloc

    def route(request_route) -> None:
        if seen is not None:
            seen.append(request_route.request.url)
        target = urllib.parse.urlparse(request_route.request.url)
        if target.scheme in {"http", "https"} and target.netloc != host:
            problems.append(f"request to another host: {request_route.request.url}")
            request_route.abort()
        else:
            request_route.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    page.goto(url, wait_until="networkidle")
    return page, problems


def wait_for_scrollable_code(page) -> None:
    """Let Material's resize observers settle which mounted code blocks are focusable.

    Blocks not yet mounted carry ``tabindex="0"`` from the build
    (``site_tools/site_build/lazy_code.py``);
    a mounted one keeps it once a ResizeObserver reports it scrolls, which on a loaded machine
    can come after ``networkidle``.
    """
    with contextlib.suppress(PlaywrightTimeout):  # then axe reports the block
        page.wait_for_function(
            """() => [...document.querySelectorAll("pre > code")].every(
                (code) => code.scrollWidth <= code.clientWidth || code.hasAttribute("tabindex"))""",
            timeout=10_000,
        )


def first_search_result(page, query: str) -> str:
    """The link of the first result Material's search gives for ``query``, typed as a reader.

    The index loads in a web worker, and a query typed before it is ready is dropped: type again
    until results come. Results of a partly typed query can stand for a moment, so wait until a
    result's highlight parameter carries the query (its first word, for a hyphenated one).
    """
    page.locator(".md-search__input").click()
    first = page.locator(".md-search-result__link").first
    for _ in range(15):
        page.fill("input.md-search__input", "")
        page.locator("input.md-search__input").press_sequentially(query)
        try:
            first.wait_for(state="attached", timeout=2_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function(
        """(word) => [...document.querySelectorAll('.md-search-result__link')]
            .some((link) => link.href.toLowerCase().includes('h=' + word))""",
        arg=query.split("-")[0].lower(),
        timeout=10_000,
    )
    return first.get_attribute("href") or ""
