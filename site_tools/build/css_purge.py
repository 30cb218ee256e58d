"""Material's stylesheets without the rules no page of this site can match.

Every page loads Material's ``main.*.min.css`` (about 137 KB) and ``palette.*.min.css`` before it
can render; a third of the first styles components this site never uses, most of the second
colours it never picks. After the build, ``purge`` drops a selector only when it names a class
that appears in no built page and in no shipped JavaScript file (the bundle and the search
worker build their markup from such names), or a palette colour
(``[data-md-color-primary=pink]``) that no page's palette offers. The purge is conservative:

- a class counts as used if it occurs as a word anywhere in a JavaScript file, or in any
  ``class`` attribute of any built HTML page, or if it begins with a name a script completes
  at run time (a template literal ``tabbed-control--${e}``, ``"data-clipboard-".concat(q)``);
- classes inside functional pseudo-classes (``:not(.x)``, ``:is(.x, .y)``, ``:has(.x)``) are
  never grounds for dropping: ``:not(.unused)`` matches everything;
- at-rules other than ``@media``/``@supports`` (keyframes, font faces, properties) are kept.

One rule is dropped on purpose although pages match it: ``[data-md-color-switching] *`` (with its
``::before``/``::after`` forms) turns transitions off while the palette changes. The bundle sets
and clears that attribute on ``<body>`` on every page load, and a selector that names it above
``*`` makes Chromium restyle the whole page both times; without the rule, a palette switch fades
the colours of the few elements that have transitions instead of swapping them at once.

The purged file gets a new content hash in its name, and every page's link to it is rewritten,
so a browser never mixes a cached full file with a purged one.
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
WORD = re.compile(r"[\w-]+")
DROPPED_ON_PURPOSE = "[data-md-color-switching]"
PSEUDO_FUNCTION = re.compile(r":[\w-]+\(")
# A name a script completes at run time: `prefix${…}`, "prefix" + …, "prefix".concat(…).
DYNAMIC_PREFIX = re.compile(r"""([\w-]{3,})\$\{|["']([\w-]{3,})["']\s*(?:\+|\.concat\()""")


class Used:
    """The classes the site can use: on its pages, or named (even in part) by its scripts."""

    def __init__(self, html_pages: Iterable[str], scripts: Iterable[str]) -> None:
        self.names: set[str] = set()
        self.prefixes: set[str] = set()
        self.colours: set[str] = set()
        for html in html_pages:
            for attribute in CLASS_ATTRIBUTE.findall(html):
                self.names.update(attribute.split())
            self.colours.update(PALETTE_ATTRIBUTE.findall(html))
        for script in scripts:
            self.names.update(WORD.findall(script))
            self.colours.update(WORD.findall(script))
            for match in DYNAMIC_PREFIX.finditer(script):
                self.prefixes.add(match[1] or match[2])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name in self.names or any(name.startswith(p) for p in self.prefixes)
        )


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
    return all(c in used for c in selector_classes(selector)) and (
        selector_colours(selector) <= used.colours
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


def _purge_rules(rules: list, used: Used) -> str:
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, css.QualifiedRule):
            kept = [s for s in _split_selectors(rule.prelude) if _needed(s, used)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
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


def purge_site(site_dir: Path) -> list[Path]:
    """Purge the built site's Material stylesheets in place; the purged files."""
    folder = site_dir / "assets" / "stylesheets"
    originals = sorted([*folder.glob("main.*.min.css"), *folder.glob("palette.*.min.css")])
    if not originals:
        return []
    pages = sorted(site_dir.rglob("*.html"))
    html = [page.read_text(encoding="utf-8") for page in pages]
    used = Used(html, [p.read_text(encoding="utf-8") for p in site_dir.rglob("*.js")])
    renamed: dict[str, str] = {}
    for original in originals:
        purged = purge(original.read_text(encoding="utf-8"), used)
        digest = hashlib.sha256(purged.encode()).hexdigest()[:8]
        target = original.with_name(f"{original.name.split('.')[0]}.{digest}.purged.min.css")
        target.write_text(purged, encoding="utf-8")
        original.unlink()
        original.with_name(original.name + ".map").unlink(missing_ok=True)  # maps the full file
        renamed[original.name] = target.name
    for page, text in zip(pages, html, strict=True):
        changed = text
        for old, new in renamed.items():
            changed = changed.replace(old, new)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
    return [folder / name for name in renamed.values()]
