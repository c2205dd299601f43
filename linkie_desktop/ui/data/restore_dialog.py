"""File › Restore from backup…: the backups beside the database with their date and post count,
or one chosen elsewhere; Restore asks first, keeps today's database as a backup, and then every
tab reloads.

How the window takes the restored database (the least invasive way): the restore writes it into
the very file the window's engine has open (services/restore.py), so the Workspace, its engine
and every service built on them stay; the engine's idle connections are disposed and every view
is told that everything changed (`announce_posts()` with no ids), as after any outside change.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.services.backup import SHARED_DATABASE_BACKUP, BackupInfo, list_backups
from linkie_desktop.services.restore import RestoreResult, restore_backup
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.data.common import (
    Ask,
    ChoosePath,
    ask,
    lay_out_rows_dialog,
    open_folder,
    rows_table,
)
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named

COLUMNS = ("Taken", "Posts", "Holds")
OTHER_PROFILE = (
    " It belongs to another Linkie profile: quit Linkie and start it again to see its posts."
)


def taken_text(instant: datetime) -> str:
    """When a backup was taken, in local time to the second (two can be a minute apart)."""
    return instant.astimezone().strftime("%a %d %b %Y, %H:%M:%S")


class RestoreDialog(QDialog):
    restored = Signal(object)  # RestoreResult

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        tasks: TaskRunner,
        preferences: AppPreferences,
        parent: QWidget | None = None,
        *,
        confirm: Ask = ask,
        choose_folder: ChoosePath = open_folder,
    ) -> None:
        super().__init__(parent)
        named(self, "restoreDialog", "Restore from backup")
        self.setWindowTitle("Restore from backup")
        self.workspace = workspace
        self.signals = signals
        self.tasks = tasks
        self.preferences = preferences
        self.confirm = confirm
        self.choose_folder = choose_folder
        self.db_path = sqlite_path(workspace.config.database_url)
        self.backups: list[BackupInfo] = []

        intro = QLabel(
            "Choose a backup. Your posts are replaced by the ones it holds; the database as it "
            "is now is kept as a backup first, so this can be undone the same way."
        )
        intro.setWordWrap(True)
        self.table = rows_table("backupsTable", "Backups", COLUMNS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = named(QLabel(""), "restoreMessage", "Restore message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = named(
            QPushButton("&Restore…"), "restoreChosen", "Restore the chosen backup"
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button = named(
            QPushButton("&Other backup…"), "restoreOther", "Restore a backup from another folder"
        )
        self.other_button.clicked.connect(self.restore_other)
        lay_out_rows_dialog(
            self,
            "restore",
            (intro, self.table, self.message),
            (self.restore_button, self.other_button),
        )
        self.resize(640, 400)
        self._selection_changed()
        self.reload()

    def reload(self) -> None:
        db_path = self.db_path
        if db_path is None:
            self.message.setText(SHARED_DATABASE_BACKUP.format(how="File › Export…"))
            return
        self.tasks.run_db(lambda: list_backups(db_path), self._show, self._failed, owner=self)

    def _show(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        self.table.setRowCount(len(backups))
        for row, info in enumerate(backups):
            cells = (
                taken_text(info.created_at),
                "?" if info.posts is None else str(info.posts),
                "Posts and media" if info.with_media else "Posts (before an upgrade)",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not backups:
            self.message.setText("There are no backups beside the database yet.")
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            info = self.backups[rows[0].row()]
            self.restore(info.path, taken_text(info.created_at), info.posts)

    def restore_other(self) -> None:
        chosen = self.choose_folder(self, "Choose a backup folder", str(Path.home()), "")
        if chosen:
            self.restore(Path(chosen), Path(chosen).name, None)

    def restore(self, backup: Path, taken: str, posts: int | None) -> None:
        db_path = self.db_path
        if db_path is None:
            return
        holds = f" ({posts} posts)" if posts is not None else ""
        if not self.confirm(
            self,
            "Restore from backup",
            f"Replace your posts with the backup of {taken}{holds}?\n\nThe database as it is "
            "now is kept as a backup first.",
        ):
            return
        ws = self.workspace
        keep = self.preferences.current.backups_kept
        self.message.setText("Restoring…")
        self.restore_button.setEnabled(False)

        def work() -> RestoreResult:
            result = restore_backup(
                db_path, ws.config.media_dir, backup, user_id=ws.user_id, keep=keep
            )
            ws.engine.dispose()  # idle connections opened on the old content are not reused
            return result

        self.tasks.run_db(work, self._restored, self._failed, owner=self)

    def _restored(self, result: RestoreResult) -> None:
        self.message.setText(result.summary() + ("" if result.same_profile else OTHER_PROFILE))
        self.signals.announce_posts()  # everything changed: every tab reloads
        self.signals.connection_changed.emit()  # the restored file has its own connection
        self.restored.emit(result)
        self.reload()

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self._selection_changed()
