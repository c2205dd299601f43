"""Which images a post may carry: PNG, JPEG or GIF that LinkedIn accepts (at most ~36 megapixels).

The type is read from the file's first bytes, not its name, and the size from its header, so a
renamed or truncated file is refused before it is copied anywhere.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from linkie_desktop.domain.posts import ValidationError

# LinkedIn's Images API: "up to 36,152,320 pixels".
MAX_IMAGE_PIXELS = 36_152_320
IMAGE_SUFFIXES = {"png": ".png", "jpeg": ".jpg", "gif": ".gif"}
FILE_DIALOG_FILTER = "Images (*.png *.jpg *.jpeg *.gif)"
# JPEG keeps its size after the EXIF block (thumbnails included), which can be large.
_HEADER_BYTES = 1024 * 1024


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


def _read_ends(path: Path) -> tuple[bytes, bytes]:
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEADER_BYTES)
            size = handle.seek(0, 2)
            handle.seek(max(size - _TAIL_BYTES, 0))
            return head, handle.read()
    except FileNotFoundError:
        raise ValidationError(f"The file {path.name} is not there any more.") from None
    except OSError as exc:
        raise ValidationError(f"The file {path.name} cannot be read: {exc.strerror}.") from None


def inspect_image(path: Path) -> ImageInfo:
    """Type and size of an image file, from its first bytes."""
    return sniff_image(_read_ends(path)[0])


def inspect_whole_image(path: Path) -> ImageInfo:
    """As `inspect_image`, and the file must end as its format ends (not a cut-off download)."""
    head, tail = _read_ends(path)
    info = sniff_image(head)
    check_complete(info, tail)
    return info
