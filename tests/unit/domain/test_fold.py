"""The feed's fold: three rendered lines, cut at a whole word before "…see more", checked against
examples worked out by hand. Most use a monospace measure (every character 10 px) in a 100 px
column, so each line holds exactly ten characters and the expected cut can be counted."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.fold import (
    DESKTOP,
    MOBILE,
    SEE_MORE,
    FeedLayout,
    HookLine,
    Line,
    approximate_width,
    fold_index,
    hook_lines,
    lines,
    split_at_fold,
)

TEN = FeedLayout("test", 100.0)  # ten monospace characters a line


def mono(text: str) -> float:
    return 10.0 * len(text)


def wrapped(text: str, width: float = 100.0) -> list[str]:
    return [text[line.start : line.end] for line in lines(text, width, mono)]


def test_lines_wrap_at_spaces_and_break_only_words_wider_than_the_column() -> None:
    assert wrapped("aaaa bbbb cccc") == ["aaaa bbbb ", "cccc"]
    assert wrapped("abcdefghijklmnopqrstuvwxy") == ["abcdefghij", "klmnopqrst", "uvwxy"]
    assert wrapped("one\n\ntwo") == ["one", "", "two"]
    assert wrapped("aaaa team-wide") == ["aaaa team-", "wide"]  # after a hyphen, as browsers do
    assert wrapped("aaaaaaaa a-5") == ["aaaaaaaa ", "a-5"]  # not before a digit
    assert wrapped("") == [""]
    assert list(lines("ab\ncd", 100.0, mono)) == [Line(0, 2), Line(3, 5)]


def test_a_short_post_has_no_fold() -> None:
    assert fold_index("Short and sweet.") is None
    assert split_at_fold("one\ntwo\nthree", TEN, mono) == ("one\ntwo\nthree", "")
    assert fold_index("one\ntwo\nthree\n\n   \n", TEN, mono) is None  # only blank lines follow


def test_many_short_lines_fold_after_the_third() -> None:
    text = "one\ntwo\n3\nfour\nfive"
    # "3…see more" is exactly 10 characters: it fits on the third line.
    assert split_at_fold(text, TEN, mono) == ("one\ntwo\n3", "\nfour\nfive")


def test_an_empty_third_line_is_not_shown() -> None:
    text = "one\n2\n\nfour"
    assert split_at_fold(text, TEN, mono) == ("one\n2", "\n\nfour")


def test_a_long_first_line_folds_at_a_whole_word_with_room_for_see_more() -> None:
    # Wrapped: "aaaa bbbb " / "cccc dddd " / "ee ff gg " / "hh". The third line's "ee ff gg"
    # leaves no room for "…see more" (9 characters): back to "e" would split a word, so "ee".
    text = "aaaa bbbb cccc dddd ee ff gg hh"
    shown, hidden = split_at_fold(text, TEN, mono)
    assert shown == "aaaa bbbb cccc dddd"
    assert hidden == " ee ff gg hh"


def test_the_fold_never_cuts_a_word_in_two() -> None:
    text = (
        "Most side projects quietly die. Not because the idea was bad, but because nobody "
        "planned the boring middle part where the work stops being fun and starts being work. "
        "Here is what I changed, and what it taught me about finishing things that matter "
        "to me and to the people who waited for them."
    )
    for layout in (DESKTOP, MOBILE):
        shown, hidden = split_at_fold(text, layout)
        assert hidden, layout.name
        assert shown == shown.rstrip()
        assert text[len(shown)] == " ", f"{layout.name} cut inside a word: {shown[-10:]!r}"


def test_mobile_shows_fewer_characters_than_desktop() -> None:
    text = " ".join(["word"] * 200)
    desktop = fold_index(text, DESKTOP)
    mobile = fold_index(text, MOBILE)
    assert desktop is not None and mobile is not None
    assert mobile < desktop
    # Three lines of a 14 px font: about 200 characters on desktop, about 130 on mobile.
    assert 170 <= desktop <= 230
    assert 100 <= mobile <= 160


def test_emoji_take_more_room_than_letters() -> None:
    assert approximate_width("🚀") > approximate_width("a")
    letters = " ".join(["ab"] * 150)
    rockets = " ".join(["🚀🚀"] * 150)
    letters_cut, rockets_cut = fold_index(letters), fold_index(rockets)
    assert letters_cut is not None and rockets_cut is not None
    assert rockets_cut < letters_cut


@pytest.mark.parametrize("breaks", ["\n", "\r\n"])
def test_line_breaks_count_as_lines(breaks: str) -> None:
    text = breaks.join(["a", "b", "c", "d"])
    shown, _hidden = split_at_fold(text, TEN, mono)
    assert shown.replace("\r", "") == "a\nb\nc"


def test_see_more_fits_beside_the_last_line_shown() -> None:
    text = " ".join(["lorem", "ipsum", "dolor", "sit", "amet"] * 30)
    shown, _ = split_at_fold(text, DESKTOP)
    last = [text[line.start : line.end] for line in lines(shown, DESKTOP.width)][-1]
    assert approximate_width(last.rstrip() + SEE_MORE) <= DESKTOP.width


def test_the_hook_is_the_first_two_lines_with_words_each_marked_by_the_fold() -> None:
    text = "Hi\naaaa bbbb cccc dddd ee ff gg hh\nthird"
    cut = fold_index(text, TEN, mono)
    assert hook_lines(text, cut) == (
        HookLine(1, "Hi", fits=True),
        HookLine(2, "aaaa bbbb cccc dddd ee ff gg hh", fits=False),
    )
    assert hook_lines("one line", None) == (HookLine(1, "one line", fits=True),)
    assert hook_lines(" \n", None) == ()
    assert hook_lines("Opener\nsecond", None)[1].length == len("second")
