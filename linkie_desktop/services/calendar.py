"""The calendar's data and rules: the weeks shown (one indexed query: each day's first posts and
its count), pages of drafts and of a day's posts, and drops.

No Qt here: the Calendar tab calls this (on the task runner) and shows what it returns. Every
write goes through PostService, the one writer of posts; the rules of a drop live in
domain/schedule.py. Every refusal is a ValidationError whose message can be shown to the user as
it is; a refusal changes nothing.
Times: instants are UTC, days and wall-clock times are local to `tz` (None: the system's zone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import Post
from linkie_desktop.db.stats import SECONDS_PER_DAY
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    ValidationError,
    can_schedule,
    display_title,
)
from linkie_desktop.domain.schedule import (
    MIN_LEAD,
    LocalSlot,
    days_bounds,
    format_day,
    local_day,
    month_grid,
    move_refusal,
    resolve_wall_time,
    text_problem,
    wall_clock,
)
from linkie_desktop.domain.slots import Occurrence, occurrences
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import local_clock
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.slots import SlotChange, SlotService
from linkie_desktop.services.upload_progress import upload_states

PAGE_SIZE = 200  # rows of a long list (the drafts, a busy day) fetched at a time
# A day cell shows as many chips as its height has room for, and "+N more" for the rest: the
# month is read with this many posts a day, enough for a tall window.
GRID_POSTS_PER_DAY = 8
WEEK_POSTS = 500  # a week view shows at most this many posts (the rest: the day's list)
AGENDA_SIZE = 300  # upcoming posts the agenda lists at once
TIME_PASSED = "That time has passed: drop the post on a later time."


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
    upload: str | None = None  # how its uploads stand ("Uploading video: 45 %"), while news

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
    # By local day: its first GRID_POSTS_PER_DAY posts by time; the rest are read when its list
    # is opened (day_page).
    posts: dict[date, tuple[CalendarPost, ...]]
    counts: dict[date, int] = field(default_factory=dict)  # by local day: all its posts
    # By local day: the posting slots no post holds, still at least MIN_LEAD ahead (dashed
    # drop targets).
    free_slots: dict[date, tuple[Occurrence, ...]] = field(default_factory=dict)

    def free_on(self, day: date) -> tuple[Occurrence, ...]:
        return self.free_slots.get(day, ())

    def posts_on(self, day: date) -> tuple[CalendarPost, ...]:
        return self.posts.get(day, ())

    def count_on(self, day: date) -> int:
        """How many posts the day has, shown or not."""
        return self.counts.get(day, len(self.posts_on(day)))

    def in_month(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)


@dataclass(frozen=True)
class WeekView:
    """Seven local days from `days[0]`: their posts by time and the free slots among them."""

    days: tuple[date, ...]
    today: date
    now: datetime
    posts: tuple[CalendarPost, ...]
    free_slots: tuple[Occurrence, ...]
    total: int  # posts in the week, shown or not (WEEK_POSTS at most are read)


@dataclass(frozen=True)
class AgendaEntry:
    post: CalendarPost
    slot: str  # the posting slot it sits in ("Monday 09:00"), "" when none: not queued


@dataclass(frozen=True)
class Outcome:
    """What an action changed (the posts, none when nothing moved) and a sentence for the user."""

    post_ids: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Page:
    """Some rows of a long list (the drafts, one day's posts) and how many the whole list has."""

    offset: int
    posts: tuple[CalendarPost, ...]
    total: int

    @property
    def end(self) -> int:
        return self.offset + len(self.posts)


def _quoted(label: str) -> str:
    return f"“{label}”"


def _when(slot: LocalSlot) -> str:
    return f"{format_day(slot.day)} at {slot.wall:%H:%M}"


def _with_note(message: str, slot: LocalSlot) -> str:
    return f"{message} {slot.note}" if slot.note else message


def movement_refusal(post: CalendarPost, day: date | None, today: date) -> str:
    """Why `post` may not be dropped on `day` (None: on the drafts list); "" when it may.

    The quick check the UI runs while a drag hovers, from what is on screen; the drop itself
    checks again in the database (PostService.move_to_day), with the same rule.
    """
    return move_refusal(post.status, post.content_problem, day, today)


class CalendarService:
    def __init__(
        self,
        engine: Engine,
        user_id: str,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
        media_dir: Path | None = None,
        preferences: Callable[[], Preferences] | None = None,
    ) -> None:
        """`preferences`: Settings as they are now (the window's one object), read when a post is
        made here (its default visibility); None: the defaults (PUBLIC)."""
        self.engine = engine
        self.user_id = user_id
        self.tz = tz
        self.clock = clock
        self.posts = PostService(engine, user_id, media_dir, preferences=preferences)
        self.slots = SlotService(engine, user_id, tz, clock, posts=self.posts)

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
            content_problem=text_problem(checked_text),
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

    def _with_uploads(self, posts: Sequence[CalendarPost]) -> list[CalendarPost]:
        """The posts, each with how its uploads stand when there is news (the list's and the
        composer's words: services/upload_progress.py)."""
        waiting = [p.id for p in posts if p.status in (PostStatus.SCHEDULED, PostStatus.PUBLISHING)]
        states = upload_states(self.engine, self.user_id, waiting, tz=self.tz) if waiting else {}
        return [
            replace(post, upload=states[post.id].text) if post.id in states else post
            for post in posts
        ]

    def month_view(self, year: int, month: int, first_weekday: int) -> MonthView:
        """The 6×7 grid of a month: ONE indexed query for all 42 days, returning of each day only
        the posts its cell shows and how many it has (a day of 500 posts reads 3 rows)."""
        days = month_grid(year, month, first_weekday)
        start, end = days_bounds(days[0], days[-1], self.tz)
        # The zone's offsets over the six weeks: SQL adds the right one to each time, so a post
        # lands on the local day Python's clock gives it (wall_clock), DST days included.
        clock = local_clock(start, end, self.tz)
        with reading(self.engine) as session:
            rows = queries.get_first_posts_of_each_day(
                session,
                self.user_id,
                start,
                end,
                lambda column: clock.local_seconds(column) // SECONDS_PER_DAY,
                GRID_POSTS_PER_DAY,
            )
        by_day: dict[date, list[CalendarPost]] = {}
        counts: dict[date, int] = {}
        entries = self._with_uploads([self._row_entry(row) for row, _total in rows])
        for (_row, day_total), summary in zip(rows, entries, strict=True):
            assert summary.wall is not None  # the query only returns scheduled posts
            by_day.setdefault(summary.wall.date(), []).append(summary)
            counts[summary.wall.date()] = day_total
        free: dict[date, list[Occurrence]] = {}
        for occurrence in self.slots.free_between(start, end):
            free.setdefault(occurrence.when.day, []).append(occurrence)
        return MonthView(
            year=year,
            month=month,
            days=tuple(days),
            today=self.today(),
            posts={day: tuple(posts) for day, posts in by_day.items()},
            counts=counts,
            free_slots={day: tuple(found) for day, found in free.items()},
        )

    def week_view(self, first: date) -> WeekView:
        """Seven days from `first`: their posts (at most WEEK_POSTS) and free slots."""
        days = tuple(first + timedelta(days=offset) for offset in range(7))
        start, end = days_bounds(days[0], days[-1], self.tz)
        with reading(self.engine) as session:
            rows = queries.get_posts_scheduled_between(
                session, self.user_id, start, end, limit=WEEK_POSTS
            )
            total = queries.count_posts_scheduled_between(session, self.user_id, start, end)
        return WeekView(
            days=days,
            today=self.today(),
            now=self.clock(),
            posts=tuple(self._with_uploads([self._row_entry(row) for row in rows])),
            free_slots=tuple(self.slots.free_between(start, end)),
            total=total,
        )

    def agenda(self, search: str = "", limit: int = AGENDA_SIZE) -> tuple[AgendaEntry, ...]:
        """The upcoming posts from now on, by time, whose title or text has `search`; each
        says the posting slot it sits in."""
        now = self.clock()
        with reading(self.engine) as session:
            rows = queries.get_upcoming_posts(session, self.user_id, now, search, limit)
            slots = queries.slot_rules(session, self.user_id)
        entries = [self._row_entry(row) for row in rows]
        if not entries or not slots:
            return tuple(AgendaEntry(post, "") for post in entries)
        last = max(row.scheduled_at for row in rows) + timedelta(seconds=1)
        held = {o.instant: o.slot.words for o in occurrences(slots, now, last, self.tz)}
        return tuple(
            AgendaEntry(post, held.get(post.instant, "") if post.instant is not None else "")
            for post in entries
        )

    def drafts_page(self, offset: int, limit: int = PAGE_SIZE) -> Page:
        """Some of the unscheduled drafts, most recently changed first, and how many there are.

        Only the page's texts are read and checked: 40,000 drafts cost the same as 200."""
        drafts = (PostStatus.DRAFT,)
        with reading(self.engine) as session:
            total = queries.count_post_summaries(session, self.user_id, statuses=drafts)
            rows = queries.list_post_summaries(
                session, self.user_id, statuses=drafts, limit=limit, offset=offset
            )
            full = {
                post.id: post
                for post in queries.get_posts_by_ids(session, [r.id for r in rows], self.user_id)
            }
            posts = tuple(self._summary(full[row.id]) for row in rows if row.id in full)
        return Page(offset, posts, total)

    def day_page(self, day: date, offset: int, limit: int = PAGE_SIZE) -> Page:
        """Some of one local day's posts (the grid's "+N more"), by time, and how many it has."""
        start, end = days_bounds(day, day, self.tz)
        with reading(self.engine) as session:
            rows = queries.get_posts_scheduled_between(
                session, self.user_id, start, end, limit=limit, offset=offset
            )
            total = queries.count_posts_scheduled_between(session, self.user_id, start, end)
        return Page(offset, tuple(self._with_uploads([self._row_entry(r) for r in rows])), total)

    # --- drops: written by PostService, the one writer of posts --------------------------------

    def drop_on_day(self, post_id: str, day: date, default_time: time) -> Outcome:
        """A draft goes to `day` at the default posting time; a scheduled or failed post moves to
        `day` keeping its local time of day. Refusals raise ValidationError and change nothing."""
        move = self.posts.move_to_day(post_id, day, default_time, self.clock(), self.tz)
        label = _quoted(display_title(move.record.title, move.record.content, limit=60))
        if move.slot is None:
            return Outcome((), f"{label} is already on that day.")
        verb = "is scheduled for" if move.was_draft else "moved to"
        return Outcome((post_id,), _with_note(f"{label} {verb} {_when(move.slot)}.", move.slot))

    def drop_at_time(self, post_id: str, wall: datetime) -> Outcome:
        """The week view's drop (or keyboard move) on a local wall time: the post is scheduled
        then (a time the clocks skip: the first time after the jump, said). Refused as a day
        drop is, and when that time is less than MIN_LEAD ahead."""
        slot = resolve_wall_time(wall, self.tz)
        now = self.clock()
        if slot.instant < now + MIN_LEAD:
            raise ValidationError(TIME_PASSED)
        record = self.posts.get(post_id)
        refusal = move_refusal(record.status, "", slot.day, self.today())
        if refusal:
            raise ValidationError(refusal)
        if record.scheduled_at == slot.instant and record.status == PostStatus.SCHEDULED:
            return Outcome((), "The post is at that time already.")
        record = self.posts.set_schedule(post_id, slot.instant, now)
        label = _quoted(display_title(record.title, record.content, limit=60))
        return Outcome((post_id,), _with_note(f"{label} is scheduled for {_when(slot)}.", slot))

    def drop_on_slot(self, post_id: str, occurrence: Occurrence) -> Outcome:
        """A drop on a free slot's dashed target: the post goes to that slot's time."""
        return self.drop_at_time(post_id, occurrence.when.requested)

    def move_in_queue(self, post_id: str, step: int) -> Outcome:
        return self._queue_outcome(self.slots.move(post_id, step))

    def shuffle_queue(self) -> Outcome:
        return self._queue_outcome(self.slots.shuffle())

    def _queue_outcome(self, change: SlotChange) -> Outcome:
        return Outcome(change.post_ids, change.message)

    def drop_on_drafts(self, post_id: str) -> Outcome:
        """A scheduled or failed post dropped on the drafts list becomes a draft again."""
        record, changed = self.posts.return_to_drafts(post_id)
        label = _quoted(display_title(record.title, record.content, limit=60))
        if not changed:
            return Outcome((), f"{label} is already a draft.")
        return Outcome((post_id,), f"{label} is a draft again, not scheduled.")
