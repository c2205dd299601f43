"""Documents and videos for tests, written here (nothing downloaded, no ffmpeg needed).

The PDF is written by pypdf (the library that counts its pages), the MP4 box by box as the ISO
base media format lays it out (ftyp, moov with its mvhd and one video track, mdat), which is what
mutagen reads a length from; the PPTX and DOCX are the ZIP parts Office opens them by.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from pypdf import PdfWriter

from linkie_desktop.domain.post_content import MIN_VIDEO_BYTES


def write_pdf(path: Path, pages: int = 3) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    with path.open("wb") as out:
        writer.write(out)
    return path


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return _box(kind, bytes([version, 0, 0, 0]) + payload)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mp4_bytes(
    seconds: float, size_bytes: int = MIN_VIDEO_BYTES + 4096, brand: bytes = b"isom"
) -> bytes:
    """A real MP4 container `seconds` long; its mdat is padded so the file is `size_bytes`."""
    timescale = 1000
    duration = round(seconds * timescale)
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 0x200) + b"isomiso2mp41")
    mvhd = _full_box(
        b"mvhd",
        struct.pack(">IIII", 0, 0, timescale, duration)
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\x00" * 10
        + _MATRIX
        + b"\x00" * 24
        + struct.pack(">I", 2),
    )
    tkhd = _full_box(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, 1, 0, duration)
        + b"\x00" * 8
        + struct.pack(">HHHH", 0, 0, 0, 0)
        + _MATRIX
        + struct.pack(">II", 320 << 16, 240 << 16),
    )
    mdhd = _full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = _full_box(b"hdlr", struct.pack(">I", 0) + b"vide" + b"\x00" * 12 + b"Video\x00")
    stbl = _box(
        b"stbl",
        _full_box(b"stsd", struct.pack(">I", 0))
        + _full_box(b"stts", struct.pack(">I", 0))
        + _full_box(b"stsc", struct.pack(">I", 0))
        + _full_box(b"stsz", struct.pack(">II", 0, 0))
        + _full_box(b"stco", struct.pack(">I", 0)),
    )
    minf = _box(b"minf", _full_box(b"vmhd", b"\x00" * 8, version=0) + stbl)
    trak = _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr + minf))
    moov = _box(b"moov", mvhd + trak)
    head = ftyp + moov
    padding = max(size_bytes - len(head) - 8, 0)
    return head + _box(b"mdat", b"\x00" * padding)


def write_mp4(
    path: Path,
    seconds: float = 5.0,
    size_bytes: int = MIN_VIDEO_BYTES + 4096,
    brand: bytes = b"isom",
) -> Path:
    path.write_bytes(mp4_bytes(seconds, size_bytes, brand))
    return path


def write_huge_mp4(path: Path, size_bytes: int, seconds: float = 5.0) -> Path:
    """A real MP4 head at the start of a file of `size_bytes` (sparse: no disk space is used)."""
    path.write_bytes(mp4_bytes(seconds))
    with path.open("r+b") as handle:
        handle.truncate(size_bytes)
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def write_pptx(path: Path, slides: int = 4) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        ids = "".join(f'<p:sldId id="{256 + n}" r:id="rId{n + 1}"/>' for n in range(slides))
        archive.writestr(
            "ppt/presentation.xml",
            '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
            ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>",
        )
        for n in range(1, slides + 1):
            archive.writestr(f"ppt/slides/slide{n}.xml", "<p:sld/>")
    return path


def write_docx(path: Path, pages: int | None = 2) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        if pages is not None:
            archive.writestr(
                "docProps/app.xml",
                "<Properties xmlns="
                '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                f"<Pages>{pages}</Pages></Properties>",
            )
    return path


def write_ole2(path: Path) -> Path:
    """The first bytes of an Office 97-2003 compound file (.doc, .ppt), padded."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088)
    return path
