"""What a post carries besides its text: images, a document, a video, a poll or a link card (one
kind per post, as LinkedIn's Posts API requires), and the extras any post has, its visibility and
an optional first comment. LinkedIn's limits are checked here, before anything is stored or sent,
with refusals that name the limit.

Files are judged by their content, not their name, from the one descriptor the copy then reads
(as images are, in `domain/images.py`): a PDF's pages are counted locally with pypdf and a video's
length read locally with mutagen, both imported only when a file is checked.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from linkie_desktop.domain.images import FileRule, megabytes_text, open_regular_file
from linkie_desktop.domain.posts import MAX_TITLE_CHARS, ValidationError
from linkie_desktop.domain.text import first_unstorable, is_blank

# --- LinkedIn's limits (LINKEDIN-API.md, "Content kinds") -----------------------------------------

MAX_IMAGES = 20
# The Posts API's Media.altText: "Maximum length is 4086 characters".
MAX_ALT_TEXT_CHARS = 4086
# LinkedIn writes "100 MB", "75 KB" and "500 MB" without saying whether it means 1000 or 1024:
# each bound is taken the stricter way, so a file we accept is one LinkedIn accepts either way.
MAX_DOCUMENT_BYTES = 100_000_000
MAX_DOCUMENT_PAGES = 300
MIN_VIDEO_BYTES = 75 * 1024
MAX_VIDEO_BYTES = 500_000_000
MIN_VIDEO_SECONDS = 3
MAX_VIDEO_SECONDS = 30 * 60
MAX_POLL_QUESTION = 140
MAX_POLL_OPTION = 30
MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 4
POLL_DAYS = (1, 3, 7, 14)
# The poll's `settings.duration` LinkedIn expects for each number of days.
POLL_DURATIONS = {1: "ONE_DAY", 3: "THREE_DAYS", 7: "SEVEN_DAYS", 14: "FOURTEEN_DAYS"}
MAX_COMMENT_CHARS = 1250
# LinkedIn publishes no limit for a document's or video's title, nor a link card's: ours is the
# post title's, long enough for any real title and short enough to show.
MAX_MEDIA_TITLE_CHARS = MAX_TITLE_CHARS

DOCUMENT_SUFFIXES = (".pdf", ".ppt", ".pptx", ".doc", ".docx")
DOCUMENT_FILE_DIALOG_FILTER = "Documents (*.pdf *.ppt *.pptx *.doc *.docx)"
VIDEO_FILE_DIALOG_FILTER = "Videos (*.mp4)"


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    CONNECTIONS = "CONNECTIONS"


class ContentKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    IMAGES = "images"
    DOCUMENT = "document"
    VIDEO = "video"
    POLL = "poll"
    LINK = "link"


class MediaKind(StrEnum):
    IMAGE = "image"
    DOCUMENT = "document"
    VIDEO = "video"


class CommentStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    FAILED = "failed"


@dataclass(frozen=True)
class MediaItem:
    """One file attached to a post, in the post's order (`position` 0 first)."""

    id: str
    kind: MediaKind
    path: str  # the file's name in the media folder (an older row may hold a full path)
    position: int
    alt_text: str | None = None  # images only
    title: str | None = None  # documents and videos (required for them)
    urn: str | None = None  # LinkedIn's asset URN once uploaded: a retry reuses it
    size_bytes: int | None = None
    pages: int | None = None  # a document's, when Linkie could count them
    duration_s: float | None = None  # a video's length
    uploaded_bytes: int | None = None  # how far an upload in progress has come
    upload_error: str | None = None  # why the last upload failed, in plain words


@dataclass(frozen=True)
class Poll:
    question: str
    options: tuple[str, ...]
    days: int

    @property
    def duration(self) -> str:
        """LinkedIn's name for the poll's length (`THREE_DAYS`)."""
        return POLL_DURATIONS[self.days]


@dataclass(frozen=True)
class LinkCard:
    """An article card: LinkedIn does not fetch the page for API posts, so all of it is ours."""

    url: str
    title: str
    description: str | None = None
    thumbnail_path: str | None = None  # an image's name in the media folder
    thumbnail_urn: str | None = None  # the thumbnail's urn:li:image once uploaded


@dataclass(frozen=True)
class FirstComment:
    """Plain text (not little text) sent as a comment right after the post is created."""

    text: str
    status: CommentStatus = CommentStatus.PENDING
    urn: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class PostContent:
    """Everything of a post beyond its title and text."""

    visibility: Visibility = Visibility.PUBLIC
    media: tuple[MediaItem, ...] = ()
    poll: Poll | None = None
    link: LinkCard | None = None
    first_comment: FirstComment | None = None

    @property
    def kind(self) -> ContentKind:
        if self.media:
            first = self.media[0].kind
            if first is MediaKind.IMAGE:
                return ContentKind.IMAGES if len(self.media) > 1 else ContentKind.IMAGE
            return ContentKind.DOCUMENT if first is MediaKind.DOCUMENT else ContentKind.VIDEO
        if self.poll is not None:
            return ContentKind.POLL
        if self.link is not None:
            return ContentKind.LINK
        return ContentKind.TEXT

    @property
    def images(self) -> tuple[MediaItem, ...]:
        return tuple(m for m in self.media if m.kind is MediaKind.IMAGE)

    def item(self, media_id: str) -> MediaItem | None:
        return next((m for m in self.media if m.id == media_id), None)


# --- one kind per post ----------------------------------------------------------------------------

_HELD = {
    ContentKind.IMAGE: "the image",
    ContentKind.IMAGES: "the images",
    ContentKind.DOCUMENT: "the document",
    ContentKind.VIDEO: "the video",
    ContentKind.POLL: "the poll",
    ContentKind.LINK: "the link card",
}
_ADDING = {
    ContentKind.IMAGE: "adding an image",
    ContentKind.IMAGES: "adding images",
    ContentKind.DOCUMENT: "adding a document",
    ContentKind.VIDEO: "adding a video",
    ContentKind.POLL: "adding a poll",
    ContentKind.LINK: "adding a link card",
}
_IMAGE_KINDS = (ContentKind.IMAGE, ContentKind.IMAGES)


def refuse_mixing(content: PostContent, adding: ContentKind) -> None:
    """A post holds one kind of attachment: adding another kind is refused, in plain words.
    More images join images; a document, video, poll or link card replaces one of its kind."""
    held = content.kind
    if held is ContentKind.TEXT or held is adding:
        return
    if held in _IMAGE_KINDS and adding in _IMAGE_KINDS:
        return
    raise ValidationError(
        f"A post holds one kind of attachment: remove {_HELD[held]} before {_ADDING[adding]}."
    )


def check_image_count(held: int, adding: int) -> None:
    if held + adding > MAX_IMAGES:
        having = f"it has {held} already" if held else "that is too many"
        raise ValidationError(
            f"A post holds at most {MAX_IMAGES} images; {having} and you are adding {adding}."
        )


# --- text of the attachments ----------------------------------------------------------------------


def _refuse_unstorable(text: str, what: str) -> None:
    found = first_unstorable(text)
    if found is not None:
        raise ValidationError(
            f"{what} has a {'broken' if found.broken else 'control'} character, "
            f"{found.describe()}, at character {found.column}: remove it and try again."
        )


def _too_long(what: str, length: int, limit: int, who: str = "LinkedIn allows") -> str:
    return f"{what} is {length} characters long; {who} {limit}."


def validate_alt_text(alt_text: str | None) -> str | None:
    """The alt text to store (None for none): optional, at most MAX_ALT_TEXT_CHARS."""
    if not alt_text or is_blank(alt_text):
        return None
    if len(alt_text) > MAX_ALT_TEXT_CHARS:
        raise ValidationError(_too_long("The alt text", len(alt_text), MAX_ALT_TEXT_CHARS))
    _refuse_unstorable(alt_text, "The alt text")
    return alt_text


def validate_media_title(title: str | None, kind: MediaKind) -> str:
    """A document's or video's title: LinkedIn requires one."""
    if not title or is_blank(title):
        raise ValidationError(f"The {kind} needs a title: LinkedIn shows it with the {kind}.")
    if len(title) > MAX_MEDIA_TITLE_CHARS:
        raise ValidationError(
            _too_long(f"The {kind}'s title", len(title), MAX_MEDIA_TITLE_CHARS, "keep it to")
        )
    _refuse_unstorable(title, f"The {kind}'s title")
    return title


def validate_poll(question: str, options: Sequence[str], days: int) -> Poll:
    if is_blank(question):
        raise ValidationError("The poll needs a question.")
    if len(question) > MAX_POLL_QUESTION:
        raise ValidationError(_too_long("The poll's question", len(question), MAX_POLL_QUESTION))
    _refuse_unstorable(question, "The poll's question")
    if not MIN_POLL_OPTIONS <= len(options) <= MAX_POLL_OPTIONS:
        raise ValidationError(
            f"A poll has {MIN_POLL_OPTIONS} to {MAX_POLL_OPTIONS} options; this one has "
            f"{len(options)}."
        )
    for number, option in enumerate(options, start=1):
        if is_blank(option):
            raise ValidationError(f"Option {number} of the poll is empty: write it or remove it.")
        if len(option) > MAX_POLL_OPTION:
            raise ValidationError(
                _too_long(f"Option {number} of the poll", len(option), MAX_POLL_OPTION)
            )
        _refuse_unstorable(option, f"Option {number} of the poll")
    if days not in POLL_DAYS:
        allowed = ", ".join(str(d) for d in POLL_DAYS[:-1]) + f" or {POLL_DAYS[-1]}"
        raise ValidationError(f"A poll runs for {allowed} days, not {days}.")
    return Poll(question=question, options=tuple(options), days=days)


def validate_link_url(url: str) -> str:
    """A web address LinkedIn can link to: http or https, with a host, no spaces."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a malformed port or IPv6 address
        host = None
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not host or re.search(r"\s", text):
        raise ValidationError(
            "The link must be a web address starting with http:// or https:// "
            "(for example https://example.com/article)."
        )
    _refuse_unstorable(text, "The link")
    return text


def validate_link_card(url: str, title: str | None, description: str | None) -> LinkCard:
    """The card's text (its thumbnail is an image, checked as images are)."""
    address = validate_link_url(url)
    if not title or is_blank(title):
        raise ValidationError("The link card needs a title: LinkedIn shows it under the link.")
    if len(title) > MAX_MEDIA_TITLE_CHARS:
        raise ValidationError(
            _too_long("The link card's title", len(title), MAX_MEDIA_TITLE_CHARS, "keep it to")
        )
    _refuse_unstorable(title, "The link card's title")
    if description is not None and is_blank(description):
        description = None
    if description is not None:
        _refuse_unstorable(description, "The link card's description")
    return LinkCard(url=address, title=title, description=description)


def validate_first_comment(text: str | None) -> str | None:
    """The first comment to store (None: no comment). It is plain text: nothing is escaped."""
    if not text or is_blank(text):
        return None
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(_too_long("The first comment", len(text), MAX_COMMENT_CHARS))
    _refuse_unstorable(text, "The first comment")
    return text


def parse_visibility(text: str) -> Visibility:
    """`public` or `connections`, in any case."""
    try:
        return Visibility(text.strip().upper())
    except ValueError:
        raise ValidationError(f"Visibility is public or connections, not {text!r}.") from None


# --- documents and videos -------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaFacts:
    """What the checks of a document or video found out."""

    kind: MediaKind
    size: int
    suffix: str  # what the copy is named with, from the content: ".pdf", ".pptx", ".mp4"
    pages: int | None = None  # None: not counted (see `note`)
    duration_s: float | None = None
    note: str | None = None  # what could not be checked here, in plain words


@dataclass(frozen=True)
class CheckedMedia:
    """A document or video that passed the checks, open at its first byte for copying."""

    facts: MediaFacts
    file: BinaryIO

    @property
    def size(self) -> int:
        return self.facts.size

    @property
    def suffix(self) -> str:
        return self.facts.suffix


DOCUMENT_FILES = FileRule(
    wanted="a document; choose a PDF, PPT, PPTX, DOC or DOCX file",
    max_bytes=MAX_DOCUMENT_BYTES,
    too_big=f"LinkedIn takes documents of at most {MAX_DOCUMENT_BYTES // 1_000_000} MB.",
)
VIDEO_FILES = FileRule(
    wanted="a video; choose an MP4 file",
    max_bytes=MAX_VIDEO_BYTES,
    too_big=(
        f"LinkedIn takes videos of {MIN_VIDEO_BYTES // 1024} KB to "
        f"{MAX_VIDEO_BYTES // 1_000_000} MB."
    ),
)

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (.doc, .ppt): a compound file
_SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")
_APP_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</")
_APP_XML_BYTES = 256 * 1024  # docProps/app.xml is a few KB; a bigger one is not read


def _too_many_pages(name: str, pages: int) -> ValidationError:
    return ValidationError(
        f"{name} has {pages} pages; LinkedIn takes documents of at most {MAX_DOCUMENT_PAGES}."
    )


def _pdf_pages(handle: BinaryIO, name: str) -> int:
    from pypdf import PdfReader

    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                f"{name} is protected by a password; LinkedIn cannot show it. "
                "Save a copy without the password and attach that."
            )
        return len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf's parser raises many types on a damaged file
        raise ValidationError(
            f"{name} looks damaged: its pages cannot be counted ({exc}). "
            "Open it and save it again as PDF, then attach that."
        ) from None


def _office_zip(handle: BinaryIO, name: str) -> tuple[str, int | None, str | None]:
    """(suffix, pages, note) of a PPTX or DOCX, read from its ZIP directory."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "ppt/presentation.xml" in names:
                return ".pptx", sum(1 for n in names if _SLIDE.fullmatch(n)), None
            if "word/document.xml" in names:
                pages = None
                if "docProps/app.xml" in names:
                    with archive.open("docProps/app.xml") as app:
                        found = _APP_PAGES.search(app.read(_APP_XML_BYTES))
                    pages = int(found.group(1)) if found else None
                note = (
                    "Pages as the document last counted them when it was saved"
                    if pages is not None
                    else "Linkie cannot count this document's pages; LinkedIn refuses one "
                    f"over {MAX_DOCUMENT_PAGES} pages when it is uploaded"
                )
                return ".docx", pages, note
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValidationError(f"{name} looks damaged: it cannot be opened ({exc}).") from None
    raise ValidationError(f"{name} is a ZIP archive, not a PowerPoint (PPTX) or Word (DOCX) file.")


def _document_kind(handle: BinaryIO, path: Path) -> tuple[str, int | None, str | None]:
    """(suffix, pages or None, note) from the file's content."""
    head = handle.read(1024)
    handle.seek(0)
    if _PDF in head:
        return ".pdf", _pdf_pages(handle, path.name), None
    if head.startswith(_ZIP):
        return _office_zip(handle, path.name)
    if head.startswith(_OLE2):
        suffix = path.suffix.lower()
        if suffix not in (".doc", ".ppt"):
            raise ValidationError(
                f"{path.name} is an Office 97-2003 file, but its name ends neither in .doc nor "
                ".ppt; rename it to say which it is."
            )
        return (
            suffix,
            None,
            f"Linkie cannot count the pages of an old {suffix} file; LinkedIn refuses one over "
            f"{MAX_DOCUMENT_PAGES} pages when it is uploaded",
        )
    raise ValidationError(
        f"{path.name} is not a PDF, PowerPoint or Word document; LinkedIn takes PDF, PPT, PPTX, "
        "DOC and DOCX files."
    )


@contextmanager
def open_checked_document(path: Path) -> Iterator[CheckedMedia]:
    """The document at `path`, checked (type from its content, size, pages where they can be
    counted: a PDF's with pypdf, a PPTX's slides, a DOCX's as saved in it; an old .doc or .ppt
    is checked for type and size only, and `note` says so), open for copying."""
    handle, size = open_regular_file(path, DOCUMENT_FILES)
    with handle:
        try:
            suffix, pages, note = _document_kind(handle, path)
            handle.seek(0)
        except OSError as exc:
            raise ValidationError(f"The file {path.name} cannot be read: {exc.strerror}.") from None
        if pages is not None and pages > MAX_DOCUMENT_PAGES:
            raise _too_many_pages(path.name, pages)
        if pages == 0:
            raise ValidationError(f"{path.name} has no pages; LinkedIn cannot show it.")
        yield CheckedMedia(MediaFacts(MediaKind.DOCUMENT, size, suffix, pages, note=note), handle)


def _length_text(seconds: float) -> str:
    whole = math.floor(seconds)
    if whole < 60:
        return f"{seconds:.1f} seconds" if seconds < 10 else f"{whole} seconds"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} minutes"


def _video_length(handle: BinaryIO, name: str) -> float:
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        video: Any = MP4(handle)  # type: ignore[no-untyped-call]  # mutagen's MP4() is untyped
        return float(video.info.length)
    except (MutagenError, OSError, ValueError) as exc:
        raise ValidationError(
            f"{name} looks damaged: its length cannot be read ({exc}). "
            "Export it again as MP4, then attach that."
        ) from None


_VIDEO_LENGTHS = (
    f"LinkedIn takes videos of {MIN_VIDEO_SECONDS} seconds to {MAX_VIDEO_SECONDS // 60} minutes."
)


@contextmanager
def open_checked_video(path: Path) -> Iterator[CheckedMedia]:
    """The MP4 video at `path`, checked (container, size, length read locally), open for
    copying."""
    handle, size = open_regular_file(path, VIDEO_FILES)
    with handle:
        try:
            head = handle.read(12)
            handle.seek(0)
        except OSError as exc:
            raise ValidationError(f"The file {path.name} cannot be read: {exc.strerror}.") from None
        if len(head) < 12 or head[4:8] != b"ftyp":
            raise ValidationError(f"{path.name} is not an MP4 video; LinkedIn takes MP4 only.")
        if head[8:12] == b"qt  ":
            raise ValidationError(
                f"{path.name} is a QuickTime (MOV) video; LinkedIn takes MP4: export it as "
                "MP4 first."
            )
        if size < MIN_VIDEO_BYTES:
            raise ValidationError(
                f"{path.name} is {math.floor(size / 1024)} KB; {VIDEO_FILES.too_big}"
            )
        seconds = _video_length(handle, path.name)
        handle.seek(0)
        if not MIN_VIDEO_SECONDS <= seconds <= MAX_VIDEO_SECONDS:
            raise ValidationError(f"{path.name} is {_length_text(seconds)} long; {_VIDEO_LENGTHS}")
        yield CheckedMedia(MediaFacts(MediaKind.VIDEO, size, ".mp4", duration_s=seconds), handle)


def inspect_document(path: Path) -> MediaFacts:
    """The checks of `open_checked_document` alone."""
    with open_checked_document(path) as checked:
        return checked.facts


def inspect_video(path: Path) -> MediaFacts:
    """The checks of `open_checked_video` alone."""
    with open_checked_video(path) as checked:
        return checked.facts


def size_text(size: int) -> str:
    """A file's size for people: "820 KB", "12.4 MB"."""
    return f"{math.ceil(size / 1024)} KB" if size < 1_000_000 else megabytes_text(size)


def media_file(media_dir: Path, stored: str) -> Path:
    """Where a stored media path points: a name inside the media folder; an older row's full
    path (an image attached before post_media existed) is taken as it is."""
    return media_dir / stored
