"""Publishers' heartbeats (services/presence.py) on a real database file, with real processes
for "alive" and "gone"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import PublisherPresence
from linkie_desktop.services.presence import Heartbeat, Kind, active

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TICK_S = 30.0


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield child
    child.kill()
    child.wait()


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _rows(engine: Engine) -> list[PublisherPresence]:
    with reading(engine) as session:
        return list(session.scalars(select(PublisherPresence)))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_a_heartbeat_is_written_about_once_a_tick_however_often_it_is_asked(
    engine: Engine,
) -> None:
    clock = Clock()
    beat = Heartbeat(engine, Kind.SERVE, TICK_S, clock=clock)
    assert beat.beat()
    clock.now += timedelta(seconds=5)
    assert not beat.beat()  # a pass right after another: no commit to wake the others
    clock.now += timedelta(seconds=TICK_S)
    assert beat.beat()
    [row] = _rows(engine)
    assert (row.kind, row.pid, row.started_at, row.seen_at) == (
        "serve",
        beat.pid,
        NOW,
        clock.now,
    )
    beat.end()
    assert _rows(engine) == []


def test_a_publisher_counts_as_active_for_two_ticks_after_its_last_heartbeat(
    engine: Engine, other_process: subprocess.Popen[bytes]
) -> None:
    Heartbeat(engine, Kind.SERVE, TICK_S, clock=lambda: NOW, pid=other_process.pid).beat()
    Heartbeat(engine, Kind.WINDOW, TICK_S, clock=lambda: NOW).beat()
    [seen] = active(engine, Kind.SERVE, TICK_S, now=NOW + timedelta(seconds=2 * TICK_S))
    assert seen.pid == other_process.pid and seen.kind is Kind.SERVE
    assert active(engine, Kind.SERVE, TICK_S, now=NOW + timedelta(seconds=2 * TICK_S + 1)) == []


def test_a_row_of_a_process_gone_from_this_computer_is_not_active_and_is_cleaned(
    engine: Engine,
) -> None:
    gone = _gone_pid()
    Heartbeat(engine, Kind.SERVE, TICK_S, clock=lambda: NOW, pid=gone).beat()
    assert active(engine, Kind.SERVE, TICK_S, now=NOW) == []
    Heartbeat(engine, Kind.WINDOW, TICK_S, clock=lambda: NOW).beat()  # the next writer cleans
    assert [row.kind for row in _rows(engine)] == ["window"]


def test_a_row_cleaned_away_by_another_process_is_written_again(engine: Engine) -> None:
    clock = Clock()
    beat = Heartbeat(engine, Kind.SERVE, TICK_S, clock=clock)
    beat.beat()
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM publisher_presence")
    clock.now += timedelta(seconds=TICK_S)
    assert beat.beat()
    [row] = _rows(engine)
    assert row.started_at == NOW and row.seen_at == clock.now
