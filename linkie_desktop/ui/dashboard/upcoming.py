"""The Dashboard's list of upcoming posts: a list whose rows offer the shared post actions.

The context menu opens for the row under the mouse, or from the keyboard (the menu key or
Shift+F10) for the current row, just below it, so every action is reachable without a mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

POST_ID_ROLE = Qt.ItemDataRole.UserRole
MENU_SHORTCUT = "Shift+F10"


class UpcomingList(QListWidget):
    menu_requested = Signal(str, QPoint)  # (post id, where the menu opens, global)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Shift+F10 is the other keyboard way to a context menu; not every platform turns it
        # into a context-menu event, so the list listens for it itself.
        self.menu_action = QAction("Post actions", self)
        self.menu_action.setObjectName("upcomingMenuAction")
        self.menu_action.setShortcut(QKeySequence(MENU_SHORTCUT))
        self.menu_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.menu_action.triggered.connect(self.request_menu_for_current)
        self.addAction(self.menu_action)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            item = self.itemAt(self.viewport().mapFrom(self, event.pos()))
            if item is not None:
                self.setCurrentItem(item)
                self._request(item, event.globalPos())
        else:
            self.request_menu_for_current()
        event.accept()

    def request_menu_for_current(self) -> None:
        if self.currentRow() < 0:
            return
        item = self.currentItem()
        rect = self.visualItemRect(item)
        self._request(item, self.viewport().mapToGlobal(rect.bottomLeft()))

    def _request(self, item: QListWidgetItem, where: QPoint) -> None:
        self.menu_requested.emit(str(item.data(POST_ID_ROLE)), where)
