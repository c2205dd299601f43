"""Posts waiting for the LinkedIn connection, on the Dashboard: after LinkedIn answered 401 to the
real publisher, the waiting post is counted on its own, never as scheduled, and Next and Upcoming
agree with the cards (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.oauth import connection_status
from linkie_desktop.services.overview import (
    WAITING_RECONNECT,
    load_overview,
    waiting_label,
)
from linkie_desktop.services.publisher import Outcome
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, make_desk
from tests.ui.workspace_support import make_workspace


def test_a_post_refused_with_401_waits_and_the_dashboard_counts_it_apart(
    qtbot: QtBot, engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path
) -> None:
    desk = make_desk(engine, user_id, linkedin_server)
    due = desk.due_post("Due a minute ago")
    later = desk.due_post("Later today", at=NOW + timedelta(hours=2))
    desk.server.expire_token(desk.token)
    result = desk.run()
    assert [r.outcome for r in result.results] == [Outcome.WAITING]

    post = desk.post(due)
    connection = connection_status(engine, user_id, NOW)
    assert connection.status is OAuthStatus.EXPIRED
    assert post.status == PostStatus.SCHEDULED  # stored as it was: only its words change
    assert waiting_label(post.status, post.scheduled_at, NOW, connection) == WAITING_RECONNECT
    upcoming = desk.post(later)
    assert waiting_label(upcoming.status, upcoming.scheduled_at, NOW, connection) == ""

    tab = DashboardTab(make_workspace(engine, user_id, tmp_path), AppSignals(), clock=lambda: NOW)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.overview is not None)
    assert tab.overview is not None and tab.figures is not None
    assert tab.waiting_card.value() == "1" and tab.waiting_card.isVisibleTo(tab)
    assert "reconnect LinkedIn" in tab.waiting_card.accessibleName()
    # Scheduled this week: the later post only, which is Next and the one Upcoming row.
    assert tab.scheduled_card.value() == "1"
    assert tab.figures.next_post is not None and tab.figures.next_post.post_id == later
    assert [item.post_id for item in tab.figures.upcoming] == [later]
    assert tab.upcoming_list.count() == int(tab.scheduled_card.value())

    with qtbot.waitSignal(tab.connect_requested):
        tab.waiting_card.click()  # reconnecting is in Settings › LinkedIn


def test_nothing_waits_while_the_connection_can_publish(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    desk = make_desk(engine, user_id, linkedin_server)
    desk.due_post("Being retried", retry_count=1, next_attempt_at=NOW + timedelta(minutes=5))
    overview = load_overview(engine, user_id, NOW)
    assert (overview.waiting, overview.waiting_words) == (0, "")
