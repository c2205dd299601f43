"""Settings › Snippets: add, rename, edit, delete and reorder; OK stores them in their file,
Cancel forgets; a refused list and a damaged file are explained and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.snippets import Snippet, SnippetStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.snippets_page import SnippetsPage
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace

OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


@pytest.fixture
def store(workspace: Workspace) -> SnippetStore:
    return SnippetStore(workspace.config.data_dir)


def open_dialog(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> SettingsDialog:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    dialog.tabs.setCurrentWidget(dialog.snippets)
    return dialog


def type_snippet(qtbot: QtBot, page: SnippetsPage, name: str, text: str) -> None:
    click(page.add_button)
    page.name_edit.selectAll()
    QTest.keyClicks(page.name_edit, name)
    page.text_edit.setFocus()
    page.text_edit.insertPlainText(text)  # as typed (QTest types ASCII only)


def test_snippets_added_in_settings_are_stored_on_ok(
    qtbot: QtBot, workspace: Workspace, store: SnippetStore, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, workspace, memory_keyring)
    assert dialog.tabs.tabText(dialog.tabs.indexOf(dialog.snippets)) == "&Snippets"
    page = dialog.snippets
    type_snippet(qtbot, page, "Signature", "— Alex")
    type_snippet(qtbot, page, "Tags", "#ai #product")
    assert store.load() == []  # nothing is written before OK
    click(dialog.buttons.button(OK))
    assert store.load() == [Snippet("Signature", "— Alex"), Snippet("Tags", "#ai #product")]


def test_rename_edit_reorder_and_delete(
    qtbot: QtBot, workspace: Workspace, store: SnippetStore, memory_keyring: MemoryKeyring
) -> None:
    store.save([Snippet("One", "1"), Snippet("Two", "2"), Snippet("Three", "3")])
    dialog = open_dialog(qtbot, workspace, memory_keyring)
    page = dialog.snippets
    assert page.list.currentRow() == 0 and page.name_edit.text() == "One"
    assert not page.up_button.isEnabled()
    page.name_edit.selectAll()
    QTest.keyClicks(page.name_edit, "First")  # rename
    page.list.setCurrentRow(1)
    page.text_edit.selectAll()
    QTest.keyClicks(page.text_edit, "two, edited")  # edit
    click(page.up_button)  # "Two" moves above "First"
    page.list.setCurrentRow(2)
    click(page.delete_button)  # "Three" goes
    click(dialog.buttons.button(OK))
    assert store.load() == [Snippet("Two", "two, edited"), Snippet("First", "1")]


def test_cancel_forgets_the_changes(
    qtbot: QtBot, workspace: Workspace, store: SnippetStore, memory_keyring: MemoryKeyring
) -> None:
    store.save([Snippet("Keep", "kept")])
    dialog = open_dialog(qtbot, workspace, memory_keyring)
    click(dialog.snippets.delete_button)
    click(dialog.buttons.button(CANCEL))
    assert store.load() == [Snippet("Keep", "kept")]


def test_a_name_used_twice_is_refused_on_its_page(
    qtbot: QtBot, workspace: Workspace, store: SnippetStore, memory_keyring: MemoryKeyring
) -> None:
    store.save([Snippet("Signature", "— Alex")])
    dialog = open_dialog(qtbot, workspace, memory_keyring)
    type_snippet(qtbot, dialog.snippets, "signature", "another")
    dialog.tabs.setCurrentIndex(0)
    click(dialog.buttons.button(OK))
    assert dialog.isVisible()
    assert (
        dialog.error_label.text() == "Two snippets are called “signature”: give each its own name."
    )
    assert dialog.tabs.currentWidget() is dialog.snippets
    assert store.load() == [Snippet("Signature", "— Alex")]


def test_a_damaged_file_is_shown_and_never_overwritten(
    qtbot: QtBot, workspace: Workspace, store: SnippetStore, memory_keyring: MemoryKeyring
) -> None:
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"snippets": 3}', encoding="utf-8")
    dialog = open_dialog(qtbot, workspace, memory_keyring)
    page = dialog.snippets
    warning = page.findChild(QLabel, "snippetsDamaged")
    assert warning is not None and "holds no list of snippets" in warning.text()
    assert not page.add_button.isEnabled() and not page.list.isEnabled()
    click(dialog.buttons.button(OK))  # the other pages still apply
    assert not dialog.isVisible()
    assert store.path.read_text(encoding="utf-8") == '{"snippets": 3}'
