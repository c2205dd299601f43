"""The words and keys of Settings' pages. Alt+letter reaches one thing: on each page, the page's
own access keys and the tab bar's never share a letter (two with one letter make Alt cycle
between them, and a label's key could jump to another tab instead of its field). And the window
never names an environment variable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.pages import PostingPage
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace


def access_key(text: str) -> str | None:
    """The letter after a lone "&" ("&&" is a literal ampersand)."""
    index = 0
    while (index := text.find("&", index)) != -1 and index + 1 < len(text):
        if text[index + 1] != "&":
            return text[index + 1].casefold()
        index += 2
    return None


def page_keys(page: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        key = access_key(text)
        if key is not None:
            found.append((key, text))
    return found


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


def test_no_two_access_keys_share_a_letter_on_any_page(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    tab_keys = [(key, text) for text in tabs if (key := access_key(text)) is not None]
    assert len(tab_keys) == len(tabs), f"a tab without an access key: {tabs}"
    clashes: dict[str, list[str]] = {}
    for i in range(dialog.tabs.count()):
        page = dialog.tabs.widget(i)
        assert page is not None
        keys = tab_keys + page_keys(page)
        counts = Counter(key for key, _text in keys)
        shared = sorted(key for key, n in counts.items() if n > 1)
        if shared:
            clashes[tabs[i]] = [text for key, text in keys if key in shared]
    assert clashes == {}


def test_a_version_set_at_start_is_explained_without_naming_a_variable(qtbot: QtBot) -> None:
    page = PostingPage(Preferences(), version_from_env=True)
    qtbot.addWidget(page)
    words = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "set when Linkie was started" in words
    assert "LINKIE_" not in words
