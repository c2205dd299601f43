"""Slot arithmetic with a pinned clock across both DST changes of Berlin and New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import SlotAdjustment, resolve_wall_time, wall_clock
from linkie_desktop.domain.slots import (
    Slot,
    first_free,
    occurrences,
    parse_slot,
    slot_of,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, WED, SUN = 0, 1, 2, 6


def at(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    return resolve_wall_time(datetime.combine(day, time(hour, minute)), tz).instant


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Spring forward and fall back, the Monday before and after each change.
        (BERLIN, date(2026, 3, 23), date(2026, 3, 30)),
        (BERLIN, date(2026, 10, 19), date(2026, 10, 26)),
        (NEW_YORK, date(2026, 3, 2), date(2026, 3, 9)),
        (NEW_YORK, date(2026, 10, 26), date(2026, 11, 2)),
    ],
)
def test_a_0900_slot_stays_0900_across_each_dst_change(
    tz: ZoneInfo, before: date, after: date
) -> None:
    slot = Slot(MON, time(9, 0))
    start = at(before, 0, 0, tz)
    found = occurrences([slot], start, start + timedelta(weeks=2), tz)
    assert [o.when.wall for o in found] == [
        datetime.combine(before, time(9)),
        datetime.combine(after, time(9)),
    ]
    assert [wall_clock(o.instant, tz).time() for o in found] == [time(9), time(9)]
    # The UTC instants are not a week apart: the offset changed in between.
    assert found[1].instant - found[0].instant != timedelta(weeks=1)


def test_a_slot_in_the_spring_forward_gap_goes_out_at_the_first_valid_time_and_says_so() -> None:
    # Berlin, Sunday 29 March 2026: 02:00 jumps to 03:00, so 02:30 does not exist that night.
    gap = Slot(SUN, time(2, 30))
    start = datetime(2026, 3, 28, tzinfo=UTC)
    (only,) = occurrences([gap], start, start + timedelta(days=2), BERLIN)
    assert only.when.wall == datetime(2026, 3, 29, 3, 0)
    assert only.when.adjustment is SlotAdjustment.SKIPPED_BY_DST
    assert "02:30 does not exist" in only.when.note
    # The next Sunday it is 02:30 again.
    (later,) = occurrences([gap], start + timedelta(days=7), start + timedelta(days=9), BERLIN)
    assert later.when.wall == datetime(2026, 4, 5, 2, 30)


def test_two_slots_in_one_gap_are_one_occurrence() -> None:
    slots = [Slot(SUN, time(2, 0)), Slot(SUN, time(2, 30))]
    start = datetime(2026, 3, 28, tzinfo=UTC)
    found = occurrences(slots, start, start + timedelta(days=2), BERLIN)
    assert len(found) == 1 and found[0].slot == Slot(SUN, time(2, 0))


def test_an_ambiguous_slot_means_its_first_occurrence() -> None:
    # Berlin, Sunday 25 October 2026: 02:30 happens twice; the first is 00:30 UTC.
    start = datetime(2026, 10, 24, tzinfo=UTC)
    (only,) = occurrences([Slot(SUN, time(2, 30))], start, start + timedelta(days=2), BERLIN)
    assert only.instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_next_free_slot_skips_taken_slots_and_those_under_ten_minutes_ahead() -> None:
    slots = [Slot(MON, time(9)), Slot(WED, time(9)), Slot(TUE, time(12, 30))]
    monday = date(2026, 3, 23)
    now = at(monday, 8, 52, BERLIN)  # Monday 09:00 is 8 minutes away: skipped
    found = first_free(slots, now, set(), BERLIN)
    assert found is not None and found.when.wall == datetime(2026, 3, 24, 12, 30)
    taken = {at(date(2026, 3, 24), 12, 30, BERLIN)}
    found = first_free(slots, now, taken, BERLIN)
    assert found is not None and found.when.wall == datetime(2026, 3, 25, 9)
    # 11 minutes ahead is enough.
    found = first_free(slots, at(monday, 8, 49, BERLIN), set(), BERLIN)
    assert found is not None and found.when.wall == datetime(2026, 3, 23, 9)


def test_a_full_week_spills_into_the_next_and_no_slots_means_none() -> None:
    slots = [Slot(MON, time(9)), Slot(WED, time(9))]
    now = at(date(2026, 3, 22), 12, 0, BERLIN)  # a Sunday
    week = occurrences(slots, now, now + timedelta(weeks=1), BERLIN)
    found = first_free(slots, now, {o.instant for o in week}, BERLIN)
    assert found is not None and found.when.wall == datetime(2026, 3, 30, 9)  # after the change
    assert first_free([], now, set(), BERLIN) is None


def test_slot_of_names_the_slot_a_time_sits_in() -> None:
    slots = [Slot(MON, time(9))]
    assert slot_of(at(date(2026, 3, 30), 9, 0, BERLIN), slots, BERLIN) == slots[0]
    assert slot_of(at(date(2026, 3, 30), 9, 15, BERLIN), slots, BERLIN) is None


@pytest.mark.parametrize(
    ("day", "time_text", "problem"),
    [
        ("funday", "09:00", "is not a day"),
        ("mon", "9:00", "is not a time"),
        ("mon", "24:00", "is not a time"),
    ],
)
def test_slots_are_parsed_in_plain_words(day: str, time_text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        parse_slot(day, time_text)


def test_day_names_parse_in_any_case() -> None:
    assert parse_slot("Tuesday", "12:30") == Slot(TUE, time(12, 30))
    assert parse_slot("SUN", "00:00").day_name == "sun"
