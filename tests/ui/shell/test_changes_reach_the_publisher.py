"""The publisher's due timer re-arms whenever posts change: in this window, or from another
process (the CLI, another machine), noticed by the shell's poll (SQLite's data version,
PostgreSQL's change notices). A real SQLite file and a real shared PostgreSQL database, the real
fake LinkedIn server, a real `linkie` child process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.publisher import Outcome, PassResult
from linkie_desktop.ui.calendar.tab import CalendarTab
from linkie_desktop.ui.shell import AppShell
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import Desk, make_desk
from tests.ui.workspace_support import make_workspace

TICK_S = 600.0  # the publisher's regular tick never comes within these tests
pytestmark = pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


def _published(result: PassResult) -> list[str]:
    return [r.post_id for r in result.results if r.outcome is Outcome.PUBLISHED]


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


@pytest.fixture
def shell(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    desk: Desk,
) -> Iterator[AppShell]:
    workspace = make_workspace(engine, user_id, tmp_path / "app")
    workspace = replace(workspace, config=replace(workspace.config, publish_interval_s=TICK_S))
    app_shell = AppShell(workspace, publish=False)
    qtbot.addWidget(app_shell.window)
    # The real driver, pointed at the fake LinkedIn with the desk's token (the OS keyring and
    # linkedin.com cannot be used here).
    app_shell.publisher.tokens = desk.tokens
    app_shell.publisher.set_config(desk.config)
    app_shell.start()
    with qtbot.waitSignal(app_shell.publisher.pass_finished, timeout=10_000):
        app_shell.publisher.start()  # the start-up pass: nothing due yet
    yield app_shell
    app_shell.window.close()
    app_shell.shutdown()


def test_a_post_scheduled_by_the_cli_while_the_window_runs_leaves_on_time(
    qtbot: QtBot, shell: AppShell, db_url: str, desk: Desk
) -> None:
    # Far enough ahead for the command to start on a busy machine (it refuses a time passed).
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    child = subprocess.run(
        [
            str(Path(sys.executable).parent / "linkie"),  # the installed command, as a user runs it
            "posts",
            "add",
            "--db",
            db_url,
            "--content",
            "From the command line",
            "--at",
            at.isoformat(),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    with qtbot.waitSignal(
        shell.publisher.pass_finished, timeout=15_000, check_params_cb=lambda r: bool(_published(r))
    ) as sent:
        pass  # the poll tells the driver, whose due timer fires at `at`
    assert desk.server.posts[-1].commentary == "From the command line"
    assert isinstance(sent.args[0], PassResult)


def test_retry_while_the_window_runs_leaves_at_once(
    qtbot: QtBot, shell: AppShell, desk: Desk
) -> None:
    failed = desk.due_post("Try me again", status=PostStatus.FAILED, error_message="Timed out")
    record = PostService(desk.engine, desk.user_id).retry(failed)
    with qtbot.waitSignal(
        shell.publisher.pass_finished,
        timeout=10_000,
        check_params_cb=lambda r: _published(r) == [failed],
    ):
        shell.signals.announce_posts([record.id], initiator=object())  # as the Drafts tab does
    assert desk.server.posts[-1].commentary == "Try me again"


def test_a_draft_added_by_the_cli_reaches_the_open_views(
    qtbot: QtBot, shell: AppShell, db_url: str
) -> None:
    shell.window.show_tab("calendar")
    calendar = shell.window.page("calendar")
    assert isinstance(calendar, CalendarTab)
    qtbot.waitUntil(lambda: shell.tasks.pending == 0, timeout=10_000)
    child = subprocess.run(
        [
            str(Path(sys.executable).parent / "linkie"),
            "posts",
            "add",
            "--db",
            db_url,
            "--content",
            "Written in a terminal",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    post_id = child.stdout.strip()
    with qtbot.waitSignal(shell.signals.posts_changed, timeout=10_000) as changed:
        pass  # the shell's poll notices the other process's commit
    # Named, not "everything": the views update that post in place instead of reading it all.
    assert changed.args[0].post_ids == (post_id,) and changed.args[0].initiator is None
    qtbot.waitUntil(lambda: post_id in calendar.drafts_list.post_ids(), timeout=10_000)
