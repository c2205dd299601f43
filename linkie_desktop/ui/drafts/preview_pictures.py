"""The preview's pictures, made off the GUI thread (the task runner's network pool, the pool for
work that is not the database's): images decoded at the size their tile covers, and one page of a
PDF rendered with QtPdf. Only QImage is made here; the GUI thread turns it into a QPixmap.

The attachments strip's thumbnails (thumbnails.py) fit a picture inside a small square; the
preview's tiles are filled edge to edge and cropped, as LinkedIn's feed crops them, so they are
decoded to cover their tile instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPainter


@dataclass(frozen=True)
class Picture:
    """A decoded image and the shape (width / height) of the file's own image: the decoded one
    is rounded to whole pixels, and a single image is laid out by its true shape."""

    image: QImage
    shape: float | None


def decode_covering(path: Path, width: int, height: int) -> Picture:
    """`path` decoded straight to the smallest size that covers width×height (QImageReader scales
    while reading, so a 24 MP photo never exists whole in memory); never enlarged; a null image
    when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    stored = reader.size()  # as stored: a photo taken upright may be stored on its side
    if not stored.isValid() or stored.isEmpty():
        return Picture(reader.read(), None)
    turned = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    if turned:
        width, height = height, width  # the scaled size is of the stored image, turned after
    shape = stored.width() / stored.height()
    wanted = stored.scaled(
        max(width, 1), max(height, 1), Qt.AspectRatioMode.KeepAspectRatioByExpanding
    )
    if wanted.width() < stored.width():
        reader.setScaledSize(wanted)
    return Picture(reader.read(), 1 / shape if turned else shape)


@dataclass(frozen=True)
class RenderedPage:
    """One page of a PDF as drawn, and how many pages the file has (0: it cannot be read)."""

    index: int
    image: QImage
    page_count: int


def render_pdf_page(path: Path, index: int, width: int) -> RenderedPage:
    """Page `index` (0 first) of the PDF at `path`, `width` pixels wide; a null image when the
    file or the page cannot be read. QtPdf is imported here: a preview without a document never
    loads it."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            return RenderedPage(index, QImage(), 0)
        count = document.pageCount()
        points = document.pagePointSize(index) if 0 <= index < count else None
        if points is None or points.isEmpty():
            return RenderedPage(index, QImage(), count)
        size = QSize(max(width, 1), max(1, round(width * points.height() / points.width())))
        drawn = document.render(index, size)
        # PDFium leaves what a page does not paint transparent; paper is white in every viewer.
        page = QImage(size, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, drawn)
        painter.end()
        return RenderedPage(index, page if not drawn.isNull() else QImage(), count)
    finally:
        document.close()
