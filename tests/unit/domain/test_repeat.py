"""Repeat rules: the next occurrence at the same wall time, across DST, until a date or N times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.repeat import RepeatRule, Unit, next_occurrence
from linkie_desktop.domain.schedule import resolve_wall_time

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(day: date, hour: int, tz: ZoneInfo = BERLIN) -> datetime:
    return resolve_wall_time(datetime.combine(day, time(hour)), tz).instant


def test_every_day_keeps_its_wall_time_across_spring_forward() -> None:
    rule = RepeatRule(every=1, unit=Unit.DAYS)
    previous = at(date(2026, 3, 28), 9)
    found = next_occurrence(rule, previous, 1, previous, BERLIN)
    assert found is not None and found.wall == datetime(2026, 3, 29, 9)
    assert found.instant == datetime(2026, 3, 29, 7, tzinfo=UTC)  # CEST now


def test_weekly_on_chosen_weekdays_in_new_york_across_fall_back() -> None:
    rule = RepeatRule(every=2, unit=Unit.WEEKS, weekdays=(0, 3))  # Mon and Thu, every 2 weeks
    thursday = at(date(2026, 10, 29), 9, NEW_YORK)
    found = next_occurrence(rule, thursday, 1, thursday, NEW_YORK)
    # Next chosen day: Monday of the week after next (9 Nov), 09:00 EST.
    assert found is not None and found.wall == datetime(2026, 11, 9, 9)
    monday = at(date(2026, 10, 26), 9, NEW_YORK)
    found = next_occurrence(rule, monday, 1, monday, NEW_YORK)
    assert found is not None and found.wall == datetime(2026, 10, 29, 9)


def test_a_rule_ends_at_its_date_or_its_count() -> None:
    previous = at(date(2026, 3, 28), 9)
    until = RepeatRule(every=1, unit=Unit.DAYS, until=date(2026, 3, 28))
    assert next_occurrence(until, previous, 1, previous, BERLIN) is None
    three = RepeatRule(every=1, unit=Unit.DAYS, count=3)
    assert next_occurrence(three, previous, 2, previous, BERLIN) is not None
    assert next_occurrence(three, previous, 3, previous, BERLIN) is None


def test_occurrences_already_past_are_skipped() -> None:
    rule = RepeatRule(every=1, unit=Unit.DAYS)
    previous = at(date(2026, 3, 20), 9)
    found = next_occurrence(rule, previous, 1, at(date(2026, 3, 23), 10), BERLIN)
    assert found is not None and found.wall == datetime(2026, 3, 24, 9)


def test_the_rule_round_trips_through_json_and_reads_as_words() -> None:
    rule = RepeatRule(every=2, unit=Unit.WEEKS, weekdays=(3, 0), count=5, vary=False)
    assert RepeatRule.from_json(rule.to_json()) == rule
    assert rule.words() == "Every 2 weeks on Mon, Thu, 5 times"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"every": 0},
        {"unit": Unit.DAYS, "weekdays": (1,)},
        {"count": 1},
        {"count": 3, "until": date(2027, 1, 1)},
    ],
)
def test_impossible_rules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        RepeatRule(**kwargs)  # type: ignore[arg-type]
