"""Status, text and time rules, the "see more" fold and image checks: pure domain code, no Qt, no
database."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from linkie_desktop.domain.images import MAX_IMAGE_PIXELS, inspect_whole_image, sniff_image
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    MAX_TITLE_CHARS,
    ReadOnlyPostError,
    ValidationError,
    can_delete,
    can_mark_published,
    can_publish_now,
    can_retry,
    display_title,
    is_editable,
    is_read_only,
    status_after_edit,
    validate_content,
    validate_draft_content,
    validate_schedule_time,
    validate_title,
)
from linkie_desktop.domain.status import PostStatus
from tests.fakes.image_files import png_bytes


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.FAILED, PostStatus.SCHEDULED])
def test_drafts_failed_and_scheduled_posts_are_editable_and_keep_their_status(
    status: PostStatus,
) -> None:
    assert is_editable(status)
    assert status_after_edit(status) == status


@pytest.mark.parametrize("status", [PostStatus.PUBLISHED, PostStatus.PUBLISHING])
def test_published_and_publishing_posts_are_read_only(status: PostStatus) -> None:
    assert is_read_only(status)
    # Its own kind of refusal, so the composer can keep the typing as a new draft for this one.
    with pytest.raises(ReadOnlyPostError, match="duplicate it"):
        status_after_edit(status)


def test_only_failed_posts_can_be_retried_or_marked_published() -> None:
    for status in PostStatus:
        assert can_retry(status) == (status == PostStatus.FAILED)
        assert can_mark_published(status) == (status == PostStatus.FAILED)


def test_publish_now_and_delete_rules() -> None:
    assert can_publish_now(PostStatus.DRAFT)
    assert not can_publish_now(PostStatus.PUBLISHED)
    assert not can_publish_now(PostStatus.PUBLISHING)
    assert can_delete(PostStatus.PUBLISHED)
    assert not can_delete(PostStatus.PUBLISHING)


def test_display_title_prefers_title_then_first_non_empty_line() -> None:
    assert display_title("  Title ", "body") == "Title"
    assert display_title(None, "\n\n  Hello there\nmore") == "Hello there"
    assert display_title("", "   ") == "(empty post)"
    assert display_title(None, "a" * 100, limit=10) == "aaaaaaaaa…"


def test_png_gif_and_jpeg_sizes_are_read_from_their_headers() -> None:
    png = sniff_image(png_bytes(40, 30))
    assert (png.kind, png.width, png.height, png.suffix) == ("png", 40, 30, ".png")
    gif = sniff_image(b"GIF89a" + struct.pack("<HH", 12, 7) + b"\x00" * 10)
    assert (gif.kind, gif.width, gif.height) == ("gif", 12, 7)
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 480, 640, 3) + b"\x00" * 3
    jpeg = sniff_image(b"\xff\xd8" + app0 + sof)
    assert (jpeg.kind, jpeg.width, jpeg.height, jpeg.suffix) == ("jpeg", 640, 480, ".jpg")


def test_other_files_and_huge_images_are_refused_in_plain_words() -> None:
    with pytest.raises(ValidationError, match="not a PNG, JPEG or GIF"):
        sniff_image(b"%PDF-1.7 ...")
    with pytest.raises(ValidationError, match="damaged"):
        sniff_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 4)
    side = int(MAX_IMAGE_PIXELS**0.5) + 1
    with pytest.raises(ValidationError, match="megapixels"):
        sniff_image(png_bytes(side, side, pixels=False))


def test_a_cut_off_image_file_is_refused(tmp_path: Path) -> None:
    whole = png_bytes(20, 10)
    complete = tmp_path / "whole.png"
    complete.write_bytes(whole)
    assert inspect_whole_image(complete).width == 20
    truncated = tmp_path / "half.png"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValidationError, match="incomplete"):
        inspect_whole_image(truncated)
    with pytest.raises(ValidationError, match="not there any more"):
        inspect_whole_image(tmp_path / "gone.png")


# --- text rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank", ["   ", "\u200b\u200c\u200d", "\u2060\ufeff\u00a0", "\u2800", "\u3164"]
)
def test_a_post_of_only_invisible_characters_is_empty(blank: str) -> None:
    with pytest.raises(ValidationError, match="The post is empty"):
        validate_content(blank)


def test_a_control_character_is_refused_saying_which_and_where() -> None:
    kept = "Point one:\tyes\r\nPoint two\n\nBye"  # tabs and line breaks are text
    assert validate_content(kept) == kept
    with pytest.raises(ValidationError) as refused:
        validate_content("Hello\nwor\x00ld")
    assert str(refused.value) == (
        "The post has a control character, U+0000 (null), at line 2, character 4: "
        "remove it and try again."
    )
    with pytest.raises(ValidationError, match=r"U\+001B \(escape\), at character 1:"):
        validate_content("\x1b[31mred")


def test_a_draft_may_be_empty_or_long_but_never_hold_control_characters() -> None:
    assert validate_draft_content("") == ""
    assert validate_draft_content("x" * 5000) == "x" * 5000
    with pytest.raises(ValidationError, match=r"U\+0007"):
        validate_draft_content("ding\x07")
    with pytest.raises(ValidationError, match="not valid UTF-8"):
        validate_draft_content("caf\udce9")


def test_the_length_limit_counts_a_mention_by_the_name_the_reader_sees() -> None:
    name = "Ada Lovelace"
    mention = f"@[{name}](urn:li:person:{'x' * 60})"  # 85 characters stored, 12 read
    text = "a" * (MAX_CONTENT_CHARS - len(name)) + mention
    assert len(text) > MAX_CONTENT_CHARS
    assert validate_content(text) == text
    with pytest.raises(ValidationError) as refused:
        validate_content("a" + text)
    assert str(refused.value) == (
        f"The post is {MAX_CONTENT_CHARS + 1} characters long; LinkedIn allows {MAX_CONTENT_CHARS}."
    )


def test_titles_up_to_200_characters_are_kept_and_longer_ones_refused() -> None:
    assert MAX_TITLE_CHARS == 200
    assert validate_title("t" * 200) == "t" * 200
    with pytest.raises(ValidationError) as refused:
        validate_title("t" * 201)
    assert str(refused.value) == "The title is 201 characters long; keep it to 200 or fewer."


def test_an_empty_title_is_no_title_and_a_title_with_a_control_character_is_refused() -> None:
    assert validate_title("") is None
    assert validate_title(None) is None
    with pytest.raises(ValidationError, match=r"^The title has a control character, U\+0008"):
        validate_title("ab\x08c")


def test_display_title_looks_past_an_invisible_title_and_blank_lines() -> None:
    assert display_title("\u200b\u3164", "\u2800\nReal first line") == "Real first line"
    assert display_title(None, "\u200b") == "(empty post)"


# --- time range ----------------------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "when",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),  # 10000 in UTC
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(minutes=1))),
    ],
)
def test_a_time_past_the_year_9999_in_utc_is_refused(when: datetime) -> None:
    with pytest.raises(ValidationError, match="between 1970 and 9999"):
        validate_schedule_time(when, NOW)
    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert validate_schedule_time(last, NOW) == last
