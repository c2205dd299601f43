"""The cards of a post's document or video: its title (required by LinkedIn, editable, saved as
it is typed), what it is, and Remove. A PDF shows its first pages, rendered with QtPdf off the
GUI thread; a PowerPoint or Word file shows its type and its count of slides or pages; a video its
length (m:ss) and size."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.post_content import (
    MAX_MEDIA_TITLE_CHARS,
    MediaItem,
    MediaKind,
    PostContent,
    size_text,
    validate_media_title,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.ui.drafts.attachments_strip import MEDIA_KEY
from linkie_desktop.ui.drafts.content_changes import ChangeSink, ContentChange
from linkie_desktop.ui.drafts.thumbnails import PDF_PAGES_SHOWN, render_pdf_pages
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

PAGE_PX = 96

_DOCUMENT_TYPES = {
    ".pdf": ("PDF document", "page"),
    ".pptx": ("PowerPoint presentation", "slide"),
    ".ppt": ("PowerPoint presentation", "slide"),
    ".docx": ("Word document", "page"),
    ".doc": ("Word document", "page"),
}


def length_text(seconds: float) -> str:
    """A video's length as players show it: 0:05, 12:40."""
    whole = math.floor(seconds + 0.5)
    return f"{whole // 60}:{whole % 60:02d}"


def document_facts(item: MediaItem) -> str:
    """ "PowerPoint presentation · 4 slides · 0.1 MB"."""
    kind, unit = _DOCUMENT_TYPES.get(Path(item.path).suffix.lower(), ("Document", "page"))
    parts = [kind]
    if item.pages is not None:
        parts.append(f"{item.pages} {unit}{'' if item.pages == 1 else 's'}")
    else:
        parts.append(f"{unit}s not counted")
    if item.size_bytes is not None:
        parts.append(size_text(item.size_bytes))
    return " · ".join(parts)


def video_facts(item: MediaItem) -> str:
    """ "MP4 video · 0:05 · 0.1 MB"."""
    parts = ["MP4 video"]
    if item.duration_s is not None:
        parts.append(length_text(item.duration_s))
    if item.size_bytes is not None:
        parts.append(size_text(item.size_bytes))
    return " · ".join(parts)


class MediaCard(QFrame):
    """The card of the post's one document or video; hidden when it has none."""

    def __init__(
        self,
        kind: MediaKind,
        sink: ChangeSink,
        tasks: TaskRunner,
        media_path: Callable[[str], Path],
    ) -> None:
        super().__init__()
        self.kind = kind
        noun = kind.value.capitalize()
        named(self, f"{kind.value}Card", f"Attached {kind.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._sink = sink
        self._tasks = tasks
        self._media_path = media_path
        self._item: MediaItem | None = None
        self._pages_of: str | None = None  # the stored path whose pages are shown

        self.title_edit = named(QLineEdit(), f"{kind.value}Title", f"{noun} title")
        self.title_edit.setMaxLength(MAX_MEDIA_TITLE_CHARS)
        self.title_edit.setPlaceholderText(f"{noun} title (required: LinkedIn shows it)")
        self.facts = named(QLabel(), f"{kind.value}Facts", f"About the {kind.value}")
        self.facts.setStyleSheet(f"color: {muted_colour(self.palette()).name()};")
        self.problem = named(QLabel(), f"{kind.value}Problem", f"Problem with the {kind.value}")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {warning_colour(self.palette()).name()};")
        self.problem.hide()
        self.remove_button = named(
            QPushButton(f"Remove {kind.value}"), f"{kind.value}Remove", f"Remove the {kind.value}"
        )
        self.pages = QWidget()
        self.pages.setObjectName(f"{kind.value}Pages")
        self._pages_layout = QHBoxLayout(self.pages)
        self._pages_layout.setContentsMargins(0, 0, 0, 0)
        self._pages_layout.setSpacing(6)
        self._pages_layout.addStretch(1)
        self.pages.hide()

        icon = QLabel("📄" if kind is MediaKind.DOCUMENT else "🎬")
        icon.setObjectName(f"{kind.value}Icon")
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(QLabel(f"<b>{noun}</b>"))
        top.addWidget(self.facts, 1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.title_edit)
        layout.addWidget(self.pages)
        layout.addWidget(self.problem)
        self.title_edit.textEdited.connect(self._title_edited)
        self.remove_button.clicked.connect(self.remove)
        self.hide()

    @property
    def item(self) -> MediaItem | None:
        return self._item

    @property
    def page_pictures(self) -> list[QLabel]:
        """The page thumbnails shown (a PDF's first pages)."""
        items = (self._pages_layout.itemAt(i) for i in range(self._pages_layout.count()))
        return [w for item in items if item is not None and isinstance(w := item.widget(), QLabel)]

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        item = next((m for m in content.media if m.kind is self.kind), None)
        self._item = item
        self.setVisible(item is not None)
        if item is None:
            self._show_pages(None, [])
            return
        if f"title:{item.id}" not in waiting and self.title_edit.text() != (item.title or ""):
            self.title_edit.setText(item.title or "")
            self.problem.hide()
        self.title_edit.setReadOnly(not editable)
        self.remove_button.setEnabled(editable)
        self.facts.setText(
            document_facts(item) if self.kind is MediaKind.DOCUMENT else video_facts(item)
        )
        if self.kind is MediaKind.DOCUMENT and self._pages_of != item.path:
            self._render_pages(item)

    def _render_pages(self, item: MediaItem) -> None:
        self._pages_of = item.path
        self._show_pages(None, [])
        if Path(item.path).suffix.lower() != ".pdf":
            return  # Qt renders PDF only: the facts say the type and count instead
        path, stored = self._media_path(item.path), item.path
        self._tasks.run_network(
            lambda: render_pdf_pages(path, PAGE_PX, PDF_PAGES_SHOWN),
            lambda images: self._show_pages(stored, images),
            owner=self,
        )

    def _show_pages(self, stored: str | None, images: list[QImage]) -> None:
        if stored is not None and stored != self._pages_of:
            return  # another document came meanwhile
        for label in self.page_pictures:
            self._pages_layout.removeWidget(label)
            label.deleteLater()
        for number, image in enumerate(images, start=1):
            label = named(QLabel(), f"documentPage{number}", f"Page {number}")
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QFrame.Shape.Box)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._pages_layout.insertWidget(number - 1, label)
        self.pages.setVisible(bool(images))

    def _title_edited(self, title: str) -> None:
        item = self._item
        if item is None:
            return
        try:
            validate_media_title(title, self.kind)
        except ValidationError as exc:
            # Not saved: LinkedIn needs a title; the stored one stays until this one is good.
            self.problem.setText(f"{exc} The last title stays saved until then.")
            self.problem.show()
            return
        self.problem.hide()
        media_id = item.id
        self._sink.change(
            ContentChange(
                f"title:{media_id}",
                lambda service, post_id: service.set_media_title(post_id, media_id, title),
            )
        )

    def remove(self) -> None:
        item = self._item
        if item is None:
            return
        media_id = item.id
        self._sink.change(
            ContentChange(
                f"{MEDIA_KEY}remove:{media_id}",
                lambda service, post_id: service.remove_media(post_id, media_id),
            ),
            at_once=True,
        )
