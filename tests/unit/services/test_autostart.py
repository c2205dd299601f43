"""Start at login writes and removes an XDG autostart entry; elsewhere: not supported yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkie_desktop.services import autostart


def test_enabling_writes_a_desktop_entry(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    autostart.set_enabled(True, platform="linux", env=env, command="/opt/linkie/linkie-desktop")
    entry = tmp_path / "autostart" / "linkie-desktop.desktop"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n")
    assert "Exec=/opt/linkie/linkie-desktop\n" in text
    assert "Type=Application\n" in text
    assert autostart.is_enabled(platform="linux", env=env)


def test_disabling_removes_the_entry_and_tolerates_none(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    autostart.set_enabled(True, platform="linux", env=env, command="linkie-desktop")
    autostart.set_enabled(False, platform="linux", env=env)
    autostart.set_enabled(False, platform="linux", env=env)
    assert not (tmp_path / "autostart" / "linkie-desktop.desktop").exists()
    assert not autostart.is_enabled(platform="linux", env=env)


def test_without_xdg_config_home_the_entry_goes_to_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.autostart_dir({}) == tmp_path / ".config" / "autostart"


def test_other_systems_are_told_it_is_not_supported_yet(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert not autostart.is_supported("win32")
    with pytest.raises(autostart.AutostartUnsupportedError, match="not supported"):
        autostart.set_enabled(True, platform="darwin", env=env)
    autostart.set_enabled(False, platform="win32", env=env)  # nothing to undo: no error
    assert not autostart.is_enabled(platform="darwin", env=env)


def test_launch_command_names_something_runnable() -> None:
    command = autostart.launch_command()
    assert "linkie" in command
