"""Link cards filled from real pages over real HTTP on 127.0.0.1 (tests/fakes/web_pages.py).

Bounds are proven by pages that would break an unbounded reader: a <head> that never ends, a
gzipped one that inflates without end, a body that trickles on after </head>, an image with no
end. Each test asserts what came back or the exact message, never how long anything took: where
a deadline matters, a page that trickles on for minutes tells a reader that stopped from one
that did not.
"""

from __future__ import annotations

import socket
import stat
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linkie_desktop.services.link_preview import (
    DEFAULT_MAX_PAGE_BYTES,
    DEFAULT_TIMEOUT_S,
    LinkPreview,
    LinkPreviewError,
    download_thumbnail,
    fetch_link_card,
    web_client,
)
from tests.fakes.web_pages import (
    HUGE_TITLE,
    LATIN_TITLE,
    OG_DESCRIPTION,
    OG_IMAGE,
    OG_TITLE,
    PHOTO,
    SJIS_TITLE,
    WebPages,
)

DEADLINE_S = 0.5  # for pages that trickle: they would take ~40 s


@pytest.fixture
def pages() -> Iterator[WebPages]:
    server = WebPages().start()
    yield server
    server.stop()


def _refusal(
    url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S, max_bytes: int = DEFAULT_MAX_PAGE_BYTES
) -> str:
    with pytest.raises(LinkPreviewError) as refused:
        fetch_link_card(url, timeout_s=timeout_s, max_bytes=max_bytes)
    return str(refused.value)


# --- what a card is made of -------------------------------------------------------------------


def test_open_graph_outranks_twitter_tags_title_and_description(pages: WebPages) -> None:
    card = fetch_link_card(pages.url("/articles/og"))

    assert card == LinkPreview(
        url=pages.url("/articles/og"),
        title=OG_TITLE,  # the tag's line break and runs of spaces made one space
        description=OG_DESCRIPTION,
        image_url=OG_IMAGE,
        site_name="Field Notes",
    )
    (visit,) = pages.visited("/articles/og")
    assert visit.headers["accept-encoding"] == "identity"
    assert "Linkie Desktop/" in visit.headers["user-agent"]


def test_a_page_with_only_twitter_tags_gives_their_card(pages: WebPages) -> None:
    assert fetch_link_card(pages.url("/articles/twitter")) == LinkPreview(
        url=pages.url("/articles/twitter"),
        title="Only a Twitter card",
        description="Described for Twitter alone.",
        image_url="https://cdn.example.test/twitter.jpg",
        site_name=None,
    )


def test_a_page_with_only_a_title_and_description_gives_them_and_no_image(
    pages: WebPages,
) -> None:
    assert fetch_link_card(pages.url("/articles/plain")) == LinkPreview(
        url=pages.url("/articles/plain"),
        title="A page with just a title",
        description="Nothing but the basics.",
        image_url=None,  # the <img> in its body is no card image
        site_name=None,
    )


def test_a_relative_image_is_resolved_against_the_page_address(pages: WebPages) -> None:
    card = fetch_link_card(pages.url("/articles/deep/relative"))

    assert card.image_url == pages.url("/articles/images/card.png")


def test_html_entities_are_decoded_in_the_title_and_in_meta_values(pages: WebPages) -> None:
    card = fetch_link_card(pages.url("/articles/entities"))

    assert card.title == "R&D <notes> — café 🐟"
    assert card.description == 'Tom & Jerry\'s "best" bits'


def test_an_xhtml_page_is_a_web_page(pages: WebPages) -> None:
    assert fetch_link_card(pages.url("/articles/xhtml")).title == "An XHTML page"


def test_a_page_without_any_title_asks_for_one(pages: WebPages) -> None:
    # og:title of spaces and a blank <title> are no title; an <h1> in the body is not read.
    assert _refusal(pages.url("/articles/untitled")) == (
        "That page has no title; type one for the card."
    )


# --- character sets ---------------------------------------------------------------------------


def test_the_header_charset_is_read_as_browsers_read_it(pages: WebPages) -> None:
    # "iso-8859-1" in a header means windows-1252 on the web: its 0x96 is an en dash.
    assert fetch_link_card(pages.url("/articles/latin")).title == LATIN_TITLE


def test_a_charset_named_only_in_the_page_meta_is_used(pages: WebPages) -> None:
    assert fetch_link_card(pages.url("/articles/sjis")).title == SJIS_TITLE


# --- redirects --------------------------------------------------------------------------------


def test_five_redirects_are_followed_and_the_card_names_the_final_address(
    pages: WebPages,
) -> None:
    card = fetch_link_card(pages.url("/redirect/5"))

    assert (card.url, card.title) == (pages.url("/articles/og"), OG_TITLE)
    assert [visit.path for visit in pages.visits] == [
        "/redirect/5",
        "/redirect/4",
        "/redirect/3",
        "/redirect/2",
        "/redirect/1",
        "/articles/og",
    ]


def test_a_sixth_redirect_is_refused_before_it_is_followed(pages: WebPages) -> None:
    assert _refusal(pages.url("/redirect/6")) == (
        "That address redirects more than 5 times; open it in a browser and paste the address "
        "it ends at."
    )
    assert pages.visited("/articles/og") == []  # where the sixth would have led


def test_a_redirect_away_from_the_web_is_refused(pages: WebPages) -> None:
    assert _refusal(pages.url("/redirect-to-ftp")) == (
        "That address redirects to one that is not a web page (ftp:); only web pages make a "
        "link card."
    )


# --- bounds -----------------------------------------------------------------------------------


def test_a_page_that_trickles_ends_at_the_whole_request_deadline(pages: WebPages) -> None:
    assert _refusal(pages.url("/slow"), timeout_s=DEADLINE_S) == (
        "That page did not answer within 0.5 seconds."
    )
    assert pages.wait_for_hang_up()  # the client gave up with most of the page unsent


def test_reading_stops_at_the_end_of_the_head(pages: WebPages) -> None:
    # The body after </head> trickles on for hours: only a reader that stops there answers.
    card = fetch_link_card(pages.url("/slow-body"), timeout_s=5.0)

    assert (card.title, card.image_url) == (OG_TITLE, OG_IMAGE)


def test_a_head_without_end_is_read_up_to_the_cap(pages: WebPages) -> None:
    # The server writes until the client hangs up: a reader without a cap would hit the deadline.
    assert fetch_link_card(pages.url("/huge")).title == HUGE_TITLE
    assert pages.wait_for_hang_up()


def test_a_head_without_end_or_title_says_where_the_title_was_looked_for(
    pages: WebPages,
) -> None:
    assert _refusal(pages.url("/huge-untitled")) == (
        "That page has no title in its first 1 MB; type one for the card."
    )
    assert _refusal(pages.url("/huge-untitled"), max_bytes=64 * 1024) == (
        "That page has no title in its first 64 KB; type one for the card."
    )


def test_a_page_compressed_although_not_asked_to_be_is_read(pages: WebPages) -> None:
    assert fetch_link_card(pages.url("/gzip")).title == OG_TITLE


def test_an_endlessly_inflating_page_is_inflated_only_up_to_the_cap(pages: WebPages) -> None:
    cap = 64 * 1024
    fetch_link_card(pages.url("/gzip"))  # first imports and TLS set-up are not the page's
    tracemalloc.start()
    try:
        card = fetch_link_card(pages.url("/gzip-endless"), max_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert card.title == HUGE_TITLE
    assert pages.wait_for_hang_up()
    # Inflating all that 64 KB of this answer holds takes some 64 MB (httpx's own inflating
    # peaked at 147 MB); within the cap it stays near 64 KB, the page's copies and parser's
    # included (0.4 MB measured).
    assert peak < 4 * 1024 * 1024


# --- refusals ---------------------------------------------------------------------------------


def test_an_address_that_is_not_a_web_page_is_refused_by_its_type(pages: WebPages) -> None:
    assert _refusal(pages.url("/photo.png")) == (
        "That address is not a web page (it is image/png)."
    )
    assert _refusal(pages.url("/no-type")) == (
        "That address is not a web page (it is of no stated type)."
    )


def test_a_missing_page_and_a_broken_site_are_told_apart(pages: WebPages) -> None:
    assert _refusal(pages.url("/missing")) == (
        "That page was not found (the site answered 404 Not Found); check the address."
    )
    assert _refusal(pages.url("/broken")) == (
        "That page could not be read (the site answered 500 Internal Server Error); "
        "try again later."
    )


def test_a_site_that_is_not_there_is_named_with_the_reason() -> None:
    with socket.socket() as holder:  # a port that was free a moment ago: nobody listens on it
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
    assert _refusal(f"http://127.0.0.1:{port}/page") == (
        "Could not reach 127.0.0.1: connection refused."
    )


def test_a_site_whose_certificate_cannot_be_trusted_is_named_with_the_reason(
    tmp_path: Path,
) -> None:
    server = WebPages()
    server.serve_tls(tmp_path)
    server.start()
    try:
        refusal = _refusal(server.url("/articles/og"))
    finally:
        server.stop()

    assert refusal == (
        "Could not reach 127.0.0.1: its certificate cannot be trusted (self-signed certificate)."
    )


def test_an_address_that_is_not_for_the_web_is_refused_before_any_request() -> None:
    assert _refusal("ftp://files.example.test/a") == (
        "The link must be a web address starting with http:// or https:// "
        "(for example https://example.com/article)."
    )


# --- the thumbnail ----------------------------------------------------------------------------


def test_the_cards_image_is_saved_as_a_private_checked_png(pages: WebPages, tmp_path: Path) -> None:
    card = fetch_link_card(pages.url("/articles/deep/relative"))
    assert card.image_url is not None
    media = tmp_path / "media"

    saved = download_thumbnail(card.image_url, media)

    assert saved.parent == media
    assert saved.suffix == ".png"
    assert saved.read_bytes() == PHOTO
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(media.stat().st_mode) == 0o700
    assert list(media.iterdir()) == [saved]  # no partial file left beside it


def test_an_image_that_is_no_image_is_refused_and_not_kept(pages: WebPages, tmp_path: Path) -> None:
    with pytest.raises(LinkPreviewError) as refused:
        download_thumbnail(pages.url("/fake.png"), tmp_path)

    assert str(refused.value) == (
        "The card's image cannot be its thumbnail. That file is not a PNG, JPEG or GIF image; "
        "LinkedIn takes only those."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_thumbnail_address_that_gives_a_page_is_refused_by_its_type(
    pages: WebPages, tmp_path: Path
) -> None:
    with pytest.raises(LinkPreviewError) as refused:
        download_thumbnail(pages.url("/articles/og"), tmp_path)

    assert str(refused.value) == ("The card's image address is not an image (it is text/html).")


@pytest.mark.parametrize("path", ["/big.png", "/big-unsized.png"])
def test_an_image_over_the_cap_is_refused_whether_or_not_its_size_is_announced(
    pages: WebPages, tmp_path: Path, path: str
) -> None:
    with pytest.raises(LinkPreviewError) as refused:
        download_thumbnail(pages.url(path), tmp_path, max_bytes=100_000)

    assert str(refused.value) == (
        "The card's image is larger than 100 KB; choose a smaller picture for the thumbnail."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_thumbnail_says_so(pages: WebPages, tmp_path: Path) -> None:
    with pytest.raises(LinkPreviewError) as refused:
        download_thumbnail(pages.url("/missing"), tmp_path)

    assert str(refused.value) == (
        "The card's image was not found (the site answered 404 Not Found); check the address."
    )


# --- the client -------------------------------------------------------------------------------


def test_one_web_client_serves_a_card_and_its_thumbnail(pages: WebPages, tmp_path: Path) -> None:
    with web_client() as client:
        card = fetch_link_card(pages.url("/articles/deep/relative"), client=client)
        assert card.image_url is not None
        saved = download_thumbnail(card.image_url, tmp_path, client=client)

    assert saved.read_bytes() == PHOTO


def test_a_client_without_the_bounds_is_refused(pages: WebPages) -> None:
    with httpx.Client() as plain, pytest.raises(TypeError):
        fetch_link_card(pages.url("/articles/og"), client=plain)
    assert pages.visits == []
