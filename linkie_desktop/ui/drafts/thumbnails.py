"""Small pictures of attachments, made off the GUI thread: images decoded at the size shown and a
PDF's first pages rendered with QtPdf.

Both run on the task runner's network pool (the pool for work that is not the database's): a
twenty-image post decodes twenty files, and typing must not wait for them. Only QImage crosses
back; the GUI thread turns it into a QPixmap.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

PDF_PAGES_SHOWN = 4


def decode_image(path: Path, px: int) -> QImage:
    """`path` decoded straight to at most px×px (QImageReader scales while reading, so a 24 MP
    photo never exists whole in memory); a null image when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(px, px, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def render_pdf_pages(path: Path, px: int, pages: int = PDF_PAGES_SHOWN) -> list[QImage]:
    """The first `pages` pages of the PDF at `path`, each at most px×px; [] when it cannot be
    read. QtPdf is imported here: a composer without a document never loads it."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            return []
        images = []
        for page in range(min(pages, document.pageCount())):
            points = document.pagePointSize(page)
            if points.isEmpty():
                continue
            size = points.toSize().scaled(px, px, Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(page, QSize(max(size.width(), 1), max(size.height(), 1)))
            if not image.isNull():
                images.append(image)
        return images
    finally:
        document.close()
