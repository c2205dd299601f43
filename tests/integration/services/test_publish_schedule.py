"""When `linkie serve` runs a pass (services/publish_schedule.py): the window's rules on clocks
the test moves by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from linkie_desktop.services.publish_schedule import (
    CHANGE_SETTLE_S,
    DUE_SLACK_S,
    PassSchedule,
    Reason,
    due_wait_s,
    slept,
)

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Clocks:
    """Monotonic, wall and UTC time; `sleep` moves the wall clock only, as a suspend does."""

    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = 5000.0

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds

    def sleep(self, seconds: float) -> None:
        self.wall += seconds

    def utc(self) -> datetime:
        return START + timedelta(seconds=self.wall - 5000.0)

    def schedule(self, interval_s: float = 30.0) -> PassSchedule:
        return PassSchedule(
            interval_s, monotonic=lambda: self.mono, wall=lambda: self.wall, utc_now=self.utc
        )


def test_the_first_pass_runs_at_start_then_every_tick() -> None:
    clocks = Clocks()
    schedule = clocks.schedule()
    assert schedule.take() is Reason.START
    schedule.pass_done(None)
    assert schedule.take() is None
    assert schedule.wait_s() == 30.0
    clocks.advance(29.9)
    assert schedule.take() is None
    clocks.advance(0.1)
    assert schedule.take() is Reason.TICK
    assert schedule.take() is None  # used up


def test_a_due_post_is_taken_just_after_its_second_and_not_before() -> None:
    clocks = Clocks()
    schedule = clocks.schedule()
    schedule.take()
    schedule.pass_done(START + timedelta(seconds=2))
    assert schedule.wait_s() == pytest.approx(2.0 + DUE_SLACK_S)
    clocks.advance(2.0)
    assert schedule.take() is None
    clocks.advance(DUE_SLACK_S)
    assert schedule.take() is Reason.DUE
    assert schedule.next_due_at is None  # the pass says when the next one is


def test_changes_in_a_burst_make_one_pass_after_they_settle() -> None:
    clocks = Clocks()
    schedule = clocks.schedule()
    schedule.take()
    schedule.pass_done(None)
    schedule.changed()
    clocks.advance(CHANGE_SETTLE_S / 2)
    schedule.changed()  # still coming: the pass waits for the last of them
    assert schedule.wait_s() == pytest.approx(CHANGE_SETTLE_S)
    clocks.advance(CHANGE_SETTLE_S / 2)
    assert schedule.take() is None
    clocks.advance(CHANGE_SETTLE_S / 2)
    assert schedule.take() is Reason.CHANGE
    assert schedule.take() is None


def test_a_wake_from_sleep_runs_a_pass_at_once() -> None:
    clocks = Clocks()
    schedule = clocks.schedule()
    schedule.take()
    schedule.pass_done(START + timedelta(hours=1))
    clocks.sleep(3600)  # the monotonic clock stood still; the post is due by the wall clock
    clocks.advance(1.0)
    assert schedule.take() is Reason.WOKE


def test_the_window_shares_the_due_and_wake_rules() -> None:
    assert due_wait_s(None, START) is None
    assert due_wait_s(START - timedelta(seconds=5), START) == 0.0
    assert due_wait_s(START + timedelta(seconds=1), START) == 1.0 + DUE_SLACK_S
    assert due_wait_s(START + timedelta(days=400), START) == (2**31 - 1) / 1000
    assert not slept(100.0, 135.0, 30.0)
    assert slept(100.0, 141.0, 30.0)
