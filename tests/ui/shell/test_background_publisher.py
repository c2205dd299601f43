"""The window and a background publisher: the status bar says when `linkie serve` runs (its
heartbeat), closing without a tray asks before scheduled posts would stop going out, and Settings ›
General installs the user service. Real database, real processes, real `linkie serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import PublisherPresence
from linkie_desktop.db.types import utc_now
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.presence import Heartbeat, Kind
from linkie_desktop.services.user_service import UNIT_NAME
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.close_question import CloseQuestion
from linkie_desktop.ui.settings.pages import GeneralPage
from linkie_desktop.ui.shell import AppShell
from linkie_desktop.ui.tray import Tray
from tests.ui.workspace_support import opened_workspace

NOWHERE = "http://127.0.0.1:9"  # no post is due in these tests: nothing may reach a server

FAKE_SYSTEMCTL = """#!/bin/sh
echo "$@" >> "$SYSTEMCTL_LOG"
exit 0
"""


class _NoTray(Tray):
    """A desktop without a tray, whatever the platform under the test says."""

    @property
    def available(self) -> bool:
        return False


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("LINKIE_LINKEDIN_API_BASE", NOWHERE)  # for a `linkie serve` child too
    with opened_workspace(tmp_path, "background.db") as ws:
        yield ws


def _serve_rows(workspace: Workspace) -> list[PublisherPresence]:
    with reading(workspace.engine) as session:
        query = select(PublisherPresence).where(PublisherPresence.kind == "serve")
        return list(session.scalars(query))


def _wait(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    give_up = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < give_up, "timed out waiting"
        time.sleep(0.05)


@pytest.fixture
def shell(qtbot: QtBot, workspace: Workspace) -> Iterator[AppShell]:
    """The window on a desktop without a tray, its own publisher running (pointed nowhere)."""
    app_shell = AppShell(workspace, publish=False, tray=_NoTray(QIcon()), external_poll_ms=100)
    qtbot.addWidget(app_shell.window)
    config = app_shell.publisher.config
    app_shell.publisher.set_config(replace(config, api_base=NOWHERE))
    app_shell.start()
    with qtbot.waitSignal(app_shell.publisher.pass_finished, timeout=10_000):
        app_shell.publisher.start()
    yield app_shell
    if app_shell.close_question is not None:
        app_shell.close_question.reject()
    app_shell.shutdown()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)


def _schedule(shell: AppShell, qtbot: QtBot, count: int) -> None:
    service = PostService(shell.workspace.engine, shell.workspace.user_id)
    for n in range(count):
        service.add(f"Later {n}", at=utc_now() + timedelta(days=n + 1))
    shell.signals.announce_posts((), initiator=None)
    qtbot.waitUntil(lambda: shell.scheduled_count == count, timeout=10_000)


def _asked(shell: AppShell, qtbot: QtBot) -> CloseQuestion:
    shell.window.close()
    question = shell.close_question
    assert isinstance(question, CloseQuestion)
    qtbot.waitUntil(question.isVisible, timeout=5_000)
    assert shell.window.isVisible()  # nothing closed before the answer
    return question


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()


def test_the_status_bar_says_a_background_publisher_runs_while_its_heartbeat_does(
    shell: AppShell, workspace: Workspace, qtbot: QtBot, other_process: subprocess.Popen[bytes]
) -> None:
    line = shell.window.statusBar().findChild(QLabel, "statusBackgroundPublisher")
    note = shell.window.statusBar().findChild(QLabel, "statusRunsWhileOpen")
    assert line is not None and note is not None
    assert not line.isVisible() and note.isVisible()
    interval = workspace.config.publish_interval_s
    Heartbeat(workspace.engine, Kind.SERVE, interval, pid=other_process.pid).beat()
    qtbot.waitUntil(line.isVisible, timeout=10_000)
    assert line.text() == "Publishing in the background (linkie serve)"
    assert not note.isVisible()  # "posts go out only while Linkie runs" is not true now
    assert shell.tray.actions["trayQuit"].text() == "Quit (publishing goes on in the background)"
    other_process.kill()  # gone without a word: its row stays, but its process is not there
    other_process.wait()
    qtbot.waitUntil(lambda: not line.isVisible(), timeout=10_000)
    assert note.isVisible()
    assert shell.tray.actions["trayQuit"].text() == "Quit (stops publishing)"


def test_closing_without_a_tray_asks_and_cancel_keeps_the_window(
    shell: AppShell, qtbot: QtBot
) -> None:
    _schedule(shell, qtbot, 3)
    question = _asked(shell, qtbot)
    assert question.text() == "3 posts are scheduled."
    assert [b.text() for b in (question.keep_button, question.quit_button)] == [
        "&Keep publishing in the background",
        "&Quit anyway",
    ]
    question.cancel_button.click()
    qtbot.waitUntil(lambda: shell.close_question is None, timeout=5_000)
    assert shell.window.isVisible()
    assert shell.publisher.started


def test_quit_anyway_closes_without_starting_anything(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    _schedule(shell, qtbot, 3)
    _asked(shell, qtbot).quit_button.click()
    qtbot.waitUntil(lambda: not shell.window.isVisible(), timeout=5_000)
    assert _serve_rows(workspace) == []


def test_keep_publishing_starts_linkie_serve_on_this_database_then_closes(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    _schedule(shell, qtbot, 3)
    _asked(shell, qtbot).keep_button.click()
    qtbot.waitUntil(lambda: not shell.window.isVisible(), timeout=5_000)
    _wait(lambda: bool(_serve_rows(workspace)))  # the real `linkie serve`, detached
    [row] = _serve_rows(workspace)
    os.kill(row.pid, signal.SIGTERM)
    _wait(lambda: not _serve_rows(workspace))  # it stopped cleanly, taking its row


def test_keep_publishing_can_install_the_user_service_instead(
    shell: AppShell,
    workspace: Workspace,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # systemd's user manager cannot run here: a stand-in systemctl answers as a working one.
    log = _fake_systemctl(tmp_path, monkeypatch)
    _schedule(shell, qtbot, 1)
    question = _asked(shell, qtbot)
    assert question.text() == "1 post is scheduled."
    assert question.install_box is not None
    question.install_box.setChecked(True)
    question.keep_button.click()
    qtbot.waitUntil(lambda: not shell.window.isVisible(), timeout=10_000)
    unit = tmp_path / "config" / "systemd" / "user" / UNIT_NAME
    assert f"--db {workspace.config.database_url.removeprefix('sqlite:///')}" in unit.read_text(
        encoding="utf-8"
    )
    assert log.read_text(encoding="utf-8").splitlines()[-1] == f"--user enable --now {UNIT_NAME}"
    assert _serve_rows(workspace) == []  # systemd starts it: no second one from the window


def test_nothing_is_asked_when_a_background_publisher_runs_or_nothing_is_scheduled(
    shell: AppShell, workspace: Workspace, qtbot: QtBot, other_process: subprocess.Popen[bytes]
) -> None:
    interval = workspace.config.publish_interval_s
    Heartbeat(workspace.engine, Kind.SERVE, interval, pid=other_process.pid).beat()
    _schedule(shell, qtbot, 2)
    qtbot.waitUntil(lambda: shell.background_active, timeout=10_000)
    shell.window.close()
    assert shell.close_question is None and not shell.window.isVisible()


def _fake_systemctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "systemctl"
    fake.write_text(FAKE_SYSTEMCTL, encoding="utf-8")
    fake.chmod(0o755)
    log = tmp_path / "systemctl.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SYSTEMCTL_LOG", str(log))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return log


def test_settings_general_installs_the_user_service_and_says_how_it_went(
    shell: AppShell, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_systemctl(tmp_path, monkeypatch)
    shell.open_settings()
    assert shell.settings_dialog is not None
    page = shell.settings_dialog.general
    assert not page.publish_in_background.isChecked()
    page.publish_in_background.click()
    qtbot.waitUntil(lambda: "is running" in page.background_note.text(), timeout=10_000)
    assert page.publish_in_background.isChecked()
    assert (tmp_path / "config" / "systemd" / "user" / UNIT_NAME).is_file()
    page.publish_in_background.click()
    qtbot.waitUntil(lambda: "stopped and removed" in page.background_note.text(), timeout=10_000)
    assert not page.publish_in_background.isChecked()
    assert not (tmp_path / "config" / "systemd" / "user" / UNIT_NAME).exists()
    shell.settings_dialog.reject()


def test_the_tray_setting_says_when_the_desktop_has_no_tray(qtbot: QtBot) -> None:
    from linkie_desktop.services.preferences import Preferences

    without = GeneralPage(Preferences(), tray_available=lambda: False)
    with_tray = GeneralPage(Preferences(), tray_available=lambda: True)
    for page in (without, with_tray):
        qtbot.addWidget(page)
    said = without.findChild(QLabel, "noTrayNote")
    assert said is not None
    assert said.text() == "Your desktop shows no tray: closing the window quits Linkie."
    assert with_tray.findChild(QLabel, "noTrayNote") is None
