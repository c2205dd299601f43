"""The File menu's data actions — Back up now, Restore from backup…, Export…, Import…, Trash… —
and the daily backup while the window runs. Every file and database job goes through the
window's task runner; the answers come back as a status line or a dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.data.common import Ask, ChoosePath, ask, open_path, save_path
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    # Imported by the handlers that use them: the window builds this menu at start-up, and
    # backup, export and import (~9 ms) are first needed when one is chosen (or a minute later).
    from linkie_desktop.services.export import ExportResult
    from linkie_desktop.services.import_posts import ImportRefusedError, ImportResult

# The window looks a minute after it opens (start-up is not slowed) and then once an hour; a
# backup is made when the newest is a day old.
FIRST_CHECK = timedelta(minutes=1)
DAILY_CHECK = timedelta(hours=1)
EXPORT_FILTERS = "Linkie JSON, with media (*.json);;CSV, posts only (*.csv)"
IMPORT_FILTERS = "Linkie JSON or CSV (*.json *.csv);;All files (*)"


@contextmanager
def _plain_file_errors(what: str) -> Iterator[None]:
    """A file the system refuses (no permission, a full disk) is the user's to fix: said so."""
    try:
        yield
    except OSError as exc:
        raise ValidationError(f"{what}: {exc.strerror or exc}.") from exc


class DataActions(QObject):
    """Made by the window: adds its actions to the File menu before `before`."""

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        signals: AppSignals,
        tasks: TaskRunner,
        preferences: AppPreferences,
        *,
        confirm: Ask = ask,
        choose_save: ChoosePath = save_path,
        choose_open: ChoosePath = open_path,
        inform: Callable[[QWidget, str, str], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("dataActions")
        self.window = window
        self.workspace = workspace
        self.signals = signals
        self.tasks = tasks
        self.preferences = preferences
        self.confirm = confirm
        self.choose_save = choose_save
        self.choose_open = choose_open
        self.inform = inform or _information
        self.db_path = sqlite_path(workspace.config.database_url)
        self.trash_dialog: QWidget | None = None
        self.restore_dialog: QWidget | None = None

        self.backup_action = self._action("backupNow", "&Back up now", self.back_up_now)
        self.restore_action = self._action(
            "restoreBackup", "&Restore from backup…", self.show_restore
        )
        self.export_action = self._action("exportPosts", "E&xport…", self.export)
        self.import_action = self._action("importPosts", "&Import…", self.import_posts)
        self.trash_action = self._action("showTrash", "&Trash…", self.show_trash)
        self.daily = QTimer(self)
        self.daily.setObjectName("dailyBackupTimer")
        self.daily.setInterval(int(DAILY_CHECK.total_seconds() * 1000))
        self.daily.timeout.connect(self.daily_backup)

    def actions(self) -> list[QAction]:
        return [
            self.backup_action,
            self.restore_action,
            self.export_action,
            self.import_action,
            self.trash_action,
        ]

    def start_daily_backups(self) -> None:
        """A backup soon after start when the newest is a day old, then a look every hour."""
        self.daily.start()
        QTimer.singleShot(int(FIRST_CHECK.total_seconds() * 1000), self, self.daily_backup)

    def _action(self, key: str, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"{key}Action")
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15_000)

    def _fail(self, title: str) -> Callable[[str], None]:
        return lambda message: self.inform(self.window, title, message)

    # --- backups ----------------------------------------------------------------------------

    def back_up_now(self) -> None:
        from linkie_desktop.services.backup import SHARED_DATABASE_BACKUP, create_backup

        db_path, media = self.db_path, self.workspace.config.media_dir
        if db_path is None:
            self._say(SHARED_DATABASE_BACKUP.format(how="File › Export…"))
            return
        keep = self.preferences.current.backups_kept
        self._say("Backing up…")
        self.tasks.run_db(
            lambda: create_backup(db_path, media, keep=keep),
            lambda path: self._say(f"Backed up your posts and media to {path}"),
            self._fail("Back up now"),
            owner=self,
        )

    def daily_backup(self) -> None:
        from linkie_desktop.services.backup import backup_if_due

        db_path, media = self.db_path, self.workspace.config.media_dir
        if db_path is None:
            return
        keep = self.preferences.current.backups_kept
        self.tasks.run_db(
            lambda: backup_if_due(db_path, media, keep),
            lambda path: self._say(f"Daily backup: {path}") if path else None,
            self._fail("Daily backup"),
            owner=self,
            key=(id(self), "daily backup"),
        )

    def show_restore(self) -> None:
        from linkie_desktop.ui.data.restore_dialog import RestoreDialog

        self.restore_dialog = RestoreDialog(
            self.workspace,
            self.signals,
            self.tasks,
            self.preferences,
            self.window,
            confirm=self.confirm,
        )
        self.restore_dialog.open()

    def show_trash(self) -> None:
        from linkie_desktop.ui.data.trash_dialog import TrashDialog

        self.trash_dialog = TrashDialog(
            self.workspace, self.signals, self.tasks, self.window, confirm=self.confirm
        )
        self.trash_dialog.open()

    # --- export and import ------------------------------------------------------------------

    def export(self) -> None:
        from linkie_desktop.services.export import export_csv, export_json

        proposed = str(Path.home() / "linkie-posts.json")
        chosen = self.choose_save(self.window, "Export posts", proposed, EXPORT_FILTERS)
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() not in (".json", ".csv"):
            out = out.with_name(f"{out.name}.json")  # no ending typed: Linkie's own format
        ws = self.workspace

        def work() -> ExportResult:
            with _plain_file_errors(f"The export could not be written to {out}"):
                if out.suffix.lower() == ".csv":
                    return export_csv(ws.engine, ws.user_id, out)
                return export_json(ws.engine, ws.user_id, ws.config.media_dir, out)

        self.tasks.run_db(
            work, lambda result: self._say(result.summary()), self._fail("Export"), owner=self
        )

    def import_posts(self, path: Path | None = None) -> None:
        if path is None:
            chosen = self.choose_open(self.window, "Import posts", str(Path.home()), IMPORT_FILTERS)
            if not chosen:
                return
            path = Path(chosen)
        self._import(path, skip_bad=False)

    def _import(self, path: Path, *, skip_bad: bool) -> None:
        from linkie_desktop.services.import_posts import ImportRefusedError, import_file

        ws = self.workspace
        service = PostService(ws.engine, ws.user_id, ws.config.media_dir)
        visibility = self.preferences.current.default_visibility

        def work() -> ImportResult | ImportRefusedError:
            try:
                with _plain_file_errors(f"{path.name} could not be imported"):
                    return import_file(service, path, skip_bad=skip_bad, visibility=visibility)
            except ImportRefusedError as refused:
                return refused  # a question for the user, not a failure

        self.tasks.run_db(
            work, lambda answer: self._imported(path, answer), self._fail("Import"), owner=self
        )

    def _imported(self, path: Path, answer: ImportResult | ImportRefusedError) -> None:
        from linkie_desktop.services.import_posts import ImportRefusedError

        if isinstance(answer, ImportRefusedError):
            bad = answer.bad
            rows = "\n".join(f"• {row}" for row in bad[:8])
            more = f"\n… and {len(bad) - 8} more" if len(bad) > 8 else ""
            if self.confirm(
                self.window,
                "Import",
                f"{len(bad)} rows of {path.name} cannot be imported:\n{rows}{more}\n\n"
                "Import the other rows and skip these?",
            ):
                self._import(path, skip_bad=True)
            return
        self.signals.announce_posts(initiator=self)
        said = f"{answer.summary().capitalize()} from {path.name}."
        note = answer.id_note()
        self.inform(self.window, "Import", f"{said}\n\n{note}".strip())


def _information(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setObjectName("dataMessage")
    box.open()
