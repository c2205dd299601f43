"""Repeat rules of recurring posts: every N days or weeks (on chosen weekdays), until a date or
for N posts in all. Wall times, like slots: a 09:00 post repeats at 09:00 across DST changes.

Stored as JSON on the post (posts.repeat_rule_json); every occurrence carries the rule and its
series' id, so the next one is worked out from the one just published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import LocalSlot, resolve_wall_time, wall_clock
from linkie_desktop.domain.slots import DAY_NAMES, DAY_WORDS, week_of

MAX_EVERY = 52
MAX_COUNT = 500
# LinkedIn refuses an exact repeat of a recent post (422 DUPLICATE_POST): said on the next
# occurrence of a rule that asks for a change of words each time.
VARY_NOTE = (
    "This repeats the text just published word for word: change a few words before it goes "
    "out, or LinkedIn will refuse it as a duplicate."
)


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True)
class RepeatRule:
    every: int = 1
    unit: Unit = Unit.WEEKS
    weekdays: tuple[int, ...] = ()  # with weeks: 0 = Monday … 6; empty: the first post's day
    until: date | None = None  # the last day an occurrence may fall on
    count: int | None = None  # posts in all, the first included
    vary: bool = True  # ask the user to change the text of each repeat (LinkedIn's rule)

    def __post_init__(self) -> None:
        if not 1 <= self.every <= MAX_EVERY:
            raise ValidationError(f"Repeat every 1 to {MAX_EVERY} {self.unit}, not {self.every}.")
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise ValidationError("Weekdays are 0 (Monday) to 6 (Sunday).")
        if self.weekdays and self.unit is not Unit.WEEKS:
            raise ValidationError("Weekdays go with a weekly repeat.")
        if self.count is not None and not 2 <= self.count <= MAX_COUNT:
            raise ValidationError(f"A repeat makes 2 to {MAX_COUNT} posts in all.")
        if self.until is not None and self.count is not None:
            raise ValidationError("Repeat until a date or a number of times, not both.")
        object.__setattr__(self, "weekdays", tuple(sorted(set(self.weekdays))))

    def words(self) -> str:
        """'Every 2 weeks on Mon, Thu, 5 times': the rule as the post's list shows it."""
        unit = str(self.unit)[:-1] if self.every == 1 else f"{self.every} {self.unit}"
        text = f"Every {unit}"
        if self.weekdays:
            text += " on " + ", ".join(DAY_WORDS[d][:3] for d in self.weekdays)
        if self.until is not None:
            text += f", until {self.until:%d %b %Y}"
        if self.count is not None:
            text += f", {self.count} times"
        return text

    def to_json(self) -> str:
        return json.dumps(
            {
                "every": self.every,
                "unit": self.unit.value,
                "weekdays": [DAY_NAMES[d] for d in self.weekdays],
                "until": self.until.isoformat() if self.until else None,
                "count": self.count,
                "vary": self.vary,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> RepeatRule:
        try:
            raw: Any = json.loads(text)
            return cls(
                every=int(raw["every"]),
                unit=Unit(raw["unit"]),
                weekdays=tuple(DAY_NAMES.index(d) for d in raw.get("weekdays") or ()),
                until=date.fromisoformat(raw["until"]) if raw.get("until") else None,
                count=int(raw["count"]) if raw.get("count") is not None else None,
                vary=bool(raw.get("vary", True)),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationError(f"The post's repeat rule cannot be read ({exc}).") from None


def _next_day(rule: RepeatRule, day: date) -> date:
    if rule.unit is Unit.DAYS:
        return day + timedelta(days=rule.every)
    if not rule.weekdays:
        return day + timedelta(weeks=rule.every)
    later = [d for d in rule.weekdays if d > day.weekday()]
    if later:
        return day + timedelta(days=later[0] - day.weekday())
    return week_of(day) + timedelta(weeks=rule.every, days=rule.weekdays[0])


def next_occurrence(
    rule: RepeatRule,
    previous: datetime,
    made: int,
    now: datetime,
    tz: tzinfo | None = None,
) -> LocalSlot | None:
    """When the post after the one at `previous` goes out, at the same local wall time; `made`:
    the posts the series has so far. Occurrences already past at `now` (a publish that came
    late) are skipped. None: the rule has ended (its date or its number of posts)."""
    wall = wall_clock(previous, tz)
    day, made_so_far = wall.date(), made
    while True:
        if rule.count is not None and made_so_far >= rule.count:
            return None
        day = _next_day(rule, day)
        if rule.until is not None and day > rule.until:
            return None
        slot = resolve_wall_time(datetime.combine(day, wall.time()), tz)
        if slot.instant > now:
            return slot
        made_so_far += 1  # a skipped occurrence still counts towards "N times"
