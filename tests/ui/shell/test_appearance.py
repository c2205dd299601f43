"""Light and dark: the app follows the system's colour scheme, or Settings › Appearance, live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from linkie_desktop.services.preferences import Preferences, save_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.settings.dialog import SettingsDialog
from linkie_desktop.ui.shell import AppShell
from linkie_desktop.ui.theme import DARK, LIGHT, SYSTEM
from linkie_desktop.ui.widgets.palette import ACCENT, is_dark
from tests.ui.workspace_support import opened_workspace

ROLE = QPalette.ColorRole


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path, "looks.db") as ws:
        yield ws


def _shell(qtbot: QtBot, workspace: Workspace, appearance: str) -> AppShell:
    save_preferences(workspace.config.data_dir, Preferences(appearance=appearance))
    shell = AppShell(workspace, publish=False)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitUntil(lambda: shell.tasks.pending == 0, timeout=10_000)
    return shell


@pytest.fixture
def started(qtbot: QtBot, workspace: Workspace) -> Iterator[list[AppShell]]:
    shells: list[AppShell] = []
    yield shells
    for shell in shells:
        shell.shutdown()


def _app_palette() -> QPalette:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app.palette()


def _system_says(scheme: Qt.ColorScheme) -> None:
    """What the desktop announces when its user flips light/dark (offscreen has no desktop)."""
    QApplication.styleHints().colorSchemeChanged.emit(scheme)


def test_dark_chosen_in_settings_is_dark_from_the_first_paint(
    qtbot: QtBot, workspace: Workspace, started: list[AppShell]
) -> None:
    shell = _shell(qtbot, workspace, DARK)
    started.append(shell)
    palette = _app_palette()
    assert is_dark(palette)
    assert is_dark(shell.window.palette()) and is_dark(shell.window.tabs.currentWidget().palette())
    assert palette.color(ROLE.Highlight) == QColor(ACCENT)
    # Readable: text against its background at least 4.5:1 in the dark palette.
    assert _contrast(palette.color(ROLE.Text), palette.color(ROLE.Base)) >= 4.5
    assert _contrast(palette.color(ROLE.WindowText), palette.color(ROLE.Window)) >= 4.5
    assert _contrast(palette.color(ROLE.HighlightedText), palette.color(ROLE.Highlight)) >= 4.5


def test_following_the_system_switches_live_when_it_flips(
    qtbot: QtBot, workspace: Workspace, started: list[AppShell]
) -> None:
    shell = _shell(qtbot, workspace, SYSTEM)
    started.append(shell)
    assert not is_dark(_app_palette())  # offscreen says nothing: light
    _system_says(Qt.ColorScheme.Dark)
    assert is_dark(_app_palette())
    qtbot.waitUntil(lambda: is_dark(shell.window.palette()))
    _system_says(Qt.ColorScheme.Light)
    assert not is_dark(_app_palette())


def test_a_choice_in_settings_applies_at_ok_and_outlasts_the_systems_flips(
    qtbot: QtBot, workspace: Workspace, started: list[AppShell]
) -> None:
    shell = _shell(qtbot, workspace, SYSTEM)
    started.append(shell)
    shell.open_settings()
    dialog = shell.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    dialog.appearance.choices[DARK].click()
    assert not is_dark(_app_palette())  # nothing changes before OK
    dialog.accept()
    assert is_dark(_app_palette())
    assert shell.preferences.current.appearance == DARK
    _system_says(Qt.ColorScheme.Light)
    assert is_dark(_app_palette())  # a chosen look is not the system's to change

    shell.preferences.save(shell.preferences.current.with_changes(appearance=LIGHT))
    assert not is_dark(_app_palette())
    assert _app_palette().color(ROLE.Highlight) == QColor(ACCENT)


def test_closing_gives_the_platform_its_palette_back(qtbot: QtBot, workspace: Workspace) -> None:
    shell = _shell(qtbot, workspace, DARK)
    assert is_dark(_app_palette())
    shell.window.close()
    shell.shutdown()
    assert not is_dark(_app_palette())
    assert _app_palette().color(ROLE.Highlight) != QColor(ACCENT)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
