"""Draws the bundled action icons (resources/icons/actions/*.png) with QPainter: no downloads.

They are the fallbacks for a desktop without an icon theme (ui/icons.py asks the theme first, by
the freedesktop names used as file names). PNG, not SVG: QtSvg costs ~25 ms of a cold start.
Each icon is drawn on a 24-unit grid at every size, so a 16 px one is as sharp as a 48 px one; a
mid grey that keeps 3:1 against both light and dark backgrounds, the accent for one detail.

Run after changing a drawing, and commit the PNGs:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/draw_icons.py
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkie_desktop.ui.icons import BUNDLED_SIZES, bundled_folder  # noqa: E402
from linkie_desktop.ui.widgets.palette import ACCENT  # noqa: E402

INK = QColor("#7b818c")  # 3.8:1 on white, 4.0:1 on #202124
ACCENT_INK = QColor("#4f6bed")  # the accent, a little lighter so it reads on dark too (ACCENT)
assert QColor(ACCENT).isValid()

Drawing = Callable[[QPainter], None]


def _pen(painter: QPainter, colour: QColor = INK, width: float = 2.0) -> None:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _page(painter: QPainter, x: float = 5, y: float = 3, w: float = 14, h: float = 18) -> None:
    path = QPainterPath()
    path.moveTo(x, y)
    path.lineTo(x + w - 4, y)
    path.lineTo(x + w, y + 4)
    path.lineTo(x + w, y + h)
    path.lineTo(x, y + h)
    path.closeSubpath()
    _pen(painter)
    painter.drawPath(path)


def document_new(p: QPainter) -> None:
    _page(p)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(12, 9), QPointF(12, 17))
    p.drawLine(QPointF(8, 13), QPointF(16, 13))


def document_open(p: QPainter) -> None:
    _page(p)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(8, 13), QPointF(15, 13))
    p.drawLine(QPointF(12, 10), QPointF(15, 13))
    p.drawLine(QPointF(12, 16), QPointF(15, 13))


def document_save(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(4, 4, 16, 16), 2, 2)
    p.drawRect(QRectF(8, 4, 8, 5))
    _pen(p, ACCENT_INK)
    p.drawRect(QRectF(8, 13, 8, 7))


def document_send(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(3, 11)
    path.lineTo(21, 4)
    path.lineTo(15, 20)
    path.lineTo(11, 13)
    path.closeSubpath()
    _pen(p)
    p.drawPath(path)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(11, 13), QPointF(21, 4))


def edit_copy(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(4, 4, 11, 13), 1.5, 1.5)
    p.setBrush(QBrush(Qt.GlobalColor.transparent))
    _pen(p, ACCENT_INK)
    p.drawRoundedRect(QRectF(9, 8, 11, 13), 1.5, 1.5)


def edit_delete(p: QPainter) -> None:
    _pen(p)
    p.drawLine(QPointF(4, 7), QPointF(20, 7))
    p.drawLine(QPointF(10, 7), QPointF(10.5, 4))
    p.drawLine(QPointF(10.5, 4), QPointF(13.5, 4))
    p.drawLine(QPointF(13.5, 4), QPointF(14, 7))
    path = QPainterPath()
    path.moveTo(6, 7)
    path.lineTo(7.5, 20)
    path.lineTo(16.5, 20)
    path.lineTo(18, 7)
    p.drawPath(path)
    _pen(p, ACCENT_INK, 1.6)
    p.drawLine(QPointF(10, 10.5), QPointF(10.3, 17))
    p.drawLine(QPointF(14, 10.5), QPointF(13.7, 17))


def edit_find(p: QPainter) -> None:
    _pen(p)
    p.drawEllipse(QPointF(10, 10), 6, 6)
    _pen(p, ACCENT_INK, 2.6)
    p.drawLine(QPointF(14.5, 14.5), QPointF(20, 20))


def edit_clear(p: QPainter) -> None:
    _pen(p)
    p.drawEllipse(QPointF(12, 12), 8, 8)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(9, 9), QPointF(15, 15))
    p.drawLine(QPointF(15, 9), QPointF(9, 15))


def edit_undo(p: QPainter) -> None:
    _pen(p)
    path = QPainterPath()
    path.moveTo(6, 10)
    path.lineTo(14, 10)
    path.arcTo(QRectF(9, 10, 10, 10), 90, -180)
    path.lineTo(9, 20)
    p.drawPath(path)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(6, 10), QPointF(10, 6))
    p.drawLine(QPointF(6, 10), QPointF(10, 14))


def appointment_new(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(4, 5, 16, 15), 2, 2)
    p.drawLine(QPointF(4, 9.5), QPointF(20, 9.5))
    p.drawLine(QPointF(8, 3), QPointF(8, 6))
    p.drawLine(QPointF(16, 3), QPointF(16, 6))
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(12, 12), QPointF(12, 18))
    p.drawLine(QPointF(9, 15), QPointF(15, 15))


def media_playback_start(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(8, 5)
    path.lineTo(19, 12)
    path.lineTo(8, 19)
    path.closeSubpath()
    _pen(p, ACCENT_INK)
    p.setBrush(QBrush(ACCENT_INK))
    p.drawPath(path)


def process_stop(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(5, 5, 14, 14), 2, 2)
    _pen(p, ACCENT_INK)
    p.setBrush(QBrush(ACCENT_INK))
    p.drawRect(QRectF(9, 9, 6, 6))


def view_refresh(p: QPainter) -> None:
    _pen(p)
    p.drawArc(QRectF(5, 5, 14, 14), 60 * 16, 290 * 16)
    _pen(p, ACCENT_INK)
    tip = QPointF(12 + 7 * math.cos(math.radians(60)), 12 - 7 * math.sin(math.radians(60)))
    p.drawLine(tip, tip + QPointF(-4.5, -1))
    p.drawLine(tip, tip + QPointF(0.5, 4.5))


def object_select(p: QPainter) -> None:
    _pen(p, ACCENT_INK, 2.6)
    p.drawLine(QPointF(5, 12.5), QPointF(10, 17.5))
    p.drawLine(QPointF(10, 17.5), QPointF(19, 7))


def preferences_system(p: QPainter) -> None:
    _pen(p)
    for step in range(8):
        angle = math.radians(step * 45)
        inner = QPointF(12 + 6 * math.cos(angle), 12 + 6 * math.sin(angle))
        outer = QPointF(12 + 9 * math.cos(angle), 12 + 9 * math.sin(angle))
        p.drawLine(inner, outer)
    p.drawEllipse(QPointF(12, 12), 6, 6)
    _pen(p, ACCENT_INK)
    p.drawEllipse(QPointF(12, 12), 2.2, 2.2)


def preferences_desktop_keyboard(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(2.5, 6, 19, 12), 2, 2)
    _pen(p, INK, 1.8)
    for row, y in enumerate((9.5, 12.5)):
        for x in range(6, 19, 3):
            p.drawPoint(QPointF(x + (1.5 if row else 0), y))
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(8, 15.5), QPointF(16, 15.5))


def help_about(p: QPainter) -> None:
    _pen(p)
    p.drawEllipse(QPointF(12, 12), 9, 9)
    _pen(p, ACCENT_INK, 2.4)
    p.drawLine(QPointF(12, 11), QPointF(12, 17))
    p.drawPoint(QPointF(12, 7.5))


def help_contents(p: QPainter) -> None:
    _pen(p)
    p.drawEllipse(QPointF(12, 12), 9, 9)
    _pen(p, ACCENT_INK, 2.2)
    path = QPainterPath()
    path.moveTo(9, 9.5)
    path.arcTo(QRectF(9, 6.5, 6, 6), 180, -240)
    path.lineTo(12, 14)
    p.drawPath(path)
    p.drawPoint(QPointF(12, 17.5))


def application_exit(p: QPainter) -> None:
    _pen(p)
    p.drawArc(QRectF(5, 5, 14, 14), 120 * 16, 300 * 16)
    _pen(p, ACCENT_INK)
    p.drawLine(QPointF(12, 3.5), QPointF(12, 11))


def folder_open(p: QPainter) -> None:
    _pen(p)
    path = QPainterPath()
    path.moveTo(3, 19)
    path.lineTo(3, 6)
    path.lineTo(9, 6)
    path.lineTo(11, 8)
    path.lineTo(19, 8)
    path.lineTo(19, 11)
    p.drawPath(path)
    _pen(p, ACCENT_INK)
    lid = QPainterPath()
    lid.moveTo(3, 19)
    lid.lineTo(6.5, 11)
    lid.lineTo(21.5, 11)
    lid.lineTo(18, 19)
    lid.closeSubpath()
    p.drawPath(lid)


def insert_image(p: QPainter) -> None:
    _pen(p)
    p.drawRoundedRect(QRectF(3.5, 5, 17, 14), 2, 2)
    _pen(p, ACCENT_INK)
    path = QPainterPath()
    path.moveTo(5.5, 17)
    path.lineTo(10, 11)
    path.lineTo(13.5, 15)
    path.lineTo(15.5, 13)
    path.lineTo(18.5, 17)
    p.drawPath(path)
    p.drawEllipse(QPointF(16, 9), 1.3, 1.3)


def go_next(p: QPainter) -> None:
    _pen(p, ACCENT_INK, 2.4)
    p.drawLine(QPointF(9, 5), QPointF(16, 12))
    p.drawLine(QPointF(16, 12), QPointF(9, 19))


def go_previous(p: QPainter) -> None:
    _pen(p, ACCENT_INK, 2.4)
    p.drawLine(QPointF(15, 5), QPointF(8, 12))
    p.drawLine(QPointF(8, 12), QPointF(15, 19))


DRAWINGS: dict[str, Drawing] = {
    "document-new": document_new,
    "document-open": document_open,
    "document-save": document_save,
    "document-send": document_send,
    "edit-copy": edit_copy,
    "edit-delete": edit_delete,
    "edit-find": edit_find,
    "edit-clear": edit_clear,
    "edit-undo": edit_undo,
    "appointment-new": appointment_new,
    "media-playback-start": media_playback_start,
    "process-stop": process_stop,
    "view-refresh": view_refresh,
    "object-select": object_select,
    "preferences-system": preferences_system,
    "preferences-desktop-keyboard": preferences_desktop_keyboard,
    "help-about": help_about,
    "help-contents": help_contents,
    "application-exit": application_exit,
    "folder-open": folder_open,
    "insert-image": insert_image,
    "go-next": go_next,
    "go-previous": go_previous,
}


def draw(drawing: Drawing, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 24, size / 24)
    drawing(painter)
    painter.end()
    return image


def main() -> None:
    _app = QGuiApplication.instance() or QGuiApplication([])
    folder = bundled_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for name, drawing in DRAWINGS.items():
        for size in BUNDLED_SIZES:
            if not draw(drawing, size).save(str(folder / f"{name}-{size}.png")):
                raise SystemExit(f"could not write {name}-{size}.png")
    print(f"{len(DRAWINGS)} icons × {len(BUNDLED_SIZES)} sizes in {folder}")


if __name__ == "__main__":
    main()
