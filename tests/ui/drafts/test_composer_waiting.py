"""The composer's notice of an opened post whose time has come while LinkedIn cannot take it:
"Waiting — reconnect LinkedIn" (or "connect"), not "Scheduled" at a time already past, by the one
rule the Drafts list, the Calendar and the Dashboard use (services.overview.waiting_label); it
follows the connection as it changes (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.overview import WAITING_CONNECT, WAITING_RECONNECT
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.connection_support import mark_connected
from tests.ui.drafts.tab_support import open_post, settle


def _scheduled(service: PostService, at: datetime) -> str:
    post = service.create_draft("Launch", "We shipped it")
    with transaction(service.engine) as session:  # as Schedule left it, its time now past
        changes: queries.PostChanges = {"status": PostStatus.SCHEDULED, "scheduled_at": at}
        queries.update_post(session, post.id, changes, service.user_id)
    return post.id


def _expire(service: PostService) -> None:
    """LinkedIn answered 401: the publisher stores the connection as expired."""
    with transaction(service.engine) as session:
        queries.upsert_user_settings(
            session, service.user_id, {"linkedin_oauth_status": OAuthStatus.EXPIRED}
        )


def test_a_due_post_says_it_waits_for_the_connection_and_follows_it(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, signals: AppSignals
) -> None:
    mark_connected(service.engine, service.user_id)
    due = _scheduled(service, datetime.now(UTC) - timedelta(minutes=5))
    tab = make_tab()
    open_post(qtbot, tab, due)
    notice = tab.composer.notice
    assert notice.isVisibleTo(tab) and notice.text().startswith("Scheduled for ")

    _expire(service)
    signals.connection_changed.emit()  # as the publisher and Settings announce it
    qtbot.waitUntil(lambda: notice.text().startswith(WAITING_RECONNECT), timeout=5000)
    assert "It was due " in notice.text() and "Scheduled" not in notice.text()
    settle(qtbot, tab)
    assert tab.composer.body_edit.toPlainText() == "We shipped it"  # the post stays on screen

    mark_connected(service.engine, service.user_id)  # reconnected in Settings
    signals.connection_changed.emit()
    qtbot.waitUntil(lambda: notice.text().startswith("Scheduled for "), timeout=5000)


def test_a_post_still_to_come_is_scheduled_and_one_due_without_an_account_waits(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    later = _scheduled(service, datetime.now(UTC) + timedelta(hours=3))
    due = _scheduled(service, datetime.now(UTC) - timedelta(minutes=5))
    tab = make_tab()
    open_post(qtbot, tab, later)
    assert tab.composer.notice.text().startswith("Scheduled for ")  # nothing waits yet
    open_post(qtbot, tab, due)
    assert tab.composer.notice.text().startswith(WAITING_CONNECT)
