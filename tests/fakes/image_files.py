"""Image files for tests, written byte by byte (no image library needed)."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bytes(width: int, height: int, pixels: bool = True) -> bytes:
    """A real RGB PNG; with pixels=False only the header (enough to claim a size)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    data = b""
    if pixels:
        rows = b"".join(b"\x00" + b"\x30\x70\xd0" * width for _ in range(height))
        data = _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + header + data


def write_png(path: Path, width: int = 40, height: int = 30) -> Path:
    path.write_bytes(png_bytes(width, height))
    return path


def write_huge_png(path: Path, size_bytes: int) -> Path:
    """A PNG header at the start of a file of `size_bytes` (sparse: no disk space is used)."""
    path.write_bytes(png_bytes(40, 30, pixels=False))
    with path.open("r+b") as handle:
        handle.truncate(size_bytes)
    return path


@contextmanager
def named_pipe(path: Path) -> Iterator[Path]:
    """A FIFO nobody writes to: opening it the ordinary way blocks until a writer comes.

    On the way out a writer comes and goes, so a reader still stuck in open() (the bug under
    test) is let go instead of hanging the test run.
    """
    os.mkfifo(path)
    try:
        yield path
    finally:
        with suppress(OSError):  # ENXIO: no reader is waiting, which is the good case
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        path.unlink()
