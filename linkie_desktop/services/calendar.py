"""The calendar's data and rules: the weeks shown (one indexed query), drops, moves and edits.

No Qt here: the Calendar tab and the post dialog call this and show what it returns. Every refusal
is a ValidationError whose message can be shown to the user as it is; a refusal changes nothing.
Times: instants are UTC, days and wall-clock times are local to `tz` (None: the system's zone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    ValidationError,
    can_schedule,
    display_title,
    ensure_editable,
    validate_content,
    validate_schedule_time,
    validate_title,
)
from linkie_desktop.domain.schedule import (
    LocalSlot,
    days_bounds,
    default_slot,
    format_day,
    local_day,
    month_grid,
    resolve_wall_time,
    same_time_on,
    wall_clock,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.oauth import connection_status
from linkie_desktop.services.posts import DeletedPost, PostRecord, PostService, UnknownPostError

PAST_DAY = "That day has passed: drop the post on today or a later day."
TOO_LATE_TODAY = "It is too late to schedule anything today: drop the post on tomorrow or later."
PUBLISHED_FIXED = (
    "This post is already on LinkedIn and stays where it is. Duplicate it to post the text again."
)
PUBLISHING_FIXED = "This post is being published right now and cannot be moved."


@dataclass(frozen=True)
class CalendarPost:
    """A post as the calendar shows it: plain values, safe to keep after the session closed."""

    id: str
    label: str  # the title, else the first words of the text
    status: str
    instant: datetime | None  # scheduled time, UTC
    wall: datetime | None  # the same in local wall-clock time
    content_problem: str  # why the text cannot be scheduled; "" when it can
    error_message: str | None = None  # why a failed post failed, in LinkedIn's or our words

    @property
    def movable(self) -> bool:
        """Published and publishing posts are history: they cannot be dragged anywhere."""
        return can_schedule(self.status)


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    days: tuple[date, ...]  # the 42 days of the grid, from the locale's first day of the week
    today: date
    posts: dict[date, tuple[CalendarPost, ...]]  # by local day, each day's posts by time

    def posts_on(self, day: date) -> tuple[CalendarPost, ...]:
        return self.posts.get(day, ())

    def in_month(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)


@dataclass(frozen=True)
class Outcome:
    """What an action did, in a sentence for the user."""

    post_id: str
    message: str


def _content_problem(content: str) -> str:
    try:
        validate_content(content)
    except ValidationError as exc:
        return str(exc)
    return ""


def _quoted(label: str) -> str:
    return f"“{label}”"


def _when(slot: LocalSlot) -> str:
    return f"{format_day(slot.day)} at {slot.wall:%H:%M}"


def _with_note(message: str, slot: LocalSlot) -> str:
    return f"{message} {slot.note}" if slot.note else message


def movement_refusal(post: CalendarPost, day: date | None, today: date) -> str:
    """Why `post` may not be dropped on `day` (None: on the drafts list); "" when it may.

    The quick check the UI runs while a drag hovers; the drop itself checks again in the database.
    """
    if post.status == PostStatus.PUBLISHED:
        return PUBLISHED_FIXED
    if post.status == PostStatus.PUBLISHING:
        return PUBLISHING_FIXED
    if day is None:
        return ""
    if day < today:
        return PAST_DAY
    if post.content_problem:
        return f"Not scheduled. {post.content_problem}"
    return ""


class CalendarService:
    def __init__(
        self,
        engine: Engine,
        user_id: str,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
        media_dir: Path | None = None,
    ) -> None:
        self.engine = engine
        self.user_id = user_id
        self.tz = tz
        self.clock = clock
        self.posts = PostService(engine, user_id, media_dir)

    # --- reading -----------------------------------------------------------------------------

    def today(self) -> date:
        return local_day(self.clock(), self.tz)

    def _summary(self, post: Post) -> CalendarPost:
        return self._entry(
            post.id,
            post.title,
            post.content,
            post.status,
            post.scheduled_at,
            post.content,
            post.error_message,
        )

    def _entry(
        self,
        post_id: str,
        title: str | None,
        head: str,
        status: str,
        at: datetime | None,
        checked_text: str,
        error_message: str | None,
    ) -> CalendarPost:
        return CalendarPost(
            id=post_id,
            label=display_title(title, head, limit=60),
            status=status,
            instant=at,
            wall=None if at is None else wall_clock(at, self.tz),
            content_problem=_content_problem(checked_text),
            error_message=error_message,
        )

    def _row_entry(self, row: queries.CalendarRow) -> CalendarPost:
        # The domain's own check and wording, fed a stand-in of the right shape: the row carries
        # only the text's length and blankness, not the text itself.
        if row.blank:
            stand_in = ""
        elif row.length > MAX_CONTENT_CHARS:
            stand_in = "x" * row.length
        else:
            stand_in = "x"
        return self._entry(
            row.id, row.title, row.head, row.status, row.scheduled_at, stand_in, row.error_message
        )

    def month_view(self, year: int, month: int, first_weekday: int) -> MonthView:
        """The 6×7 grid of a month with its posts: ONE indexed query for all 42 days."""
        days = month_grid(year, month, first_weekday)
        start, end = days_bounds(days[0], days[-1], self.tz)
        with reading(self.engine) as session:
            rows = queries.get_posts_scheduled_between(session, self.user_id, start, end)
            summaries = [self._row_entry(row) for row in rows]
        by_day: dict[date, list[CalendarPost]] = {}
        for summary in summaries:
            assert summary.wall is not None  # the query only returns scheduled posts
            by_day.setdefault(summary.wall.date(), []).append(summary)
        return MonthView(
            year=year,
            month=month,
            days=tuple(days),
            today=self.today(),
            posts={day: tuple(posts) for day, posts in by_day.items()},
        )

    def drafts(self) -> list[CalendarPost]:
        """The unscheduled drafts, most recently changed first."""
        with reading(self.engine) as session:
            rows = queries.get_all_posts(session, self.user_id, status=PostStatus.DRAFT)
            return [self._summary(post) for post in rows]

    def record(self, post_id: str) -> PostRecord:
        return self.posts.get(post_id)

    def linkedin_connected(self) -> bool:
        return connection_status(self.engine, self.user_id, self.clock()).connected

    # --- drops -------------------------------------------------------------------------------

    def drop_on_day(self, post_id: str, day: date, default_time: time) -> Outcome:
        """A draft goes to `day` at the default posting time; a scheduled or failed post moves to
        `day` keeping its local time of day. Refusals raise ValidationError and change nothing."""
        now = self.clock()
        with transaction(self.engine) as session:
            post = self._get(session, post_id)
            summary = self._summary(post)
            refusal = movement_refusal(summary, day, local_day(now, self.tz))
            if refusal:
                raise ValidationError(refusal)
            if post.status == PostStatus.DRAFT or post.scheduled_at is None:
                found = default_slot(day, default_time, now, self.tz)
                if found is None:
                    raise ValidationError(TOO_LATE_TODAY)
                slot = found
                verb = "is scheduled for"
            else:
                if summary.wall is not None and summary.wall.date() == day:
                    return Outcome(post_id, f"{_quoted(summary.label)} is already on that day.")
                slot = same_time_on(post.scheduled_at, day, self.tz)
                if slot.instant <= now:
                    raise ValidationError(
                        f"{slot.wall:%H:%M} today has already passed: open the post to choose "
                        "a later time, or drop it on another day."
                    )
                verb = "moved to"
            self._schedule(session, post, slot, now)
        return Outcome(post_id, _with_note(f"{_quoted(summary.label)} {verb} {_when(slot)}.", slot))

    def drop_on_drafts(self, post_id: str) -> Outcome:
        """A scheduled or failed post dropped on the drafts list becomes a draft again."""
        with transaction(self.engine) as session:
            post = self._get(session, post_id)
            summary = self._summary(post)
            refusal = movement_refusal(summary, None, self.today())
            if refusal:
                raise ValidationError(refusal)
            if post.status == PostStatus.DRAFT:
                return Outcome(post_id, f"{_quoted(summary.label)} is already a draft.")
        return self.unschedule(post_id)

    # --- the context menu ----------------------------------------------------------------------

    def unschedule(self, post_id: str) -> Outcome:
        post = self.posts.unschedule(post_id)
        label = display_title(post.title, post.content, limit=60)
        return Outcome(post_id, f"{_quoted(label)} is a draft again, not scheduled.")

    def duplicate(self, post_id: str) -> Outcome:
        copy = self.posts.duplicate(post_id)
        label = display_title(copy.title, copy.content, limit=60)
        return Outcome(copy.id, f"A copy of {_quoted(label)} is in the drafts.")

    def delete(self, post_id: str) -> tuple[Outcome, DeletedPost]:
        """Delete; keep the DeletedPost to `restore` it (Undo) or `forget` it when Undo expires."""
        deleted = self.posts.delete(post_id)
        label = display_title(deleted.record.title, deleted.record.content, limit=60)
        return Outcome(post_id, f"{_quoted(label)} was deleted."), deleted

    def restore(self, deleted: DeletedPost) -> Outcome:
        record = self.posts.restore(deleted)
        label = display_title(record.title, record.content, limit=60)
        return Outcome(record.id, f"{_quoted(label)} is back.")

    def forget(self, deleted: DeletedPost) -> None:
        self.posts.forget(deleted)

    # --- the post dialog -----------------------------------------------------------------------

    def slot_for_new_post(self, day: date, default_time: time) -> LocalSlot | None:
        """Where a new post on `day` starts: as a dropped draft would go (None: the day is over)."""
        if day < self.today():
            return None
        return default_slot(day, default_time, self.clock(), self.tz)

    def preview(self, wall: datetime) -> LocalSlot:
        """When a wall-clock time typed in the dialog will really be (spring-forward gaps moved)."""
        return resolve_wall_time(wall, self.tz)

    def save(self, post_id: str | None, title: str, content: str, wall: datetime | None) -> Outcome:
        """Create (post_id None) or update a post from the dialog, with the same rules as
        everywhere: text 1–3000 characters, a future time. `wall` None keeps it a draft."""
        validate_content(content)
        title = validate_title(title) or ""
        now = self.clock()
        slot = None if wall is None else resolve_wall_time(wall, self.tz)
        if slot is not None:
            validate_schedule_time(slot.instant, now)
        with transaction(self.engine) as session:
            if post_id is None:
                post = queries.create_post(
                    session, {"user_id": self.user_id, "content": content, "title": title or None}
                )
            else:
                post = self._get(session, post_id)
                ensure_editable(post.status)
                self._update(session, post, {"title": title or None, "content": content})
            label = display_title(post.title, post.content, limit=60)
            if slot is not None:
                self._schedule(session, post, slot, now)
                message = _with_note(f"{_quoted(label)} is scheduled for {_when(slot)}.", slot)
            else:
                if post.status != PostStatus.DRAFT:
                    self._update(
                        session,
                        post,
                        {"status": PostStatus.DRAFT, "scheduled_at": None, "error_message": None},
                    )
                message = f"{_quoted(label)} is saved as a draft."
            return Outcome(post.id, message)

    # --- writes ------------------------------------------------------------------------------

    def _get(self, session: Session, post_id: str) -> Post:
        post = queries.get_post_by_id(session, post_id, self.user_id)
        if post is None:
            raise UnknownPostError(post_id)
        return post

    def _update(self, session: Session, post: Post, changes: queries.PostChanges) -> None:
        updated = queries.update_post(session, post.id, changes, self.user_id)
        assert updated is not None

    def _schedule(self, session: Session, post: Post, slot: LocalSlot, now: datetime) -> None:
        # The same rules as PostService.schedule, against this service's clock so that the
        # calendar's "today" and "in the future" always agree.
        if not can_schedule(post.status):
            raise ValidationError(f"A {post.status} post cannot be scheduled.")
        validate_content(post.content)
        validate_schedule_time(slot.instant, now)
        self._update(session, post, queries.scheduled_afresh(slot.instant))


# Moved to services/external_changes.py (the window polls it now, not the calendar); this name
# stays until tests/integration/test_calendar_service.py imports it from there.
from linkie_desktop.services.external_changes import (  # noqa: E402
    ExternalChangeWatcher as ExternalChangeWatcher,
)
