"""The start-up splash: the app's icon and name, a line saying what is happening, then gone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from linkie_desktop.app import SPLASH_ICON
from linkie_desktop.config import resources_dir
from linkie_desktop.ui.app_icon import render_icon
from linkie_desktop.ui.startup_splash import FIRST_MESSAGE, StartupSplash

SHOTS = Path("/work/notes/shots")


def _splash_icon_path() -> Path:
    return resources_dir() / "icons" / SPLASH_ICON


def test_the_splash_icon_is_the_svg_icon_drawn_ahead_of_time(qtbot: QtBot) -> None:
    committed = QImage(str(_splash_icon_path())).convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
    )
    assert not committed.isNull()
    fresh = render_icon(committed.width())
    # Same picture, allowing for a Qt upgrade drawing the anti-aliased edges a little differently.
    differing = sum(
        committed.pixel(x, y) != fresh.pixel(x, y)
        for y in range(0, fresh.height(), 2)
        for x in range(0, fresh.width(), 2)
    )
    sampled = (fresh.width() // 2) * (fresh.height() // 2)
    assert differing < sampled * 0.02, (
        "resources/icons/linkie-desktop-splash.png is out of date with the SVG; redraw it with "
        "render_icon(144).save(...) from linkie_desktop.ui.app_icon"
    )


def test_the_splash_shows_at_once_with_its_message_and_finishes_on_the_main_window(
    qtbot: QtBot,
) -> None:
    splash = StartupSplash(QIcon(str(_splash_icon_path())), "Linkie Desktop")
    qtbot.addWidget(splash)
    splash.show_now()  # returns with the window on screen: the caller blocks right after it
    handle = splash.windowHandle()
    assert splash.isVisible() and handle is not None and handle.isExposed()
    assert splash.message() == FIRST_MESSAGE
    assert splash.accessibleName() == "Linkie Desktop is starting"
    if SHOTS.is_dir():
        splash.grab().save(str(SHOTS / "startup-splash.png"))
    splash.say("Almost ready…")
    assert splash.message() == "Almost ready…"
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    splash.finish(window)
    assert not splash.isVisible()
