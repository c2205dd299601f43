"""The window's desktop notifications over a private D-Bus session to the test's notification
server: a pass's outcome reaches the desktop while the user is away, as Settings › Notifications
allows; Open shows the window at the post, View on LinkedIn opens its page (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.services.notifications import OPEN, VIEW_ON_LINKEDIN, notices_for
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.publisher_results import Outcome, PassResult, PostResult
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.shell import AppShell
from tests.fakes.notification_server import FakeNotificationServer, running_notification_server
from tests.ui.workspace_support import opened_workspace

URN = "urn:li:share:7100"


@pytest.fixture
def notification_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNotificationServer]:
    with running_notification_server() as server:
        # The window talks to the session bus it was started in: this test's own.
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", server.address)
        yield server


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path, "notify.db") as ws:
        yield ws


@pytest.fixture
def shell(
    qtbot: QtBot, workspace: Workspace, notification_server: FakeNotificationServer
) -> Iterator[AppShell]:
    app_shell = AppShell(workspace, publish=False)
    qtbot.addWidget(app_shell.window)
    app_shell.start()
    yield app_shell
    app_shell.shutdown()


def _published(shell: AppShell, workspace: Workspace) -> tuple[str, PassResult]:
    post = PostService(workspace.engine, workspace.user_id).add("Launch day is here")
    result = PassResult([PostResult(post.id, "Launch day is here", Outcome.PUBLISHED, "", URN)])
    return post.id, result


def _announce(shell: AppShell, result: PassResult) -> None:
    for notice in notices_for(result):  # as the driver does after a pass
        shell.publisher.notice.emit(notice)


def test_open_shows_the_window_at_the_post_and_view_opens_its_page(
    qtbot: QtBot,
    shell: AppShell,
    workspace: Workspace,
    notification_server: FakeNotificationServer,
) -> None:
    launched: list[str] = []

    def browser(url: str) -> bool:  # the system's browser, for the test
        launched.append(url)
        return True

    shell.notifications.launcher = browser
    post_id, result = _published(shell, workspace)
    shell.window.hide()  # the user is away
    _announce(shell, result)
    _announce(shell, result)
    # Waited for with the event loop running: each notice goes out once the one before is in.
    qtbot.waitUntil(lambda: len(notification_server.shown) == 2)
    first, second = notification_server.shown
    assert first.summary == "Published: Launch day is here"
    assert set(first.actions) >= {OPEN, VIEW_ON_LINKEDIN}

    notification_server.click(first.id, OPEN)
    qtbot.waitUntil(shell.window.isVisible)
    drafts = shell.window.page("drafts")
    assert isinstance(drafts, DraftsTab)
    qtbot.waitUntil(lambda: drafts.composer.post_id == post_id)
    assert shell.window.tabs.currentWidget() is drafts

    notification_server.click(second.id, VIEW_ON_LINKEDIN)
    qtbot.waitUntil(lambda: bool(launched))
    assert launched == [f"https://www.linkedin.com/feed/update/{URN}/"]


@pytest.mark.parametrize(("level", "expected"), [("all", 2), ("failures", 1), ("none", 0)])
def test_the_setting_decides_which_outcomes_reach_the_desktop(
    qtbot: QtBot,
    shell: AppShell,
    workspace: Workspace,
    notification_server: FakeNotificationServer,
    level: str,
    expected: int,
) -> None:
    shell.preferences.save(shell.preferences.current.with_changes(notifications=level))
    post_id, published = _published(shell, workspace)
    failed = PassResult([PostResult(post_id, "Hiring", Outcome.FAILED, "LinkedIn refused it")])
    shell.window.hide()
    _announce(shell, published)
    _announce(shell, failed)
    qtbot.waitUntil(lambda: shell.tasks.pending == 0, timeout=10_000)
    titles = [n.summary for n in notification_server.shown]
    assert titles == ["Published: Launch day is here", "Failed: Hiring"][2 - expected :]
    assert "Failed: Hiring" in shell.window.statusBar().currentMessage()  # the window says it too
