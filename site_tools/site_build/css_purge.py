"""The site's stylesheets as one file, without the rules no page of this site can match.

Every page loads Material's ``main.*.min.css`` (about 137 KB) and ``palette.*.min.css``, and the
site's own ``site.css``, before it can render; a third of the first styles components this site
never uses, most of the second colours it never picks. After the build, ``purge`` drops a
selector only when it names a class that appears in no built page and in no script that builds
markup (Material's bundle and the site's own scripts, ``assets/javascripts/*.js``; the search
worker, lunr's language files and Pyodide build none), or a palette colour
(``[data-md-color-primary=pink]``) that no page's palette offers, or a text direction
(``[dir=rtl]``) that no page has. The purge is conservative:

- a class counts as used if it occurs as a word anywhere in such a script, or in any ``class``
  attribute of any built HTML page, or if it begins with a name a script completes at run time
  (a template literal ``tabbed-control--${e}``, ``"data-clipboard-".concat(q)``);
- classes inside functional pseudo-classes (``:not(.x)``, ``:is(.x, .y)``, ``:has(.x)``) are
  never grounds for dropping: ``:not(.unused)`` matches everything;
- at-rules other than ``@media``/``@supports`` (keyframes, font faces, properties) are kept.

Where the bundle's words say too little:

- a few of Material's components are named by its bundle but built only when a page has what
  they decorate (``COMPONENTS``: content tabs, code annotations, tooltips, the version selector,
  repository facts, page status, Mermaid diagrams). When no page has it, their classes count as
  unused despite the bundle's words, and their custom properties go too;
- admonition types (``note``, ``example``…) are rendered into the pages, never by a script, so
  only the pages count for them;
- a custom property that no kept rule, page or script reads goes (its icon is most of it).

One rule is dropped on purpose although pages match it: ``[data-md-color-switching] *`` (with its
``::before``/``::after`` forms) turns transitions off while the palette changes. The bundle sets
and clears that attribute on ``<body>`` on every page load, and a selector that names it above
``*`` makes Chromium restyle the whole page both times; without the rule, a palette switch fades
the colours of the few elements that have transitions instead of swapping them at once.

The stylesheets every page links (Material's two and ``site.css``) are then written as one file,
in the order the pages link them, with comments and spare whitespace left out: one request
instead of three, compressed as one. The file gets a content hash in its name, and every page's
links are rewritten to it, so a browser never mixes a cached full file with a purged one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2
from tinycss2 import ast as css

CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
PALETTE_ATTRIBUTE = re.compile(r'\bdata-md-color-[\w-]+="([^"]*)"')
PALETTE_SELECTOR = re.compile(r"\[data-md-color-[\w-]+=[\"']?([\w-]+)[\"']?\]")
DIRECTION_ATTRIBUTE = re.compile(r'\bdir="([^"]*)"')
DIRECTION_SELECTOR = re.compile(r"\[dir=[\"']?([\w-]+)[\"']?\]")
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]*)"\s*/?>\n?')
WORD = re.compile(r"[\w-]+")
DROPPED_ON_PURPOSE = "[data-md-color-switching]"
PSEUDO_FUNCTION = re.compile(r":[\w-]+\(")
VAR_READ = re.compile(r"var\(\s*(--[\w-]+)")
DECLARED = re.compile(r"(?<=[{;])(--[\w-]+):")
# Admonitions are rendered into the pages, never by a script: only the pages count for them.
ADMONITION_TYPES = {
    *("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important"),
    *("success", "check", "done", "question", "help", "faq", "warning", "caution", "attention"),
    *("failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"),
}
# A name a script completes at run time: `prefix${…}`, "prefix" + …, "prefix".concat(…).
DYNAMIC_PREFIX = re.compile(r"""([\w-]{3,})\$\{|["']([\w-]{3,})["']\s*(?:\+|\.concat\()""")
# Material annotates a code block only if an ordered list follows it (its markers, "(1)" in a
# comment, point into the list), whatever the settings.
ANNOTATIONS = r"</pre></div>\s*(?:<p>\s*</p>\s*)*<ol\b"


# Parts of Material that its bundle builds only when a page has what they need (checked against
# the bundle of Material 9.7, theme_patches.MATERIAL_RANGE): the bundle names their classes, so
# its words alone would keep their rules on every site. Each: its classes' prefix, its custom
# properties' prefix, and what some page (or its __config) has when the part can appear.
COMPONENTS = (
    ("tabbed-", "--md-tabbed-", r'class="[^"]*\btabbed-set\b'),
    ("md-annotation", "--md-annotation-", ANNOTATIONS),
    ("md-tooltip", "--md-tooltip-", ANNOTATIONS + r'|"content\.(footnote\.)?tooltips"|\.preview"'),
    ("md-version", "--md-version-", r'"version": \{'),
    ("md-source__fact", "--md-source-", r'data-md-component="source"'),
    ("md-status", "--md-status", r'class="[^"]*\bmd-status\b'),
    ("mermaid", "--md-mermaid-", r'class="[^"]*\bmermaid\b'),
)


class Used:
    """The classes the site can use: on its pages, or named (even in part) by its scripts."""

    def __init__(self, html_pages: Iterable[str], scripts: Iterable[str]) -> None:
        self.names: set[str] = set()
        self.prefixes: set[str] = set()
        self.colours: set[str] = set()
        self.directions: set[str] = set()
        self.on_pages: set[str] = set()
        self.properties: set[str] = set()  # custom properties read outside the stylesheets
        self.unread: set[str] = set()  # custom properties nothing reads (set by purge_site)
        html_pages = list(html_pages)
        absent = [c for c in COMPONENTS if not any(re.search(c[2], h) for h in html_pages)]
        self.absent_classes = tuple(classes for classes, _, _ in absent)
        self.absent_properties = tuple(properties for _, properties, _ in absent)
        for html in html_pages:
            for attribute in CLASS_ATTRIBUTE.findall(html):
                self.on_pages.update(attribute.split())
            self.properties.update(VAR_READ.findall(html))
            self.colours.update(PALETTE_ATTRIBUTE.findall(html))
            self.directions.update(DIRECTION_ATTRIBUTE.findall(html))
        self.names.update(self.on_pages)
        for script in scripts:
            self.names.update(WORD.findall(script))
            self.properties.update(w for w in WORD.findall(script) if w.startswith("--"))
            self.colours.update(WORD.findall(script))
            for match in DYNAMIC_PREFIX.finditer(script):
                self.prefixes.add(match[1] or match[2])

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or name.startswith(self.absent_classes):
            return False
        if name in ADMONITION_TYPES:
            return name in self.on_pages
        return name in self.names or any(name.startswith(p) for p in self.prefixes)


def _outside_pseudo_functions(selector: str) -> str:
    outside, depth, index = [], 0, 0
    while index < len(selector):
        opening = PSEUDO_FUNCTION.match(selector, index)
        if opening:
            depth += 1
            index = opening.end()
            continue
        char = selector[index]
        if char == "(" and depth:
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            outside.append(char)
        index += 1
    return "".join(outside)


def selector_classes(selector: str) -> set[str]:
    """Classes a selector requires, outside functional pseudo-classes."""
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", _outside_pseudo_functions(selector)))


def selector_colours(selector: str) -> set[str]:
    """Palette values a selector requires (``[data-md-color-accent=amber]`` → amber)."""
    return set(PALETTE_SELECTOR.findall(_outside_pseudo_functions(selector)))


def _needed(selector: str, used: Used) -> bool:
    if DROPPED_ON_PURPOSE in selector:
        return False
    outside = _outside_pseudo_functions(selector)
    return (
        all(c in used for c in selector_classes(selector))
        and selector_colours(selector) <= used.colours
        and set(DIRECTION_SELECTOR.findall(outside)) <= used.directions
    )


def _split_selectors(prelude: list) -> list[str]:
    """A rule's prelude as its comma-separated selectors (commas inside ``:is()`` stay put)."""
    selectors, current = [], []
    for token in prelude:
        if isinstance(token, css.LiteralToken) and token.value == ",":
            selectors.append(tinycss2.serialize(current).strip())
            current = []
        else:
            current.append(token)
    selectors.append(tinycss2.serialize(current).strip())
    return [s for s in selectors if s]


def _compact(tokens: list) -> str:
    """Tokens serialised with each run of whitespace or comments as one space, none at the ends."""
    out: list[str] = []
    for token in tokens:
        if isinstance(token, (css.WhitespaceToken, css.Comment)):
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(tinycss2.serialize([token]))
    return "".join(out).strip()


def _declarations(content: list, used: Used) -> str:
    """A rule's declarations as ``name:value;…``, without comments or spare whitespace.

    Custom properties that nothing reads, or of components no page can have, go too.
    """
    parts = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if isinstance(item, css.Declaration) and (
            item.name in used.unread or item.name.startswith(used.absent_properties)
        ):
            continue
        if isinstance(item, css.Declaration):
            parts.append(
                f"{item.name}:{_compact(item.value)}{'!important' if item.important else ''}"
            )
        else:  # a nested rule, kept as written
            parts.append(item.serialize())
    return ";".join(parts)


def _purge_rules(rules: list, used: Used) -> str:
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, css.QualifiedRule):
            kept = [s for s in _split_selectors(rule.prelude) if _needed(s, used)]
            if kept:
                declarations = _declarations(rule.content, used)
                if declarations:
                    out.append(",".join(kept) + "{" + declarations + "}")
        elif isinstance(rule, css.AtRule) and rule.lower_at_keyword in {"media", "supports"}:
            inner = tinycss2.parse_rule_list(rule.content or [], skip_whitespace=True)
            body = _purge_rules(inner, used)
            if body:
                prelude = tinycss2.serialize(rule.prelude).strip()
                out.append(f"@{rule.at_keyword} {prelude}{{{body}}}")
        elif isinstance(rule, css.AtRule):
            out.append(rule.serialize())
    return "".join(out)


def purge(stylesheet: str, used: Used) -> str:
    """``stylesheet`` without the selectors that need a class outside ``used``."""
    rules = tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True)
    return _purge_rules(rules, used)


def _together(folder: Path, html: list[str]) -> list[str]:
    """The stylesheets of ``folder`` that every page links, in the order the pages link them."""
    linked = [
        [m["href"].rsplit("/", 1)[-1] for m in STYLESHEET_LINK.finditer(text)] for text in html
    ]
    first = linked[0] if linked else []
    return [n for n in first if all(n in names for names in linked) and (folder / n).is_file()]


def purge_site(site_dir: Path) -> list[Path]:
    """Purge the built site's stylesheets in place, those every page links as one; the files."""
    folder = site_dir / "assets" / "stylesheets"
    material = sorted([*folder.glob("main.*.min.css"), *folder.glob("palette.*.min.css")])
    if not material:
        return []
    pages = sorted(site_dir.rglob("*.html"))
    html = [page.read_text(encoding="utf-8") for page in pages]
    scripts = [
        p.read_text(encoding="utf-8") for p in (site_dir / "assets" / "javascripts").glob("*.js")
    ]
    used = Used(html, scripts)
    together = _together(folder, html)
    groups = ([together] if together else []) + [
        [p.name] for p in material if p.name not in together
    ]
    renamed: dict[str, str | None] = {}  # a linked file's name → the new file's, None: link goes
    written = []
    for names in groups:
        sources = [(folder / name).read_text(encoding="utf-8") for name in names]
        used.unread = set()
        while True:  # dropping a rule can leave a property unread, and so on
            purged = "".join(purge(source, used) for source in sources)
            read = set(VAR_READ.findall(purged)) | used.properties
            unread = {name for name in DECLARED.findall(purged) if name not in read}
            if unread <= used.unread:  # (one in a rule kept as written stays)
                break
            used.unread |= unread
        digest = hashlib.sha256(purged.encode()).hexdigest()[:8]
        target = folder / f"{names[0].split('.')[0]}.{digest}.purged.min.css"
        for name in names:
            (folder / name).unlink()
            (folder / f"{name}.map").unlink(missing_ok=True)  # maps the full file
            renamed[name] = None
        target.write_text(purged, encoding="utf-8")
        renamed[names[0]] = target.name
        written.append(target)

    def unlinked(link: re.Match[str]) -> str:
        return "" if renamed.get(link["href"].rsplit("/", 1)[-1], "") is None else link[0]

    for page, text in zip(pages, html, strict=True):
        changed = STYLESHEET_LINK.sub(unlinked, text)
        for old, new in renamed.items():
            if new:
                changed = changed.replace(old, new)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
    return written
