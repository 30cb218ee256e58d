"""Properties of the parsers and the URL normalisation, on pages and links nobody wrote."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from examples.pycon_us_2022.distributed_scraping.book_pages import (
    normalise_url,
    parse_book,
    parse_catalogue,
)
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB

TAGS = ['<h1 class="title">', "</h1>", '<p class="price">', '<p class="author">', "</p>",
        '<p class="isbn">', '<a class="book" href="', '<a rel="next" href="', '">', "</a>",
        "$", "£", "1e309", "nan", "-0", "<script>", "<!--", "&amp;", "\x00", "é"]  # fmt: skip
HTML = st.lists(st.sampled_from(TAGS) | st.text(max_size=10), max_size=20).map("".join)
URL_PIECES = ["http://", "HTTPS://", "mailto:", "javascript:", "Books.Test", "[::1]", "[x",
              ":80", ":443", ":8080", ":", "@", "/", "../", "?", "#", "#reviews", "%2F", " ",
              "\t", "é", "book/1"]  # fmt: skip
URL = st.lists(st.sampled_from(URL_PIECES) | st.text(max_size=5), max_size=8).map("".join)


@given(HTML)
def test_parse_book_never_crashes_and_returns_the_four_fields_or_none(html: str) -> None:
    data = parse_book(html)
    assert data is None or set(data) == {"title", "author", "price", "isbn"}


@given(HTML, st.sampled_from(["http://books.test/catalogue/page-1.html", "https://B.test:443/"]))
def test_parse_catalogue_never_crashes_and_gives_each_page_once_normalised(
    html: str, base: str
) -> None:
    links, following = parse_catalogue(html, base)
    assert len(links) == len(set(links))
    assert all(normalise_url(link) == link for link in links)
    assert following is None or normalise_url(following) == following


@given(URL)
def test_normalisation_is_idempotent(url: str) -> None:
    try:
        once = normalise_url(url)
    except ValueError:
        return  # not a URL at all (an unclosed IPv6 bracket): parse_catalogue leaves it out
    assert normalise_url(once) == once
    assert "#" not in once


@given(st.sampled_from(["books/1", "b/x?q=1", ""]), st.text(max_size=8), st.booleans())
def test_a_url_and_its_fragment_or_default_port_variant_queue_once(
    path: str, fragment: str, loud: bool
) -> None:
    plain = f"http://books.test/{path}"
    variant = f"{'HTTP://BOOKS.TEST:80' if loud else 'http://books.test'}/{path}#{fragment}"
    assume("#" not in path)
    links, _ = parse_catalogue(
        f'<a class="book" href="{plain}">a</a><a class="book" href="{variant}">b</a>',
        "http://books.test/",
    )
    db = CrawlDB("sqlite://")
    assert db.add_many(links, "book") == [normalise_url(plain)]
