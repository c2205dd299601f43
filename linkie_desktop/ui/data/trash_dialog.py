"""File › Trash…: the deleted posts with when each was deleted and when it goes for good;
Restore puts the chosen ones back, Empty trash (after a question) removes them all now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from linkie_desktop.services.trash import TRASH_KEEPS, TrashedPost, TrashService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.data.common import Ask, ask, lay_out_rows_dialog, rows_table
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.local_time import local_time_text

COLUMNS = ("Post", "Status", "Deleted", "Removed for good")
EMPTY = "The trash is empty. Deleted posts wait here for 30 days."


class TrashDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        confirm: Ask = ask,
    ) -> None:
        super().__init__(parent)
        named(self, "trashDialog", "Trash")
        self.setWindowTitle("Trash")
        self.signals = signals
        self.tasks = tasks
        self.confirm = confirm
        self.service = TrashService(workspace.engine, workspace.user_id, workspace.config.media_dir)
        self.posts: list[TrashedPost] = []

        days = TRASH_KEEPS.days
        intro = QLabel(
            f"Deleted posts wait here for {days} days, then Linkie removes them for good. "
            "A post in the trash is never published."
        )
        intro.setWordWrap(True)
        self.table = rows_table("trashTable", "Posts in the trash", COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = named(QLabel(""), "trashMessage", "Trash message")
        self.message.setWordWrap(True)

        self.restore_button = named(
            QPushButton("&Restore"), "trashRestore", "Restore the chosen posts"
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button = named(
            QPushButton("&Empty trash…"), "trashEmpty", "Remove every post in the trash for good"
        )
        self.empty_button.clicked.connect(self.empty)
        lay_out_rows_dialog(
            self,
            "trash",
            (intro, self.table, self.message),
            (self.restore_button, self.empty_button),
        )
        self.resize(720, 420)
        self._selection_changed()
        self.reload()

    def reload(self) -> None:
        self.tasks.run_db(self.service.list, self._show, self._failed, owner=self, key=id(self))

    def _show(self, posts: list[TrashedPost]) -> None:
        self.posts = posts
        self.table.setRowCount(len(posts))
        for row, post in enumerate(posts):
            cells = (
                post.label,
                post.status.capitalize(),
                local_time_text(post.deleted_at),
                local_time_text(post.gone_at),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, post.id)
                self.table.setItem(row, column, item)
        self.empty_button.setEnabled(bool(posts))
        if not posts and not self.message.text():
            self.message.setText(EMPTY)
        self._selection_changed()

    def _selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.posts[row].id for row in rows if row < len(self.posts)]

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self._selected_ids()))

    def restore_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            return

        def work() -> list[tuple[str, bool]]:
            return [(record.id, late) for record, late in map(self.service.restore, ids)]

        self.tasks.run_db(work, self._restored, self._failed, owner=self)

    def _restored(self, restored: list[tuple[str, bool]]) -> None:
        self.signals.announce_posts([post_id for post_id, _late in restored], self)
        drafts = sum(1 for _post_id, late in restored if late)
        said = f"Restored {len(restored)} post{'s' if len(restored) != 1 else ''}."
        if drafts:
            said += f" {drafts} became drafts again: their time passed while in the trash."
        self.message.setText(said)
        self.reload()

    def empty(self) -> None:
        count = len(self.posts)
        if not count or not self.confirm(
            self,
            "Empty trash",
            f"Remove the {count} post{'s' if count != 1 else ''} in the trash for good, with "
            "their images and files? This cannot be undone.",
        ):
            return
        self.tasks.run_db(self.service.empty, self._emptied, self._failed, owner=self)

    def _emptied(self, removed: int) -> None:
        self.message.setText(f"Removed {removed} post{'s' if removed != 1 else ''} for good.")
        self.reload()

    def _failed(self, message: str) -> None:
        self.message.setText(message)
