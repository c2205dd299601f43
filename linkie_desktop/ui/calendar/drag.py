"""Drag and drop of posts: our own MIME type carrying just the post id, and the drag itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QMimeData, Qt
from PySide6.QtGui import QDrag, QDragMoveEvent, QPixmap
from PySide6.QtWidgets import QWidget

POST_MIME_TYPE = "application/x-linkie-post-id"


def post_mime(post_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(POST_MIME_TYPE, QByteArray(post_id.encode("utf-8")))
    return mime


def post_id_from(mime: QMimeData | None) -> str | None:
    """The post id a drag carries, or None when it is not one of ours."""
    if mime is None or not mime.hasFormat(POST_MIME_TYPE):
        return None
    raw = mime.data(POST_MIME_TYPE).data()
    post_id = bytes(raw).decode("utf-8", errors="replace").strip()
    return post_id or None


def start_post_drag(source: QWidget, post_id: str, picture: QPixmap | None = None) -> bool:
    """Run a drag of `post_id` from `source`, showing `picture` (default: all of `source`) under
    the pointer. Blocks in Qt's own loop until the drop or Escape.

    The drop targets do the work and every view refreshes from the change signal; the result only
    says whether a target took the drop (False: released where it was refused, or cancelled).
    """
    drag = QDrag(source)
    drag.setMimeData(post_mime(post_id))
    drag.setPixmap(picture if picture is not None else source.grab())
    return drag.exec(Qt.DropAction.MoveAction) != Qt.DropAction.IgnoreAction


def answer_hover(
    event: QDragMoveEvent, refusal: str, words: str, say: Callable[[str, bool], object]
) -> None:
    """What every drop target does as a post is dragged over it: say what a drop would do (or
    why it can't), and let Qt show it. A refused entry is still accepted, so the move and leave
    events follow; a refused move is not, so the cursor says no."""
    say(refusal or words, bool(refusal))
    if refusal and event.type() == QEvent.Type.DragMove:
        event.ignore()
    else:
        event.acceptProposedAction()
