"""The publisher driver under pytest-qt: passes in a worker, timers fire them, signals report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import Outcome, PassResult
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.publisher_driver import PublisherDriver
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import POSTS_PATH, Desk, make_desk


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


@pytest.fixture
def hub() -> AppSignals:
    return AppSignals()


def _driver(desk: Desk, hub: AppSignals, interval_s: float = 60.0) -> PublisherDriver:
    return PublisherDriver(desk.engine, hub, desk.config, desk.tokens, desk.user_id, interval_s)


@pytest.fixture
def driver(desk: Desk, hub: AppSignals) -> Iterator[PublisherDriver]:
    drv = _driver(desk, hub)
    yield drv
    drv.stop()


def _published(result: PassResult) -> list[str]:
    return [r.post_id for r in result.results if r.outcome is Outcome.PUBLISHED]


def test_start_up_pass_publishes_and_tells_every_view(
    qtbot: QtBot, desk: Desk, hub: AppSignals, driver: PublisherDriver
) -> None:
    post_id = desk.due_post("Due while closed", at=utc_now() - timedelta(minutes=2))
    with (
        qtbot.waitSignal(hub.posts_changed) as changed,
        qtbot.waitSignal(driver.notice) as notified,
        qtbot.waitSignal(driver.pass_finished),
    ):
        driver.start()
    assert changed.args[0].post_ids == (post_id,)
    assert changed.args[0].initiator is driver
    [notice] = notified.args
    assert (notice.title, notice.body) == ("Published: Due while closed", "It is on LinkedIn now.")
    assert notice.post_id == post_id and notice.post_urn == desk.post(post_id).linkedin_post_urn
    assert desk.post(post_id).status == PostStatus.PUBLISHED


def test_the_tick_timer_runs_passes(qtbot: QtBot, desk: Desk, hub: AppSignals) -> None:
    driver = _driver(desk, hub, interval_s=0.2)
    try:
        with qtbot.waitSignal(driver.pass_finished):
            driver.start()
        post_id = desk.due_post("Picked up by a tick", at=utc_now() - timedelta(seconds=1))
        with qtbot.waitSignal(driver.pass_finished, check_params_cb=lambda r: bool(_published(r))):
            pass  # no call: only the named 30-second-style timer can start this pass
        assert desk.post(post_id).status == PostStatus.PUBLISHED
        assert driver.findChild(QTimer, "publisher-tick-timer") is not None
    finally:
        driver.stop()


def test_single_shot_timer_sends_the_next_post_when_it_falls_due(
    qtbot: QtBot, desk: Desk, driver: PublisherDriver
) -> None:
    post_id = desk.due_post("On time", at=utc_now() + timedelta(seconds=2))
    with qtbot.waitSignal(driver.pass_finished) as first:
        driver.start()
    assert first.args is not None and _published(first.args[0]) == []
    assert driver.next_due_at == desk.post(post_id).scheduled_at
    with qtbot.waitSignal(
        driver.pass_finished, timeout=10_000, check_params_cb=lambda r: bool(_published(r))
    ):
        pass  # the tick is a minute away: the single-shot due timer runs this pass
    assert desk.post(post_id).status == PostStatus.PUBLISHED


def test_publish_now_sends_a_draft_at_once(
    qtbot: QtBot, desk: Desk, hub: AppSignals, driver: PublisherDriver
) -> None:
    draft = desk.due_post("Right now", status=PostStatus.DRAFT, scheduled_at=None)
    with qtbot.waitSignal(driver.pass_finished, check_params_cb=lambda r: _published(r) == [draft]):
        driver.publish_now(draft, on_refused=pytest.fail)
    assert desk.server.posts[0].commentary == "Right now"


def test_failure_notifies_with_the_reason(
    qtbot: QtBot, desk: Desk, hub: AppSignals, driver: PublisherDriver
) -> None:
    desk.server.inject("POST", POSTS_PATH, 403, body={"message": "no", "status": 403})
    desk.due_post("Refused", at=utc_now())
    with qtbot.waitSignal(driver.notice) as notified:
        driver.run_pass()
    assert notified.args is not None
    [notice] = notified.args
    assert notice.title == "Failed: Refused" and "w_member_social" in notice.body
    assert notice.failure


def test_expired_connection_signals_connection_changed(
    qtbot: QtBot, desk: Desk, hub: AppSignals, driver: PublisherDriver
) -> None:
    desk.server.revoke_token(desk.token)
    desk.due_post("Waits", at=utc_now())
    with qtbot.waitSignal(hub.connection_changed):
        driver.run_pass()


def test_the_event_loop_keeps_running_while_linkedin_is_slow(
    qtbot: QtBot, desk: Desk, driver: PublisherDriver
) -> None:
    desk.server.inject("POST", POSTS_PATH, delay_s=3.0)
    desk.due_post("Slow server", at=utc_now())
    beats: list[int] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: beats.append(1))
    heartbeat.start()
    try:
        with qtbot.waitSignal(driver.pass_finished, timeout=15_000):
            assert driver.run_pass()
            assert driver.is_running and not driver.run_pass()  # never two passes at once
            qtbot.waitUntil(lambda: len(beats) >= 10)
            assert driver.is_running  # the UI thread ticked while the pass was still waiting
    finally:
        heartbeat.stop()
    assert len(desk.server.requests_to("POST", POSTS_PATH)) == 1


def test_a_jump_of_the_wall_clock_is_taken_as_a_wake_and_runs_a_pass(
    qtbot: QtBot, desk: Desk, hub: AppSignals
) -> None:
    wall = [1_000_000.0]
    driver = PublisherDriver(
        desk.engine, hub, desk.config, desk.tokens, desk.user_id, 0.2, wall_clock=lambda: wall[0]
    )
    try:
        with qtbot.waitSignal(driver.pass_finished):
            driver.start()
        post_id = desk.due_post("After the lid opened", at=utc_now() - timedelta(seconds=1))
        wall[0] += 3600  # an hour of suspend, which QTimer's monotonic clock never saw
        with qtbot.waitSignal(driver.wake_detected), qtbot.waitSignal(driver.pass_finished):
            pass
        assert desk.post(post_id).status == PostStatus.PUBLISHED
    finally:
        driver.stop()
