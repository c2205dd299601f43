"""`linkie-desktop` starts on the database it is given, and refuses bad ones in plain words."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.app import main
from linkie_desktop.db.migrate import head_revision


def _script() -> str:
    return str(Path(sys.executable).with_name("linkie-desktop"))


def _smoke(*args: str, data_home: Path) -> subprocess.CompletedProcess[str]:
    # A child process: QApplication.exec() marks the app as closing when it returns, which
    # would break every later test's event loop if it ran inside the test process.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(data_home)}
    env.pop("LINKIE_DB", None)
    return subprocess.run(
        [_script(), "--smoke", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_smoke_start_migrates_the_given_database_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "app.db"
    done = _smoke("--db", str(db), data_home=tmp_path)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)  # no samples unasked
    conn.close()


def test_smoke_start_refuses_a_file_that_is_not_a_database(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list")
    assert main(["--smoke", "--db", str(bad)]) == 1
    assert "not an SQLite file" in capsys.readouterr().err
    assert bad.read_text() == "shopping list"


def test_the_installed_gui_script_uses_the_default_database_in_the_data_folder(
    tmp_path: Path,
) -> None:
    done = _smoke(data_home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "linkie-desktop" / "linkie.db").is_file()
