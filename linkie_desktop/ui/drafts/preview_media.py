"""What a post carries below its text in the preview: its images, document, video, poll or link
card, laid out as LinkedIn's feed lays them, at the feed's width.

Pictures are decoded off the GUI thread through the task runner (its network pool, the pool for
work that is not the database's), under one key: a newer `show_content` supersedes an older one
still decoding, so only the answer to what is shown now arrives. Only the pictures shown are
decoded (four tiles at most, one document page at a time): a twenty-image post costs four.
Decoded pictures are kept for what is shown, so showing the same post again (a refresh, an
autosave's answer) shows them at once instead of blank tiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Union

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from linkie_desktop.domain.post_content import MediaKind, PostContent, media_file
from linkie_desktop.ui.drafts.feed_widths import Widths
from linkie_desktop.ui.drafts.format_cards import LINK_THUMBNAIL, LinkCardView, PollCard, VideoCard
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named

if TYPE_CHECKING:  # imported when a post first shows pictures: a text post needs none of them
    from linkie_desktop.ui.drafts.document_card import DocumentCard
    from linkie_desktop.ui.drafts.image_grid import ImageGrid
    from linkie_desktop.ui.drafts.preview_pictures import Picture

Card = Union["ImageGrid", "DocumentCard", VideoCard, PollCard, LinkCardView]
DecodeKey = tuple[str, int, int]  # (file, width, height) in device pixels


def _shown_part(content: PostContent) -> object:
    """What of the content the cards draw (an upload's progress or a URN changes nothing here)."""
    media = tuple(
        (m.kind, m.path, m.alt_text, m.title, m.pages, m.duration_s) for m in content.media
    )
    link = content.link
    shown_link = (link.url, link.title, link.thumbnail_path) if link is not None else None
    return (media, content.poll, shown_link)


class PreviewMedia(QWidget):
    """The block under the post's text; empty (and hidden) for a text-only post."""

    pictures_shown = Signal()  # decoded pictures (tiles, a page, a thumbnail) are on screen

    def __init__(self, tasks: TaskRunner, widths: Widths) -> None:
        super().__init__()
        named(self, "previewMedia", "Attachments as LinkedIn shows them")
        self._tasks = tasks
        self._widths = widths
        self._pictures_key = object()  # one request at a time for what is shown: see the module
        self._pages_key = object()
        self._shown: object = None
        self._media_dir: Path | None = None
        self._decoded: dict[DecodeKey, Picture] = {}
        self.card: Card | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def show_content(self, content: PostContent, media_dir: Path) -> None:
        shown = _shown_part(content)
        if shown == self._shown and media_dir == self._media_dir:
            return
        self._shown, self._media_dir = shown, media_dir
        if self.card is not None:
            self._layout.removeWidget(self.card)
            self.card.hide()
            self.card.deleteLater()  # a late answer for it is dropped with it (owner=card)
        self.card = self._build(content, media_dir)
        if self.card is None:
            self._layout.setContentsMargins(0, 0, 0, 0)
            self._decoded.clear()
            self.hide()
            return
        self._layout.addWidget(self.card)
        self._apply_margins()
        self.show()

    def set_widths(self, widths: Widths) -> None:
        self._widths = widths
        if self.card is not None:
            self.card.set_width(self._card_width(self.card))
            self._apply_margins()

    def restyle(self) -> None:
        """A new light/dark scheme: the cards whose colours are written into style sheets."""
        if isinstance(self.card, PollCard | LinkCardView):
            self.card.restyle()

    def _inset(self, card: Card) -> bool:
        return isinstance(card, PollCard | LinkCardView)

    def _card_width(self, card: Card) -> int:
        return self._widths.column if self._inset(card) else self._widths.edge

    def _apply_margins(self) -> None:
        assert self.card is not None
        side = (self._widths.edge - self._widths.column) // 2 if self._inset(self.card) else 0
        self._layout.setContentsMargins(side, 0, side, 0)

    # --- the cards ---------------------------------------------------------------------------

    def _build(self, content: PostContent, media_dir: Path) -> Card | None:
        images = content.images
        media = content.media
        if images:
            from linkie_desktop.ui.drafts.image_grid import ImageGrid

            grid = ImageGrid(images, self._widths.edge)
            self._decode_images(grid, media_dir)
            return grid
        if media and media[0].kind is MediaKind.DOCUMENT:
            from linkie_desktop.ui.drafts.document_card import DocumentCard

            item = media[0]
            path = media_file(media_dir, item.path)
            return DocumentCard(item, path, self._tasks, self._pages_key, self._widths)
        if media and media[0].kind is MediaKind.VIDEO:
            return VideoCard(media[0], self._widths.edge)
        if content.poll is not None:
            return PollCard(content.poll, self._widths.column)
        if content.link is not None:
            card = LinkCardView(content.link, self._widths.column)
            if content.link.thumbnail_path:
                self._decode_thumbnail(card, media_file(media_dir, content.link.thumbnail_path))
            return card
        return None

    def _decode_images(self, grid: ImageGrid, media_dir: Path) -> None:
        from linkie_desktop.ui.drafts.image_grid import decode_sizes
        from linkie_desktop.ui.drafts.preview_pictures import decode_covering

        ratio = self.devicePixelRatioF()
        sizes = decode_sizes(len(grid.tiles), self._widths.widest_edge)
        wanted: list[DecodeKey] = [
            (str(media_file(media_dir, tile.item.path)), round(w * ratio), round(h * ratio))
            for tile, (w, h) in zip(grid.tiles, sizes, strict=True)
        ]
        known = {key: self._known(key) for key in wanted}  # read here, not by the worker

        def decode() -> list[Picture]:
            return [known[key] or decode_covering(Path(key[0]), *key[1:]) for key in wanted]

        def show(pictures: list[Picture]) -> None:
            self._decoded = dict(zip(wanted, pictures, strict=True))
            for index, picture in enumerate(pictures):
                picture.image.setDevicePixelRatio(ratio)
                grid.set_image(index, picture)
            self.pictures_shown.emit()

        shown_before = [known[key] for key in wanted]
        if all(picture is not None for picture in shown_before):
            show([picture for picture in shown_before if picture is not None])  # no blank tiles
            return
        self._tasks.run_network(decode, show, owner=grid, key=self._pictures_key)

    def _known(self, key: DecodeKey) -> Picture | None:
        """A picture of the same file decoded before for a box at least as large."""
        path, width, height = key
        return next(
            (
                picture
                for (known_path, known_width, known_height), picture in self._decoded.items()
                if known_path == path and known_width >= width and known_height >= height
            ),
            None,
        )

    def _decode_thumbnail(self, card: LinkCardView, path: Path) -> None:
        from linkie_desktop.ui.drafts.preview_pictures import decode_covering

        ratio = self.devicePixelRatioF()
        width, height = (round(side * ratio) for side in LINK_THUMBNAIL)

        def show(picture: Picture) -> None:
            card.set_thumbnail(picture.image)
            self.pictures_shown.emit()

        self._tasks.run_network(
            lambda: decode_covering(path, width, height), show, owner=card, key=self._pictures_key
        )
