"""Reading a card from a page's bytes (services/link_preview.py `parse_card`) and taking an address
(`web_address`): the rules no server is needed for. Fetching is in
tests/integration/services/test_link_preview.py."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.link_preview import (
    MAX_DESCRIPTION_CHARS,
    MAX_TITLE_CHARS,
    LinkPreview,
    LinkPreviewError,
    parse_card,
    web_address,
)

PAGE_URL = "https://example.test/blog/post"


def _card(head: str | bytes, header_charset: str | None = None) -> LinkPreview:
    body = head if isinstance(head, bytes) else f"<html><head>{head}</head></html>".encode()
    card = parse_card(body, PAGE_URL, header_charset)
    assert card is not None
    return card


def test_a_long_title_and_description_are_cut_at_a_word_within_linkedins_limits() -> None:
    words = "lorem ipsum dolor sit amet " * 30
    card = _card(
        f'<meta property="og:title" content="{words}">'
        f'<meta property="og:description" content="{words}">'
    )

    assert len(card.title) <= MAX_TITLE_CHARS
    assert len(card.description) <= MAX_DESCRIPTION_CHARS
    for cut in (card.title, card.description):
        assert cut.endswith("…")
        assert words.startswith(cut.removesuffix("…") + " ")  # ends on a whole word


def test_text_within_the_limits_is_kept_whole() -> None:
    title = "t" * MAX_TITLE_CHARS
    assert _card(f"<title>{title}</title>").title == title


def test_the_first_of_repeated_tags_counts_and_property_or_name_may_name_it() -> None:
    card = _card(
        '<meta name="og:title" content="First, by name">'
        '<meta property="og:title" content="Second">'
        '<meta property="og:site_name" content="Site">'
        '<meta property="og:site_name" content="Other site">'
    )

    assert (card.title, card.site_name) == ("First, by name", "Site")


def test_a_title_that_would_show_nothing_falls_back_to_the_next_source() -> None:
    card = _card('<meta property="og:title" content="\u200b \u200b"><title>Real title</title>')

    assert card.title == "Real title"


def test_control_characters_are_dropped_from_the_card() -> None:
    card = _card("<title>Bell\x07 and\x00 null\x1b</title>")

    assert card.title == "Bell and null"


@pytest.mark.parametrize(
    "image", ["data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "  "]
)
def test_an_image_that_is_no_web_address_gives_no_image(image: str) -> None:
    assert _card(f'<title>T</title><meta property="og:image" content="{image}">').image_url is None


def test_a_protocol_relative_image_takes_the_pages_scheme() -> None:
    card = _card('<title>T</title><meta property="og:image" content="//cdn.example.test/i.png">')

    assert card.image_url == "https://cdn.example.test/i.png"


def test_tags_after_the_head_are_not_read() -> None:
    body = b'<html><head><title>Head</title></head><body><meta property="og:title" content="Body">'

    assert _card(body).title == "Head"


def test_no_title_anywhere_is_none() -> None:
    assert parse_card(b"<html><head></head><body><h1>Hi</h1></body></html>", PAGE_URL) is None


# --- character sets ---------------------------------------------------------------------------


def test_undeclared_bytes_that_are_not_utf8_are_read_as_windows_1252() -> None:
    assert _card("<title>Na\u00efve \u2013 caf\u00e9</title>".encode("cp1252")).title == (
        "Na\u00efve \u2013 caf\u00e9"
    )


def test_undeclared_utf8_cut_inside_a_character_is_still_utf8() -> None:
    body = (
        "<html><head><title>Gr\u00fc\u00dfe aus K\u00f6ln</title>".encode() + "\u00e9".encode()[:1]
    )

    assert _card(body).title == "Gr\u00fc\u00dfe aus K\u00f6ln"


def test_the_header_charset_wins_over_the_meta_one() -> None:
    body = '<meta charset="shift_jis"><title>\u00e9t\u00e9</title>'.encode("cp1252")

    assert _card(b"<html><head>" + body, header_charset="windows-1252").title == "\u00e9t\u00e9"


def test_a_byte_order_mark_wins_over_every_declaration() -> None:
    body = '\ufeff<html><head><meta charset="koi8-r"><title>\u00e9t\u00e9</title>'.encode(
        "utf-16-le"
    )

    assert _card(body, header_charset="koi8-r").title == "\u00e9t\u00e9"


def test_a_meta_that_claims_utf16_is_read_as_utf8() -> None:
    body = '<html><head><meta charset="utf-16"><title>\u00e9t\u00e9</title>'.encode()

    assert _card(body).title == "\u00e9t\u00e9"


def test_an_unknown_charset_name_is_read_as_if_none_was_given() -> None:
    body = "<html><head><title>\u00e9t\u00e9</title>".encode()

    assert _card(body, header_charset="x-no-such-charset").title == "\u00e9t\u00e9"


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("  https://example.test/a?b=1  ", "https://example.test/a?b=1"),
        ("http://example.test", "http://example.test"),
        ("example.test/article", "https://example.test/article"),
        ("//example.test/article", "https://example.test/article"),
    ],
)
def test_an_address_is_taken_as_typed_or_as_https(typed: str, address: str) -> None:
    assert web_address(typed) == address


NOT_A_LINK = (
    "The link must be a web address starting with http:// or https:// "
    "(for example https://example.com/article)."
)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("   ", "Paste a web address first."),
        ("mailto:someone@example.test", NOT_A_LINK),
        ("file:///etc/passwd", NOT_A_LINK),
        ("https://", NOT_A_LINK),
        ("https://exa mple.test/", NOT_A_LINK),
    ],
)
def test_an_address_that_is_no_web_address_is_refused(typed: str, message: str) -> None:
    with pytest.raises(LinkPreviewError) as refused:
        web_address(typed)

    assert str(refused.value) == message


def test_link_preview_errors_are_known_errors_the_window_shows_in_plain_words() -> None:
    # The window's known-error list (ui/known_errors.py) names ValidationError: a card's refusal
    # reaches the user's message bar, not the crash reporter.
    from linkie_desktop.ui.known_errors import explain_for

    refusal = LinkPreviewError("That page has no title; type one for the card.")

    assert isinstance(refusal, ValidationError)
    assert explain_for(None)(refusal) == "That page has no title; type one for the card."
