"""File › Back up now, Restore from backup…, Export…, Import… and Trash… in the real window
(pytest-qt, offscreen), with the dialogs driven as a user would; a restore reloads every tab.
The file choosers and yes/no questions are the dialogs' injected callables (a native file dialog
cannot be driven offscreen)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from pytestqt.qtbot import QtBot

from linkie_desktop.db.migrate import complete_backups
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import PostsChanged
from linkie_desktop.ui.data.restore_dialog import RestoreDialog
from linkie_desktop.ui.data.trash_dialog import TrashDialog
from linkie_desktop.ui.main_window import MainWindow
from tests.ui.workspace_support import opened_workspace

SHOTS = Path("/tmp/linkie-shots")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path / "data") as space:
        yield space


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> MainWindow:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, window_state=state)
    qtbot.addWidget(window)
    window.show()
    _idle(qtbot, window)
    return window


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=15_000)


def _posts(workspace: Workspace) -> PostService:
    return PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)


def _file_menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.file_menu.actions() if not a.isSeparator()]


def test_the_file_menu_offers_the_data_actions(window: MainWindow) -> None:
    texts = _file_menu_texts(window)
    for text in (
        "&Back up now",
        "&Restore from backup…",
        "E&xport…",
        "&Import…",
        "&Trash…",
    ):
        assert text in texts
    assert texts.index("&Trash…") < texts.index("&Settings…")


def test_back_up_now_writes_a_checked_backup_and_says_where(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    _posts(workspace).add("worth keeping")
    db = workspace.config.data_dir / "linkie.db"

    window.data_actions.backup_action.trigger()
    _idle(qtbot, window)

    (made,) = complete_backups(db)
    assert str(made) in window.statusBar().currentMessage()


def test_restore_from_the_menu_asks_then_replaces_the_posts_and_every_tab_reloads(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    posts = _posts(workspace)
    kept = posts.add("in the backup")
    window.data_actions.backup_action.trigger()
    _idle(qtbot, window)
    later = posts.add("after the backup")
    drafts = window.drafts
    assert drafts is not None
    window.signals.announce_posts()
    _idle(qtbot, window)
    assert {drafts.posts.model.post_id_at(r) for r in range(2)} == {kept.id, later.id}
    questions: list[str] = []

    def confirm(_parent: object, _title: str, question: str) -> bool:
        questions.append(question)
        return True

    window.data_actions.confirm = confirm
    heard: list[PostsChanged] = []
    window.signals.posts_changed.connect(heard.append)
    window.data_actions.restore_action.trigger()
    dialog = window.data_actions.restore_dialog
    assert isinstance(dialog, RestoreDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.restored, timeout=15_000):
        dialog.restore_button.click()
    _idle(qtbot, window)

    assert questions and "Replace your posts with the backup of" in questions[0]
    assert any(change.everything for change in heard)  # every tab hears "everything"
    assert drafts.posts.model.rowCount() == 1  # the Drafts list reloaded: the restored posts
    assert drafts.posts.model.post_id_at(0) == kept.id
    assert "Restored 1 post " in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)  # + the kept one
    _shoot(dialog, "restore-dialog.png")


def test_export_and_import_from_the_menu(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    _posts(workspace).add("to export")
    out = tmp_path / "posts.json"
    window.data_actions.choose_save = lambda *_args: str(out)
    window.data_actions.export_action.trigger()
    _idle(qtbot, window)
    assert json.loads(out.read_text(encoding="utf-8"))["posts"][0]["content"] == "to export"
    assert "Exported 1 post " in window.statusBar().currentMessage()

    source = tmp_path / "in.csv"
    source.write_text("content,status\nfrom a sheet,draft\nbroken,never\n", encoding="utf-8")
    told: list[str] = []
    asked: list[str] = []
    window.data_actions.choose_open = lambda *_args: str(source)
    window.data_actions.inform = lambda _parent, _title, text: told.append(text)

    def skip_them(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return True

    window.data_actions.confirm = skip_them
    window.data_actions.import_action.trigger()
    _idle(qtbot, window)

    assert "line 3: status is draft or scheduled, not 'never'" in asked[0]
    assert told and told[0].startswith("Imported 1, skipped 1 from in.csv.")
    assert sorted(p.content for p in _posts(workspace).list()) == ["from a sheet", "to export"]


def test_the_trash_lists_restores_and_empties_after_a_question(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    posts = _posts(workspace)
    first = posts.add("First deleted post", title="Launch notes")
    second = posts.add("Second deleted post")
    posts.add("Still here")
    posts.delete(first.id)
    posts.delete(second.id)
    answers = [False, True]
    asked: list[str] = []

    def confirm(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    window.data_actions.confirm = confirm
    window.data_actions.trash_action.trigger()
    dialog = window.data_actions.trash_dialog
    assert isinstance(dialog, TrashDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    labels = {_cell(dialog, r, 0) for r in range(2)}
    assert labels == {"Launch notes", "Second deleted post"}
    assert all(_cell(dialog, r, 2) for r in range(2))  # the deletion date
    _shoot(dialog, "trash-dialog.png")

    row = next(r for r in range(2) if _cell(dialog, r, 0) == "Launch notes")
    # Through the selection model: selectRow() reads the keyboard's modifiers of the moment,
    # and a Shift an earlier test pressed made it select nothing.
    flags = QItemSelectionModel.SelectionFlag
    dialog.table.selectionModel().select(
        dialog.table.model().index(row, 0), flags.ClearAndSelect | flags.Rows
    )
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(window.signals.posts_changed, timeout=10_000) as heard:
        dialog.restore_button.click()
    assert heard.args is not None and heard.args[0].post_ids == (first.id,)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert posts.get(first.id).content == "First deleted post"

    dialog.empty_button.click()  # asked, and "no": nothing goes
    _idle(qtbot, window)
    assert dialog.table.rowCount() == 1
    dialog.empty_button.click()  # asked again, and "yes"
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10_000)
    assert len(asked) == 2 and "Remove the 1 post in the trash for good" in asked[1]
    assert posts.trash() == ()
    assert "Removed 1 post for good." in dialog.message.text()


def _cell(dialog: TrashDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def _shoot(widget: object, name: str) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def test_an_export_named_without_an_ending_is_linkie_json(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    _posts(workspace).add("to export")
    window.data_actions.choose_save = lambda *_args: str(tmp_path / "my posts")
    window.data_actions.export_action.trigger()
    _idle(qtbot, window)
    document = json.loads((tmp_path / "my posts.json").read_text(encoding="utf-8"))
    assert document["format"] == "linkie-export"
