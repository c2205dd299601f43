"""Settings › Profile: who you are in this database, your name and email changed with checks, and
on a database several people share, who this window acts as from its next start."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import User
from linkie_desktop.services import autostart
from linkie_desktop.services.people import add_person, choose_user, get_person
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.profile_page import ProfilePage
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace

OK = QDialogButtonBox.StandardButton.Ok


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    with transaction(engine) as session:
        me = session.get(User, user_id)
        assert me is not None
        me.name, me.email = "Alex Rivera", "alex@example.com"
    return make_workspace(engine, user_id, tmp_path / "appdata")


def page_for(qtbot: QtBot, workspace: Workspace) -> ProfilePage:
    page = ProfilePage(workspace, load_preferences(workspace.config.data_dir))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.tasks.pending == 0 and page.email.text() != "", timeout=10_000)
    return page


def saved(qtbot: QtBot, page: ProfilePage) -> str:
    page.status.setText("")
    click(page.save_button)
    qtbot.waitUntil(lambda: page.status.text() != "", timeout=10_000)
    return page.status.text()


def test_shows_who_you_are_and_no_chooser_when_you_are_alone(
    qtbot: QtBot, workspace: Workspace
) -> None:
    page = page_for(qtbot, workspace)
    assert (page.name.text(), page.email.text()) == ("Alex Rivera", "alex@example.com")
    assert not page.acting_box.isVisible()
    assert page.prefs_changes() == {}


def test_name_and_email_are_saved_at_once(qtbot: QtBot, workspace: Workspace) -> None:
    page = page_for(qtbot, workspace)
    page.name.setText("  Alex   R. Rivera ")
    page.email.setText("alex.r@example.org")
    assert saved(qtbot, page) == "Saved: you are Alex R. Rivera <alex.r@example.org>."
    me = get_person(workspace.engine, workspace.user_id)
    assert (me.name, me.email) == ("Alex R. Rivera", "alex.r@example.org")


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("alex", "is not an email address"),
        ("alex@example", "is not an email address"),
        ("", "Enter an email address"),
        ("SAM@example.com", "already someone in this database"),
    ],
)
def test_a_bad_or_taken_email_is_refused_and_nothing_changes(
    qtbot: QtBot, workspace: Workspace, email: str, words: str
) -> None:
    add_person(workspace.engine, "sam@example.com", "Sam")
    page = page_for(qtbot, workspace)
    page.email.setText(email)
    assert words in saved(qtbot, page)
    assert get_person(workspace.engine, workspace.user_id).email == "alex@example.com"


def test_with_several_people_the_choice_is_remembered_for_the_next_start(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    sam = add_person(workspace.engine, "sam@example.com", "Sam Lee")
    dialog = SettingsDialog(workspace, AppSignals())
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.profile
    qtbot.waitUntil(lambda: page.acting.count() == 2, timeout=10_000)
    dialog.tabs.setCurrentWidget(page)
    assert page.acting_box.isVisible()
    assert [page.acting.itemText(i) for i in range(2)] == [
        "Alex Rivera <alex@example.com>",
        "Sam Lee <sam@example.com>",
    ]
    assert page.acting.currentData() == workspace.user_id  # the one this window acts as
    page.grab().save("/tmp/profile-page.png")
    page.acting.setCurrentIndex(1)
    page.acting.activated.emit(1)
    assert "This window stays Alex Rivera <alex@example.com> now" in page.acting_note.text()
    click(dialog.buttons.button(OK))
    assert load_preferences(workspace.config.data_dir).acting_user_email == "sam@example.com"
    # The next start (services/people.choose_user, as open_workspace calls it) is Sam's.
    remembered = load_preferences(workspace.config.data_dir).acting_user_email
    assert choose_user(workspace.engine, None, remembered) == sam.id


def test_ok_without_a_choice_remembers_no_one(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    add_person(workspace.engine, "sam@example.com")
    dialog = SettingsDialog(workspace, AppSignals())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.profile.acting.count() == 2, timeout=10_000)
    click(dialog.buttons.button(OK))
    assert load_preferences(workspace.config.data_dir).acting_user_email == ""


def test_the_window_seals_tokens_under_the_key_of_the_person_it_acts_as(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = SettingsDialog(workspace, AppSignals())
    qtbot.addWidget(dialog)
    assert isinstance(dialog.store, SecretStore)
    assert dialog.store.user_id == workspace.user_id


def test_start_at_login_starts_the_publisher_on_this_windows_database(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    if not autostart.is_supported():
        pytest.skip("autostart entries are written on Linux only")
    dialog = SettingsDialog(workspace, AppSignals())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    dialog.general.start_at_login.setChecked(True)
    try:
        click(dialog.buttons.button(OK))
        text = autostart.entry_path().read_text(encoding="utf-8")
        [exec_line] = [line for line in text.splitlines() if line.startswith("Exec=")]
        words = shlex.split(exec_line.removeprefix("Exec="))
        database = workspace.config.database_url.removeprefix("sqlite:///")
        assert words[1:] == ["serve", "--db", database]
    finally:
        autostart.set_enabled(False)
