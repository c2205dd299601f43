"""The query functions of SEED-SCHEMA.md. Every user-facing query is scoped by `user_id`.

Each function takes an open Session and leaves committing to the caller (`db.engine.transaction`),
so a service can make several changes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, NamedTuple, NotRequired, TypedDict

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Over
from sqlalchemy.sql.functions import FunctionElement

from linkie_desktop.db.models import Generation, Post, PostingSlot, PostMedia, User, UserSettings
from linkie_desktop.db.portable import off_index
from linkie_desktop.db.types import json_strings, utc_now
from linkie_desktop.domain.posts import MAX_RETRIES, ValidationError
from linkie_desktop.domain.schedule import month_bounds
from linkie_desktop.domain.slots import DAY_NAMES, Slot, parse_slot
from linkie_desktop.domain.status import PostStatus

STALE_PUBLISHING_AFTER = timedelta(minutes=5)
LOCAL_USER_EMAIL = "me@linkie.local"


class NewPost(TypedDict):
    id: NotRequired[str]  # made here when not given
    user_id: str
    content: str
    title: NotRequired[str | None]
    status: NotRequired[str]
    scheduled_at: NotRequired[datetime | None]
    image_path: NotRequired[str | None]
    visibility: NotRequired[str]


class PostChanges(TypedDict, total=False):
    title: str | None
    content: str
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    linkedin_post_urn: str | None
    image_path: str | None
    error_message: str | None
    retry_count: int
    next_attempt_at: datetime | None
    visibility: str
    first_comment_text: str | None
    first_comment_status: str | None
    first_comment_urn: str | None
    first_comment_error: str | None
    poll_question: str | None
    poll_options_json: str | None
    poll_days: int | None
    link_url: str | None
    link_title: str | None
    link_description: str | None
    link_thumbnail_path: str | None
    link_thumbnail_urn: str | None
    repeat_rule_json: str | None
    series_id: str | None
    evergreen: int
    evergreen_used_at: datetime | None
    evergreen_source_id: str | None


def scheduled_afresh(at: datetime) -> PostChanges:
    """The changes that (re)schedule a post for `at` with a fresh set of attempts: no error,
    no attempts counted, no backoff wait left over from an earlier failure."""
    return {
        "status": PostStatus.SCHEDULED,
        "scheduled_at": at,
        "retry_count": 0,
        "next_attempt_at": None,
        "error_message": None,
    }


class NewGeneration(TypedDict):
    user_id: str
    idea: str
    text_variations_json: str
    images_json: str


class SettingsChanges(TypedDict, total=False):
    linkedin_profile_url: str | None
    linkedin_person_urn: str | None
    linkedin_connected: int
    linkedin_access_token: str | None
    linkedin_refresh_token: str | None
    linkedin_token_expires_at: datetime | None
    linkedin_oauth_status: str | None


# --- users -------------------------------------------------------------------------------------


def get_local_user(session: Session) -> User | None:
    """The desktop's one user: the first created (a shared database may hold more)."""
    return session.scalars(select(User).order_by(User.created_at, User.id).limit(1)).first()


def is_placeholder_user(user: User) -> bool:
    """The profile made on first start, before LinkedIn (or the seed) gave it a name."""
    return user.email == LOCAL_USER_EMAIL and user.name is None


def get_or_create_local_user(session: Session) -> User:
    user = get_local_user(session)
    if user is None:
        user = User(name=None, email=LOCAL_USER_EMAIL)
        session.add(user)
        session.flush()
    return user


# --- posts -------------------------------------------------------------------------------------


def live_posts() -> ColumnElement[bool]:
    """Posts outside the trash (posts.deleted_at NULL). Every list, count and read of posts uses
    it except the trash's own, so a deleted post shows only in the trash and is never published
    (the publisher's due read and its claim included, through `due_conditions`)."""
    return Post.deleted_at.is_(None)


def get_all_posts(session: Session, user_id: str, status: str | None = None) -> Sequence[Post]:
    """The user's posts, most recently changed first; optionally only those in one status."""
    stmt = select(Post).where(Post.user_id == user_id, live_posts())
    if status is not None:
        stmt = stmt.where(Post.status == status)
    return session.scalars(stmt.order_by(Post.updated_at.desc(), Post.id)).all()


def get_post_by_id(session: Session, post_id: str, user_id: str) -> Post | None:
    stmt = select(Post).where(Post.id == post_id, Post.user_id == user_id, live_posts())
    return session.scalars(stmt).first()


def create_post(session: Session, data: NewPost) -> Post:
    post = Post(**data)
    session.add(post)
    session.flush()
    return post


def update_post(session: Session, post_id: str, data: PostChanges, user_id: str) -> Post | None:
    """Apply `data` to the user's post; None (and nothing changed) when it isn't theirs."""
    post = get_post_by_id(session, post_id, user_id)
    if post is None:
        return None
    for key, value in data.items():
        setattr(post, key, value)
    post.updated_at = utc_now()
    session.flush()
    return post


def delete_post(session: Session, post_id: str, user_id: str) -> bool:
    result = session.execute(delete(Post).where(Post.id == post_id, Post.user_id == user_id))
    return bool(getattr(result, "rowcount", 0))


def get_scheduled_posts(
    session: Session, user_id: str, month: str | None = None, tz: tzinfo | None = None
) -> Sequence[Post]:
    stmt = select(Post).where(
        Post.user_id == user_id, Post.status == PostStatus.SCHEDULED, live_posts()
    )
    if month is not None:
        start, end = month_bounds(month, tz)
        stmt = stmt.where(Post.scheduled_at >= start, Post.scheduled_at < end)
    return session.scalars(stmt.order_by(Post.scheduled_at, Post.id)).all()


def get_posts_by_month(
    session: Session, month: str, user_id: str, tz: tzinfo | None = None
) -> Sequence[Post]:
    """Posts of any status scheduled in a month of the user's local calendar (`YYYY-MM`)."""
    start, end = month_bounds(month, tz)
    stmt = (
        select(Post)
        .where(
            Post.user_id == user_id,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
            live_posts(),
        )
        .order_by(Post.scheduled_at, Post.id)
    )
    return session.scalars(stmt).all()


def get_recent_drafts(session: Session, limit: int, user_id: str) -> Sequence[Post]:
    stmt = (
        select(Post)
        .where(Post.user_id == user_id, Post.status == PostStatus.DRAFT, live_posts())
        .order_by(Post.updated_at.desc(), Post.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def count_posts(session: Session, user_id: str) -> int:
    return session.scalar(select(func.count()).where(Post.user_id == user_id, live_posts())) or 0


# --- generations -------------------------------------------------------------------------------


def create_generation(session: Session, data: NewGeneration) -> Generation:
    generation = Generation(**data)
    session.add(generation)
    session.flush()
    return generation


def get_generation_by_id(session: Session, generation_id: str, user_id: str) -> Generation | None:
    stmt = select(Generation).where(Generation.id == generation_id, Generation.user_id == user_id)
    return session.scalars(stmt).first()


def get_recent_generations(session: Session, limit: int, user_id: str) -> Sequence[Generation]:
    stmt = (
        select(Generation)
        .where(Generation.user_id == user_id)
        .order_by(Generation.created_at.desc(), Generation.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


# --- scheduler (global: the publisher serves every user of the file) ---------------------------


def due_conditions(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """What makes a post due at `now`: scheduled, its time and any backoff passed, attempts
    left, not in the trash. The publisher's read and its atomic claim both use exactly these."""
    return (
        Post.status == PostStatus.SCHEDULED,
        live_posts(),
        Post.scheduled_at <= now,
        Post.retry_count < MAX_RETRIES,
        or_(Post.next_attempt_at.is_(None), Post.next_attempt_at <= now),
    )


def get_posts_ready_to_publish(session: Session, now: datetime | None = None) -> Sequence[Post]:
    """Scheduled posts whose time and backoff have passed, with attempts left, oldest first."""
    stmt = select(Post).where(*due_conditions(now or utc_now()))
    return session.scalars(stmt.order_by(Post.scheduled_at, Post.id)).all()


def get_stale_publishing_posts(session: Session, now: datetime | None = None) -> Sequence[Post]:
    """Posts stuck in `publishing` for 5 minutes or more (the app died mid-request)."""
    cutoff = (now or utc_now()) - STALE_PUBLISHING_AFTER
    stmt = (
        select(Post)
        .where(Post.status == PostStatus.PUBLISHING, Post.updated_at <= cutoff)
        .order_by(Post.updated_at, Post.id)
    )
    return session.scalars(stmt).all()


def increment_post_retry_count(session: Session, post_id: str) -> int | None:
    """Count one more attempt; the new count, or None for an unknown post."""
    stmt = (
        update(Post)
        .where(Post.id == post_id)
        .values(retry_count=Post.retry_count + 1, updated_at=utc_now())
        .returning(Post.retry_count)
    )
    return session.scalars(stmt).first()


# --- settings ----------------------------------------------------------------------------------


def get_user_settings(session: Session, user_id: str) -> UserSettings | None:
    return session.scalars(select(UserSettings).where(UserSettings.user_id == user_id)).first()


def upsert_user_settings(session: Session, user_id: str, data: SettingsChanges) -> UserSettings:
    """The user's one settings row, created on first use and updated after that."""
    settings = get_user_settings(session, user_id)
    if settings is None:
        settings = UserSettings(user_id=user_id)
        session.add(settings)
    values: dict[str, Any] = dict(data)
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_at = utc_now()
    session.flush()
    return settings


# --- post lists for the window (paged, filtered and sorted in SQL) -----------------------------

POST_SORT_KEYS = ("title", "status", "scheduled_at", "updated_at")
_SNIPPET_CHARS = 300
_DEFERRED_JOIN_FROM_OFFSET = 2000


@dataclass(frozen=True)
class PostSummary:
    """One row of a post list: enough to show it, without the whole text."""

    id: str
    title: str | None
    snippet: str  # the first characters of the content
    status: str
    scheduled_at: datetime | None
    updated_at: datetime
    has_image: bool


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered_posts(
    stmt: Select[Any], user_id: str, statuses: Sequence[str] | None, search: str | None
) -> Select[Any]:
    stmt = stmt.where(Post.user_id == user_id, live_posts())
    if statuses:
        stmt = stmt.where(Post.status.in_(list(statuses)))
    if search and search.strip():
        pattern = _like_pattern(search.strip())
        stmt = stmt.where(
            or_(
                Post.title.ilike(pattern, escape="\\"),
                Post.content.ilike(pattern, escape="\\"),
            )
        )
    return stmt


def _sort_columns(sort: str, descending: bool) -> list[Any]:
    if sort == "title":
        first_words = func.substr(Post.content, 1, 80)
        label = func.lower(func.coalesce(func.nullif(func.trim(Post.title), ""), first_words))
        keys: list[Any] = [label]
    elif sort == "status":
        keys = [Post.status]
    elif sort == "scheduled_at":
        # Unscheduled posts go last whichever way the column is sorted.
        return [
            Post.scheduled_at.is_(None),
            Post.scheduled_at.desc() if descending else Post.scheduled_at,
            Post.id,
        ]
    elif sort == "updated_at":
        keys = [Post.updated_at]
    else:
        raise ValueError(f"unknown sort key {sort!r}; use one of {POST_SORT_KEYS}")
    return [key.desc() if descending else key for key in keys] + [Post.id]


def list_post_summaries(
    session: Session,
    user_id: str,
    *,
    statuses: Sequence[str] | None = None,
    search: str | None = None,
    sort: str = "updated_at",
    descending: bool = True,
    limit: int = 200,
    offset: int = 0,
) -> list[PostSummary]:
    """One page of the user's posts matching a status set and a search text, sorted in SQL.

    Deep pages choose their ids first and fetch the columns after ("deferred join"): SQLite then
    skips the offset's rows as small sort keys instead of carrying their text through the sort.
    Near the top one pass is quicker, so that is used there.
    """
    order = _sort_columns(sort, descending)
    columns = select(
        Post.id,
        Post.title,
        func.substr(Post.content, 1, _SNIPPET_CHARS),
        Post.status,
        Post.scheduled_at,
        Post.updated_at,
        Post.image_path.is_not(None),
    )
    if offset < _DEFERRED_JOIN_FROM_OFFSET:
        stmt = _filtered_posts(columns, user_id, statuses, search)
        stmt = stmt.order_by(*order).limit(limit).offset(offset)
    else:
        page_ids = _filtered_posts(select(Post.id), user_id, statuses, search)
        page_ids = page_ids.order_by(*order).limit(limit).offset(offset)
        stmt = columns.where(Post.id.in_(page_ids.scalar_subquery())).order_by(*order)
    return [
        PostSummary(
            id=row[0],
            title=row[1],
            snippet=row[2] or "",
            status=row[3],
            scheduled_at=row[4],
            updated_at=row[5],
            has_image=bool(row[6]),
        )
        for row in session.execute(stmt)
    ]


def count_post_summaries(
    session: Session,
    user_id: str,
    *,
    statuses: Sequence[str] | None = None,
    search: str | None = None,
) -> int:
    stmt = _filtered_posts(select(func.count()).select_from(Post), user_id, statuses, search)
    return session.scalar(stmt) or 0


def get_posts_by_ids(session: Session, post_ids: Sequence[str], user_id: str) -> Sequence[Post]:
    stmt = select(Post).where(Post.user_id == user_id, Post.id.in_(list(post_ids)), live_posts())
    return session.scalars(stmt).all()


def restore_post(session: Session, values: dict[str, Any]) -> Post:
    """Put back a deleted post exactly as it was (same id and times): the Undo of a delete."""
    post = Post(**values)
    session.add(post)
    session.flush()
    return post


# --- calendar --------------------------------------------------------------------------------


CALENDAR_HEAD_CHARS = 200  # enough text for a title line; the rest of a post stays on disk


class CalendarRow(NamedTuple):
    id: str
    title: str | None
    head: str  # the first CALENDAR_HEAD_CHARS characters of the text
    status: str
    scheduled_at: datetime
    length: int  # of the whole text, in characters
    blank: bool  # the text is only spaces, tabs and line breaks
    error_message: str | None  # why a failed post failed


def _calendar_rows(user_id: str, start: datetime, end: datetime) -> Select[Any]:
    """The user's non-draft posts scheduled in [start, end), by time, as CalendarRow columns.

    user_id is kept off its index: otherwise SQLite picks posts_user_id_idx, which on a one-user
    file reads every post ever written; posts_scheduled_at_idx reads only the days asked for,
    already in order.
    """
    owner = off_index(Post.user_id.expression)
    return (
        select(
            Post.id.label("id"),
            Post.title.label("title"),
            func.substr(Post.content, 1, CALENDAR_HEAD_CHARS).label("head"),
            Post.status.label("status"),
            Post.scheduled_at.label("scheduled_at"),
            func.length(Post.content).label("length"),
            (func.trim(Post.content, " \t\r\n") == "").label("blank"),
            Post.error_message.label("error_message"),
        )
        .where(
            owner == user_id,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
            Post.status != PostStatus.DRAFT,
            live_posts(),
        )
        .order_by(Post.scheduled_at, Post.id)
    )


def get_posts_scheduled_between(
    session: Session,
    user_id: str,
    start: datetime,
    end: datetime,
    limit: int | None = None,
    offset: int = 0,
) -> list[CalendarRow]:
    """The user's non-draft posts scheduled in [start, end), by time (a page of them with
    `limit` and `offset`: a busy day's list). Plain columns, not ORM objects."""
    stmt = _calendar_rows(user_id, start, end).limit(limit).offset(offset)
    return [CalendarRow(*row) for row in session.execute(stmt)]


def count_posts_scheduled_between(
    session: Session, user_id: str, start: datetime, end: datetime
) -> int:
    """How many rows `get_posts_scheduled_between` has for [start, end) without a limit."""
    rows = _calendar_rows(user_id, start, end).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(rows)) or 0)


def get_first_posts_of_each_day(
    session: Session,
    user_id: str,
    start: datetime,
    end: datetime,
    local_day: Callable[[Any], ColumnElement[int]],
    per_day: int,
) -> list[tuple[CalendarRow, int]]:
    """The month grid's one query: of each local day in [start, end), its first `per_day` posts
    by time, each with how many the day has (the grid shows a few chips and "+N more").

    `local_day(column)` is the SQL of a timestamp's local day (any number that is the same for
    the instants of one local day and differs between days), so the grouping is exact in SQL as
    in Python, DST included. A window function (SQLite 3.25 or later) numbers each day's rows.
    """
    rows = (
        _calendar_rows(user_id, start, end)
        .order_by(None)
        .add_columns(local_day(Post.scheduled_at).label("day"))
        .subquery()
    )

    # One window for both (ROW_NUMBER ignores the frame), over a column rather than the day's
    # expression twice, so SQLite sorts the rows once.
    def over_the_day(function: FunctionElement[Any]) -> Over[Any]:
        order = (rows.c.scheduled_at, rows.c.id)
        return function.over(partition_by=rows.c.day, order_by=order, rows=(None, None))

    columns = [rows.c[name] for name in CalendarRow._fields]
    numbered = select(
        *columns,
        over_the_day(func.row_number()).label("place"),
        over_the_day(func.count()).label("day_total"),
    ).subquery()
    stmt = (
        select(*(numbered.c[name] for name in CalendarRow._fields), numbered.c.day_total)
        .where(numbered.c.place <= per_day)
        .order_by(numbered.c.scheduled_at, numbered.c.id)
    )
    return [(CalendarRow(*row[:-1]), int(row[-1])) for row in session.execute(stmt)]


# --- posting slots and the queue (issue 16) ----------------------------------------------------

# A post holds a slot while it is on its way: scheduled, or being published right now.
HOLDS_A_SLOT = (PostStatus.SCHEDULED, PostStatus.PUBLISHING)


def get_posting_slots(session: Session, user_id: str) -> Sequence[PostingSlot]:
    """The user's slots by weekday and time (the unique index on user, weekday, time)."""
    stmt = (
        select(PostingSlot)
        .where(PostingSlot.user_id == user_id)
        .order_by(PostingSlot.weekday, PostingSlot.time)
    )
    return session.scalars(stmt).all()


def slot_rules(session: Session, user_id: str) -> list[Slot]:
    """The user's slots as the domain's rules; a row another program wrote wrong is skipped."""
    rules = []
    for row in get_posting_slots(session, user_id):
        try:
            rules.append(parse_slot(DAY_NAMES[row.weekday], row.time))
        except (ValidationError, IndexError):
            continue
    return rules


def add_posting_slot(session: Session, user_id: str, weekday: int, at: str) -> bool:
    """Add a slot; False when the user has it already."""
    exists = session.scalar(
        select(PostingSlot.id).where(
            PostingSlot.user_id == user_id, PostingSlot.weekday == weekday, PostingSlot.time == at
        )
    )
    if exists is not None:
        return False
    session.add(PostingSlot(user_id=user_id, weekday=weekday, time=at))
    session.flush()
    return True


def delete_posting_slot(session: Session, user_id: str, weekday: int, at: str) -> bool:
    result = session.execute(
        delete(PostingSlot).where(
            PostingSlot.user_id == user_id, PostingSlot.weekday == weekday, PostingSlot.time == at
        )
    )
    return bool(getattr(result, "rowcount", 0))


def _holding_slots(
    user_id: str, start: datetime, end: datetime
) -> Select[str, datetime | None, str]:
    """The user's posts holding a time in [start, end): one range of
    posts_user_status_scheduled_idx per status."""
    return select(Post.id, Post.scheduled_at, Post.status).where(
        Post.user_id == user_id,
        Post.status.in_(HOLDS_A_SLOT),
        Post.scheduled_at >= start,
        Post.scheduled_at < end,
        live_posts(),
    )


def taken_instants(session: Session, user_id: str, start: datetime, end: datetime) -> set[datetime]:
    """The instants in [start, end) a scheduled or publishing post of the user holds."""
    return {row.scheduled_at for row in session.execute(_holding_slots(user_id, start, end))}


def scheduled_between(
    session: Session, user_id: str, start: datetime, end: datetime
) -> list[tuple[str, datetime]]:
    """(id, time) of the user's scheduled posts in [start, end), by time: the queue's
    candidates (a post being published has left the queue)."""
    stmt = (
        _holding_slots(user_id, start, end)
        .where(Post.status == PostStatus.SCHEDULED)
        .order_by(Post.scheduled_at, Post.id)
    )
    return [(row.id, row.scheduled_at) for row in session.execute(stmt)]


def last_scheduled_at(session: Session, user_id: str, after: datetime) -> datetime | None:
    stmt = select(func.max(Post.scheduled_at)).where(
        Post.user_id == user_id,
        Post.status == PostStatus.SCHEDULED,
        Post.scheduled_at >= after,
        live_posts(),
    )
    return session.scalar(stmt)


def count_series(session: Session, series_id: str) -> int:
    """How many posts a recurring series has (posts_series_id_idx)."""
    stmt = select(func.count()).select_from(Post).where(Post.series_id == series_id)
    return int(session.scalar(stmt) or 0)


def evergreen_candidate(session: Session, user_id: str, used_before: datetime) -> Post | None:
    """The user's evergreen published post used longest ago (its publish counts as a use), and
    not since `used_before`; None when every one was used more recently."""
    last_use = func.coalesce(Post.evergreen_used_at, Post.published_at)
    stmt = (
        select(Post)
        .where(
            Post.user_id == user_id,
            Post.status == PostStatus.PUBLISHED,
            Post.evergreen == 1,
            live_posts(),
            last_use <= used_before,
        )
        .order_by(last_use, Post.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def users_with_slots(session: Session) -> Sequence[str]:
    return session.scalars(select(PostingSlot.user_id).distinct()).all()


def published_times(session: Session, user_id: str) -> Sequence[datetime]:
    """When each of the user's posts was published (posts_user_status_published_idx)."""
    stmt = select(Post.published_at).where(
        Post.user_id == user_id,
        Post.status == PostStatus.PUBLISHED,
        Post.published_at.is_not(None),
        live_posts(),
    )
    return [at for at in session.scalars(stmt) if at is not None]


# --- the trash (issue 17) ------------------------------------------------------------------------


def get_trashed_posts(
    session: Session, user_id: str, deleted_before: datetime | None = None
) -> Sequence[Post]:
    """The user's posts in the trash, the most recently deleted first (with `deleted_before`:
    only those deleted before then, the ones due to go for good)."""
    stmt = select(Post).where(Post.user_id == user_id, Post.deleted_at.is_not(None))
    if deleted_before is not None:
        stmt = stmt.where(Post.deleted_at < deleted_before)
    return session.scalars(stmt.order_by(Post.deleted_at.desc(), Post.id)).all()


def get_trashed_post(session: Session, post_id: str, user_id: str) -> Post | None:
    stmt = select(Post).where(
        Post.id == post_id, Post.user_id == user_id, Post.deleted_at.is_not(None)
    )
    return session.scalars(stmt).first()


def users_with_trash(session: Session, deleted_before: datetime) -> Sequence[str]:
    """Users with posts deleted before `deleted_before` (the trash's own clean-up is global)."""
    stmt = select(Post.user_id).where(Post.deleted_at < deleted_before).distinct()
    return session.scalars(stmt).all()


def stored_media_paths(session: Session, user_id: str | None = None) -> list[str]:
    """Every media path the rows store (only `user_id`'s rows when given), as stored: the
    attachments first (their short names are the ones a restore puts back), then the link
    thumbnails, posts.image_path and the Studio's images, each kind in id order. The trash's
    posts count: their files are still theirs. A path named twice is listed twice."""
    stored: list[str | None] = []
    columns = (
        (PostMedia, PostMedia.path),
        (Post, Post.link_thumbnail_path),
        (Post, Post.image_path),
    )
    for model, column in columns:
        stmt = select(column).where(column.is_not(None)).order_by(model.id)
        if user_id is not None:
            stmt = stmt.where(model.user_id == user_id)
        stored += session.scalars(stmt)
    images = select(Generation.images_json).order_by(Generation.id)
    if user_id is not None:
        images = images.where(Generation.user_id == user_id)
    for raw in session.scalars(images):
        stored += json_strings(raw)
    return [path for path in stored if path]


def media_paths_in_use(session: Session, candidates: Sequence[str]) -> set[str]:
    """Of `candidates` (stored media paths), those a post still uses (the trash's included)."""
    if not candidates:
        return set()
    wanted = list(candidates)
    rows = session.scalars(select(PostMedia.path).where(PostMedia.path.in_(wanted))).all()
    thumbs = session.scalars(
        select(Post.link_thumbnail_path).where(Post.link_thumbnail_path.in_(wanted))
    ).all()
    return {p for p in [*rows, *thumbs] if p is not None}


def get_upcoming_posts(
    session: Session, user_id: str, now: datetime, search: str, limit: int
) -> list[CalendarRow]:
    """The agenda: the user's non-draft posts from `now` on, by time, whose title or text has
    `search` (any case); posts_scheduled_at_idx in order, as the calendar's reads."""
    stmt = _calendar_rows(user_id, now, datetime.max.replace(tzinfo=now.tzinfo))
    if search.strip():
        pattern = _like_pattern(search.strip())
        stmt = stmt.where(
            or_(Post.title.ilike(pattern, escape="\\"), Post.content.ilike(pattern, escape="\\"))
        )
    return [CalendarRow(*row) for row in session.execute(stmt.limit(limit))]


def image_paths_in_use(session: Session, candidates: Sequence[str]) -> set[str]:
    """Of `candidates` (posts.image_path values), those a post still names."""
    wanted = [c for c in candidates if c]
    if not wanted:
        return set()
    stmt = select(Post.image_path).where(Post.image_path.in_(wanted))
    return {p for p in session.scalars(stmt).all() if p is not None}


def existing_ids(
    session: Session, model: type[Post | PostMedia | Generation], ids: Sequence[str]
) -> Sequence[str]:
    """Which of `ids` a row of `model` holds already (an import keeps the others)."""
    if not ids:
        return []
    return session.scalars(select(model.id).where(model.id.in_(list(ids)))).all()
