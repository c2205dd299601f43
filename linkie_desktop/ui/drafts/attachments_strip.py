"""The strip of a post's images under its text: thumbnails in the post's order, each with its alt
text and a remove button; reordered by dragging a thumbnail along the strip or from the keyboard.

Dragging is done with the strip's own mouse events, not QDrag: the picture never leaves the strip,
so there is nothing for the desktop's drag-and-drop to carry, and QDrag.exec's own event loop
(which does not run offscreen) is not needed. The keys: Ctrl+Left/Right or Alt+Left/Right move the
focused thumbnail, Left/Right go to its neighbour, Delete removes it, Enter edits its alt text; its
context menu has the same.

Moves and removals show at once (the strip keeps its own order while they are on their way), so
a second Ctrl+Right counts from where the first one put the image; each is written in turn by the
composer, and the stored order is shown again once none is waiting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QImage, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.post_content import (
    MAX_ALT_TEXT_CHARS,
    MediaItem,
    PostContent,
    validate_alt_text,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.ui.drafts.content_changes import ChangeSink, ContentChange
from linkie_desktop.ui.drafts.thumbnails import decode_image
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

TILE_PX = 72
# The keys of the strip's own changes: while one waits, the strip's order is the newer one.
MEDIA_KEY = "media-"
_numbers = itertools.count(1)


def alt_counter_text(length: int) -> str:
    return f"{length:,} / {MAX_ALT_TEXT_CHARS:,}"


class AltTextDialog(QDialog):
    """An image's alt text, with its counter against LinkedIn's limit."""

    def __init__(self, parent: QWidget, number: int, text: str) -> None:
        super().__init__(parent)
        named(self, "altTextDialog", f"Alt text of image {number}")
        self.setWindowTitle(f"Alt text of image {number}")
        self.editor = named(QPlainTextEdit(text), "altTextEdit", "Alt text")
        self.editor.setPlaceholderText(
            "Describe the image for people who cannot see it (read aloud by screen readers)"
        )
        self.editor.setTabChangesFocus(True)
        self.counter = named(QLabel(), "altTextCounter", "Alt text characters used")
        self.problem = named(QLabel(), "altTextProblem", "Problem with the alt text")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {warning_colour(self.palette()).name()};")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        named(ok, "altTextOk", "Save the alt text")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        named(cancel, "altTextCancel", "Keep the alt text as it was")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        row = QHBoxLayout()
        row.addWidget(self.problem, 1)
        row.addWidget(self.counter)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._check)
        self.resize(420, 220)
        self._check()

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def _check(self) -> None:
        self.counter.setText(alt_counter_text(len(self.text)))
        try:
            validate_alt_text(self.text)
            problem = ""
        except ValidationError as exc:
            problem = str(exc)
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)


class ImageTile(QFrame):
    """One thumbnail of the strip; it takes the focus, so the keyboard can move it."""

    def __init__(self, strip: AttachmentsStrip, item: MediaItem) -> None:
        super().__init__()
        self.strip = strip
        self.item = item
        self.setProperty("role", "imageTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture = QLabel("…")
        self.picture.setObjectName("imageTilePicture")
        self.picture.setFixedSize(TILE_PX, TILE_PX)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.alt_button = QToolButton()
        self.alt_button.setText("Alt")
        self.alt_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.remove_button = QToolButton()
        self.remove_button.setText("×")
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(2)
        buttons.addWidget(self.alt_button, 1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(2)
        layout.addWidget(self.picture)
        layout.addLayout(buttons)
        self.alt_button.clicked.connect(lambda: strip.edit_alt_text(self))
        self.remove_button.clicked.connect(lambda: strip.remove(self))
        self._pressed_at: QPoint | None = None

    def describe(self, number: int, count: int) -> None:
        """Names for people and automation: the tile's place and its alt text."""
        alt = self.item.alt_text or ""
        named(self, f"imageTile{number}", f"Image {number} of {count}")
        self.setAccessibleDescription(f"Alt text: {alt}" if alt else "No alt text yet")
        self.setToolTip(
            (f"Alt text: {alt}" if alt else "No alt text yet")
            + "\nDrag, or Ctrl+Left/Right, to move it; Delete removes it"
        )
        named(self.alt_button, f"imageAlt{number}", f"Alt text of image {number}")
        self.alt_button.setText("Alt ✓" if alt else "Alt")
        named(self.remove_button, f"imageRemove{number}", f"Remove image {number}")
        self.picture.setAccessibleName(f"Image {number}")

    def show_picture(self, pixmap: QPixmap | None) -> None:
        if pixmap is None or pixmap.isNull():
            self.picture.setText("?")
            self.picture.setToolTip("This image is missing or cannot be read")
        else:
            self.picture.setPixmap(pixmap)

    # --- keyboard, context menu, mouse -------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, mods = event.key(), event.modifiers()
        moving = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(key))
        if step is not None and moving:
            self.strip.move_by(self, step)
        elif step is not None:
            self.strip.focus_neighbour(self, step)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.strip.remove(self)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.strip.edit_alt_text(self)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        self.strip.context_menu(self).popup(event.globalPos())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = event.position().toPoint()
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        start = self._pressed_at
        if start is not None and event.buttons() & Qt.MouseButton.LeftButton:
            at = event.position().toPoint()
            if self.strip.dragging is self or (
                (at - start).manhattanLength() >= QApplication.startDragDistance()
            ):
                self.strip.drag_to(self, self.mapTo(self.strip.row, at))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.strip.dragging is self:
            self.strip.drop(self, self.mapTo(self.strip.row, event.position().toPoint()))
        self._pressed_at = None
        super().mouseReleaseEvent(event)


class AttachmentsStrip(QScrollArea):
    """The post's images, in order; hidden when it has none."""

    def __init__(
        self, sink: ChangeSink, tasks: TaskRunner, media_path: Callable[[str], Path]
    ) -> None:
        super().__init__()
        named(self, "attachmentsStrip", "Attached images")
        self._sink = sink
        self._tasks = tasks
        self._media_path = media_path
        self._tiles: dict[str, ImageTile] = {}
        self._order: list[MediaItem] = []
        self._pixmaps: dict[str, QPixmap | None] = {}  # by stored path, None: unreadable
        self._editable = True
        self.dragging: ImageTile | None = None
        self.row = QWidget()
        self.row.setObjectName("attachmentsRow")
        self._row_layout = QHBoxLayout(self.row)
        self._row_layout.setContentsMargins(2, 2, 2, 2)
        self._row_layout.setSpacing(6)
        self._row_layout.addStretch(1)
        # Where a dragged picture would land: a bar in the gap, over the row.
        self.marker = QFrame(self.row)
        self.marker.setObjectName("attachmentsDropMarker")
        self.marker.setFixedWidth(3)
        self.marker.setStyleSheet("background: palette(highlight);")
        self.marker.hide()
        self.setWidget(self.row)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            'QFrame[role="imageTile"]:focus { border: 2px solid palette(highlight); }'
        )
        self.hide()

    # --- what is shown -----------------------------------------------------------------------

    @property
    def tiles(self) -> list[ImageTile]:
        """The thumbnails in the order shown."""
        return [self._tiles[item.id] for item in self._order]

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        self._editable = editable
        if not any(key.startswith(MEDIA_KEY) for key in waiting):
            self._order = list(content.images)
        else:  # the strip's order is newer; take the stored alt texts of what it still shows
            stored = {item.id: item for item in content.images}
            self._order = [stored.get(item.id, item) for item in self._order]
        self._arrange()

    def _arrange(self) -> None:
        shown = {item.id for item in self._order}
        for media_id in [m for m in self._tiles if m not in shown]:
            self._tiles.pop(media_id).deleteLater()
        for index, item in enumerate(self._order):
            tile = self._tiles.get(item.id)
            if tile is None:
                tile = self._tiles[item.id] = ImageTile(self, item)
                self._load_picture(tile)
            tile.item = item
            tile.describe(index + 1, len(self._order))
            tile.alt_button.setEnabled(self._editable)
            tile.remove_button.setEnabled(self._editable)
            self._row_layout.insertWidget(index, tile)
        self.setVisible(bool(self._order))
        height = TILE_PX + 44 + (self.horizontalScrollBar().sizeHint().height())
        self.setFixedHeight(height)

    def _load_picture(self, tile: ImageTile) -> None:
        stored = tile.item.path
        if stored in self._pixmaps:
            tile.show_picture(self._pixmaps[stored])
            return
        path = self._media_path(stored)

        def decoded(image: QImage) -> None:
            pixmap = None if image.isNull() else QPixmap.fromImage(image)
            self._pixmaps[stored] = pixmap
            for shown in self._tiles.values():
                if shown.item.path == stored:
                    shown.show_picture(pixmap)

        self._tasks.run_network(lambda: decode_image(path, TILE_PX), decoded, owner=self)

    # --- changes -----------------------------------------------------------------------------

    def _index(self, tile: ImageTile) -> int:
        return next(i for i, item in enumerate(self._order) if item.id == tile.item.id)

    def move_to(self, tile: ImageTile, position: int) -> None:
        if not self._editable:
            return
        index = self._index(tile)
        position = max(0, min(position, len(self._order) - 1))
        if position == index:
            return
        media_id = tile.item.id
        change = ContentChange(
            f"{MEDIA_KEY}move:{next(_numbers)}",
            lambda service, post_id: service.move_media(post_id, media_id, position),
        )
        if not self._sink.change(change, at_once=True):
            return
        self._order.insert(position, self._order.pop(index))
        self._arrange()
        tile.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_by(self, tile: ImageTile, step: int) -> None:
        self.move_to(tile, self._index(tile) + step)

    def focus_neighbour(self, tile: ImageTile, step: int) -> None:
        index = self._index(tile) + step
        if 0 <= index < len(self._order):
            self.tiles[index].setFocus(Qt.FocusReason.TabFocusReason)

    def remove(self, tile: ImageTile) -> None:
        if not self._editable:
            return
        index, media_id = self._index(tile), tile.item.id
        change = ContentChange(
            f"{MEDIA_KEY}remove:{next(_numbers)}",
            lambda service, post_id: service.remove_media(post_id, media_id),
        )
        if not self._sink.change(change, at_once=True):
            return
        self._order.pop(index)
        self._arrange()
        if self._order:
            self.tiles[min(index, len(self._order) - 1)].setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_alt_text(self, tile: ImageTile) -> AltTextDialog | None:
        """Open the alt-text dialog of `tile` (not modal to the event loop: `open()`); OK saves."""
        if not self._editable:
            return None
        number = self._index(tile) + 1
        dialog = AltTextDialog(self.window(), number, tile.item.alt_text or "")
        media_id = tile.item.id

        def save() -> None:
            text = dialog.text
            self._sink.change(
                ContentChange(
                    f"alt:{media_id}",
                    lambda service, post_id: service.set_alt_text(post_id, media_id, text),
                ),
                at_once=True,
            )

        dialog.accepted.connect(save)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def context_menu(self, tile: ImageTile) -> QMenu:
        menu = named(QMenu(self), "imageTileMenu", "Image actions")
        index, last = self._index(tile), len(self._order) - 1
        for text, enabled, act in (
            ("Move &left", index > 0, lambda: self.move_by(tile, -1)),
            ("Move &right", index < last, lambda: self.move_by(tile, 1)),
            ("&Alt text…", True, lambda: self.edit_alt_text(tile)),
            ("Re&move", True, lambda: self.remove(tile)),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled and self._editable)
            action.triggered.connect(act)
        return menu

    # --- dragging along the strip ------------------------------------------------------------

    def _drop_index(self, tile: ImageTile, at: QPoint) -> int:
        """Where `tile` lands when let go at `at` (row coordinates): before the first other
        thumbnail whose middle is right of the pointer."""
        others = [t for t in self.tiles if t is not tile]
        return sum(1 for t in others if t.geometry().center().x() < at.x())

    def drag_to(self, tile: ImageTile, at: QPoint) -> None:
        if not self._editable:
            return
        self.dragging = tile
        tile.setCursor(Qt.CursorShape.ClosedHandCursor)
        index = self._drop_index(tile, at)
        others = [t for t in self.tiles if t is not tile]
        if index < len(others):
            x = others[index].geometry().left() - 4
        else:
            x = others[-1].geometry().right() + 2 if others else tile.geometry().left()
        self.marker.setGeometry(max(x, 0), 2, 3, tile.height())
        self.marker.show()
        self.marker.raise_()

    def drop(self, tile: ImageTile, at: QPoint) -> None:
        self.dragging = None
        tile.unsetCursor()
        self.marker.hide()
        self.move_to(tile, self._drop_index(tile, at))
