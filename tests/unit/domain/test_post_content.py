"""The formats of a post and LinkedIn's limits on each, checked locally with messages that name
the limit: one kind per post, image counts, alt text, documents (pages counted with pypdf), videos
(length read with mutagen), polls, link cards, the first comment and visibility."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from linkie_desktop.domain.post_content import (
    MAX_ALT_TEXT_CHARS,
    MAX_COMMENT_CHARS,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_PAGES,
    MAX_IMAGES,
    MAX_VIDEO_BYTES,
    MIN_VIDEO_BYTES,
    ContentKind,
    LinkCard,
    MediaItem,
    MediaKind,
    Poll,
    PostContent,
    Visibility,
    check_image_count,
    inspect_document,
    inspect_video,
    parse_visibility,
    refuse_mixing,
    validate_alt_text,
    validate_first_comment,
    validate_link_card,
    validate_media_title,
    validate_poll,
)
from linkie_desktop.domain.posts import ValidationError
from tests.fakes.image_files import named_pipe
from tests.fakes.media_files import (
    write_docx,
    write_huge_mp4,
    write_mp4,
    write_ole2,
    write_pdf,
    write_pptx,
)


def _media(kind: MediaKind, count: int = 1) -> tuple[MediaItem, ...]:
    return tuple(MediaItem(id=f"m{n}", kind=kind, path=f"f{n}", position=n) for n in range(count))


def _refusal(check: object, *args: object) -> str:
    assert callable(check)
    with pytest.raises(ValidationError) as caught:
        check(*args)
    return str(caught.value)


# --- kinds ----------------------------------------------------------------------------------------


def test_the_kind_follows_what_the_post_holds() -> None:
    assert PostContent().kind is ContentKind.TEXT
    assert PostContent(media=_media(MediaKind.IMAGE)).kind is ContentKind.IMAGE
    assert PostContent(media=_media(MediaKind.IMAGE, 3)).kind is ContentKind.IMAGES
    assert PostContent(media=_media(MediaKind.DOCUMENT)).kind is ContentKind.DOCUMENT
    assert PostContent(media=_media(MediaKind.VIDEO)).kind is ContentKind.VIDEO
    assert PostContent(poll=Poll("Q?", ("a", "b"), 3)).kind is ContentKind.POLL
    assert PostContent(link=LinkCard("https://example.com", "T")).kind is ContentKind.LINK


def test_mixing_kinds_is_refused_in_plain_words() -> None:
    document = PostContent(media=_media(MediaKind.DOCUMENT))
    assert _refusal(refuse_mixing, document, ContentKind.IMAGES) == (
        "A post holds one kind of attachment: remove the document before adding images."
    )
    poll = PostContent(poll=Poll("Q?", ("a", "b"), 3))
    assert _refusal(refuse_mixing, poll, ContentKind.VIDEO) == (
        "A post holds one kind of attachment: remove the poll before adding a video."
    )
    images = PostContent(media=_media(MediaKind.IMAGE, 2))
    assert "remove the images before adding a link card" in _refusal(
        refuse_mixing, images, ContentKind.LINK
    )


def test_same_kind_joins_or_replaces() -> None:
    refuse_mixing(PostContent(media=_media(MediaKind.IMAGE)), ContentKind.IMAGES)
    refuse_mixing(PostContent(media=_media(MediaKind.DOCUMENT)), ContentKind.DOCUMENT)
    refuse_mixing(PostContent(), ContentKind.POLL)


def test_at_most_twenty_images() -> None:
    check_image_count(18, 2)
    assert _refusal(check_image_count, 18, 3) == (
        f"A post holds at most {MAX_IMAGES} images; it has 18 already and you are adding 3."
    )
    assert "at most 20 images" in _refusal(check_image_count, 0, 21)


# --- text limits ----------------------------------------------------------------------------------


def test_alt_text_limit_is_named() -> None:
    assert validate_alt_text("  ") is None
    assert validate_alt_text("x" * MAX_ALT_TEXT_CHARS) == "x" * MAX_ALT_TEXT_CHARS
    assert _refusal(validate_alt_text, "x" * (MAX_ALT_TEXT_CHARS + 1)) == (
        "The alt text is 4087 characters long; LinkedIn allows 4086."
    )
    assert "control character" in _refusal(validate_alt_text, "a\x00b")


def test_documents_and_videos_need_a_title() -> None:
    assert _refusal(validate_media_title, " ", MediaKind.DOCUMENT) == (
        "The document needs a title: LinkedIn shows it with the document."
    )
    assert "keep it to 200" in _refusal(validate_media_title, "t" * 201, MediaKind.VIDEO)
    assert validate_media_title("Q3 deck", MediaKind.DOCUMENT) == "Q3 deck"


def test_poll_limits_are_named() -> None:
    assert validate_poll("Which?", ["A", "B"], 7) == Poll("Which?", ("A", "B"), 7)
    assert validate_poll("Which?", ["A", "B"], 14).duration == "FOURTEEN_DAYS"
    assert _refusal(validate_poll, "q" * 141, ["A", "B"], 3) == (
        "The poll's question is 141 characters long; LinkedIn allows 140."
    )
    assert _refusal(validate_poll, "Q", ["A"], 3) == "A poll has 2 to 4 options; this one has 1."
    assert "this one has 5" in _refusal(validate_poll, "Q", list("ABCDE"), 3)
    assert _refusal(validate_poll, "Q", ["A", "o" * 31], 3) == (
        "Option 2 of the poll is 31 characters long; LinkedIn allows 30."
    )
    assert "Option 1 of the poll is empty" in _refusal(validate_poll, "Q", [" ", "B"], 3)
    assert _refusal(validate_poll, "Q", ["A", "B"], 2) == (
        "A poll runs for 1, 3, 7 or 14 days, not 2."
    )
    assert _refusal(validate_poll, "", ["A", "B"], 3) == "The poll needs a question."


@pytest.mark.parametrize(
    "url",
    ["example.com", "ftp://example.com/x", "https://", "https://exa mple.com", "javascript:1"],
)
def test_a_link_card_needs_a_web_address(url: str) -> None:
    assert "starting with http:// or https://" in _refusal(validate_link_card, url, "T", None)


def test_a_link_card_needs_a_title() -> None:
    assert _refusal(validate_link_card, "https://example.com", " ", None) == (
        "The link card needs a title: LinkedIn shows it under the link."
    )
    card = validate_link_card(" https://example.com/a?b=1 ", "Title", "  ")
    assert card == LinkCard(url="https://example.com/a?b=1", title="Title", description=None)


def test_first_comment_limit_is_named() -> None:
    assert validate_first_comment("") is None
    assert validate_first_comment("#not escaped (plain text)") == "#not escaped (plain text)"
    assert _refusal(validate_first_comment, "c" * (MAX_COMMENT_CHARS + 1)) == (
        "The first comment is 1251 characters long; LinkedIn allows 1250."
    )


def test_visibility_is_public_or_connections() -> None:
    assert parse_visibility("connections") is Visibility.CONNECTIONS
    assert parse_visibility("PUBLIC") is Visibility.PUBLIC
    assert _refusal(parse_visibility, "friends") == (
        "Visibility is public or connections, not 'friends'."
    )


# --- documents ------------------------------------------------------------------------------------


def test_a_pdf_has_its_pages_counted(tmp_path: Path) -> None:
    facts = inspect_document(write_pdf(tmp_path / "deck.pdf", pages=MAX_DOCUMENT_PAGES))
    assert (facts.kind, facts.suffix, facts.pages, facts.note) == (
        MediaKind.DOCUMENT,
        ".pdf",
        MAX_DOCUMENT_PAGES,
        None,
    )


def test_a_pdf_over_300_pages_is_refused(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "book.pdf", pages=MAX_DOCUMENT_PAGES + 1)
    assert _refusal(inspect_document, path) == (
        "book.pdf has 301 pages; LinkedIn takes documents of at most 300."
    )


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert "protected by a password" in _refusal(inspect_document, path)


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(write_pdf(tmp_path / "whole.pdf", 2).read_bytes()[:60])
    assert _refusal(inspect_document, path).startswith("cut.pdf looks damaged")


def test_a_pptx_has_its_slides_counted_and_a_docx_its_saved_pages(tmp_path: Path) -> None:
    assert inspect_document(write_pptx(tmp_path / "deck.pptx", slides=7)).pages == 7
    too_many = write_pptx(tmp_path / "long.pptx", slides=301)
    assert "301 pages" in _refusal(inspect_document, too_many)
    docx = inspect_document(write_docx(tmp_path / "memo.docx", pages=2))
    assert (docx.suffix, docx.pages) == (".docx", 2)
    assert docx.note == "Pages as the document last counted them when it was saved"
    uncounted = inspect_document(write_docx(tmp_path / "raw.docx", pages=None))
    assert uncounted.pages is None
    assert uncounted.note is not None and "cannot count" in uncounted.note


def test_an_old_office_file_is_checked_for_type_and_size_only_and_says_so(tmp_path: Path) -> None:
    facts = inspect_document(write_ole2(tmp_path / "old.ppt"))
    assert (facts.suffix, facts.pages) == (".ppt", None)
    assert facts.note == (
        "Linkie cannot count the pages of an old .ppt file; LinkedIn refuses one over 300 pages "
        "when it is uploaded"
    )
    assert "rename it" in _refusal(inspect_document, write_ole2(tmp_path / "old.bin"))


def test_other_files_are_not_documents(tmp_path: Path) -> None:
    text = tmp_path / "notes.pdf"
    text.write_text("just words")
    assert _refusal(inspect_document, text) == (
        "notes.pdf is not a PDF, PowerPoint or Word document; LinkedIn takes PDF, PPT, PPTX, "
        "DOC and DOCX files."
    )
    archive = tmp_path / "photos.docx"
    with zipfile.ZipFile(archive, "w") as z:  # a ZIP, but neither PowerPoint nor Word
        z.writestr("a.txt", "x")
    assert "is a ZIP archive, not a PowerPoint" in _refusal(inspect_document, archive)


def test_a_document_over_100_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "big.pdf", 1)
    with path.open("r+b") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse
    assert _refusal(inspect_document, path) == (
        "big.pdf is 100.1 MB; LinkedIn takes documents of at most 100 MB."
    )


def test_a_named_pipe_is_no_document(tmp_path: Path) -> None:
    with named_pipe(tmp_path / "deck.pdf") as pipe:
        assert _refusal(inspect_document, pipe) == (
            "deck.pdf is a named pipe, not a document; choose a PDF, PPT, PPTX, DOC or DOCX file."
        )


# --- videos ---------------------------------------------------------------------------------------


def test_a_video_has_its_length_read(tmp_path: Path) -> None:
    facts = inspect_video(write_mp4(tmp_path / "clip.mp4", seconds=12.5))
    assert (facts.kind, facts.suffix, facts.duration_s) == (MediaKind.VIDEO, ".mp4", 12.5)


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(2.5, "2.5 seconds"), (30 * 60 + 1, "30 min 1 s"), (45 * 60, "45 minutes")],
)
def test_a_video_too_short_or_too_long_is_refused(
    tmp_path: Path, seconds: float, said: str
) -> None:
    path = write_mp4(tmp_path / "clip.mp4", seconds=seconds)
    assert _refusal(inspect_video, path) == (
        f"clip.mp4 is {said} long; LinkedIn takes videos of 3 seconds to 30 minutes."
    )


def test_a_video_of_exactly_the_limits_is_taken(tmp_path: Path) -> None:
    assert inspect_video(write_mp4(tmp_path / "a.mp4", seconds=3)).duration_s == 3
    assert inspect_video(write_mp4(tmp_path / "b.mp4", seconds=1800)).duration_s == 1800


def test_a_video_too_small_or_too_big_is_refused(tmp_path: Path) -> None:
    small = write_mp4(tmp_path / "tiny.mp4", size_bytes=40 * 1024)
    assert _refusal(inspect_video, small) == (
        "tiny.mp4 is 40 KB; LinkedIn takes videos of 75 KB to 500 MB."
    )
    assert inspect_video(write_mp4(tmp_path / "edge.mp4", size_bytes=MIN_VIDEO_BYTES)).size == (
        MIN_VIDEO_BYTES
    )
    big = write_huge_mp4(tmp_path / "big.mp4", MAX_VIDEO_BYTES + 1)
    assert _refusal(inspect_video, big) == (
        "big.mp4 is 500.1 MB; LinkedIn takes videos of 75 KB to 500 MB."
    )


def test_what_is_not_an_mp4_is_refused(tmp_path: Path) -> None:
    mov = write_mp4(tmp_path / "clip.mp4", brand=b"qt  ")
    assert "QuickTime (MOV)" in _refusal(inspect_video, mov)
    other = tmp_path / "clip2.mp4"
    other.write_bytes(b"\x00" * MIN_VIDEO_BYTES)
    assert (
        _refusal(inspect_video, other) == "clip2.mp4 is not an MP4 video; LinkedIn takes MP4 only."
    )


def test_an_mp4_without_its_movie_header_is_refused_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cut.mp4"
    whole = write_mp4(tmp_path / "whole.mp4").read_bytes()
    # Keep the ftyp box and pad: the moov (with the length) is gone, as in a cut-off download.
    path.write_bytes(whole[:24] + b"\x00" * MIN_VIDEO_BYTES)
    assert _refusal(inspect_video, path).startswith("cut.mp4 looks damaged")
