"""The stylesheet purge drops only what no page and no script can use; check its caution.

And the stylesheets every page links are served as one file.
"""

from __future__ import annotations

from pathlib import Path

from site_tools.site_build import css_purge

CSS = (
    ".kept,.gone{color:red}"
    ".md-typeset .gone>p{margin:0}"
    ":not(.gone)>.kept{top:0}"
    ":is(.gone,.kept) a{left:0}"
    "@media screen and (min-width:76em){.gone{a:b}.kept .tabbed-control--next{c:d}}"
    "@keyframes spin{0%{opacity:0}}"
    "a[href]{color:blue}"
)
HTML = ['<div class="kept md-typeset"><div class="tabbed-set tabbed-alternate">']
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


def test_a_text_direction_no_page_has_goes() -> None:
    rules = "[dir=rtl] .kept{a:b}[dir=ltr] .kept{c:d}"
    ltr = css_purge.Used(['<body dir="ltr" class="kept">'], [])
    assert css_purge.purge(rules, ltr) == "[dir=ltr] .kept{c:d}"
    both = css_purge.Used(['<body dir="ltr" class="kept">', '<body dir="rtl">'], [])
    assert css_purge.purge(rules, both) == rules


def test_a_component_the_bundle_names_goes_when_no_page_can_have_it() -> None:
    rules = ":root{--md-version-icon:url(x);--kept:1}.md-version__list{a:b}.kept{c:d}"
    bundle = ['x("div",{class:"md-version"}),y("ul",{class:"md-version__list"})']
    pages = ['<p class="kept">', '<script id="__config">{"version": null}</script>']
    assert css_purge.purge(rules, css_purge.Used(pages, bundle)) == ":root{--kept:1}.kept{c:d}"
    versioned = [*pages, '<script id="__config">{"version": {"provider": "mike"}}</script>']
    assert css_purge.purge(rules, css_purge.Used(versioned, bundle)) == rules


def test_admonition_types_count_only_on_pages() -> None:
    rules = ".md-typeset .example>.admonition-title{a:b}.md-typeset .tip>.admonition-title{c:d}"
    page = '<div class="md-typeset admonition tip"><p class="admonition-title">'
    used = css_purge.Used([page], ['"example"'])
    assert css_purge.purge(rules, used) == ".md-typeset .tip>.admonition-title{c:d}"


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


LINKS = (
    '<link rel="stylesheet" href="{up}assets/stylesheets/main.1234abcd.min.css">\n'
    '<link rel="stylesheet" href="{up}assets/stylesheets/palette.5678abcd.min.css">\n'
    '<link rel="stylesheet" href="{up}assets/stylesheets/site.css">\n'
)


def test_the_stylesheets_every_page_links_become_one_file_in_their_order(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "assets/stylesheets/main.1234abcd.min.css": ".kept{a:b}.gone{c:d}",
            "assets/stylesheets/palette.5678abcd.min.css": "[data-md-color-primary=indigo]{e:f}",
            "assets/stylesheets/site.css": "/* ours */\n.kept {\n  margin: 0  auto;\n}\n",
            "assets/stylesheets/notebook.css": ".kept{g:h}",
            "index.html": LINKS.format(up="") + '<p class="kept" data-md-color-primary="indigo">',
            "nb/index.html": LINKS.format(up="../")
            + '<link rel="stylesheet" href="../assets/stylesheets/notebook.css">',
        },
    )
    [merged] = css_purge.purge_site(site)
    assert merged.read_text() == ".kept{a:b}[data-md-color-primary=indigo]{e:f}.kept{margin:0 auto}"
    names = sorted(p.name for p in (site / "assets" / "stylesheets").iterdir())
    assert names == [merged.name, "notebook.css"]
    home, notebook = (site / "index.html").read_text(), (site / "nb/index.html").read_text()
    assert home.count("<link") == 1
    assert f'href="assets/stylesheets/{merged.name}"' in home
    assert notebook.count("<link") == 2
    assert f"../assets/stylesheets/{merged.name}" in notebook
    assert notebook.index(merged.name) < notebook.index("notebook.css")


def test_custom_properties_nothing_reads_go_with_those_only_they_read(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "assets/stylesheets/main.1234abcd.min.css": (
                ":root{--a:1;--b:var(--c);--c:2;--set-by-script:0}.kept{color:var(--a)}"
            ),
            "assets/javascripts/bundle.js": 'e.style.setProperty("--set-by-script", 1)',
            "index.html": '<link rel="stylesheet" href="assets/stylesheets/main.1234abcd.min.css">'
            '<p class="kept">',
        },
    )
    [purged] = css_purge.purge_site(site)
    assert purged.read_text() == ":root{--a:1;--set-by-script:0}.kept{color:var(--a)}"
