"""Calendar time math: spring-forward gaps, fall-back repeats, month grids, default slots, and the
ends of the range of dates (1970 to 9999) in every zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import (
    GRID_DAYS,
    SlotAdjustment,
    days_bounds,
    default_slot,
    local_day,
    local_minute_text,
    localize,
    month_grid,
    next_quarter_hour,
    parse_when,
    resolve_wall_time,
    same_time_on,
    shift_month,
    to_local,
    wall_clock,
)
from tests.calendar_support import BERLIN, NEW_YORK, system_zone

# (zone, spring-forward day, fall-back day) in 2026: Berlin 29 Mar / 25 Oct, New York 8 Mar / 1 Nov.
DST_DAYS = [
    (BERLIN, date(2026, 3, 29), date(2026, 10, 25)),
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
]


@pytest.fixture(params=["explicit", "system"])
def zone_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _tz(zone: ZoneInfo, mode: str) -> ZoneInfo | None:
    """The zone handed to the functions: explicitly, or None with the system zone pinned to it."""
    return zone if mode == "explicit" else None


@pytest.fixture(params=DST_DAYS, ids=["berlin", "new_york"])
def dst(
    request: pytest.FixtureRequest, zone_mode: str
) -> Iterator[tuple[ZoneInfo | None, date, date]]:
    zone, spring, fall = request.param
    with system_zone(zone.key):
        yield _tz(zone, zone_mode), spring, fall


def test_0230_on_a_spring_forward_day_moves_to_the_first_time_after_the_jump(
    dst: tuple[ZoneInfo | None, date, date],
) -> None:
    tz, spring, _ = dst
    slot = resolve_wall_time(datetime.combine(spring, time(2, 30)), tz)
    assert slot.adjustment is SlotAdjustment.SKIPPED_BY_DST
    assert slot.wall == datetime.combine(spring, time(3, 0))
    assert wall_clock(slot.instant, tz) == slot.wall
    assert "02:30 does not exist" in slot.note and "03:00" in slot.note


def test_an_ambiguous_fall_back_time_means_its_first_occurrence(
    dst: tuple[ZoneInfo | None, date, date],
) -> None:
    tz, _, fall = dst
    repeated = time(2, 30) if fall.month == 10 else time(1, 30)  # Berlin 02–03, New York 01–02
    slot = resolve_wall_time(datetime.combine(fall, repeated), tz)
    one_hour_later = slot.instant + timedelta(hours=1)
    assert slot.adjustment is SlotAdjustment.NONE
    assert slot.note == ""
    # The first occurrence: one hour later the wall clock shows the same time again.
    assert wall_clock(one_hour_later, tz) == slot.wall


def test_exact_instants_around_berlin_transitions() -> None:
    spring = resolve_wall_time(datetime(2026, 3, 29, 2, 30), BERLIN)
    fall = resolve_wall_time(datetime(2026, 10, 25, 2, 30), BERLIN)
    assert spring.instant == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert fall.instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET


def test_a_0900_post_moved_across_either_dst_change_stays_0900(
    dst: tuple[ZoneInfo | None, date, date],
) -> None:
    tz, spring, fall = dst
    for change in (spring, fall):
        before = resolve_wall_time(datetime.combine(change - timedelta(days=3), time(9)), tz)
        after = same_time_on(before.instant, change + timedelta(days=2), tz)
        assert after.wall == datetime.combine(change + timedelta(days=2), time(9))
        assert after.adjustment is SlotAdjustment.NONE
        # The UTC instants are not 5×24 h apart: the offset changed in between.
        assert after.instant - before.instant != timedelta(days=5)


def test_a_0230_post_moved_onto_the_spring_forward_day_is_set_for_0300_and_says_so(
    dst: tuple[ZoneInfo | None, date, date],
) -> None:
    tz, spring, _ = dst
    earlier = resolve_wall_time(datetime.combine(spring - timedelta(days=7), time(2, 30)), tz)
    moved = same_time_on(earlier.instant, spring, tz)
    assert moved.wall == datetime.combine(spring, time(3))
    assert moved.adjustment is SlotAdjustment.SKIPPED_BY_DST


def test_day_bounds_of_a_dst_week_are_local_midnights(
    dst: tuple[ZoneInfo | None, date, date],
) -> None:
    tz, spring, fall = dst
    for change, hours in ((spring, 23), (fall, 25)):
        start, end = days_bounds(change, change, tz)
        assert (end - start) == timedelta(hours=hours)
        assert wall_clock(start, tz) == datetime.combine(change, time())


@pytest.mark.parametrize(
    ("year", "month", "first_weekday", "first_day"),
    [
        (2026, 11, 0, date(2026, 10, 26)),  # Monday-first: 1 Nov 2026 is a Sunday
        (2026, 11, 6, date(2026, 11, 1)),  # Sunday-first: the grid starts on the 1st
        (2026, 3, 5, date(2026, 2, 28)),  # Saturday-first (some locales)
        (2027, 2, 0, date(2027, 2, 1)),  # 1 Feb 2027 is a Monday
    ],
)
def test_month_grid_is_six_weeks_from_the_locales_first_day(
    year: int, month: int, first_weekday: int, first_day: date
) -> None:
    days = month_grid(year, month, first_weekday)
    assert len(days) == GRID_DAYS == 42
    assert days[0] == first_day
    assert days[0].weekday() == first_weekday
    assert all(b - a == timedelta(days=1) for a, b in pairwise(days))
    month_days = [d for d in days if d.month == month]
    assert month_days[0].day == 1 and (month_days[-1] + timedelta(days=1)).month != month


def test_month_grid_refuses_a_bad_weekday() -> None:
    with pytest.raises(ValueError, match="first_weekday"):
        month_grid(2026, 1, 7)


def test_shift_month_crosses_years() -> None:
    assert shift_month(2026, 12, 1) == (2027, 1)
    assert shift_month(2026, 1, -1) == (2025, 12)
    assert shift_month(2026, 5, -17) == (2024, 12)


def test_next_quarter_hour_is_at_least_ten_minutes_ahead() -> None:
    at = datetime(2026, 11, 26, 14, 5, tzinfo=UTC)
    assert next_quarter_hour(at) == datetime(2026, 11, 26, 14, 15, tzinfo=UTC)
    assert next_quarter_hour(at + timedelta(seconds=1)) == datetime(
        2026, 11, 26, 14, 30, tzinfo=UTC
    )


class TestDefaultSlot:
    tz = BERLIN
    nine = time(9)

    def _now(self, hour: int, minute: int, day: date = date(2026, 11, 26)) -> datetime:
        return resolve_wall_time(datetime.combine(day, time(hour, minute)), self.tz).instant

    def test_a_future_day_gets_the_default_time(self) -> None:
        slot = default_slot(date(2026, 11, 28), self.nine, self._now(15, 0), self.tz)
        assert slot is not None
        assert slot.wall == datetime(2026, 11, 28, 9, 0)
        assert slot.adjustment is SlotAdjustment.NONE

    def test_today_before_the_default_time_gets_the_default_time(self) -> None:
        slot = default_slot(date(2026, 11, 26), self.nine, self._now(7, 12), self.tz)
        assert slot is not None and slot.wall == datetime(2026, 11, 26, 9, 0)

    def test_today_after_the_default_time_gets_the_next_quarter_hour_and_says_so(self) -> None:
        slot = default_slot(date(2026, 11, 26), self.nine, self._now(14, 7), self.tz)
        assert slot is not None
        assert slot.wall == datetime(2026, 11, 26, 14, 30)
        assert slot.adjustment is SlotAdjustment.NEXT_QUARTER_HOUR
        assert "09:00 has already passed today" in slot.note and "14:30" in slot.note

    def test_less_than_ten_minutes_before_the_default_time_counts_as_passed(self) -> None:
        slot = default_slot(date(2026, 11, 26), self.nine, self._now(8, 55), self.tz)
        assert slot is not None and slot.wall == datetime(2026, 11, 26, 9, 15)

    def test_late_evening_has_no_slot_left_today(self) -> None:
        assert default_slot(date(2026, 11, 26), self.nine, self._now(23, 52), self.tz) is None

    def test_a_past_day_has_no_slot(self) -> None:
        assert default_slot(date(2026, 11, 25), self.nine, self._now(8, 0), self.tz) is None

    def test_a_default_time_inside_the_spring_gap_moves_past_it(self) -> None:
        spring = date(2026, 3, 29)
        slot = default_slot(spring, time(2, 30), self._now(12, 0, date(2026, 3, 20)), self.tz)
        assert slot is not None and slot.wall == datetime(2026, 3, 29, 3, 0)
        assert slot.adjustment is SlotAdjustment.SKIPPED_BY_DST


def test_a_typed_time_skipped_by_dst_moves_to_the_first_valid_time_like_the_calendar() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 02:30 does not exist on 29 March 2026 in Berlin: 03:00 CEST (01:00 UTC), not 01:30 CET.
    assert parse_when("2026-03-29T02:30", berlin) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    # An ambiguous time means its first occurrence (CEST, before the clocks go back).
    assert parse_when("2026-10-25T02:30", berlin) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert parse_when("2026-03-29T02:30+01:00", berlin) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


# --- the ends of the range: 1970 to 9999, in UTC --------------------------------------------------

KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14, the earliest zone
BAKER = ZoneInfo("Etc/GMT+12")  # UTC-12, the latest (POSIX names have the sign reversed)
LAST_MINUTE = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST_INSTANT = datetime(1, 1, 1, tzinfo=UTC)  # only a database edited by hand holds this


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00",
        "0000-01-01T00:00",
        "1969-12-31T23:59:59Z",
        "1970-01-01T13:59+14:00",  # 1969 in UTC
        "10000-01-01T00:00",
        "+10000-01-01",
        "-1",
        "-0001-01-01T00:00",
        "9999-12-31T23:59-14:00",  # 10000 in UTC
        "9999-12-31T23:59-00:01",
    ],
)
def test_dates_outside_1970_to_9999_in_utc_are_refused_in_any_form(text: str) -> None:
    for tz in (UTC, KIRITIMATI, BAKER):
        with pytest.raises(ValidationError, match="between 1970 and 9999") as refused:
            parse_when(text, tz)
        assert repr(text) in str(refused.value)


def test_a_local_time_that_is_past_9999_in_utc_is_refused(zone_mode: str) -> None:
    with system_zone(BAKER.key):
        with pytest.raises(ValidationError, match="between 1970 and 9999"):
            parse_when("9999-12-31T23:59", _tz(BAKER, zone_mode))
        with pytest.raises(ValidationError, match="between 1970 and 9999"):
            resolve_wall_time(datetime(9999, 12, 31, 23, 59), _tz(BAKER, zone_mode))


@pytest.mark.parametrize("zone", [KIRITIMATI, BAKER, ZoneInfo("UTC")])
def test_local_times_at_the_ends_of_python_dates_are_refused_not_crashed(zone: ZoneInfo) -> None:
    with system_zone(zone.key):
        with pytest.raises(ValidationError, match="between 1970 and 9999"):
            localize(datetime(1, 1, 1))
        if zone is not BAKER:  # west of Greenwich 9999's last minute is in 10000 in UTC
            return
        with pytest.raises(ValidationError, match="between 1970 and 9999"):
            localize(datetime(9999, 12, 31, 23, 59))


def test_no_time_at_all_is_refused_in_plain_words() -> None:
    with pytest.raises(ValidationError, match="No date and time given"):
        parse_when("  ")


def test_the_first_and_last_accepted_times_and_the_instants_just_outside() -> None:
    with pytest.raises(ValidationError, match="between 1970 and 9999"):
        parse_when("1969-12-31T23:59:59.999999Z")
    assert parse_when("1970-01-01T00:00Z") == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_when("1970-01-01T14:00+14:00") == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_when("9999-12-31T23:59Z") == LAST_MINUTE
    assert parse_when("9999-12-31T11:59-12:00", KIRITIMATI) == LAST_MINUTE
    assert parse_when("9999-12-31T23:59", UTC) == LAST_MINUTE


@pytest.mark.parametrize("mode", ["explicit", "system"])
def test_instants_with_no_local_time_python_can_hold_are_shown_in_utc(mode: str) -> None:
    with system_zone(KIRITIMATI.key):
        tz = _tz(KIRITIMATI, mode)
        # 9999-12-31 23:59 UTC is 10000-01-01 13:59 in Kiritimati: no datetime holds that.
        assert to_local(LAST_MINUTE, tz) == LAST_MINUTE
        assert wall_clock(LAST_MINUTE, tz) == datetime(9999, 12, 31, 23, 59)
        assert local_day(LAST_MINUTE, tz) == date(9999, 12, 31)
        assert local_minute_text(LAST_MINUTE, tz) == "9999-12-31 23:59 UTC"
        # Kiritimati was UTC-10:40 until 1979; the epoch itself is an ordinary local time.
        assert local_minute_text(EPOCH, tz) == "1969-12-31 13:20"
    with system_zone(BAKER.key):
        tz = _tz(BAKER, mode)
        assert local_minute_text(LAST_MINUTE, tz) == "9999-12-31 11:59"
        assert local_minute_text(EPOCH, tz) == "1969-12-31 12:00"
    for zone in (KIRITIMATI, BAKER):
        with system_zone(zone.key):
            # Python cannot convert the first instant a datetime holds to these zones.
            assert local_minute_text(FIRST_INSTANT, _tz(zone, mode)) == "0001-01-01 00:00 UTC"
