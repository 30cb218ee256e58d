"""The stylesheet purge drops only what no page and no script can use; check its caution."""

from __future__ import annotations

from pathlib import Path

from site_tools.build import css_purge

CSS = (
    ".kept,.gone{color:red}"
    ".md-typeset .gone>p{margin:0}"
    ":not(.gone)>.kept{top:0}"
    ":is(.gone,.kept) a{left:0}"
    "@media screen and (min-width:76em){.gone{a:b}.kept .tabbed-control--next{c:d}}"
    "@keyframes spin{0%{opacity:0}}"
    "a[href]{color:blue}"
)
HTML = ['<div class="kept md-typeset">']
SCRIPTS = ["function n(e){return `tabbed-control--${e}`}"]


def test_selectors_needing_an_unused_class_go_and_the_rest_stay() -> None:
    used = css_purge.Used(HTML, SCRIPTS)
    assert css_purge.purge(CSS, used) == (
        ".kept{color:red}"
        ":not(.gone)>.kept{top:0}"
        ":is(.gone,.kept) a{left:0}"
        "@media screen and (min-width:76em){.kept .tabbed-control--next{c:d}}"
        "@keyframes spin{0%{opacity:0}}"
        "a[href]{color:blue}"
    )


def test_a_word_of_a_script_keeps_its_class() -> None:
    used = css_purge.Used([], ['el.classList.add("gone")'])
    assert "gone" in used
    assert "kept" not in used


def test_palette_colours_no_page_offers_go() -> None:
    palette = "[data-md-color-primary=indigo]{a:b}[data-md-color-primary=pink]{c:d}"
    used = css_purge.Used(['<input data-md-color-primary="indigo">'], [])
    assert css_purge.purge(palette, used) == "[data-md-color-primary=indigo]{a:b}"


def test_classes_inside_functional_pseudo_classes_never_count() -> None:
    assert css_purge.selector_classes(".a:not(.b, .c)>.d:is(.e) .f") == {"a", "d", "f"}


def test_the_purged_file_is_renamed_and_every_link_follows(tmp_path: Path) -> None:
    stylesheets = tmp_path / "assets" / "stylesheets"
    stylesheets.mkdir(parents=True)
    (stylesheets / "main.1234abcd.min.css").write_text(CSS)
    (stylesheets / "main.1234abcd.min.css.map").write_text("{}")
    page = tmp_path / "index.html"
    page.write_text('<link href="assets/stylesheets/main.1234abcd.min.css"><p class="kept">')
    [purged] = css_purge.purge_site(tmp_path)
    assert [p.name for p in stylesheets.iterdir()] == [purged.name]
    assert purged.name in page.read_text()
    assert purged.read_text().startswith(".kept{color:red}:not(.gone)>.kept{top:0}")


def test_the_palette_switching_rule_goes_although_body_matches_it() -> None:
    # Dropped on purpose: Material sets the attribute on <body> at every page load.
    switching = (
        "[data-md-color-switching] *,[data-md-color-switching] :after"
        "{transition-duration:0s!important}"
    )
    used = css_purge.Used(['<body class="kept">'], ['b.setAttribute("data-md-color-switching","")'])
    assert css_purge.purge(switching + ".kept{top:0}", used) == ".kept{top:0}"
