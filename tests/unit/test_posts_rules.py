"""Status rules, the "see more" fold and image checks: pure domain code, no Qt, no database."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from linkie_desktop.db.models import PostStatus
from linkie_desktop.domain.fold import FOLD_CHARS, fold_index, split_at_fold
from linkie_desktop.domain.images import MAX_IMAGE_PIXELS, inspect_whole_image, sniff_image
from linkie_desktop.domain.posts import (
    ValidationError,
    can_delete,
    can_mark_published,
    can_publish_now,
    can_retry,
    display_title,
    is_editable,
    is_read_only,
    status_after_edit,
)
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
    with pytest.raises(ValidationError, match="duplicate it"):
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


def test_short_post_has_no_fold() -> None:
    assert fold_index("Short and sweet.") is None
    assert split_at_fold("one\ntwo\nthree") == ("one\ntwo\nthree", "")


def test_fold_falls_at_the_third_line_break_when_that_comes_first() -> None:
    text = "one\ntwo\nthree\nfour"
    assert fold_index(text) == text.index("\nfour")
    assert split_at_fold(text) == ("one\ntwo\nthree", "\nfour")


def test_fold_falls_at_210_characters_in_a_long_paragraph() -> None:
    text = "x" * 500
    assert fold_index(text) == FOLD_CHARS
    shown, hidden = split_at_fold(text)
    assert len(shown) == FOLD_CHARS and len(hidden) == 500 - FOLD_CHARS


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
