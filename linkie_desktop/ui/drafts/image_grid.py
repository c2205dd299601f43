"""A post's images as LinkedIn's feed lays them out: one full width, two side by side, three as
one large over two small, four as 2×2, and five or more as the first four in 2×2 with "+N" over
the fourth (the issue's layout; LinkedIn's own descriptions say only "collage").

One image keeps its shape between LinkedIn's limits, 3:1 wide and 4:5 tall ("anything outside
that range gets centered and cropped"); every other tile is filled and cropped around its centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from linkie_desktop.domain.post_content import MediaItem
from linkie_desktop.ui.drafts.preview_pictures import Picture
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import feed_font

GAP_PX = 4  # the feed's white line between tiles
TILES_SHOWN = 4
WIDEST = 3.0  # LinkedIn shows an image at most 3:1 wide…
TALLEST = 4 / 5  # …and at most 4:5 tall
UNKNOWN_SHAPE = 1.91  # LinkedIn's recommended 1200×627, until the image itself is read


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    width: int
    height: int

    @property
    def rect(self) -> QRect:
        return QRect(self.x, self.y, self.width, self.height)


def tile_layout(count: int, width: int, first_shape: float | None = None) -> list[Tile]:
    """Where each shown image goes in a block `width` wide (at most TILES_SHOWN tiles);
    `first_shape` is the single image's width / height, when known."""
    if count <= 0:
        return []
    half = (width - GAP_PX) // 2
    other = width - GAP_PX - half
    if count == 1:
        shape = min(max(first_shape or UNKNOWN_SHAPE, TALLEST), WIDEST)
        return [Tile(0, 0, width, round(width / shape))]
    if count == 2:
        return [Tile(0, 0, half, half), Tile(half + GAP_PX, 0, other, half)]
    if count == 3:
        top = round(width * 2 / 3)
        below = top + GAP_PX
        small = width - top - GAP_PX
        return [
            Tile(0, 0, width, top),
            Tile(0, below, half, small),
            Tile(half + GAP_PX, below, other, small),
        ]
    return [
        Tile(0, 0, half, half),
        Tile(half + GAP_PX, 0, other, half),
        Tile(0, half + GAP_PX, half, half),
        Tile(half + GAP_PX, half + GAP_PX, other, half),
    ]


def decode_sizes(count: int, width: int) -> list[tuple[int, int]]:
    """The size each shown image is decoded to cover (the single image by width alone: its
    height follows its shape)."""
    if count == 1:
        return [(width, 1)]
    # A half is decoded for the wider of the two halves (they differ by a pixel when the width
    # is odd): a reorder then finds each image decoded already for wherever it moves.
    wider_half = width - GAP_PX - (width - GAP_PX) // 2
    return [
        (wider_half if tile.width < width else width, tile.height)
        for tile in tile_layout(count, width)
    ]


class ImageTile(QWidget):
    """One image, filled edge to edge and cropped around its centre; a quiet box until decoded.
    Its alt text is its accessible description, as LinkedIn gives it to screen readers."""

    def __init__(self, item: MediaItem, number: int, total: int) -> None:
        super().__init__()
        named(self, "previewImage", f"Image {number} of {total}")
        self.setAccessibleDescription(item.alt_text or "")
        self.setToolTip(item.alt_text or "")
        self.item = item
        self._picture: QPixmap | None = None
        self._scaled: QPixmap | None = None
        self.more: QLabel | None = None

    @property
    def decoded(self) -> bool:
        return self._picture is not None

    def set_image(self, image: QImage) -> None:
        self._picture = None if image.isNull() else QPixmap.fromImage(image)
        self._scaled = None
        self.update()

    def show_more(self, hidden: int) -> None:
        """ "+N" over the tile: N more images the feed shows when the post is opened."""
        self.more = named(QLabel(f"+{hidden}", self), "previewMoreImages", f"{hidden} more images")
        self.more.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(feed_font())
        font.setPixelSize(28)
        font.setWeight(QFont.Weight.DemiBold)
        self.more.setFont(font)
        self.more.setStyleSheet("background: rgba(0, 0, 0, 0.55); color: white;")
        self.more.setGeometry(self.rect())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._scaled = None
        if self.more is not None:
            self.more.setGeometry(self.rect())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Mid))
        if self._picture is not None:
            scaled = self._scaled_picture()
            painter.drawPixmap(self._cover_rect(), scaled, QRectF(scaled.rect()))
        painter.end()

    def _scaled_picture(self) -> QPixmap:
        # Scaled once per size, not at every paint: the GUI thread scales at most 4 pictures.
        if self._scaled is None:
            assert self._picture is not None
            ratio = self.devicePixelRatioF()
            self._scaled = self._picture.scaled(
                max(1, round(self.width() * ratio)),
                max(1, round(self.height() * ratio)),
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled.setDevicePixelRatio(ratio)
        return self._scaled

    def _cover_rect(self) -> QRectF:
        scaled = self._scaled_picture()
        ratio = scaled.devicePixelRatio()
        width, height = scaled.width() / ratio, scaled.height() / ratio
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)


class ImageGrid(QWidget):
    """The block of a post's images; `tiles` are the shown ones in the post's order."""

    def __init__(self, images: Sequence[MediaItem], width: int) -> None:
        super().__init__()
        named(self, "previewImages", f"{len(images)} images" if len(images) > 1 else "Image")
        self.images = tuple(images)
        shown = self.images[:TILES_SHOWN]
        self.tiles = [ImageTile(item, n, len(images)) for n, item in enumerate(shown, start=1)]
        for tile in self.tiles:
            tile.setParent(self)
        self._first_shape: float | None = None
        self._width = width
        self._place()
        hidden = len(self.images) - len(shown)
        if hidden > 0:
            self.tiles[-1].show_more(hidden)

    def set_width(self, width: int) -> None:
        self._width = width
        self._place()

    def set_image(self, index: int, picture: Picture) -> None:
        if index == 0 and len(self.tiles) == 1 and not picture.image.isNull():
            self._first_shape = picture.shape
        self.tiles[index].set_image(picture.image)
        self._place()

    def _place(self) -> None:
        layout = tile_layout(len(self.tiles), self._width, self._first_shape)
        for tile, place in zip(self.tiles, layout, strict=True):
            tile.setGeometry(place.rect)
        bottom = max((place.y + place.height for place in layout), default=0)
        self.setFixedSize(self._width, bottom)
