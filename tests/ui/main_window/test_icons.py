"""Menu actions carry icons: the desktop theme's, else the bundled PNGs (offscreen has no theme)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.ui.icons import ACTION_ICONS, BUNDLED_SIZES, bundled_folder, themed_icon
from linkie_desktop.ui.main_window import MainWindow
from tests.ui.workspace_support import make_workspace


def test_every_named_icon_is_bundled_at_every_size() -> None:
    for name in set(ACTION_ICONS.values()):
        for size in BUNDLED_SIZES:
            assert (bundled_folder() / f"{name}-{size}.png").is_file(), (name, size)


def test_without_a_theme_the_bundled_drawing_is_used(qapp: QApplication) -> None:
    assert not QIcon.hasThemeIcon("document-new")  # offscreen: no icon theme at all
    icon = themed_icon("document-new")
    assert not icon.isNull()
    assert not icon.pixmap(16, 16).isNull() and not icon.pixmap(48, 48).isNull()


def test_the_windows_menus_show_icons_once_opened(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path
) -> None:
    workspace = make_workspace(engine, user_id, tmp_path / "appdata")
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, window_state=state)
    qtbot.addWidget(window)
    window.show()
    window.page("drafts")
    in_menus: list[QAction] = []
    for bar_action in window.menuBar().actions():
        menu = bar_action.menu()
        assert isinstance(menu, QMenu)
        menu.popup(QPoint(0, 0))
        menu.hide()
        in_menus += [a for a in menu.actions() if not a.isSeparator()]
    named = {a.objectName(): a for a in in_menus}
    # The table names real actions (a renamed action would silently lose its icon).
    missing = set(ACTION_ICONS) - set(named) - {"newPostSoonAction"}
    assert not missing
    for key in ACTION_ICONS.keys() & named.keys():
        assert not named[key].icon().isNull(), key
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=10_000)
