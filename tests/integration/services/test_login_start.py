"""Start at login starts the background publisher (`linkie serve`), not the window; an entry an
older Linkie wrote is turned into that one (services/autostart.py), in a temporary
XDG_CONFIG_HOME."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from linkie_desktop.services import autostart
from linkie_desktop.services.user_service import linkie_executable


def _exec(entry: Path) -> str:
    [line] = [x for x in entry.read_text(encoding="utf-8").splitlines() if x.startswith("Exec=")]
    return line.removeprefix("Exec=")


def test_start_at_login_runs_linkie_serve_of_this_installation(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    autostart.set_enabled(True, platform="linux", env=env)
    entry = autostart.entry_path(env)
    assert shlex.split(_exec(entry)) == [linkie_executable(), "serve"]
    assert "background publisher" in entry.read_text(encoding="utf-8")
    check = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_older_entry_that_started_the_window_now_starts_serve_on_this_database(
    tmp_path: Path,
) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    autostart.set_enabled(True, platform="linux", env=env, command="/usr/bin/linkie-desktop")
    database = tmp_path / "data" / "linkie.db"
    assert autostart.refresh(f"sqlite:///{database}", platform="linux", env=env)
    words = shlex.split(_exec(autostart.entry_path(env)))
    assert words == [linkie_executable(), "serve", "--db", str(database)]
    assert not autostart.refresh(f"sqlite:///{database}", platform="linux", env=env)  # once


def test_an_entry_naming_a_database_is_the_users_choice_and_stays(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    chosen = tmp_path / "chosen.db"
    autostart.set_enabled(True, platform="linux", env=env, database_url=f"sqlite:///{chosen}")
    before = autostart.entry_path(env).read_text(encoding="utf-8")
    assert not autostart.refresh(f"sqlite:///{tmp_path / 'other.db'}", platform="linux", env=env)
    assert autostart.entry_path(env).read_text(encoding="utf-8") == before


def test_no_entry_means_nothing_is_written(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert not autostart.refresh("sqlite:////tmp/x.db", platform="linux", env=env)
    assert not autostart.entry_path(env).exists()


def test_a_path_with_spaces_and_a_percent_sign_is_quoted_for_the_exec_key() -> None:
    line = autostart.exec_line(["/opt/my apps/linkie", "serve", "--db", "/home/a/100% sure.db"])
    assert line == '"/opt/my apps/linkie" serve --db "/home/a/100%% sure.db"'
