"""One Dashboard refresh reads each figure once: "scheduled this week" is one count (its two
index branches, db/stats.still_to_send), not a count of the week by load_dashboard and a second
one by the overview after it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from tests.connection_support import mark_connected
from tests.ui.workspace_support import make_workspace

# Thursday 26 November 2026, 09:00 UTC: the week runs to Monday 30th.
NOW = datetime.fromisoformat("2026-11-26T09:00:00+00:00")


def _scheduled(
    engine: Engine, user_id: str, at: datetime, retry_at: datetime | None = None
) -> None:
    with transaction(engine) as session:
        post = queries.create_post(
            session,
            {
                "user_id": user_id,
                "content": "A post",
                "status": PostStatus.SCHEDULED,
                "scheduled_at": at,
            },
        )
        if retry_at is not None:  # as the publisher leaves a post it will try again
            post.retry_count, post.next_attempt_at = 1, retry_at


def _is_week_count(statement: str) -> bool:
    """A COUNT over the posts' send times: only "scheduled this week" counts them (Next and
    Upcoming list them)."""
    sql = " ".join(statement.lower().split())
    return sql.startswith("select count(") and "next_attempt_at" in sql


def _week_counts_of_one_refresh(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path
) -> tuple[DashboardTab, list[str]]:
    """The Dashboard built (its first refresh read on the worker), and the week counts it ran."""
    _scheduled(engine, user_id, NOW + timedelta(hours=2))
    _scheduled(engine, user_id, NOW - timedelta(minutes=10), retry_at=NOW + timedelta(minutes=5))
    _scheduled(engine, user_id, NOW - timedelta(days=1))  # due already: not to come
    statements: list[str] = []
    lock = threading.Lock()

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        with lock:  # the refresh runs on the window's database worker
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        tab = DashboardTab(
            make_workspace(engine, user_id, tmp_path), AppSignals(), clock=lambda: NOW
        )
        qtbot.addWidget(tab)
        qtbot.waitUntil(lambda: tab.overview is not None)
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    with lock:
        return tab, [s for s in statements if _is_week_count(s)]


def test_one_dashboard_refresh_counts_the_week_once(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path
) -> None:
    mark_connected(engine, user_id)
    tab, week_counts = _week_counts_of_one_refresh(qtbot, engine, user_id, tmp_path)
    assert tab.scheduled_card.value() == "2" == str(tab.upcoming_list.count())
    assert len(week_counts) == 2, week_counts  # one count: its on-time and its retried branch


def test_with_posts_waiting_for_the_connection_the_week_is_counted_once_too(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path
) -> None:
    # Not connected: the post being retried (its own time has come) waits, and is not to come.
    tab, week_counts = _week_counts_of_one_refresh(qtbot, engine, user_id, tmp_path)
    assert tab.scheduled_card.value() == "1" == str(tab.upcoming_list.count())
    assert len(week_counts) == 2, week_counts
