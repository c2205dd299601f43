"""`linkie-desktop` starts on the database it is given, and refuses bad ones in plain words.

It shows a splash before loading the heavy modules; errors close it; a second start shows none.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from linkie_desktop import app as app_module
from linkie_desktop import config
from linkie_desktop.app import main
from linkie_desktop.db.migrate import backup, downgrade, head_revision
from linkie_desktop.logging_setup import LOG_FILE_NAME, stop_logging
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.lazy_tabs import LazyTab
from linkie_desktop.ui.main_window import MainWindow, TabSpec, default_tabs
from linkie_desktop.ui.single_instance import SingleInstance, instance_key
from linkie_desktop.ui.startup_splash import StartupSplash
from tests.disk_support import another_apps_database, digest, listing
from tests.ui.workspace_support import opened_workspace


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


# --- the splash comes first ---------------------------------------------------------------------

SHOWN_AT = re.compile(r"^linkie-desktop: (first|main) window shown at monotonic (\d+\.\d+)$", re.M)


def test_smoke_start_shows_the_splash_before_loading_the_heavy_modules(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    done = _smoke("--db", str(db), data_home=tmp_path)
    assert done.returncode == 0, done.stderr
    shown = [what for what, _at in SHOWN_AT.findall(done.stderr)]
    assert shown == ["first", "main"], done.stderr  # the splash, then the real window
    assert "heavy modules loaded by then: none" in done.stderr, done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    conn.close()


COLLECTOR = re.compile(r"^linkie-desktop: garbage collector: (\w+), (\d+) objects set aside$", re.M)


def test_the_garbage_collector_waits_for_the_first_data_then_skips_what_start_up_made(
    tmp_path: Path,
) -> None:
    """Start-up makes ~100,000 objects that live as long as the window: no collections while
    they are made, and none walks them afterwards (ui/start_up_gc.py)."""
    done = _smoke("--db", str(tmp_path / "app.db"), data_home=tmp_path)
    assert done.returncode == 0, done.stderr
    at_splash, at_first_data = COLLECTOR.findall(done.stderr)
    assert at_splash == ("held", "0"), done.stderr
    running, set_aside = at_first_data
    assert running == "running", done.stderr
    assert int(set_aside) > 50_000, done.stderr  # Qt's, SQLAlchemy's and the tabs' objects


def test_a_start_that_ends_early_leaves_the_garbage_collector_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list")
    assert gc.isenabled()
    assert main(["--smoke", "--db", str(bad)]) == 1
    assert gc.isenabled()  # this process goes on (a test run; a dialog's loop in a real one)


class _RecordedSplash(StartupSplash):
    """The real splash, kept by the test so it can be looked at after main() returns."""

    shown: ClassVar[list[StartupSplash]] = []

    def show_now(self) -> None:
        super().show_now()
        _RecordedSplash.shown.append(self)


@pytest.fixture
def splashes(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> list[StartupSplash]:
    """Every splash main() shows in this test, in order."""
    monkeypatch.setattr(_RecordedSplash, "shown", [])
    monkeypatch.setattr(app_module, "StartupSplash", _RecordedSplash)
    return _RecordedSplash.shown


def test_a_database_error_closes_the_splash_and_says_why(
    splashes: list[StartupSplash], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list")
    assert main(["--smoke", "--db", str(bad)]) == 1
    assert "not an SQLite file" in capsys.readouterr().err
    [splash] = splashes
    assert splash.message() == "Opening your posts…"  # it was up while the database was opened
    assert not splash.isVisible()


def test_a_configuration_error_exits_1_before_any_splash(
    splashes: list[StartupSplash],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LINKIE_OAUTH_PORT", "not-a-port")
    assert main(["--smoke", "--db", str(tmp_path / "app.db")]) == 1
    assert "must be a port number" in capsys.readouterr().err
    assert splashes == []


def test_a_second_start_hands_over_without_a_splash(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    first = SingleInstance(instance_key(config.load(db=str(db)).database_url))
    assert first.claim()
    first.ready()  # its window is up
    try:
        with qtbot.wait_signal(first.activation_requested, timeout=30_000):
            second = subprocess.Popen(
                [_script(), "--smoke", "--db", str(db)],
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                stderr=subprocess.PIPE,
                text=True,
            )
        _out, err = second.communicate(timeout=60)
    finally:
        first.release()
    assert second.returncode == 0, err
    assert "already running" in err
    assert SHOWN_AT.findall(err) == []
    assert not db.exists()  # the first instance owns it; the second did not even open it


# --- a database that fails while the window opens ----------------------------------------------


@dataclass(frozen=True)
class ShownDialog:
    name: str
    title: str
    text: str
    details: str


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[list[ShownDialog]]:
    """Every message box main() shows, read and closed as a user would close it.

    Bounded: if no dialog comes within ~20 s the window is closed, so a failing test ends.
    """
    shown: list[ShownDialog] = []
    tries = [0]

    def close_the_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(
                ShownDialog(box.objectName(), box.windowTitle(), box.text(), box.informativeText())
            )
            box.done(0)
            return
        tries[0] += 1
        if tries[0] < 400:
            QTimer.singleShot(50, close_the_dialog)
        else:
            QApplication.closeAllWindows()

    QTimer.singleShot(0, close_the_dialog)
    yield shown
    stop_logging()  # main() sent the log to this test's folder


def _damage_the_posts_table(db: Path) -> None:
    """Overwrite the root pages of `posts` and of its indexes, as a bad sector or a torn write
    would: whichever of them the first tab reads (a count may read only an index), it fails."""
    conn = sqlite3.connect(db)
    roots = [
        root
        for (root,) in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'posts' AND rootpage > 0"
        )
    ]
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with db.open("r+b") as handle:
        for root in roots:
            handle.seek((root - 1) * page_size)
            handle.write(b"\xff" * page_size)


def test_a_damaged_page_met_while_the_window_opens_is_a_dialog_not_a_traceback(
    dialogs: list[ShownDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("LINKIE_DATA_DIR", str(data))
    db = data / "linkie.db"
    workspace = open_workspace(config.load(db=str(db)))
    service = PostService(workspace.engine, workspace.user_id)
    for n in range(300):  # enough rows that `posts` has pages of its own below its root
        service.add(f"post {n} " + "words " * 50)
    workspace.close()
    saved = backup(db)
    _damage_the_posts_table(db)

    assert main(["--db", str(db)]) == 1

    [dialog] = dialogs
    log_file = data / "logs" / LOG_FILE_NAME
    assert dialog.name == "databaseProblemDialog"
    assert dialog.title == "Linkie Desktop cannot open its database"
    assert "is damaged (database disk image is malformed)" in dialog.text
    assert f"Full log: {log_file}" in dialog.details
    assert f"Newest backup: {saved}" in dialog.details
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR" in logged and "cannot open the database" in logged and "damaged" in logged


def test_the_window_refuses_another_apps_database_in_a_dialog_and_leaves_it_as_it_was(
    dialogs: list[ShownDialog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINKIE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    other = another_apps_database(folder / "recipes.db", wal=True)
    before, files = digest(other), listing(folder)

    assert main(["--db", str(other)]) == 1

    [dialog] = dialogs
    assert dialog.name == "databaseProblemDialog"
    assert "is not a Linkie database" in dialog.text
    assert "move or rename it" in dialog.text  # what to do, in the app's words:
    assert "LINKIE_DB" not in dialog.text and "--db" not in dialog.text  # no variable, no option
    assert "Newest backup: none yet" in dialog.details
    assert digest(other) == before
    assert listing(folder) == files  # no backup, no -wal or -shm beside it, no tables added


# --- closing --------------------------------------------------------------------------------------


def test_closing_the_app_checkpoints_the_wal_so_the_main_file_alone_is_complete(
    tmp_path: Path,
) -> None:
    db = tmp_path / "app.db"
    workspace = open_workspace(config.load(db=str(db), env={"LINKIE_DATA_DIR": str(tmp_path)}))
    downgrade(workspace.engine, "0004_posts_figure_indexes")  # so the app has an upgrade to write
    workspace.close()
    # Another program keeps the file open (a sync tool, `sqlite3` in a terminal): SQLite's own
    # checkpoint when the last connection closes does not happen then.
    other = sqlite3.connect(db)
    try:
        assert other.execute("SELECT count(*) FROM users").fetchone() == (1,)
        done = _smoke("--db", str(db), data_home=tmp_path)  # the app's whole life: start, quit
        assert done.returncode == 0, done.stderr
        lone = Path(shutil.copy(db, tmp_path / "only-the-main-file.db"))  # no -wal copied
    finally:
        other.close()
    conn = sqlite3.connect(lone)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    conn.close()


def test_the_window_acts_as_the_person_given_and_asks_who_when_several_share_it(
    tmp_path: Path,
) -> None:
    """A database several people share: `--user EMAIL` picks one; with none chosen the window
    says how to choose (exit 2), and changes nothing."""
    from linkie_desktop.cli import run

    db = tmp_path / "team.db"
    for email in ("ann@team.example", "bo@team.example"):
        assert run(["--db", str(db), "users", "add", email]) == 0
    asked = _smoke("--db", str(db), data_home=tmp_path)
    assert asked.returncode == 2, asked.stderr
    assert "--user" in asked.stderr or "Settings" in asked.stderr or "several" in asked.stderr
    chosen = _smoke("--db", str(db), "--user", "BO@team.example", data_home=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    unknown = _smoke("--db", str(db), "--user", "cy@team.example", data_home=tmp_path)
    assert unknown.returncode == 2, unknown.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (2,)  # no one was added
    conn.close()


def test_with_no_one_chosen_the_window_asks_who_and_remembers_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from linkie_desktop.cli import run
    from linkie_desktop.services.preferences import load_preferences

    db = tmp_path / "team.db"
    for email in ("ann@team.example", "bo@team.example"):
        assert run(["--db", str(db), "users", "add", email]) == 0
    cfg = config.load(db=str(db), env={"LINKIE_DATA_DIR": str(tmp_path / "data")})
    offered: list[list[str]] = []

    def choose_bo() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        offered.append(dialog.comboBoxItems())
        dialog.setTextValue("bo@team.example")
        dialog.accept()

    QTimer.singleShot(0, choose_bo)
    assert app_module._ask_who(cfg) == "bo@team.example"
    assert offered == [["ann@team.example", "bo@team.example"]]
    assert load_preferences(cfg.data_dir).acting_user_email == "bo@team.example"


def test_smoke_every_tab_opens_each_tab_of_the_window(tmp_path: Path) -> None:
    # What the package check asks of the installed .deb (packaging/ci-check.sh): tabs are
    # imported by name, which a bundler's analysis cannot see.
    done = _smoke("--every-tab", "--db", str(tmp_path / "app.db"), data_home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "linkie-desktop: tabs opened: dashboard drafts calendar studio analytics activity"
        in done.stderr
    ), done.stderr


def test_every_tab_fails_and_says_which_module_is_missing(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = TabSpec("missing", "Missing", LazyTab("linkie_desktop.ui.not_bundled", "Tab"))
    with opened_workspace(tmp_path, "every.db") as workspace:
        window = MainWindow(workspace, tabs=(*default_tabs()[:1], missing))
        qtbot.addWidget(window)
        shell = SimpleNamespace(window=window)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        assert not app_module._open_every_tab(app, shell)  # type: ignore[arg-type]
        window.tasks.close()
    err = capsys.readouterr().err
    assert "a tab could not be opened" in err
    assert "No module named 'linkie_desktop.ui.not_bundled'" in err
