"""MkDocs hooks (mkdocs.yml ``hooks:``): generated site pages and the header of every talk page.

- ``on_config`` refuses a Material version the theme patches were not written for
  (``theme_patches``).
- ``on_files`` generates ``pycon-us-2022/errata.md`` (every correction on the site) and
  ``pycon-us-2022/changes.md`` (every "Changed since 2022" section), from the talk pages as they
  are on disk, so neither can fall behind the pages.
- ``on_page_markdown`` fills every page's ``{{ figure(…) }}`` placeholders from the results files
  of its event's ``assets/`` folder (``figures``): no measured number is typed by hand.
- ``on_page_markdown`` fills the day overview's ``{{ talk_summary("<page>") }}`` lines with each
  talk's title, header and "In short" takeaways, read from the talk page (one source of truth).
- ``on_page_markdown`` also puts a header under each talk page's title, rendered from its front
  matter (speaker, links, reading time), and the "verified" stamp read from the last test run.
- ``on_files`` also generates ``pycon-us-2022/<talk>/sources.md`` for a talk page that includes
  long example files, and ``on_page_markdown`` puts a link card in place of each such listing
  (``example_sources``): the heaviest talk pages were mostly listings.
- ``on_page_markdown`` shows doctest fences as console sessions, and ``on_page_content`` gives
  them the prompt-free text the copy button copies (``doctest_display``).
- ``on_nav`` lists the generated sources pages and the Docker talk's notebook in an "Example
  sources" section, so they show a sidebar and an active tab like every other page.
- ``on_page_content`` keeps code blocks out of the search index (prose stays searchable), and
  links every chart to its SVG so a phone reader can open it full size (``charts``).
- ``on_post_page`` drops the CSS that mkdocs-jupyter inlines into notebook pages, shows Mermaid
  fences as text rather than let Material fetch mermaid.js from unpkg.com (``diagrams``), makes
  code blocks keyboard-reachable before Material mounts them (``lazy_code``), and trims markup
  that changes nothing on screen from every page (``lean_html``).
- ``on_page_markdown`` checks the ``<!-- run-in-browser -->`` markers, ``on_post_page`` gives a
  page with marked blocks its Run buttons' starter, and ``on_post_build`` copies Pyodide's core
  into the site when the npm package is installed (``run_in_browser``).
- ``on_post_build`` adds the names in each page's code to its search entry (``code_search``),
  drops the rules of Material's stylesheet that no page can match
  (``css_purge``) and trims the event's chart SVGs (``lean_svg``): with the theme's CSS and
  JavaScript loaded by every page, talk pages stay within their 400 KiB budget.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# MkDocs imports this file by path; the repository root must be importable for site_tools.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from site_tools import registry
from site_tools.page_markdown import heading_anchor, split_front_matter
from site_tools.paths import REPO_ROOT
from site_tools.site_build import (
    charts,
    code_search,
    collected,
    css_purge,
    diagrams,
    doctest_display,
    example_sources,
    figures,
    lazy_code,
    lean_html,
    lean_svg,
    notebook_pages,
    run_in_browser,
    theme_patches,
    verified,
)

CODE_BLOCK = re.compile(r'<div class="(?:language-[\w+-]+ )?highlight"')
GENERATED = ("errata.md", "changes.md")  # generated into each event's folder
_run: verified.TestRun | None = None
# Talk page src_uri → the long listings that moved to its sources page (set by on_files).
_moved: dict[str, list[example_sources.Listing]] = {}
# Page URL → the names in its code blocks, for the search index (set by on_page_content).
_code_names: dict[str, set[str]] = {}


def _events(config) -> list[registry.Event]:
    return registry.events(config["nav"], Path(config["docs_dir"]))


def _talk_pages(files: Files, event: registry.Event) -> list[File]:
    """An event's talk pages, in the navigation's order (the registry's)."""
    pages = [files.get_file_from_path(talk.src_uri) for talk in event.talks]
    return [page for page in pages if page is not None]


def _title(file: File) -> str:
    meta, _ = split_front_matter(file.content_string)
    return str(meta.get("title", file.src_uri))


def errata_page(pages: list[File]) -> str:
    found = [(page, collected.corrections(page.content_string)) for page in pages]
    total = sum(len(corrections) for _, corrections in found)
    lines = [
        "---",
        "title: Errata",
        "---",
        "",
        "# Errata",
        "",
        f"The original notes were typed live, and {total} of their statements needed correcting.",
        "The table gives each correction in a line; the boxes below it give the evidence. Both are",
        "gathered from the talk pages each time the site is built, and every link leads to the",
        "section of the talk page where the correction stands in context.",
        "",
        "| Talk | Section | The correction |",
        "| --- | --- | --- |",
    ]
    for page, corrections in found:
        name = page.src_uri.rpartition("/")[2]
        for number, correction in enumerate(corrections, start=1):
            talk = f"[{_title(page)}](#{_erratum_id(name, number)})"
            where = f"[{correction.section}]({name}#{correction.anchor})"
            summary = collected.rebase_anchors(correction.summary, name)
            lines.append(f"| {talk} | {where} | {summary} |")
    lines.append("")
    for page, corrections in found:
        if not corrections:
            continue
        name = page.src_uri.rpartition("/")[2]
        lines += [f"## [{_title(page)}]({name})", ""]
        for number, correction in enumerate(corrections, start=1):
            title = correction.section.replace('"', "'").replace("`", "")
            lines += [f'!!! warning "{title}"', ""]
            lines += [
                f"    In [{correction.section}]({name}#{correction.anchor}):",
                f"    {{: #{_erratum_id(name, number)} }}",
                "",
            ]
            text = collected.rebase_anchors(correction.text, name).splitlines()
            lines += [f"    {line}" if line.strip() else "" for line in text]
            lines.append("")
    return "\n".join(lines)


def _erratum_id(page_name: str, number: int) -> str:
    return f"{page_name.removesuffix('.md')}-{number}"


def changes_page(pages: list[File]) -> str:
    lines = [
        "---",
        "title: Changed since 2022",
        "---",
        "",
        "# Changed since 2022",
        "",
        "What a reader in late 2026 must know about each talk: removed or deprecated APIs, new",
        "major versions and new defaults, each with the version it changed in. Gathered from the",
        "talk pages each time the site is built.",
        "",
        "One change concerns every talk: Python 3.10, current in April 2022 (the notes ran on",
        "3.10.4), reached its end of life in October 2026. This site supports Python 3.11 and",
        "later, and its tests run on 3.11 to 3.15.",
        "",
    ]
    for page in pages:
        section = collected.changed_since(page.content_string)
        if section:
            name = page.src_uri.rpartition("/")[2]
            anchor = heading_anchor(collected.CHANGED_SECTION)
            section = collected.rebase_anchors(section, name)
            lines += [f"## [{_title(page)}]({name}#{anchor})", "", section, ""]
    return "\n".join(lines)


def on_config(config):
    try:
        theme_patches.check_material()
    except theme_patches.UnsupportedMaterial as error:
        raise PluginError(str(error)) from None
    return config


def on_files(files: Files, config) -> Files:
    global _run
    _run = verified.read_run()
    _moved.clear()
    _code_names.clear()
    for event in _events(config):
        pages = _talk_pages(files, event)
        errata, changes = (f"{event.slug}/{name}" for name in GENERATED)
        files.append(File.generated(config, errata, content=errata_page(pages)))
        files.append(File.generated(config, changes, content=changes_page(pages)))
        for page in pages:
            listings = example_sources.long_listings(page.content_string, REPO_ROOT)
            if not listings:
                continue
            _moved[page.src_uri] = listings
            content = example_sources.sources_page(_title(page), page.src_uri, listings)
            uri = example_sources.sources_uri(page.src_uri)
            # Reached from the talk page's cards; on_nav gives it a place in the navigation.
            files.append(
                File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            )
    return files


def on_nav(nav: Navigation, config, files: Files) -> Navigation:
    """Give generated pages a place in the navigation, so they show their sidebar and tab.

    A talk's example sources page and its notebooks (``<event>/<talk>/*.ipynb``) are reached
    from the talk page; outside the navigation, Material showed them with an empty sidebar and
    no active tab. They go in an "Example sources" section at the end of their event's section.
    """
    for event in _events(config):
        section = next(
            (
                item
                for item in nav.items
                if isinstance(item, Section)
                and any(
                    isinstance(child, Page) and child.file.src_uri == f"{event.slug}/index.md"
                    for child in item.children
                )
            ),
            None,
        )
        if section is None:
            continue
        pages = []
        for talk in _talk_pages(files, event):
            sources = files.get_file_from_path(example_sources.sources_uri(talk.src_uri))
            if sources is not None:
                pages.append(Page(_title(talk), sources, config))
            folder = talk.src_uri.removesuffix(".md") + "/"
            for notebook in files.documentation_pages():
                if notebook.src_uri.startswith(folder) and notebook.src_uri.endswith(".ipynb"):
                    stem = Path(notebook.src_uri).stem
                    pages.append(Page(f"The {stem} notebook ({_title(talk)})", notebook, config))
        if pages:
            extra = Section("Example sources", pages)
            extra.parent = section
            for page in pages:
                page.parent = extra
            section.children.append(extra)
    return nav


def on_page_markdown(markdown: str, page, config, files: Files) -> str:
    src = page.file.src_uri
    markdown = doctest_display.as_console(markdown)
    try:
        markdown = run_in_browser.mark(markdown, enabled=run_in_browser.installed())
    except run_in_browser.MarkError as error:
        raise PluginError(f"{src}: {error}") from None
    event = next((e for e in _events(config) if src.startswith(f"{e.slug}/")), None)
    overview = event is not None and src == f"{event.slug}/index.md"
    if overview:  # before the figures: the talks' takeaways carry placeholders of their own
        summaries = "\n\n".join(
            collected.talk_summary(talk.src_uri.rpartition("/")[2], talk_page.content_string)
            for talk, talk_page in zip(event.talks, _talk_pages(files, event), strict=True)
        )
        markdown = markdown.replace(collected.TALK_SUMMARIES, summaries)
    assets = Path(config["docs_dir"]) / Path(src).parent / "assets"
    try:
        markdown = figures.fill(markdown, assets)
    except figures.FigureError as error:
        raise PluginError(f"{src}: {error}") from None
    if event is None or overview:
        return markdown
    if registry.Talk(event.slug, Path(src).stem) not in event.talks:
        return markdown
    markdown = example_sources.rewrite_includes(markdown, src, _moved.get(src, []), REPO_ROOT)
    markdown = collected.with_setup(markdown, config["repo_url"])
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            extra = ["", collected.talk_header(page.meta, markdown), "", verified.stamp(src, _run)]
            lines[index + 1 : index + 1] = extra
            break
    return "\n".join(lines)


def on_page_content(html: str, page, config, files: Files) -> str:
    # Search indexes prose, not code blocks: code is most of a talk page's text, and every
    # page loads the whole index. Inline code in sentences stays searchable.
    _code_names[page.url] = code_search.identifiers(html)
    html = charts.linked(doctest_display.mark_varying(html))
    return CODE_BLOCK.sub(r"\g<0> data-search-exclude", html)


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = notebook_pages.lighten(output)
    output = run_in_browser.add_starter(output, page.url)
    return lean_html.lighten(lazy_code.focusable(diagrams.show_sources(output)))


def on_post_build(config) -> None:
    site_dir = Path(config["site_dir"])
    code_search.add_to_index(site_dir, _code_names)
    css_purge.purge_site(site_dir)
    run_in_browser.copy_into_site(site_dir)
    for event in _events(config):
        lean_svg.lighten_site(site_dir, event.slug)
