"""Desktop notifications over a private D-Bus session to the test's notification server: the
words of each outcome, the user's level, and the actions of a click (issue 15)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from linkie_desktop.services.notifications import (
    DEFAULT_ACTION,
    OPEN,
    VIEW_ON_LINKEDIN,
    DesktopNotifier,
    Notice,
    NotificationLevel,
    background_actions,
    notify_outcome,
    post_page_url,
    window_command,
    window_opener,
)
from linkie_desktop.services.publisher_results import (
    CommentOutcome,
    CommentResult,
    Outcome,
    PassResult,
    PostResult,
)
from linkie_desktop.services.user_service import linkie_executable
from tests.fakes.notification_server import FakeNotificationServer, running_notification_server

URN = "urn:li:share:7001"


@pytest.fixture
def notification_server() -> Iterator[FakeNotificationServer]:
    with running_notification_server() as server:
        yield server


def _pass() -> PassResult:
    return PassResult(
        [
            PostResult("p1", "Launch day", Outcome.PUBLISHED, "Published", URN),
            PostResult("p2", "Hiring", Outcome.FAILED, "LinkedIn refused the post (HTTP 422)"),
            PostResult("p3", "Offsite", Outcome.RETRY, "Trying again at 10:00:00"),
            PostResult(
                "p4",
                "Recap",
                Outcome.PUBLISHED,
                "Published",
                "urn:li:share:7002",
                comment=CommentResult(CommentOutcome.FAILED, "HTTP 500"),
            ),
        ],
        reconnect_needed=True,
    )


@pytest.mark.parametrize(
    ("level", "titles"),
    [
        (
            NotificationLevel.ALL,
            [
                "Published: Launch day",
                "Failed: Hiring",
                "Published: Recap",
                "First comment not added: Recap",
                "LinkedIn connection expired",
            ],
        ),
        (
            NotificationLevel.FAILURES,
            ["Failed: Hiring", "First comment not added: Recap", "LinkedIn connection expired"],
        ),
        (NotificationLevel.NONE, []),
    ],
)
def test_the_level_decides_what_reaches_the_desktop(
    notification_server: FakeNotificationServer, level: NotificationLevel, titles: list[str]
) -> None:
    notifier = DesktopNotifier(bus=notification_server.address)
    try:
        shown = notify_outcome(_pass(), level, notifier)
        assert [n.title for n in shown] == titles
        received = notification_server.wait_for(len(titles)) if titles else []
        assert [n.summary for n in received] == titles
        assert len(notification_server.shown) == len(titles)
    finally:
        notifier.close()


def test_a_published_notice_offers_open_and_view_on_linkedin(
    notification_server: FakeNotificationServer,
) -> None:
    notifier = DesktopNotifier(bus=notification_server.address)
    try:
        notify_outcome(_pass(), NotificationLevel.ALL, notifier)
        published, failed = notification_server.wait_for(2)
    finally:
        notifier.close()
    assert published.app_name == "Linkie Desktop" and published.body == "It is on LinkedIn now."
    assert published.actions == {
        DEFAULT_ACTION: "Open",
        OPEN: "Open",
        VIEW_ON_LINKEDIN: "View on LinkedIn",
    }
    assert failed.actions == {DEFAULT_ACTION: "Open", OPEN: "Open"}  # nothing to view yet
    assert failed.hints["urgency"] == ("y", 2)  # a failure stays until dismissed


def test_clicking_the_actions_opens_the_post_and_its_page(
    notification_server: FakeNotificationServer,
) -> None:
    opened: list[list[str]] = []
    launched: list[str] = []
    heard = threading.Event()

    def start(command: Sequence[str]) -> None:  # the new process, for the test (see test_serve_cli)
        opened.append(list(command))

    def launcher(url: str) -> bool:  # the browser, for the test
        launched.append(url)
        heard.set()
        return True

    notifier = DesktopNotifier(
        background_actions(window_opener("sqlite:////data/linkie.db", start), launcher),
        bus=notification_server.address,
    )
    try:
        notice = Notice("Published: Launch day", "It is on LinkedIn now.", False, "p1", URN)
        notifier.show(notice)
        notifier.show(notice)
        first, second = notification_server.wait_for(2)
        notification_server.click(first.id, OPEN)  # the desktop closes a notice once clicked
        notification_server.click(second.id, VIEW_ON_LINKEDIN)
        assert heard.wait(5)
    finally:
        notifier.close()
    assert opened == [window_command("p1", "sqlite:////data/linkie.db")]
    assert (
        launched
        == [post_page_url(URN)]
        == ["https://www.linkedin.com/feed/update/urn:li:share:7001/"]
    )


def test_without_a_notification_server_nothing_is_shown_and_nothing_breaks() -> None:
    from tests.fakes.notification_server import private_session_bus

    with private_session_bus() as address:
        notifier = DesktopNotifier(bus=address)
        try:
            assert not notifier.show(Notice("Failed: Hiring", "Refused", True, "p2"))
        finally:
            notifier.close()
    assert not DesktopNotifier(bus="unix:path=/nonexistent/bus").available


def test_open_starts_this_installations_window_at_the_post_on_the_same_database() -> None:
    # The window program beside this installation's linkie (a venv's scripts here; the bundle's
    # folder when frozen), the one rule of user_service.linkie_executable.
    [program, *args] = window_command("p1", "sqlite:////home/me/linkie.db")
    assert Path(program) == Path(linkie_executable()).with_name("linkie-desktop")
    assert Path(program).is_file()
    assert args == ["--open-post", "p1", "--db", "/home/me/linkie.db"]  # a file by its path
