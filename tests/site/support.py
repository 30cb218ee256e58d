"""What the browser tests share: a page that records what goes wrong, and a settled page."""

from __future__ import annotations

import contextlib
import urllib.parse
import weakref

from playwright.sync_api import TimeoutError as PlaywrightTimeout

SERIOUS = {"serious", "critical"}
# axe reports only violations: gathering the passes too takes about twice as long on a page with
# thousands of highlighted tokens, and no test reads them.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Tests that visit every page of the site: about 20 pages, some with thousands of highlighted
# tokens for axe to check, on a shared 2-core machine. The suite's 300 s is per test.
EVERY_PAGE_TIMEOUT = 900


_TABS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a context's one tab
_PROBLEMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # what that tab recorded


def visit(context, url: str, scheme: str = "light", wait_until: str = "load"):
    """``url`` in the one tab ``context`` (shared by the module) keeps for visits, in ``scheme``.

    The tab goes from page to page as a reader's does, and stays open for the next test: a new
    tab is a new renderer process (twelve pages, measured: about 0.3 CPU-seconds each in new
    tabs, 0.14 in one). A test that closes it gets a new one on its next visit. ``load`` is
    enough for what the tests read: the page's stylesheet and deferred scripts have run by then,
    and a lazy image or code block loads only once it is scrolled to. What goes wrong on the
    page from this visit on is in ``problems_on(page)``.
    """
    page = _TABS.get(context)
    if page is None or page.is_closed():
        page = _TABS[context] = context.new_page()
        _PROBLEMS[page] = record_problems(page, urllib.parse.urlparse(url).netloc)
    _PROBLEMS[page].clear()
    page.emulate_media(color_scheme=scheme)
    page.goto(url, wait_until=wait_until)
    return page


def problems_on(page) -> list[str]:
    """What went wrong on a tab of ``visit`` since the visit that showed its page, as
    ``record_problems`` records it; the list keeps growing until the next visit."""
    return _PROBLEMS[page]


def open_recorded(
    browser,
    url: str,
    scheme: str = "light",
    seen: list[str] | None = None,
    wait_until: str = "load",
):
    """A first visit: ``url`` in a fresh context of ``browser``, and what goes wrong on it.

    Every URL the page requests is appended to ``seen`` if it is given. The page keeps recording
    until it is closed, so a test that checks ``problems`` after its last action also sees what
    the page requested late.
    """
    page = browser.new_page(reduced_motion="reduce")
    page.emulate_media(color_scheme=scheme)
    problems = record_problems(page, urllib.parse.urlparse(url).netloc, seen)
    page.goto(url, wait_until=wait_until)
    return page, problems


def record_problems(page, host: str, seen: list[str] | None = None) -> list[str]:
    """From now on, what goes wrong on ``page`` (whatever it shows next), as a list that grows:
    console errors, page errors, failed requests, HTTP errors, requests to a host but ``host``."""
    problems: list[str] = []

    def record(request) -> None:
        # Observed, not intercepted: Playwright turns the HTTP cache off for a page whose
        # requests are routed, and pages sharing a context would fetch every file again.
        if seen is not None:
            seen.append(request.url)
        target = urllib.parse.urlparse(request.url)
        if target.scheme in {"http", "https"} and target.netloc != host:
            problems.append(f"request to another host: {request.url}")

    page.on("request", record)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
    )
    return problems


# In each code block, the first token of each style (class, and the class of the line around it)
# stays a <span>; later ones become plain text of the block. A token's colours come from its
# class alone, so a second span of the same style on the same background adds nothing for axe to
# check, yet on a sources page with seven thousand tokens it was half of axe's time. The plain
# text left behind is checked too, in the block's own colour.
ONE_SPAN_PER_TOKEN_STYLE = """() => {
    let unwrapped = 0;
    for (const code of document.querySelectorAll("pre > code")) {
        const seen = new Set();
        for (const span of [...code.querySelectorAll("span[class]")]) {
            if (span.children.length) continue;  // a highlighted line, holding tokens
            const style = `${span.parentElement.className}|${span.className}`;
            if (seen.has(style)) {
                span.replaceWith(...span.childNodes);
                unwrapped += 1;
            } else seen.add(style);
        }
    }
    return unwrapped;
}"""


# The axe rules whose outcome depends on colours, the one thing a palette changes on this site:
# the rest read the same DOM in either palette.
PALETTE_RULES = ["color-contrast", "link-in-text-block"]


def serious_violations(
    page, context: str | None = None, rules: list[str] | None = None
) -> list[str]:
    """axe-core's serious and critical violations on ``page`` (or in ``context``, a selector),
    by every rule or only by ``rules``.

    axe is injected once per page and run as often as the test asks (say, once per palette);
    the axe-playwright-python wrapper would inject its 550 kB script again on every run.
    """
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    options = AXE_OPTIONS if rules is None else {**AXE_OPTIONS, "runOnly": rules}
    violations = page.evaluate(
        "([context, options]) => axe.run(context || document, options)"
        ".then((results) => results.violations)",
        [context, options],
    )
    return [
        f"{v['id']} ({v['impact']}) {[node['target'] for node in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def in_each_palette(page):
    """Switch ``page`` to the light scheme, then the dark one, yielding each once Material has
    applied its palette (``default``, then ``slate``)."""
    for scheme, palette in (("light", "default"), ("dark", "slate")):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(
            "(palette) => document.body.dataset.mdColorScheme === palette", arg=palette
        )
        yield scheme


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
