"""Which images a post may carry: PNG, JPEG or GIF that LinkedIn accepts (at most ~36 megapixels).

The type is read from the file's first bytes, not its name, and the size from its header, so a
renamed or truncated file is refused before it is copied anywhere. Only a regular file within
`MAX_IMAGE_BYTES` is read at all, and only its first and last bytes: a named pipe, a device such
as /dev/zero or a folder is refused at once, without blocking and without reading it.
"""

from __future__ import annotations

import math
import os
import stat
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from linkie_desktop.domain.posts import ValidationError

# LinkedIn's Images API: "up to 36,152,320 pixels".
MAX_IMAGE_PIXELS = 36_152_320
# LinkedIn's Images API publishes no byte limit for images, only the pixel one; guides quote the
# web composer's 5-8 MB, which our API posts need not meet. This cap keeps the app from reading or
# copying an absurd file: it is above any real image within the pixel limit (a 36-megapixel JPEG
# is some 20-30 MB) and equals our contract's limit for documents, and Odoo's LinkedIn upload cap.
MAX_IMAGE_BYTES = 100_000_000
IMAGE_SUFFIXES = {"png": ".png", "jpeg": ".jpg", "gif": ".gif"}
FILE_DIALOG_FILTER = "Images (*.png *.jpg *.jpeg *.gif)"
# JPEG keeps its size after the EXIF block (thumbnails included), which can be large.
_HEADER_BYTES = 1024 * 1024
# O_NONBLOCK: opening a named pipe with no writer returns at once instead of waiting for one.
# O_NOCTTY: opening a terminal device never makes it ours. Both are absent (and moot) on Windows.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "png", "jpeg" or "gif"
    width: int
    height: int

    @property
    def suffix(self) -> str:
        return IMAGE_SUFFIXES[self.kind]


def _png_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def _gif_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 10:
        return None
    width, height = struct.unpack("<HH", head[6:10])
    return int(width), int(height)


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the start-of-frame marker, which holds the size."""
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF:
            return None
        marker = head[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", head[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(head):
                return None
            height, width = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None


def sniff_image(head: bytes) -> ImageInfo:
    """Type and size from a file's first bytes; ValidationError in plain words otherwise."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, size = "png", _png_size(head)
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind, size = "gif", _gif_size(head)
    elif head.startswith(b"\xff\xd8"):
        kind, size = "jpeg", _jpeg_size(head)
    else:
        raise ValidationError(
            "That file is not a PNG, JPEG or GIF image; LinkedIn takes only those."
        )
    if size is None or size[0] <= 0 or size[1] <= 0:
        raise ValidationError(f"That {kind.upper()} image looks damaged: its size cannot be read.")
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            f"That image is {width}×{height} ({width * height / 1e6:.1f} megapixels); "
            f"LinkedIn accepts at most {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels. "
            "Make it smaller first."
        )
    return ImageInfo(kind=kind, width=width, height=height)


# What each format's last bytes hold when the file is whole (a cut-off download lacks it).
_ENDINGS = {"png": b"IEND", "gif": b";", "jpeg": b"\xff\xd9"}
_TAIL_BYTES = 32


def check_complete(info: ImageInfo, tail: bytes) -> None:
    if _ENDINGS[info.kind] not in tail.rstrip(b"\x00"):
        raise ValidationError(
            f"That {info.kind.upper()} file is incomplete (perhaps it did not finish "
            "downloading); open it in an image viewer to check, then try again."
        )


@dataclass(frozen=True)
class CheckedImage:
    """An image that passed the checks, with the very file they read, back at its first byte."""

    info: ImageInfo
    file: BinaryIO
    size: int

    @property
    def suffix(self) -> str:
        return self.info.suffix


@dataclass(frozen=True)
class FileRule:
    """What a check wants of a file, in the words its refusals use (images, documents, videos)."""

    wanted: str  # after "x is a folder, not ": "an image file; choose a PNG, JPEG or GIF"
    max_bytes: int
    too_big: str  # after "x is 101.0 MB; ": what the limit is and what to do


IMAGE_FILES = FileRule(
    wanted="an image file; choose a PNG, JPEG or GIF",
    max_bytes=MAX_IMAGE_BYTES,
    too_big=(
        f"Linkie takes images of at most {MAX_IMAGE_BYTES // 1_000_000} MB. Make it smaller first."
    ),
)


def _not_a_file(path: Path, mode: int, rule: FileRule) -> str | None:
    """Why the file behind `mode` is not the file `rule` wants, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not an ordinary file"
    return f"{path.name} is {what}, not {rule.wanted}."


def megabytes_text(size: int) -> str:
    """A size in MB with one decimal, rounded up: a file over a limit never reads as the limit."""
    return f"{math.ceil(size / 100_000) / 10:.1f} MB"


def _too_big(path: Path, size: int, rule: FileRule) -> str | None:
    if size <= rule.max_bytes:
        return None
    return f"{path.name} is {megabytes_text(size)}; {rule.too_big}"


def open_regular_file(path: Path, rule: FileRule) -> tuple[BinaryIO, int]:
    """The file at `path` and its size, opened once (never blocking) and judged by its own
    descriptor, so there is no race with the name: a regular file within `rule`'s size, or
    ValidationError in `rule`'s words. The caller closes it."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ValidationError(f"The file {path.name} is not there any more.") from None
    except IsADirectoryError:  # where folders cannot be opened (Windows)
        raise ValidationError(_not_a_file(path, stat.S_IFDIR, rule) or "") from None
    except OSError as exc:
        raise ValidationError(f"The file {path.name} cannot be read: {exc.strerror}.") from None
    try:
        status = os.fstat(descriptor)
        problem = _not_a_file(path, status.st_mode, rule) or _too_big(path, status.st_size, rule)
        if problem:
            raise ValidationError(problem)
        return os.fdopen(descriptor, "rb"), status.st_size
    except BaseException:
        os.close(descriptor)
        raise


def _read_ends(handle: BinaryIO, size: int, path: Path) -> tuple[bytes, bytes]:
    """The first and last bytes, each read bounded: a file that grows meanwhile is not followed."""
    try:
        head = handle.read(_HEADER_BYTES)
        handle.seek(max(size - _TAIL_BYTES, 0))
        tail = handle.read(_TAIL_BYTES)
        handle.seek(0)
    except OSError as exc:
        raise ValidationError(f"The file {path.name} cannot be read: {exc.strerror}.") from None
    return head, tail


@contextmanager
def open_checked_image(path: Path, *, whole: bool = False) -> Iterator[CheckedImage]:
    """The image at `path`, checked, open for copying from the same descriptor the checks read.

    With `whole`, the file must also end as its format ends (not a cut-off download).
    ValidationError in plain words otherwise; the file is closed on the way out either way.
    """
    handle, size = open_regular_file(path, IMAGE_FILES)
    with handle:
        head, tail = _read_ends(handle, size, path)
        info = sniff_image(head)
        if whole:
            check_complete(info, tail)
        yield CheckedImage(info=info, file=handle, size=size)


def inspect_image(path: Path) -> ImageInfo:
    """Type and size of an image file, from its first bytes."""
    with open_checked_image(path) as checked:
        return checked.info


def inspect_whole_image(path: Path) -> ImageInfo:
    """As `inspect_image`, and the file must end as its format ends (not a cut-off download)."""
    with open_checked_image(path, whole=True) as checked:
        return checked.info
