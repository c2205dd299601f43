"""Hashtags, mentions and the rest of a post's text as LinkedIn reads them (the contract's rules
in ../shared/LINKEDIN-API.md), and the length the reader sees."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.little_text import (
    Hashtag,
    Link,
    Mention,
    MentionNameError,
    Plain,
    mention,
    pieces,
    reader_length,
    reader_text,
    to_little_text,
)
from linkie_desktop.domain.text import escape_little_text

PERSON = "urn:li:person:AbC-12_x"
COMPANY = "urn:li:organization:2414183"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("#launch", "{hashtag|\\#|launch}"),
        ("Ship it #launch!", "Ship it {hashtag|\\#|launch}!"),
        ("(#ai) and #ml.", "\\({hashtag|\\#|ai}\\) and {hashtag|\\#|ml}."),
        (
            "#Café #日本語 #v2 #a_b",
            "{hashtag|\\#|Café} {hashtag|\\#|日本語} {hashtag|\\#|v2} {hashtag|\\#|a\\_b}",
        ),
        ("line\n#tag", "line\n{hashtag|\\#|tag}"),
    ],
)
def test_a_hashtag_is_sent_as_the_template(typed: str, sent: str) -> None:
    assert to_little_text(typed) == sent


@pytest.mark.parametrize(
    "typed",
    [
        "C# and F#",  # after a letter
        "We are #1",  # digits only
        "# heading",  # nothing after it
        "##",
        "a#b",
        "x_#tag",  # after "_"
        "Read https://example.com/page#section and https://x.y/a/#frag",  # an address's fragment
    ],
)
def test_every_other_hash_is_escaped_text(typed: str) -> None:
    sent = to_little_text(typed)
    assert "{hashtag" not in sent
    assert sent.count("\\#") == typed.count("#")


def test_a_stored_mention_is_sent_as_a_mention_with_its_name_escaped() -> None:
    typed = f"Thanks @[Eddy (CTO)]({PERSON}) and @[Devtestco]({COMPANY})"
    assert to_little_text(typed) == (
        f"Thanks @[Eddy \\(CTO\\)]({PERSON}) and @[Devtestco]({COMPANY})"
    )


def test_an_at_sign_that_is_no_stored_mention_is_escaped() -> None:
    for typed in ("mail me @ home", "@team", "@[Name](https://x.y)", "@[Name](urn:li:share:1)"):
        assert to_little_text(typed) == escape_little_text(typed)


def test_pieces_name_what_the_reader_sees() -> None:
    typed = f"Hi @[Ann Lee]({PERSON}), see #news: C# tips"
    assert list(pieces(typed)) == [
        Plain("Hi "),
        Mention("Ann Lee", PERSON),
        Plain(", see "),
        Hashtag("news"),
        Plain(": C# tips"),
    ]
    assert reader_text(typed) == "Hi Ann Lee, see #news: C# tips"


def test_the_length_counts_a_mention_as_its_name() -> None:
    typed = f"@[Ann]({PERSON}) " + "x" * 10
    assert reader_length(typed) == len("Ann ") + 10
    assert reader_length("plain #tag") == len("plain #tag")


def test_mention_markup_is_made_from_a_name_and_a_urn() -> None:
    assert mention("  Ann   Lee ", PERSON) == f"@[Ann Lee]({PERSON})"
    assert list(pieces(mention("Devtestco", COMPANY))) == [Mention("Devtestco", COMPANY)]


@pytest.mark.parametrize(
    ("name", "urn", "says"),
    [
        ("", PERSON, "needs the name"),
        ("Ann [Ops]", PERSON, "[ or ]"),
        ("Ann", "urn:li:share:1", "not a LinkedIn person or organization URN"),
        ("Ann", "https://linkedin.com/in/ann", "not a LinkedIn person or organization URN"),
    ],
)
def test_a_mention_linkedin_cannot_show_is_refused(name: str, urn: str, says: str) -> None:
    with pytest.raises(MentionNameError, match=says.replace("[", r"\[").replace("]", r"\]")):
        mention(name, urn)


def test_addresses_are_links_and_keep_their_hash() -> None:
    typed = "Read https://x.y/a#b, then (https://x.y/c_d). #next"
    assert list(pieces(typed)) == [
        Plain("Read "),
        Link("https://x.y/a#b"),
        Plain(", then ("),
        Link("https://x.y/c_d"),
        Plain("). "),
        Hashtag("next"),
    ]
    assert to_little_text(typed).endswith("\\). {hashtag|\\#|next}")


def test_each_piece_knows_where_it_stands_in_the_stored_text() -> None:
    typed = f"Hi @[Ann]({PERSON}) #go https://x.y ok"
    for piece in pieces(typed):
        stored = typed[piece.start : piece.end]
        if isinstance(piece, Mention):
            assert stored == f"@[{piece.name}]({piece.urn})"
        else:
            assert stored == piece.text
    assert "".join(typed[p.start : p.end] for p in pieces(typed)) == typed
