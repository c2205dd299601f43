"""The window from the keyboard: tab switching from anywhere, Settings' key, access keys in every
menu, menus that never change the tab, and Help › Keyboard shortcuts read from the actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.drafts.writing_aids import WritingAids
from linkie_desktop.ui.help.keys import access_key, plain_text, with_access_key
from linkie_desktop.ui.main_window import EVERYWHERE, MainWindow
from tests.ui.workspace_support import make_workspace

WindowFactory = Callable[..., MainWindow]
TAB_KEYS = ("dashboard", "drafts", "calendar", "studio", "analytics")


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


@pytest.fixture
def make_window(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> Iterator[WindowFactory]:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)

    def build(**kwargs: object) -> MainWindow:
        window = MainWindow(workspace, window_state=state, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=10_000)
        return window

    yield build


def _current_key(window: MainWindow) -> str | None:
    current = window.tabs.currentWidget()
    return next((key for key, page in window.built_pages().items() if page is current), None)


def _press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    QTest.keyClick(widget, key, modifiers)


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_tab_and_ctrl_page_keys_switch_tabs_from_inside_the_post_editor(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.show_tab("drafts")
    drafts = window.drafts
    assert drafts is not None
    drafts.new_post()
    editor = drafts.composer.body_edit
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)

    _press(editor, Qt.Key.Key_Tab, CTRL)
    assert _current_key(window) == "calendar"
    assert editor.toPlainText() == ""  # the editor did not take the key as a tab character

    window.show_tab("drafts")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    _press(editor, Qt.Key.Key_Backtab, CTRL_SHIFT)  # what a keyboard sends for Ctrl+Shift+Tab
    assert _current_key(window) == "dashboard"

    window.show_tab("drafts")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    _press(editor, Qt.Key.Key_PageDown, CTRL)
    assert _current_key(window) == "calendar"
    _press(window.tabs.currentWidget(), Qt.Key.Key_PageUp, CTRL)
    assert _current_key(window) == "drafts"
    assert editor.toPlainText() == ""


def test_tab_switching_goes_round_the_ends(make_window: WindowFactory) -> None:
    window = make_window()
    window.show_tab("activity")  # the last tab
    window.next_tab_action.trigger()
    assert _current_key(window) == "dashboard"
    window.previous_tab_action.trigger()
    assert _current_key(window) == "activity"


def test_ctrl_comma_opens_settings_even_from_the_editor(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.show_tab("drafts")
    drafts = window.drafts
    assert drafts is not None
    drafts.new_post()
    editor = drafts.composer.body_edit
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    with qtbot.waitSignal(window.settings_requested, timeout=2000):
        _press(editor, Qt.Key.Key_Comma, CTRL)
    assert editor.toPlainText() == ""


def _menus(window: MainWindow) -> list[QMenu]:
    found: list[QMenu] = []

    def walk(menu: QMenu) -> None:
        found.append(menu)
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub)

    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu)
    return found


def _open_and_close(menu: QMenu) -> None:
    menu.popup(QPoint(10, 10))  # emits aboutToShow, as a click or Alt+letter does
    menu.hide()


def test_every_menu_item_has_an_access_key_of_its_own(make_window: WindowFactory) -> None:
    window = make_window()
    window.page("drafts")  # fills the Post menu
    titles = [a.text() for a in window.menuBar().actions()]
    keys = [access_key(title) for title in titles]
    assert None not in keys and len(set(keys)) == len(keys), titles
    menus = _menus(window)
    assert {m.objectName() for m in menus} >= {"fileMenu", "postMenu", "viewMenu", "helpMenu"}
    for menu in menus:
        _open_and_close(menu)
        items = [a for a in menu.actions() if not a.isSeparator()]
        assert items, menu.objectName()
        taken = [access_key(a.text()) for a in items]
        texts = [a.text() for a in items]
        assert None not in taken, (menu.objectName(), texts)
        assert len(set(taken)) == len(taken), (menu.objectName(), texts)


@pytest.mark.parametrize("tab", TAB_KEYS)
def test_opening_a_menu_never_changes_the_tab(make_window: WindowFactory, tab: str) -> None:
    window = make_window()  # Drafts not built yet: opening Post must build it, not show it
    window.show_tab(tab)
    for menu in _menus(window):
        _open_and_close(menu)
        assert _current_key(window) == tab, menu.objectName()
    post_menu = window.findChild(QMenu, "postMenu")
    assert post_menu is not None
    assert any(a.objectName() == "schedulePostAction" for a in post_menu.actions())


def test_access_keys_prefer_a_words_first_letter_and_keep_a_literal_ampersand() -> None:
    assert with_access_key("Save now", {"s"}) == "Save &now"
    assert with_access_key("Q&&A", {"q"}) == "Q&&&A"
    assert plain_text("Q&&&A") == "Q&A"
    assert access_key("Q&&&A") == "a"
    assert with_access_key("Publish now", set()) == "&Publish now"


def test_the_shortcuts_list_holds_every_key_of_the_window_and_of_the_writing_aids(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    window = make_window()
    drafts = window.drafts
    assert drafts is not None
    # The composer's writing aids, as the composer attaches them: their keys are listed too.
    aids = WritingAids.attach(
        drafts.composer.body_edit,
        drafts.composer,
        tasks=window.tasks,
        data_dir=workspace.config.data_dir,
        locale_name="en_US",
    )
    # A key added later by any tab is listed without anyone writing it down.
    late = QAction("Something new", drafts)
    late.setShortcut(QKeySequence("Ctrl+Alt+J"))
    drafts.addAction(late)

    window.shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    assert dialog is not None
    rows = dialog.rows()
    native = QKeySequence.SequenceFormat.NativeText

    def listed(what: str, keys: str) -> bool:
        written = QKeySequence(keys).toString(native)
        return any(w == what and written in k.split(", ") for w, k in rows)

    assert listed("Next tab", "Ctrl+Tab") and listed("Next tab", "Ctrl+PgDown")
    assert listed("Previous tab", "Ctrl+Shift+Tab") and listed("Previous tab", "Ctrl+PgUp")
    assert listed("Settings", "Ctrl+,")
    assert listed("Keyboard shortcuts", "F1")
    assert listed("New post", "Ctrl+N") and listed("Save now", "Ctrl+S")
    assert listed("Bold", "Ctrl+B") and listed("Emoji", "Ctrl+.")
    assert listed("Something new", "Ctrl+Alt+J")
    # Every action with keys anywhere in the window is there.
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            assert listed(plain_text(action.text()).rstrip("…"), sequence.toString()), (
                action.objectName()
            )
    assert aids.emoji_action in window.findChildren(QAction)
    headings = dialog.headings()
    assert headings[0] == EVERYWHERE and "Drafts" in headings
    dialog.close()


def test_an_item_chosen_in_the_post_menu_shows_the_post_it_acts_on(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    window.show_tab("analytics")
    post_menu = window.findChild(QMenu, "postMenu")
    assert post_menu is not None
    _open_and_close(post_menu)
    assert _current_key(window) == "analytics"
    find = next(a for a in post_menu.actions() if a.objectName() == "findPostsAction")
    find.trigger()
    assert _current_key(window) == "drafts"
