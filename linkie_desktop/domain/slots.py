"""Posting slots: weekly local wall times ("Mon 09:00") a queue fills, one post per slot.

A slot is a wall time, not an instant: 09:00 stays 09:00 in winter and in summer. Each
occurrence is resolved by domain/schedule.py's one rule (`resolve_wall_time`):
- a slot in a spring-forward gap (02:30 on the night the clocks go from 02:00 to 03:00) happens
  that day at the first valid time after the jump (03:00), and says so in its note;
- a slot in the hour that happens twice (fall back) means its first occurrence.
Two slots that land on the same instant that way (02:00 and 02:30 both at 03:00) are one
occurrence: a post sits in a slot when its time is that instant.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import MIN_LEAD, LocalSlot, local_day, resolve_wall_time

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# How far ahead a queue looks for a free slot: a full year of slots is a mistake to report,
# not a reason to loop for ever.
QUEUE_HORIZON = timedelta(days=366)


@dataclass(frozen=True, order=True)
class Slot:
    """Every week on `weekday` (0 = Monday … 6 = Sunday) at the local wall time `at`."""

    weekday: int
    at: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValidationError(f"A weekday is 0 (Monday) to 6 (Sunday), not {self.weekday}.")
        if self.at.second or self.at.microsecond or self.at.tzinfo is not None:
            raise ValidationError("A posting slot is a wall time in whole minutes (HH:MM).")

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.weekday]

    @property
    def time_text(self) -> str:
        return f"{self.at:%H:%M}"

    @property
    def words(self) -> str:
        """'Monday 09:00', as messages name a slot."""
        return f"{DAY_WORDS[self.weekday]} {self.time_text}"


def parse_day(text: str) -> int:
    """'mon' … 'sun' (any case, or the whole English name) as 0 … 6."""
    key = text.strip().lower()
    for index, (short, long) in enumerate(zip(DAY_NAMES, DAY_WORDS, strict=True)):
        if key in (short, long.lower()):
            return index
    raise ValidationError(f"{text!r} is not a day; use mon, tue, wed, thu, fri, sat or sun.")


def parse_time(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise ValidationError(f"{text!r} is not a time; use HH:MM from 00:00 to 23:59.")
    return time(int(match.group(1)), int(match.group(2)))


def parse_slot(day: str, at: str) -> Slot:
    return Slot(parse_day(day), parse_time(at))


@dataclass(frozen=True)
class Occurrence:
    """One slot on one local day: where a post goes (`when.instant`) and why it may differ."""

    slot: Slot
    when: LocalSlot

    @property
    def instant(self) -> datetime:
        return self.when.instant


def occurrences(
    slots: Iterable[Slot], start: datetime, end: datetime, tz: tzinfo | None = None
) -> list[Occurrence]:
    """Every occurrence of `slots` with start <= instant < end, in time order; slots that land on
    one instant (both in a DST gap) count once, under the earlier wall time."""
    by_weekday: dict[int, list[Slot]] = {}
    for slot in sorted(set(slots)):
        by_weekday.setdefault(slot.weekday, []).append(slot)
    if not by_weekday or end <= start:
        return []
    found: dict[datetime, Occurrence] = {}
    # A day either side: a slot's local day may begin before `start` in UTC terms.
    day = local_day(start, tz) - timedelta(days=1)
    last = local_day(end, tz) + timedelta(days=1)
    while day <= last:
        for slot in by_weekday.get(day.weekday(), ()):
            when = resolve_wall_time(datetime.combine(day, slot.at), tz)
            if start <= when.instant < end and when.instant not in found:
                found[when.instant] = Occurrence(slot, when)
        day += timedelta(days=1)
    return [found[instant] for instant in sorted(found)]


def occurrences_from(
    slots: Iterable[Slot], start: datetime, tz: tzinfo | None = None, week_steps: int = 53
) -> Iterator[Occurrence]:
    """Occurrences from `start` on, a week at a time (for at most `week_steps` weeks)."""
    chosen = list(slots)
    for step in range(week_steps):
        begin = start + timedelta(weeks=step)
        yield from occurrences(chosen, begin, begin + timedelta(weeks=1), tz)


def first_free(
    slots: Iterable[Slot],
    now: datetime,
    taken: Collection[datetime],
    tz: tzinfo | None = None,
    lead: timedelta = MIN_LEAD,
    horizon: timedelta = QUEUE_HORIZON,
) -> Occurrence | None:
    """The next occurrence at least `lead` after `now` that no post holds (`taken`: the instants
    of scheduled and publishing posts); None when there is none within `horizon`."""
    start = now + lead
    for occurrence in occurrences(slots, start, now + horizon, tz):
        if occurrence.instant not in taken:
            return occurrence
    return None


def slot_of(instant: datetime, slots: Iterable[Slot], tz: tzinfo | None = None) -> Slot | None:
    """The slot a post at `instant` sits in, or None (a time no slot gives)."""
    nearby = occurrences(slots, instant - timedelta(days=1), instant + timedelta(days=1), tz)
    return next((o.slot for o in nearby if o.instant == instant), None)


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())
