"""SQL aggregates for the Dashboard and Analytics tabs: every figure is counted by SQLite.

Nothing here loads the posts themselves; each function returns a handful of numbers or at most a
few hundred grouped rows (weeks, weekday × hour cells, failure reasons), whatever the post count.

Local time in SQL: SQLite knows no time zones, so the caller passes `LocalClock` — the UTC offset
of the user's zone in force from each instant on (a few entries per year: DST changes). The
queries add the right offset to each timestamp with a CASE, then bucket local seconds into days,
weeks, weekdays and hours with integer arithmetic. Weeks start on Monday.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from linkie_desktop.db.models import Account, Post, PostLinkedInStats
from linkie_desktop.db.portable import off_index, position_of
from linkie_desktop.db.queries import live_posts
from linkie_desktop.db.types import wide_integer
from linkie_desktop.domain.fold import FOLD_CHARS
from linkie_desktop.domain.status import PostStatus

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600
# 1970-01-01 was a Thursday: +3 days puts Mondays on multiples of 7.
EPOCH_WEEKDAY_SHIFT = 3
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True)
class LocalClock:
    """The zone's UTC offset from each instant on: `segments[i] = (from_utc_seconds, offset_s)`.

    The first segment applies to everything before the second one, the last to everything after.
    """

    segments: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        if not self.segments:
            raise ValueError("a LocalClock needs at least one offset")

    def local_seconds(self, column: Any) -> ColumnElement[int]:
        """SQL: the column's Unix seconds shifted to local wall-clock seconds."""
        # Arithmetic on the stored INTEGER seconds, not on datetimes (BIGINT on PostgreSQL, so a
        # bound instant after 2038 fits).
        seconds: ColumnElement[int] = type_coerce(column, wide_integer())
        if len(self.segments) == 1:
            return seconds + literal(self.segments[0][1])
        whens = [
            (seconds < start, seconds + literal(offset))
            for (_, offset), (start, _) in zip(self.segments, self.segments[1:], strict=False)
        ]
        return case(*whens, else_=seconds + literal(self.segments[-1][1]))


def _local_day(column: Any, clock: LocalClock) -> ColumnElement[int]:
    # Integer division: both sides are INTEGER, and every timestamp here is after 1970.
    return clock.local_seconds(column) // SECONDS_PER_DAY


def local_week_index(column: Any, clock: LocalClock) -> ColumnElement[int]:
    """SQL: weeks since the Monday before the epoch, in local time (see `week_index_of`)."""
    return (_local_day(column, clock) + EPOCH_WEEKDAY_SHIFT) // 7


def _in_range(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


# --- dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCounts:
    scheduled_this_week: int
    published_this_month: int
    drafts: int
    failed: int


def has_posts(session: Session, user_id: str) -> bool:
    """Whether the user has written anything yet (the dashboard welcomes a newcomer)."""
    return bool(session.scalar(select(exists().where(Post.user_id == user_id, live_posts()))))


def _count(session: Session, user_id: str, *conditions: ColumnElement[bool]) -> int:
    stmt = (
        select(func.count())
        .select_from(Post)
        .where(Post.user_id == user_id, live_posts(), *conditions)
    )
    return session.scalar(stmt) or 0


def still_to_send(
    user_id: str, now: datetime, end: datetime, *, waiting: bool = False
) -> tuple[tuple[ColumnElement[bool], ...], tuple[ColumnElement[bool], ...]]:
    """The one rule of "upcoming" (the Dashboard's Next, Upcoming and "scheduled this week"): the
    user's scheduled posts whose send time — their own time, or their retry time when that is
    later (queries.due_conditions waits for both) — is in [now, end). One whose send time has
    come is not: the publisher's pass takes it now. `waiting` (the connection cannot publish):
    nor is a post whose own time has come, even with a retry time ahead — it waits
    (services/overview.py).

    Two disjoint branches, each a range one index answers: posts going out at their own time
    (posts_user_status_scheduled_idx) and posts being retried (posts_next_attempt_at_idx; few,
    so the user and status are kept off their index). A range over the send time itself, or
    one OR of the two, read every scheduled post of the user (the Dashboard at 100,000 posts
    went from 9 to 47 ms).
    """
    waits = (Post.scheduled_at > now,) if waiting else ()
    on_time = (
        Post.user_id == user_id,
        Post.status == PostStatus.SCHEDULED,
        live_posts(),
        _in_range(Post.scheduled_at, now, end),
        or_(Post.next_attempt_at.is_(None), Post.next_attempt_at <= Post.scheduled_at),
        *waits,
    )
    retried = (
        off_index(Post.user_id.expression) == user_id,
        off_index(Post.status.expression) == PostStatus.SCHEDULED,
        live_posts(),
        _in_range(Post.next_attempt_at, now, end),
        Post.next_attempt_at > Post.scheduled_at,
        *waits,
    )
    return on_time, retried


def upcoming_count(
    session: Session, user_id: str, now: datetime, end: datetime, *, waiting: bool = False
) -> int:
    """How many posts `upcoming_posts` would list, with no limit."""
    return sum(
        session.scalar(select(func.count()).select_from(Post).where(*branch)) or 0
        for branch in still_to_send(user_id, now, end, waiting=waiting)
    )


def dashboard_counts(
    session: Session,
    user_id: str,
    week: tuple[datetime, datetime],
    month: tuple[datetime, datetime],
    *,
    waiting: bool = False,
) -> DashboardCounts:
    """The four cards: each a COUNT over the status index, bounded by a UTC [start, end). The
    week is what is still to send in it (the caller's `week` starts now), by still_to_send:
    `waiting` counts the posts left waiting for the connection too."""
    return DashboardCounts(
        scheduled_this_week=upcoming_count(session, user_id, *week, waiting=waiting),
        published_this_month=_count(
            session,
            user_id,
            Post.status == PostStatus.PUBLISHED,
            _in_range(Post.published_at, *month),
        ),
        drafts=_count(session, user_id, Post.status == PostStatus.DRAFT),
        failed=_count(session, user_id, Post.status == PostStatus.FAILED),
    )


@dataclass(frozen=True)
class UpcomingPost:
    id: str
    title: str | None
    content: str  # whole: the post actions check it is publishable (at most `limit` rows)
    scheduled_at: datetime  # when it goes out: its retry time while it is being retried


def upcoming_posts(
    session: Session,
    user_id: str,
    start: datetime,
    end: datetime,
    limit: int = 50,
    *,
    waiting: bool = False,
) -> list[UpcomingPost]:
    """Posts still to send from `start` (now) to `end` (`still_to_send`), soonest first, at most
    `limit` of them; each at its send time (a post being retried, at its retry time)."""
    on_time, retried = still_to_send(user_id, start, end, waiting=waiting)
    both = union_all(
        select(Post.id, Post.title, Post.content, Post.scheduled_at.label("at")).where(*on_time),
        select(Post.id, Post.title, Post.content, Post.next_attempt_at.label("at")).where(*retried),
    ).subquery()
    stmt = select(both).order_by(both.c.at, both.c.id).limit(limit)
    return [
        UpcomingPost(post_id, title, content or "", when)
        for post_id, title, content, when in session.execute(stmt)
        if when is not None  # the range above already excludes it; said for the type checker
    ]


def linkedin_scope(session: Session, user_id: str) -> str | None:
    """The scopes LinkedIn granted the user's linked account (comma- or space-separated)."""
    return session.scalar(
        select(Account.scope)
        .where(Account.user_id == user_id, Account.provider == "linkedin")
        .limit(1)
    )


# --- analytics ----------------------------------------------------------------------------------


def _published_in(user_id: str, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    return [
        Post.user_id == user_id,
        Post.status == PostStatus.PUBLISHED,
        _in_range(Post.published_at, start, end),
        live_posts(),
    ]


def published_per_week(
    session: Session, user_id: str, start: datetime, end: datetime, clock: LocalClock
) -> dict[int, int]:
    """{local week index: posts published} for weeks with at least one post in [start, end)."""
    week = local_week_index(Post.published_at, clock)
    stmt = select(week, func.count()).where(*_published_in(user_id, start, end)).group_by(week)
    return {int(row[0]): int(row[1]) for row in session.execute(stmt)}


def publishing_heatmap(
    session: Session, user_id: str, start: datetime, end: datetime, clock: LocalClock
) -> dict[tuple[int, int], int]:
    """{(weekday 0=Monday, local hour): posts published} over [start, end); at most 168 rows."""
    local = clock.local_seconds(Post.published_at)
    weekday = (local // SECONDS_PER_DAY + EPOCH_WEEKDAY_SHIFT) % 7
    hour = (local % SECONDS_PER_DAY) // SECONDS_PER_HOUR
    stmt = (
        select(weekday, hour, func.count())
        .where(*_published_in(user_id, start, end))
        .group_by(weekday, hour)
    )
    return {(int(row[0]), int(row[1])): int(row[2]) for row in session.execute(stmt)}


def _failed_in(start: datetime, end: datetime) -> ColumnElement[bool]:
    # A failed post counts when it was due, or when it last changed if it never was scheduled.
    # Two index-friendly branches rather than COALESCE, which no index can serve.
    return and_(
        Post.status == PostStatus.FAILED,
        or_(
            _in_range(Post.scheduled_at, start, end),
            and_(Post.scheduled_at.is_(None), _in_range(Post.updated_at, start, end)),
        ),
    )


@dataclass(frozen=True)
class PublishOutcomes:
    published: int
    failed: int

    @property
    def attempted(self) -> int:
        return self.published + self.failed

    @property
    def success_rate(self) -> float | None:
        """Published ÷ (published + failed); None when nothing was attempted."""
        return self.published / self.attempted if self.attempted else None


def publish_outcomes(
    session: Session, user_id: str, start: datetime, end: datetime
) -> PublishOutcomes:
    # Two counts, each an index range scan, rather than one CASE that no index can serve.
    published = _count(session, user_id, *_published_in(user_id, start, end)[1:])
    failed = _count(session, user_id, _failed_in(start, end))
    return PublishOutcomes(published=published, failed=failed)


# (LIKE pattern on the lower-cased message, the reason people read); first match wins. The raw
# messages carry post URNs and times, so grouping them as they are would make every one unique.
FAILURE_KINDS: tuple[tuple[str, str], ...] = (
    ("%duplicate%", "LinkedIn saw it as a duplicate post"),
    ("%may have been published%", "Interrupted while publishing"),
    ("%missed while%", "Missed while Linkie was closed"),
    ("%version%", "LinkedIn API version retired"),
    ("%permission%", "Missing LinkedIn permission"),
    ("%reconnect%", "LinkedIn connection expired"),
    ("%expired%", "LinkedIn connection expired"),
    ("%image%", "Image problem"),
    ("%slow down%", "LinkedIn rate limit"),
    ("%could not reach%", "Could not reach LinkedIn"),
    ("%did not answer%", "Could not reach LinkedIn"),
    ("%had a problem%", "LinkedIn server error"),
)
OTHER_FAILURE = "Other reasons"
NO_REASON = "No reason recorded"


def _failure_kind() -> ColumnElement[str]:
    message = func.lower(func.coalesce(Post.error_message, ""))
    whens: list[tuple[ColumnElement[bool], str]] = [
        (func.trim(message) == "", NO_REASON),
        *((message.like(pattern), label) for pattern, label in FAILURE_KINDS),
    ]
    return case(*whens, else_=OTHER_FAILURE)


def failure_reasons(
    session: Session, user_id: str, start: datetime, end: datetime, limit: int = 8
) -> list[tuple[str, int]]:
    """(reason, failed posts) in [start, end), the most frequent first."""
    kind = _failure_kind()
    count = func.count().label("n")
    stmt = (
        select(kind, count)
        .where(Post.user_id == user_id, live_posts(), _failed_in(start, end))
        .group_by(kind)
        .order_by(count.desc(), kind)
        .limit(limit)
    )
    return [(str(row[0]), int(row[1])) for row in session.execute(stmt)]


def hook_fits_sql(content: Any) -> ColumnElement[bool]:
    """SQL twin of `services.analytics.hook_fits_above_fold`: the first line is visible in the
    feed when it ends within the first FOLD_CHARS characters, or the whole post shows unfolded.
    (No line break in the first FOLD_CHARS characters means the fold falls at FOLD_CHARS.)"""
    text = func.ltrim(content, _WHITESPACE)
    first_break = position_of(func.substr(text, 1, FOLD_CHARS), "\n")
    return (first_break > 0) | (func.length(func.rtrim(text, _WHITESPACE)) <= FOLD_CHARS)


@dataclass(frozen=True)
class WritingFigures:
    posts: int
    average_length: float | None
    hooks_above_fold: int

    @property
    def hook_share(self) -> float | None:
        return self.hooks_above_fold / self.posts if self.posts else None


def writing_figures(
    session: Session, user_id: str, start: datetime, end: datetime
) -> WritingFigures:
    """Length and hook placement of the posts published in [start, end)."""
    stmt = select(
        func.count(),
        func.avg(func.length(Post.content)),
        func.count().filter(hook_fits_sql(Post.content)),
    ).where(*_published_in(user_id, start, end))
    row = session.execute(stmt).one()
    return WritingFigures(
        posts=int(row[0] or 0),
        average_length=float(row[1]) if row[1] is not None else None,
        hooks_above_fold=int(row[2] or 0),
    )


def first_published_at(session: Session, user_id: str) -> datetime | None:
    stmt = select(func.min(Post.published_at)).where(
        Post.user_id == user_id, Post.status == PostStatus.PUBLISHED, live_posts()
    )
    value = session.scalar(stmt)
    return value if isinstance(value, datetime) else None


def weeks_with_posts(
    session: Session, user_id: str, start: datetime, end: datetime, clock: LocalClock
) -> list[int]:
    """Local week indexes with at least one post published in [start, end), latest first."""
    week = local_week_index(Post.published_at, clock)
    stmt = (
        select(week)
        .where(
            Post.user_id == user_id,
            Post.status == PostStatus.PUBLISHED,
            _in_range(Post.published_at, start, end),
            live_posts(),
        )
        .group_by(week)
        .order_by(week.desc())
    )
    return [int(value) for value in session.scalars(stmt)]


# --- LinkedIn figures (cached) -----------------------------------------------------------------

METRIC_COLUMNS: Sequence[str] = (
    "impressions",
    "members_reached",
    "reactions",
    "comments",
    "reshares",
)


@dataclass(frozen=True)
class PostFigures:
    post_id: str
    title: str | None
    snippet: str
    published_at: datetime | None
    impressions: int | None
    members_reached: int | None
    reactions: int | None
    comments: int | None
    reshares: int | None
    fetched_at: datetime


def cached_linkedin_figures(
    session: Session,
    user_id: str,
    start: datetime,
    end: datetime,
    limit: int = 200,
    offset: int = 0,
) -> list[PostFigures]:
    """One page of LinkedIn's figures for posts published in [start, end), most impressions
    first; the post id breaks ties, so pages never repeat or skip a row."""
    stmt = (
        select(
            Post.id,
            Post.title,
            func.substr(Post.content, 1, 120),
            Post.published_at,
            PostLinkedInStats.impressions,
            PostLinkedInStats.members_reached,
            PostLinkedInStats.reactions,
            PostLinkedInStats.comments,
            PostLinkedInStats.reshares,
            PostLinkedInStats.fetched_at,
        )
        .join(PostLinkedInStats, PostLinkedInStats.post_id == Post.id)
        .where(*_published_in(user_id, start, end))
        .order_by(
            PostLinkedInStats.impressions.desc().nulls_last(),
            Post.published_at.desc(),
            Post.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [PostFigures(*row) for row in session.execute(stmt)]


@dataclass(frozen=True)
class PostToMeasure:
    post_id: str
    urn: str


def posts_needing_figures(
    session: Session, user_id: str, stale_before: datetime, limit: int
) -> list[PostToMeasure]:
    """Published posts with a LinkedIn URN whose figures are missing or older than
    `stale_before`, the most recently published first, at most `limit` (each costs API calls)."""
    stmt = (
        select(Post.id, Post.linkedin_post_urn)
        .outerjoin(PostLinkedInStats, PostLinkedInStats.post_id == Post.id)
        .where(
            Post.user_id == user_id,
            Post.status == PostStatus.PUBLISHED,
            Post.linkedin_post_urn.is_not(None),
            live_posts(),
            (PostLinkedInStats.fetched_at.is_(None))
            | (PostLinkedInStats.fetched_at < stale_before),
        )
        .order_by(Post.published_at.desc(), Post.id)
        .limit(limit)
    )
    return [PostToMeasure(row[0], str(row[1])) for row in session.execute(stmt)]


def last_figures_fetch(session: Session, user_id: str) -> datetime | None:
    value = session.scalar(
        select(func.max(PostLinkedInStats.fetched_at)).where(PostLinkedInStats.user_id == user_id)
    )
    return value if isinstance(value, datetime) else None


def store_figures(
    session: Session, user_id: str, post_id: str, figures: dict[str, int | None], at: datetime
) -> None:
    """Insert or replace one post's cached figures (keys: the PostLinkedInStats metric names).
    A post that is not the user's is left alone: one person's pass never writes another's."""
    owner = session.scalar(select(Post.user_id).where(Post.id == post_id))
    if owner != user_id:
        return
    row = session.get(PostLinkedInStats, post_id)
    if row is None:
        row = PostLinkedInStats(post_id=post_id, user_id=user_id, fetched_at=at)
        session.add(row)
    for name in METRIC_COLUMNS:
        setattr(row, name, figures.get(name))
    row.fetched_at = at
    session.flush()
