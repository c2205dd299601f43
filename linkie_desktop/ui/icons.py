"""Icons for actions: the desktop's icon theme first (by freedesktop names), else the PNGs bundled
in resources/icons/actions (drawn by scripts/draw_icons.py) on a machine without a theme.

PNG files added to a QIcon are read when first painted, so decorating a menu costs no image
decoding until it opens; no SVG (QtSvg costs ~25 ms of a cold start).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from PySide6.QtGui import QAction, QIcon

from linkie_desktop.config import resources_dir

BUNDLED_SIZES = (16, 24, 32, 48, 64)

# The window's actions and the ones the tabs publish by object name (post_actions.py's keys,
# the Drafts tab's own), each with the freedesktop name of its icon.
ACTION_ICONS: dict[str, str] = {
    "newPostAction": "document-new",
    "newPostSoonAction": "document-new",
    "saveNowAction": "document-save",
    "findPostsAction": "edit-find",
    "duplicatePostAction": "edit-copy",
    "deletePostAction": "edit-delete",
    "schedulePostAction": "appointment-new",
    "unschedulePostAction": "edit-clear",
    "publishNowAction": "document-send",
    "retryPostAction": "view-refresh",
    "markPublishedAction": "object-select",
    "settingsAction": "preferences-system",
    "quitAction": "application-exit",
    "nextTabAction": "go-next",
    "previousTabAction": "go-previous",
    "shortcutsAction": "preferences-desktop-keyboard",
    "openLogFolderAction": "folder-open",
    "copyDiagnosticsAction": "edit-copy",
    "aboutAction": "help-about",
}


def bundled_folder() -> Path:
    return resources_dir() / "icons" / "actions"


def bundled_icon(name: str) -> QIcon:
    """The bundled drawing of `name` at every size (empty when there is none)."""
    icon = QIcon()
    for size in BUNDLED_SIZES:
        path = bundled_folder() / f"{name}-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


@cache
def themed_icon(name: str) -> QIcon:
    """The theme's icon called `name`, else ours (one QIcon per name for the whole run)."""
    return QIcon.fromTheme(name, bundled_icon(name))


def decorate(actions: Iterable[QAction]) -> None:
    """Give each known action its icon, unless it has one already (its owner chose it)."""
    for action in actions:
        name = ACTION_ICONS.get(action.objectName())
        if name is not None and action.icon().isNull():
            action.setIcon(themed_icon(name))
