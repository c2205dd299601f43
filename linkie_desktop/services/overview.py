"""What the window's status bar reports: the LinkedIn connection and the next scheduled post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.domain.posts import display_title
from linkie_desktop.services.oauth import ConnectionInfo, connection_status


@dataclass(frozen=True)
class NextPost:
    post_id: str
    label: str
    scheduled_at: datetime


def linkedin_connection(engine: Engine, user_id: str) -> ConnectionInfo:
    """The connection as every screen describes it (decided by services.oauth.decide_connection)."""
    return connection_status(engine, user_id)


@dataclass(frozen=True)
class StatusBarFigures:
    connection: ConnectionInfo
    next_post: NextPost | None


def status_bar_figures(engine: Engine, user_id: str) -> StatusBarFigures:
    """Both of the status bar's facts in one call (one task on the window's database worker)."""
    return StatusBarFigures(
        connection_status(engine, user_id), next_scheduled_post(engine, user_id)
    )


def next_scheduled_post(engine: Engine, user_id: str) -> NextPost | None:
    with reading(engine) as session:
        post = queries.get_next_scheduled_post(session, user_id)
        if post is None or post.scheduled_at is None:
            return None
        return NextPost(post.id, display_title(post.title, post.content, 40), post.scheduled_at)
