"""The app's own icon, drawn from resources/icons/*.svg: window, tray and installer icons."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from linkie_desktop import APP_NAME
from linkie_desktop.config import resources_dir

# The sizes a desktop asks for (the hicolor theme's, and what window managers and trays use).
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def icon_svg_path() -> Path:
    return resources_dir() / "icons" / f"{APP_NAME}.svg"


def render_icon(size: int, svg: Path | None = None) -> QImage:
    """The icon as a square transparent image, drawn by QtSvg itself: no image plugin needed."""
    renderer = QSvgRenderer(str(svg or icon_svg_path()))
    if not renderer.isValid():
        raise ValueError(f"cannot read the icon {svg or icon_svg_path()}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(QPixmap.fromImage(render_icon(size)))
    return icon
