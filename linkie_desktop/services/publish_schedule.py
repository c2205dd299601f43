"""When the publisher runs its next pass (no Qt): the one timing rule of the window and `serve`.

A pass runs at start, on every tick (`LINKIE_PUBLISH_INTERVAL_S`), when the next post falls due
(at most about a second late: stored times are whole seconds, so the wake-up is armed a little
after the due second), shortly after a change made elsewhere (changes come in bursts: one pass
after the last of them), and at once after the computer slept (a timer's clock stops during
sleep; the wall clock does not). A pass is what decides what is due and when the next one is.

The window turns these rules into QTimers (ui/publisher_driver.py); `linkie serve`, which has no
event loop, asks a `PassSchedule` when to run and how long it may sleep (services/serve.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

# A tick later than this beyond its interval means the computer slept.
WAKE_SLACK_S = 10.0
# The due wake-up comes this long after the due second: stored times are whole seconds.
DUE_SLACK_S = 0.15
# One pass after the last change of a burst (a bulk edit, typing).
CHANGE_SETTLE_S = 0.2
# The longest wait a timer can hold (a QTimer's int milliseconds).
MAX_WAIT_S = (2**31 - 1) / 1000


def due_wait_s(next_due_at: datetime | None, now: datetime) -> float | None:
    """Seconds from `now` until the pass for the post due at `next_due_at`; None: none due."""
    if next_due_at is None:
        return None
    return min(max((next_due_at - now).total_seconds() + DUE_SLACK_S, 0.0), MAX_WAIT_S)


def slept(last_tick_wall: float, now_wall: float, interval_s: float) -> bool:
    """True when a tick came so late after the last one that the computer must have slept."""
    return now_wall - last_tick_wall > interval_s + WAKE_SLACK_S


class Reason(StrEnum):
    """Why a pass runs now: said in `linkie serve`'s log."""

    START = "start"
    TICK = "tick"
    DUE = "due"
    CHANGE = "change"
    WOKE = "woke"


class PassSchedule:
    """The same rules for a loop without timers: `take()` says whether a pass is wanted now, and
    `wait_s()` how long the loop may sleep until one might be.

    The due instant is kept as wall-clock time and compared with the wall clock: the monotonic
    clock stops while the computer sleeps, so a monotonic deadline would come late after a wake.
    """

    def __init__(
        self,
        interval_s: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        utc_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.interval_s = interval_s
        self._monotonic = monotonic
        self._wall = wall
        self._utc_now = utc_now
        self._next_tick = monotonic() + interval_s
        self._last_look_wall = wall()
        self._last_look_monotonic = monotonic()
        self._due_at: datetime | None = None
        self._asked: tuple[float, Reason] | None = (monotonic(), Reason.START)

    @property
    def next_due_at(self) -> datetime | None:
        return self._due_at

    def changed(self) -> None:
        """Something changed elsewhere: a pass once the burst has settled (after its last
        change, as the window's settle timer restarts on each)."""
        if self._asked is None or self._asked[1] is Reason.CHANGE:
            self._asked = (self._monotonic() + CHANGE_SETTLE_S, Reason.CHANGE)

    def pass_done(self, next_due_at: datetime | None) -> None:
        """A pass ended and said when the next post is due."""
        self._due_at = next_due_at

    def take(self) -> Reason | None:
        """Why a pass should run now, or None; a reason taken is used up."""
        now = self._monotonic()
        wall = self._wall()
        # The wall clock ran on while the monotonic one stood still: the computer slept.
        drift = (wall - self._last_look_wall) - (now - self._last_look_monotonic)
        woke = drift > WAKE_SLACK_S
        self._last_look_wall, self._last_look_monotonic = wall, now
        reason: Reason | None = None
        if self._asked is not None and self._asked[0] <= now:
            reason = self._asked[1]
        wait = due_wait_s(self._due_at, self._utc_now())
        if reason is None and wait is not None and wait <= 0:
            reason = Reason.DUE
        if now >= self._next_tick:
            self._next_tick = now + self.interval_s
            reason = reason or Reason.TICK
        if woke:
            reason = Reason.WOKE
        if reason is not None:
            self._asked = None
            self._due_at = None  # the pass says when the next one is
        return reason

    def wait_s(self) -> float:
        """How long the loop may sleep before `take()` could say yes (0: at once)."""
        now = self._monotonic()
        waits = [self._next_tick - now]
        if self._asked is not None:
            waits.append(self._asked[0] - now)
        due = due_wait_s(self._due_at, self._utc_now())
        if due is not None:
            waits.append(due)
        return max(min(waits), 0.0)
