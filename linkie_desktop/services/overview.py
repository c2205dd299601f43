"""What the window's status bar and the Dashboard report: the LinkedIn connection, the next
scheduled post, and the one rule of which posts wait for the connection (`waiting_label`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import ColumnElement, Engine, and_, func, select

from linkie_desktop.db import queries, stats
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import (
    DashboardFigures,
    connection_summary,
    dashboard_figures,
)
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


def status_bar_figures(
    engine: Engine, user_id: str, now: datetime | None = None
) -> StatusBarFigures:
    """Both of the status bar's facts in one call (one task on the window's database worker)."""
    now = now or utc_now()
    connection = connection_status(engine, user_id, now)
    waits = bool(waiting_words(connection))
    return StatusBarFigures(connection, next_scheduled_post(engine, user_id, now, waiting=waits))


def next_scheduled_post(
    engine: Engine, user_id: str, now: datetime | None = None, *, waiting: bool = False
) -> NextPost | None:
    """The next post to go out, by the Dashboard's rule (stats.still_to_send), at its send time.
    `waiting`: the connection cannot publish (see `waiting_words`)."""
    now = now or utc_now()
    with reading(engine) as session:
        after = stats.upcoming_posts(
            session, user_id, now, datetime.max.replace(tzinfo=UTC), limit=1, waiting=waiting
        )
    if not after:
        return None
    return NextPost(
        after[0].id, display_title(after[0].title, after[0].content, 40), after[0].scheduled_at
    )


# --- waiting for the LinkedIn connection ------------------------------------------------------

WAITING_RECONNECT = "Waiting — reconnect LinkedIn"
WAITING_CONNECT = "Waiting — connect LinkedIn"


def waiting_words(connection: ConnectionInfo) -> str:
    """What a due post says while this connection cannot publish it; "" when it can."""
    if connection.status is OAuthStatus.EXPIRED:
        return WAITING_RECONNECT
    if connection.status is OAuthStatus.DISCONNECTED:
        return WAITING_CONNECT
    return ""


def waiting_label(
    status: str, scheduled_at: datetime | None, now: datetime, connection: ConnectionInfo
) -> str:
    """The one rule of "waiting": a scheduled post whose time has come while the connection
    cannot publish it (expired or missing). Its words ("Waiting — reconnect LinkedIn"), shown
    instead of "Scheduled" at a time already past; "" for any other post."""
    due = status == PostStatus.SCHEDULED and scheduled_at is not None and scheduled_at <= now
    return waiting_words(connection) if due else ""


def waiting_condition(now: datetime) -> ColumnElement[bool]:
    """`waiting_label`'s SQL twin for one user whose connection cannot publish."""
    return and_(Post.status == PostStatus.SCHEDULED, Post.scheduled_at <= now)


@dataclass(frozen=True)
class DashboardOverview:
    """The Dashboard's figures, with the posts waiting for the connection counted on their own.
    Next, Upcoming and "scheduled this week" all follow stats.still_to_send: posts still to go
    out (a post being retried at its retry time), never one whose time has come — it goes out
    now, or waits for the connection."""

    figures: DashboardFigures
    waiting: int
    waiting_words: str  # "" when the connection can publish (then nothing waits)

    @property
    def scheduled_this_week(self) -> int:
        return self.figures.counts.scheduled_this_week


def load_overview(
    engine: Engine, user_id: str, now: datetime | None = None, tz: tzinfo | None = None
) -> DashboardOverview:
    """One Dashboard refresh (a task on the window's database worker): the connection first,
    as it decides whether posts can wait, then every figure in one snapshot, each read once."""
    now = now or utc_now()
    connection = connection_summary(engine, user_id, now)
    words = waiting_words(connection.info)
    with reading(engine) as session:
        waiting = 0
        if words:
            mine = (Post.user_id == user_id, queries.live_posts(), waiting_condition(now))
            waiting = session.scalar(select(func.count()).select_from(Post).where(*mine)) or 0
        # A waiting post with a retry time ahead is not Next, Upcoming nor this week's either.
        figures = dashboard_figures(session, user_id, connection, now, tz, waiting=bool(waiting))
    return DashboardOverview(figures, waiting, words)
