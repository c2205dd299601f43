"""The Dashboard's and Analytics' figures, in the user's local time, from SQL aggregates (no Qt).

`load_dashboard` and `load_analytics` each open one short transaction and return plain frozen
values the UI shows as they are. Every count comes from `db/stats.py`; this module only decides
the local-time bounds (weeks start on Monday, DST included) and shapes the results.
`now` and `tz` are parameters so tests pin the clock and the zone; None means "really now" and
"the system's zone".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import Enum

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from linkie_desktop.db import stats
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.db.stats import (
    DashboardCounts,
    LocalClock,
    PostFigures,
    PublishOutcomes,
    WritingFigures,
)
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.fold import FOLD_CHARS
from linkie_desktop.domain.posts import display_title
from linkie_desktop.domain.schedule import local_day, month_bounds, start_of_day, to_local
from linkie_desktop.services.oauth import ConnectionInfo, connection_status

POST_ANALYTICS_SCOPE = "r_member_postAnalytics"
LINKEDIN_PAGE_SIZE = 200  # rows of LinkedIn's per-post figures read at a time (more on scroll)
UPCOMING_DAYS = 7
STREAK_FIRST_LOOK_WEEKS = 26
_EPOCH = date(1970, 1, 1)
# A zone changes its offset at most a few times a year, never twice within a week.
_CLOCK_STEP = timedelta(days=7)


class Period(Enum):
    """The Analytics period selector: (weeks, label)."""

    FOUR_WEEKS = (4, "Last 4 weeks")
    TWELVE_WEEKS = (12, "Last 12 weeks")
    ONE_YEAR = (52, "Last year")

    @property
    def weeks(self) -> int:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


# --- local time ---------------------------------------------------------------------------------


def _offset(instant: datetime, tz: tzinfo | None) -> int:
    offset = to_local(instant, tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def local_clock(start: datetime, end: datetime, tz: tzinfo | None = None) -> LocalClock:
    """The zone's UTC offsets over [start, end], each change found to the second by bisection."""
    segments = [(int(start.timestamp()), _offset(start, tz))]
    cursor = start
    while cursor < end:
        step_end = min(cursor + _CLOCK_STEP, end)
        if _offset(step_end, tz) != segments[-1][1]:
            low, high = int(cursor.timestamp()), int(step_end.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(datetime.fromtimestamp(middle, UTC), tz) == segments[-1][1]:
                    low = middle
                else:
                    high = middle
            segments.append((high, _offset(step_end, tz)))
        cursor = step_end
    return LocalClock(tuple(segments))


def week_index_of(day: date) -> int:
    """The same week number `db.stats.local_week_index` computes in SQL for that local day."""
    return ((day - _EPOCH).days + stats.EPOCH_WEEKDAY_SHIFT) // 7


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hook_fits_above_fold(text: str) -> bool:
    """Whether the post's first line shows in full before LinkedIn's "…see more", estimated in
    characters (FOLD_CHARS): over thousands of posts this figure is computed in SQL, which cannot
    measure rendered lines as `domain.fold` does for one post. `db.stats.hook_fits_sql` is the
    SQL twin; a test keeps them equal."""
    text = text.lstrip()
    first_break = text.find("\n")
    return 0 <= first_break < FOLD_CHARS or len(text.rstrip()) <= FOLD_CHARS


# --- dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingItem:
    """A scheduled post as the Dashboard shows it (and its post actions need it)."""

    post_id: str
    label: str
    scheduled_at: datetime  # UTC
    content: str


@dataclass(frozen=True)
class ConnectionSummary:
    """The Settings helper's connection status plus what Analytics needs: the granted scopes."""

    info: ConnectionInfo
    has_post_analytics: bool

    @property
    def status(self) -> OAuthStatus:
        return self.info.status

    @property
    def connected(self) -> bool:
        return self.info.connected

    @property
    def days_left(self) -> int | None:
        return self.info.days_left if self.info.connected else None

    def describe(self) -> str:
        return self.info.summary()


@dataclass(frozen=True)
class DashboardFigures:
    counts: DashboardCounts
    next_post: UpcomingItem | None
    upcoming: tuple[UpcomingItem, ...]
    connection: ConnectionSummary
    now: datetime
    has_posts: bool  # anything written yet: a newcomer gets the welcome


def _scopes(scope: str | None) -> set[str]:
    return set((scope or "").replace(",", " ").split())


def connection_summary(engine: Engine, user_id: str, now: datetime) -> ConnectionSummary:
    """The connection as the Dashboard and Analytics describe it, with the granted scopes."""
    info = connection_status(engine, user_id, now)
    with reading(engine) as session:
        scope = stats.linkedin_scope(session, user_id)
    return ConnectionSummary(info=info, has_post_analytics=POST_ANALYTICS_SCOPE in _scopes(scope))


def upcoming_item(row: stats.UpcomingPost) -> UpcomingItem:
    """A post still to send as the Dashboard's Next and Upcoming show it."""
    return UpcomingItem(
        row.id, display_title(row.title, row.content, 60), row.scheduled_at, row.content
    )


def dashboard_figures(
    session: Session,
    user_id: str,
    connection: ConnectionSummary,
    now: datetime,
    tz: tzinfo | None = None,
    *,
    waiting: bool = False,
) -> DashboardFigures:
    """The Dashboard's figures, read in `session` (one snapshot). Next, Upcoming and "scheduled
    this week" follow one rule, stats.still_to_send: from `now` on, never a post whose time has
    come (it goes out now). `waiting`: posts wait for the connection (services/overview.py), so
    neither is one whose own time has come, even with a retry time ahead."""
    today = local_day(now, tz)
    week_end = start_of_day(monday_of(today) + timedelta(days=7), tz)
    month = month_bounds(f"{today.year:04d}-{today.month:02d}", tz)
    counts = stats.dashboard_counts(session, user_id, (now, week_end), month, waiting=waiting)
    soon = now + timedelta(days=UPCOMING_DAYS)
    upcoming = stats.upcoming_posts(session, user_id, now, soon, waiting=waiting)
    after = upcoming[:1] or stats.upcoming_posts(
        session, user_id, now, datetime.max.replace(tzinfo=UTC), limit=1, waiting=waiting
    )
    return DashboardFigures(
        counts=counts,
        next_post=upcoming_item(after[0]) if after else None,
        upcoming=tuple(upcoming_item(row) for row in upcoming),
        connection=connection,
        now=now,
        has_posts=stats.has_posts(session, user_id),
    )


def load_dashboard(
    engine: Engine, user_id: str, now: datetime | None = None, tz: tzinfo | None = None
) -> DashboardFigures:
    """The Dashboard's figures as if nothing waited for the connection (the Dashboard itself
    loads them through services/overview.load_overview, which counts the waiting apart)."""
    now = now or utc_now()
    connection = connection_summary(engine, user_id, now)
    with reading(engine) as session:
        return dashboard_figures(session, user_id, connection, now, tz)


# --- analytics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekBar:
    monday: date  # local
    posts: int


@dataclass(frozen=True)
class AnalyticsFigures:
    period: Period
    start: datetime  # UTC, a local Monday 00:00
    end: datetime  # UTC, the Monday after the current week
    weeks: tuple[WeekBar, ...]
    heatmap: dict[tuple[int, int], int]  # (weekday 0 = Monday, local hour) -> posts
    outcomes: PublishOutcomes
    failure_reasons: tuple[tuple[str, int], ...]
    writing: WritingFigures
    streak_weeks: int
    connection: ConnectionSummary
    linkedin: tuple[PostFigures, ...]  # the first page; `linkedin_page` reads the next ones
    linkedin_fetched_at: datetime | None

    @property
    def published(self) -> int:
        return sum(bar.posts for bar in self.weeks)


def posting_streak(weeks_latest_first: list[int], current_week: int) -> int:
    """Consecutive weeks with at least one post, ending this week — or last week, since a week
    not yet posted in is not yet a broken streak."""
    if not weeks_latest_first:
        return 0
    expected = current_week if weeks_latest_first[0] == current_week else current_week - 1
    streak = 0
    for week in weeks_latest_first:
        if week != expected:
            break
        streak += 1
        expected -= 1
    return streak


def _streak(session: Session, user_id: str, now: datetime, tz: tzinfo | None) -> int:
    # Look back half a year first and widen only while the streak reaches the window's start,
    # so a long history costs nothing unless the streak really is that long.
    first = stats.first_published_at(session, user_id)
    if first is None:
        return 0
    this_monday = monday_of(local_day(now, tz))
    current = week_index_of(this_monday)
    weeks_back = STREAK_FIRST_LOOK_WEEKS
    while True:
        start = start_of_day(this_monday - timedelta(weeks=weeks_back), tz)
        clock = local_clock(min(start, now), now, tz)
        streak = posting_streak(
            stats.weeks_with_posts(session, user_id, start, now, clock), current
        )
        if streak < weeks_back or start <= first:
            return streak
        weeks_back *= 4


def load_analytics(
    engine: Engine,
    user_id: str,
    period: Period = Period.TWELVE_WEEKS,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> AnalyticsFigures:
    now = now or utc_now()
    this_monday = monday_of(local_day(now, tz))
    first_monday = this_monday - timedelta(weeks=period.weeks - 1)
    start = start_of_day(first_monday, tz)
    end = start_of_day(this_monday + timedelta(days=7), tz)
    clock = local_clock(start, end, tz)
    connection = connection_summary(engine, user_id, now)
    with reading(engine) as session:
        per_week = stats.published_per_week(session, user_id, start, end, clock)
        heatmap = stats.publishing_heatmap(session, user_id, start, end, clock)
        outcomes = stats.publish_outcomes(session, user_id, start, end)
        reasons = stats.failure_reasons(session, user_id, start, end)
        writing = stats.writing_figures(session, user_id, start, end)
        streak = _streak(session, user_id, now, tz)
        fetched_at = stats.last_figures_fetch(session, user_id)
        # Most connections lack the permission: skip the join when nothing was ever cached.
        linkedin = (
            stats.cached_linkedin_figures(session, user_id, start, end, LINKEDIN_PAGE_SIZE)
            if fetched_at
            else []
        )
    mondays = [first_monday + timedelta(weeks=i) for i in range(period.weeks)]
    return AnalyticsFigures(
        period=period,
        start=start,
        end=end,
        weeks=tuple(WeekBar(day, per_week.get(week_index_of(day), 0)) for day in mondays),
        heatmap=heatmap,
        outcomes=outcomes,
        failure_reasons=tuple(reasons),
        writing=writing,
        streak_weeks=streak,
        connection=connection,
        linkedin=tuple(linkedin),
        linkedin_fetched_at=fetched_at,
    )


def linkedin_page(
    engine: Engine,
    user_id: str,
    figures: AnalyticsFigures,
    offset: int,
    size: int = LINKEDIN_PAGE_SIZE,
) -> tuple[PostFigures, ...]:
    """The next page of the per-post table of `figures` (the same period), from row `offset`."""
    with reading(engine) as session:
        rows = stats.cached_linkedin_figures(
            session, user_id, figures.start, figures.end, size, offset
        )
    return tuple(rows)


LINKEDIN_FIGURES_NAMES = "impressions, members reached, reactions, comments and reshares"


def linkedin_figures_note(connection: ConnectionSummary) -> str:
    """The plain sentence shown instead of LinkedIn's figures; "" when they can be shown."""
    if connection.connected and connection.has_post_analytics:
        return ""
    what = f"LinkedIn's own figures for each post — {LINKEDIN_FIGURES_NAMES} — would appear here."
    if connection.status == OAuthStatus.EXPIRED:
        return f"{what} The LinkedIn connection has expired: reconnect in Settings to see them."
    if not connection.connected:
        return (
            f"{what} Linkie is not connected to LinkedIn, so it can only count your own posts "
            "(everything above comes from them)."
        )
    return (
        f"{what} They don't because this connection lacks LinkedIn's "
        f"{POST_ANALYTICS_SCOPE} permission, which LinkedIn grants only to approved apps. "
        "Everything above comes from your own posts."
    )


def countdown_text(left: timedelta) -> str:
    """How long until a post goes out, as the Dashboard's live countdown shows it."""
    seconds = int(left.total_seconds())
    if seconds <= 0:
        return "due now"
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"in {days} d {hours} h {minutes:02d} min"
    if hours:
        return f"in {hours} h {minutes:02d} min {seconds:02d} s"
    if minutes:
        return f"in {minutes} min {seconds:02d} s"
    return f"in {seconds} s"
