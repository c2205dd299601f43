"""Time rules: instants are stored in UTC, people think in their local time zone.

Python's datetimes end at years 1 and 9999, in whatever zone they are given: converting an
instant within a day of either end can fail (9999-12-31 23:59 UTC is 10000-01-01 in Kiritimati).
What a person types is refused then, in plain words; what is stored is shown in UTC instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from linkie_desktop.domain.posts import (
    ValidationError,
    ensure_in_date_range,
    out_of_range,
    validate_content,
)
from linkie_desktop.domain.status import PostStatus

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# A year ISO-8601 dates cannot hold: signed (-1, +10000), five digits or more, or year 0.
_YEAR_BEYOND_ISO = re.compile(r"^(?:[+-]\d|\d{5,}-|0000-)")


def localize(naive: datetime, tz: tzinfo | None = None) -> datetime:
    """A wall-clock time in `tz` (default: the system's zone, DST rules included) as an instant."""
    if naive.tzinfo is not None:
        raise ValueError("localize() takes a wall-clock time without a zone")
    if tz is None:
        try:
            return naive.astimezone()  # the C library applies the local zone's rules for that date
        except (OverflowError, ValueError):  # a day from year 1 or 9999's end: no local rules
            raise out_of_range() from None
    return naive.replace(tzinfo=tz)


def _local_or_none(instant: datetime, tz: tzinfo | None) -> datetime | None:
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused")
    try:
        return instant.astimezone(tz)
    except (OverflowError, ValueError):  # its local date is before year 1 or after 9999
        return None


def to_local(instant: datetime, tz: tzinfo | None = None) -> datetime:
    """`instant` in `tz` (None: the system's zone); as it is (UTC, from the database) when its
    local date would be before year 1 or after 9999, so a far date never breaks a list."""
    local = _local_or_none(instant, tz)
    return instant if local is None else local


def local_minute_text(instant: datetime, tz: tzinfo | None = None) -> str:
    """'2026-12-01 09:00' in `tz`; an instant with no local date Python can hold is shown in
    UTC and says so ('9999-12-31 23:59 UTC')."""
    local = _local_or_none(instant, tz)
    suffix = ""
    if local is None:
        local, suffix = instant.astimezone(UTC), " UTC"
    # %Y is not zero-padded for years before 1000 by every C library.
    return f"{local.year:04d}-{local:%m-%d %H:%M}{suffix}"


def parse_month(month: str) -> tuple[int, int]:
    match = _MONTH.match(month)
    if not match:
        raise ValueError(f"month must look like YYYY-MM, not {month!r}")
    return int(match.group(1)), int(match.group(2))


def month_bounds(month: str, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar month, as UTC instants."""
    year, number = parse_month(month)
    next_year, next_number = (year + 1, 1) if number == 12 else (year, number + 1)
    start = localize(datetime(year, number, 1), tz)
    end = localize(datetime(next_year, next_number, 1), tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def parse_when(text: str, tz: tzinfo | None = None) -> datetime:
    """ISO-8601 from a person or a script, as a UTC instant from 1970 to 9999; without an offset
    it means local time, by the same rules as the calendar (a time skipped by a DST change moves
    to the first valid time). Anything else raises ValidationError in plain words."""
    text = text.strip()
    if not text:
        raise ValidationError("No date and time given; use ISO-8601 such as 2026-12-01T09:00.")
    shown = repr(text)
    if _YEAR_BEYOND_ISO.match(text):
        raise out_of_range(shown)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"{shown} is not a date and time; use ISO-8601 such as 2026-12-01T09:00"
        ) from None
    if value.tzinfo is None:
        try:
            value = resolve_wall_time(value, tz).instant
        except ValidationError:
            raise out_of_range(shown) from None
    return ensure_in_date_range(value, shown)


# --- calendar math: wall-clock times that exist, month grids, default posting slots ------------

GRID_DAYS = 42  # six weeks: every month fits, and the grid never changes height
MIN_LEAD = timedelta(minutes=10)  # a post placed "now" leaves the user a moment to undo
QUARTER_HOUR = timedelta(minutes=15)


class SlotAdjustment(StrEnum):
    """Why a post goes out at another wall-clock time than the one asked for."""

    NONE = "none"
    # Spring forward: the time never happens that day; the first time after the jump is used.
    SKIPPED_BY_DST = "skipped_by_dst"
    # Today, the default posting time has passed: the next quarter-hour at least MIN_LEAD ahead.
    NEXT_QUARTER_HOUR = "next_quarter_hour"


@dataclass(frozen=True)
class LocalSlot:
    """A moment to post: the stored UTC instant and the local wall-clock time people see.

    `requested` is what was asked for; `wall` differs from it only when `adjustment` says why.
    """

    instant: datetime
    wall: datetime
    requested: datetime
    adjustment: SlotAdjustment = SlotAdjustment.NONE

    @property
    def day(self) -> date:
        return self.wall.date()

    @property
    def note(self) -> str:
        """A plain sentence for the user when the time was changed; empty when it was not."""
        if self.adjustment is SlotAdjustment.SKIPPED_BY_DST:
            return (
                f"{self.requested:%H:%M} does not exist on {format_day(self.requested.date())} "
                f"(the clocks go forward), so the post is set for {self.wall:%H:%M}."
            )
        if self.adjustment is SlotAdjustment.NEXT_QUARTER_HOUR:
            return (
                f"{self.requested:%H:%M} has already passed today, so the post is set for "
                f"{self.wall:%H:%M}."
            )
        return ""


def format_day(day: date) -> str:
    """A day the way messages name it: 'Sun 29 Mar 2026' (English, like every message)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _aware(wall: datetime, tz: tzinfo | None, fold: int) -> datetime:
    if tz is None:
        return wall.replace(fold=fold).astimezone()  # the C library's rules for the system zone
    return wall.replace(tzinfo=tz, fold=fold)


def wall_clock(instant: datetime, tz: tzinfo | None = None) -> datetime:
    """The naive local wall-clock time of an instant in `tz` (None: the system's zone)."""
    return to_local(instant, tz).replace(tzinfo=None)


def local_day(instant: datetime, tz: tzinfo | None = None) -> date:
    return wall_clock(instant, tz).date()


def resolve_wall_time(wall: datetime, tz: tzinfo | None = None) -> LocalSlot:
    """The instant a local wall-clock time means in `tz`, for every day of the year.

    - An ambiguous time (fall back: 02:30 happens twice) means its FIRST occurrence.
    - A time that does not exist (spring forward: 02:00 jumps to 03:00) becomes the first valid
      time after the jump (03:00), and the slot says so (`SKIPPED_BY_DST`, `note`), so the user
      is told instead of the post silently moving by an hour.
    """
    if wall.tzinfo is not None:
        raise ValueError("resolve_wall_time() takes a wall-clock time without a zone")
    wall = wall.replace(fold=0)
    try:
        candidates = sorted({_aware(wall, tz, fold).astimezone(UTC) for fold in (0, 1)})
    except (OverflowError, ValueError):  # in UTC (or for the C library) it is past year 1 or 9999
        raise out_of_range() from None
    for instant in candidates:  # earliest first: the first occurrence of an ambiguous time
        if wall_clock(instant, tz) == wall:
            return LocalSlot(instant=instant, wall=wall, requested=wall)
    # In a gap the two readings of `wall` straddle the jump; find its first second by bisection.
    before, after = int(candidates[0].timestamp()), int(candidates[-1].timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if wall_clock(datetime.fromtimestamp(middle, UTC), tz) < wall:
            before = middle
        else:
            after = middle
    instant = datetime.fromtimestamp(after, UTC)
    return LocalSlot(
        instant=instant,
        wall=wall_clock(instant, tz),
        requested=wall,
        adjustment=SlotAdjustment.SKIPPED_BY_DST,
    )


def start_of_day(day: date, tz: tzinfo | None = None) -> datetime:
    """The UTC instant a local day begins (midnight, or the first time after a skipped midnight)."""
    return resolve_wall_time(datetime.combine(day, time()), tz).instant


def month_grid(year: int, month: int, first_weekday: int) -> list[date]:
    """The 42 days of a 6×7 month view; `first_weekday` 0 = Monday … 6 = Sunday (the locale's)."""
    if not 0 <= first_weekday <= 6:
        raise ValueError(f"first_weekday must be 0 (Monday) to 6 (Sunday), not {first_weekday}")
    first = date(year, month, 1)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    return [start + timedelta(days=offset) for offset in range(GRID_DAYS)]


def days_bounds(first: date, last: date, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the local days `first` to `last` inclusive, DST days included."""
    return start_of_day(first, tz), start_of_day(last + timedelta(days=1), tz)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def next_quarter_hour(now: datetime, lead: timedelta = MIN_LEAD) -> datetime:
    """The first quarter-hour at least `lead` after `now` (UTC instant; every zone's offset today
    is a multiple of 15 minutes, so a UTC quarter-hour is a local one too)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime refused")
    earliest = int((now + lead).timestamp())
    step = int(QUARTER_HOUR.total_seconds())
    return datetime.fromtimestamp(-(-earliest // step) * step, UTC)


def default_slot(
    day: date, default_time: time, now: datetime, tz: tzinfo | None = None
) -> LocalSlot | None:
    """Where a post dropped on `day` goes: the default posting time, or, on today once that time is
    less than MIN_LEAD away, the next quarter-hour at least MIN_LEAD ahead. None when that no
    longer falls on `day` (late evening, or a day that has passed)."""
    slot = resolve_wall_time(datetime.combine(day, default_time), tz)
    if slot.instant >= now + MIN_LEAD:
        return slot
    instant = next_quarter_hour(now)
    wall = wall_clock(instant, tz)
    if wall.date() != day:
        return None
    return LocalSlot(
        instant=instant,
        wall=wall,
        requested=slot.requested,
        adjustment=SlotAdjustment.NEXT_QUARTER_HOUR,
    )


def same_time_on(instant: datetime, day: date, tz: tzinfo | None = None) -> LocalSlot:
    """`instant`'s local time of day on another local day: 09:00 stays 09:00 across DST changes."""
    return resolve_wall_time(datetime.combine(day, wall_clock(instant, tz).time()), tz)


# --- moving a post on the calendar: the rules a drop follows wherever it is checked ------------

PAST_DAY = "That day has passed: drop the post on today or a later day."
TOO_LATE_TODAY = "It is too late to schedule anything today: drop the post on tomorrow or later."
PUBLISHED_FIXED = (
    "This post is already on LinkedIn and stays where it is. Duplicate it to post the text again."
)
PUBLISHING_FIXED = "This post is being published right now and cannot be moved."


def text_problem(content: str) -> str:
    """Why `content` cannot be scheduled or published as it is; "" when it can (every view asks
    this one rule: the calendar, the post actions, the dashboard)."""
    try:
        validate_content(content)
    except ValidationError as exc:
        return str(exc)
    return ""


def move_refusal(status: str, content_problem: str, day: date | None, today: date) -> str:
    """Why a post may not be dropped on `day` (None: on the drafts); "" when it may.

    The one rule: the calendar asks it while a drag hovers (from what is on screen) and the
    post service asks it again, in the transaction that writes the move."""
    if status == PostStatus.PUBLISHED:
        return PUBLISHED_FIXED
    if status == PostStatus.PUBLISHING:
        return PUBLISHING_FIXED
    if day is None:
        return ""
    if day < today:
        return PAST_DAY
    if content_problem:
        return f"Not scheduled. {content_problem}"
    return ""


def slot_on_day(
    scheduled_at: datetime | None,
    day: date,
    default_time: time,
    now: datetime,
    tz: tzinfo | None = None,
) -> LocalSlot | None:
    """Where a post dropped on `day` goes: a draft (`scheduled_at` None) at the default posting
    time, a scheduled or failed post at its own local time of day (09:00 stays 09:00 across a DST
    change). None: the post is on that day already. A time that has passed is refused."""
    if scheduled_at is None:
        found = default_slot(day, default_time, now, tz)
        if found is None:
            raise ValidationError(TOO_LATE_TODAY)
        return found
    if local_day(scheduled_at, tz) == day:
        return None
    slot = same_time_on(scheduled_at, day, tz)
    if slot.instant <= now:
        raise ValidationError(
            f"{slot.wall:%H:%M} today has already passed: open the post to choose "
            "a later time, or drop it on another day."
        )
    return slot
