"""The first window at start-up: the icon and "opening your posts…" while the app loads.

It imports nothing but PySide6, so it can be on screen before the database layer, the HTTP
client and the tabs are even imported (that loading is most of the start-up time).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QRect, Qt, QThread
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QSplashScreen, QWidget

SPLASH_WIDTH, SPLASH_HEIGHT = 440, 180
ICON_SIZE = 72
MARGIN = 28
TEXT_LEFT = MARGIN * 2 + ICON_SIZE
ACCENT = QColor("#2F4BD8")  # the icon's own blue
FIRST_MESSAGE = "Opening your posts…"
# How long to wait at most for the window system to show the splash (X11/Wayland map it
# asynchronously); past that, starting the app matters more than the splash.
EXPOSE_TIMEOUT_MS = 500


def _card(icon: QIcon, title: str) -> QPixmap:
    """The splash's picture: the system's window colours, so it suits light and dark themes."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    pixmap = QPixmap(round(SPLASH_WIDTH * ratio), round(SPLASH_HEIGHT * ratio))
    pixmap.setDevicePixelRatio(ratio)
    palette = QApplication.palette()
    pixmap.fill(palette.color(QPalette.ColorRole.Window))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # A frameless window: a hairline edge keeps it apart from a desktop of the same colour.
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.drawRect(QRect(0, 0, SPLASH_WIDTH - 1, SPLASH_HEIGHT - 1))
    painter.fillRect(QRect(0, 0, SPLASH_WIDTH, 6), ACCENT)
    icon_top = (SPLASH_HEIGHT - ICON_SIZE) // 2
    icon.paint(painter, QRect(MARGIN, icon_top, ICON_SIZE, ICON_SIZE))
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.WindowText))
    painter.drawText(
        QRect(
            TEXT_LEFT, icon_top, SPLASH_WIDTH - TEXT_LEFT - MARGIN, SPLASH_HEIGHT // 2 - icon_top
        ),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
        title,
    )
    painter.end()
    return pixmap


class StartupSplash(QSplashScreen):
    """Shown by `app.py` before the heavy imports; `finish(main_window)` closes it."""

    def __init__(self, icon: QIcon, title: str) -> None:
        super().__init__(_card(icon, title))
        self.setObjectName("startupSplash")
        self.setAccessibleName(f"{title} is starting")
        self.setWindowTitle(title)
        self.setWindowIcon(icon)

    def event(self, event: QEvent) -> bool:
        # QSplashScreen (Qt 6.11) waits for the window to be exposed inside its Show event, which
        # comes before the window system is even asked to show it: every show() blocked for its
        # whole 1 s timeout, offscreen and on X11 alike. show_now() does that wait itself.
        if event.type() == QEvent.Type.Show:
            return QWidget.event(self, event)
        return super().event(event)

    def say(self, message: str) -> None:
        """What is being done now, drawn at once (the event loop is not running yet)."""
        self.showMessage(message)  # repaints synchronously

    def drawContents(self, painter: QPainter) -> None:  # noqa: N802 - Qt's name
        # Under the title, beside the icon (QSplashScreen would draw it across the whole card).
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.setFont(QApplication.font())
        painter.drawText(
            QRect(TEXT_LEFT, SPLASH_HEIGHT // 2 + 6, SPLASH_WIDTH - TEXT_LEFT - MARGIN, 40),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.message(),
        )

    def show_now(self) -> None:
        """Show and paint it before returning, so it is on screen while the caller blocks."""
        self.show()  # QSplashScreen stays on top by itself
        clock = QElapsedTimer()
        clock.start()
        handle = self.windowHandle()
        while handle is not None and not handle.isExposed() and clock.elapsed() < EXPOSE_TIMEOUT_MS:
            QApplication.processEvents()
            QThread.msleep(1)
        self.say(FIRST_MESSAGE)
        QApplication.processEvents()
