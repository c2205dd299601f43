"""A document post as LinkedIn's feed shows it: a carousel with the document's title and page count
in a bar above the page, and arrows (◀ ▶, or the arrow keys) through the pages.

A PDF's pages are rendered with QtPdf on the task runner's network pool, one page when it is
first shown, so a 300-page file costs one page at a time. PowerPoint and Word files have no
renderer here (LinkedIn converts them to pages on its side): a neutral page with the file's type
stands in for each page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from linkie_desktop.domain.post_content import MediaItem
from linkie_desktop.ui.drafts.feed_widths import Widths
from linkie_desktop.ui.drafts.preview_pictures import RenderedPage, render_pdf_page
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import feed_font
from linkie_desktop.ui.widgets.palette import muted_colour

PAGE_SHAPE_UNKNOWN = 1.0  # most carousels are 1080×1080, until the first page is read
TALLEST_PAGE = 1.25  # LinkedIn's viewer shows at most a 4:5 page; a taller one is fitted in


def pages_text(pages: int | None) -> str:
    if pages is None:
        return "Pages not counted"
    return f"{pages} page" if pages == 1 else f"{pages} pages"


def file_type(item: MediaItem) -> str:
    """The document's type as people name it ("PDF", "PPTX"), from its stored name."""
    suffix = Path(item.path).suffix.lstrip(".").upper()
    return suffix or "Document"


class PageView(QWidget):
    """The page shown: a rendered page fitted in, or a neutral page naming the file's type."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        named(self, "previewDocumentPage", "Document page")
        self._kind = kind
        self._picture: QPixmap | None = None
        self.caption = ""  # what the neutral page says under the type ("Page 2 of 4")
        self.page_index: int | None = None  # the rendered page drawn; None: a neutral page

    def set_page(self, index: int, image: QImage | None, caption: str) -> None:
        drawn = image is not None and not image.isNull()
        self._picture = QPixmap.fromImage(image) if image is not None and drawn else None
        self.page_index = index if drawn else None
        self.caption = caption
        self.setAccessibleDescription(caption)
        self.update()

    @property
    def rendered(self) -> bool:
        return self._picture is not None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Mid))
        if self._picture is not None:
            ratio = self._picture.devicePixelRatio()
            size = (self._picture.size() / ratio).scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio
            )
            left = (self.width() - size.width()) / 2
            top = (self.height() - size.height()) / 2
            target = QRectF(left, top, size.width(), size.height())
            painter.drawPixmap(target, self._picture, QRectF(self._picture.rect()))
        else:
            self._paint_neutral(painter, palette)
        painter.end()

    def _paint_neutral(self, painter: QPainter, palette: QPalette) -> None:
        margin = self.width() * 0.12
        page = QRectF(margin, margin * 0.6, self.width() - 2 * margin, self.height() - margin * 1.2)
        painter.fillRect(page, palette.color(QPalette.ColorRole.Base))
        kind = QFont(feed_font())
        kind.setPixelSize(max(18, round(self.width() / 10)))
        kind.setWeight(QFont.Weight.Bold)
        painter.setFont(kind)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        top = QRectF(page.left(), page.top(), page.width(), page.height() / 2 + 8)
        painter.drawText(
            top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self._kind
        )
        small = QFont(feed_font())
        small.setPixelSize(14)
        painter.setFont(small)
        painter.setPen(muted_colour(palette))
        rest = QRectF(page.left(), page.center().y() + 16, page.width(), page.height() / 2 - 16)
        painter.drawText(
            rest, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.caption
        )


class DocumentCard(QWidget):
    """The carousel of one document; `page` is the one shown (0 first)."""

    def __init__(
        self, item: MediaItem, path: Path, tasks: TaskRunner, key: object, widths: Widths
    ) -> None:
        super().__init__()
        self.item = item
        self.kind = file_type(item)
        self.renderable = self.kind == "PDF"
        self.pages = item.pages
        named(self, "previewDocument", f"Document: {item.title or self.kind}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # ← → move through the pages
        self._path = path
        self._tasks = tasks
        self._key = key
        self._width = widths.edge
        # Rendered for the widest layout, so Desktop / Mobile never renders a page again.
        self._render_width = widths.widest_edge
        self._rendered: dict[int, QImage] = {}
        self._shape: float | None = None  # the first page's height / width, once rendered
        self.page = 0

        self.title_bar = named(QLabel(), "previewDocumentTitle", "Document title")
        self.title_bar.setTextFormat(Qt.TextFormat.PlainText)
        self.title_bar.setStyleSheet(
            "background: rgba(0, 0, 0, 0.72); color: white; padding: 8px 12px;"
        )
        title_font = QFont(feed_font())
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title_bar.setFont(title_font)
        self.view = PageView(self.kind)
        self.previous = self._arrow("◀", "previewDocumentPrevious", "Previous page", -1)
        self.next = self._arrow("▶", "previewDocumentNext", "Next page", 1)
        self.counter = named(QLabel(), "previewDocumentCounter", "Page shown")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)

        controls = QHBoxLayout()
        controls.setContentsMargins(8, 4, 8, 4)
        controls.addWidget(self.previous)
        controls.addStretch(1)
        controls.addWidget(self.counter)
        controls.addStretch(1)
        controls.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title_bar)
        layout.addWidget(self.view)
        layout.addLayout(controls)
        self.set_width(widths.edge)
        self.show_page(0)

    def _arrow(self, symbol: str, name: str, label: str, step: int) -> QPushButton:
        button = named(QPushButton(symbol), name, label, label)
        button.setFlat(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setFixedWidth(40)
        button.clicked.connect(lambda: self.show_page(self.page + step))
        return button

    def _show_title(self) -> None:
        # The title gives way (elided) so the page count always shows, on a phone too.
        count = f" • {pages_text(self.pages)}"
        metrics = self.title_bar.fontMetrics()
        room = self._width - 24 - metrics.horizontalAdvance(count)
        title = metrics.elidedText(self.item.title or self.kind, Qt.TextElideMode.ElideRight, room)
        self.title_bar.setText(title + count)
        self.title_bar.setToolTip(self.item.title or "")

    def set_width(self, width: int) -> None:
        self._width = width
        self.setFixedWidth(width)
        shape = min(self._shape or PAGE_SHAPE_UNKNOWN, TALLEST_PAGE)
        self.view.setFixedSize(width, round(width * shape))
        self._show_title()

    # --- moving through the pages --------------------------------------------------------------

    def show_page(self, page: int) -> None:
        last = (self.pages or 1) - 1
        self.page = min(max(page, 0), last)
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < last)
        count = f" of {self.pages}" if self.pages else ""
        self.counter.setText(f"{self.page + 1}{count}" if self.pages else "")
        caption = f"Page {self.page + 1}{count}"
        if not self.renderable:
            self.view.set_page(self.page, None, caption)
            return
        self.view.set_page(self.page, self._rendered.get(self.page), caption)
        if self.page not in self._rendered:
            self._render(self.page)

    def _render(self, page: int) -> None:
        path, width = self._path, round(self._render_width * self.devicePixelRatioF())
        self._tasks.run_network(
            lambda: render_pdf_page(path, page, width), self._on_rendered, owner=self, key=self._key
        )

    def _on_rendered(self, rendered: RenderedPage) -> None:
        image = rendered.image
        # Kept even when null (a page that cannot be drawn): it is shown neutral, not asked again.
        self._rendered[rendered.index] = image
        if not image.isNull():
            image.setDevicePixelRatio(self.devicePixelRatioF())
            if rendered.index == 0 and image.width() > 0:
                self._shape = image.height() / image.width()
                self.set_width(self._width)
        if self.pages is None and rendered.page_count:
            self.pages = rendered.page_count  # counted at attach time as a rule; else here
            self._show_title()
        if rendered.index == self.page:
            self.show_page(self.page)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Right:
            self.show_page(self.page + 1)
        elif event.key() == Qt.Key.Key_Left:
            self.show_page(self.page - 1)
        else:
            super().keyPressEvent(event)
