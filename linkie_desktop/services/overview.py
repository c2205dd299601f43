"""What the window's status bar and the Dashboard report: the LinkedIn connection, the next
scheduled post, and the one rule of which posts wait for the connection (`waiting_label`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from sqlalchemy import ColumnElement, Engine, and_, func, select

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title
from linkie_desktop.domain.schedule import local_day, start_of_day
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import DashboardFigures, load_dashboard, monday_of
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
    """The Dashboard's figures, with the posts waiting for the connection counted on their own:
    "scheduled this week" then counts only posts still to come or to be retried, as Next and
    Upcoming show them, and a post waiting at a time already past is never "scheduled"."""

    figures: DashboardFigures
    waiting: int
    waiting_words: str  # "" when the connection can publish (then nothing waits)

    @property
    def scheduled_this_week(self) -> int:
        return self.figures.counts.scheduled_this_week


def load_overview(
    engine: Engine, user_id: str, now: datetime | None = None, tz: tzinfo | None = None
) -> DashboardOverview:
    now = now or utc_now()
    figures = load_dashboard(engine, user_id, now, tz)
    words = waiting_words(figures.connection.info)
    if not words:
        return DashboardOverview(figures, 0, "")
    week_start = start_of_day(monday_of(local_day(now, tz)), tz)
    with reading(engine) as session:
        mine = (Post.user_id == user_id, queries.live_posts(), waiting_condition(now))
        waiting = session.scalar(select(func.count()).select_from(Post).where(*mine)) or 0
        # Those of this week were counted as scheduled by the week's card: they are not.
        this_week = (
            session.scalar(
                select(func.count()).select_from(Post).where(*mine, Post.scheduled_at >= week_start)
            )
            or 0
        )
    counts = replace(
        figures.counts, scheduled_this_week=figures.counts.scheduled_this_week - this_week
    )
    return DashboardOverview(replace(figures, counts=counts), waiting, words)
