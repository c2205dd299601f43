"""The window's publisher (the real driver, in this process) and `linkie serve` (a real child
process) on one database over 50 due posts: the claims send each post to LinkedIn exactly once,
while both of them publish."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import Outcome, PassResult, keyring_tokens
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.publisher_driver import PublisherDriver
from tests.integration.cli.serve_support import (
    running,
    sealed_desk,
    start_serve,
    stop,
    wait_for,
)
from tests.integration.publisher_support import POSTS_PATH, Desk

__all__ = ["sealed_desk"]  # the fixture, used by name

POSTS = 50


@pytest.fixture
def driver(sealed_desk: Desk) -> Iterator[PublisherDriver]:
    # The window's own token provider: the sealed token, opened with the key in the keyring the
    # child process shares.
    desk = sealed_desk
    drv = PublisherDriver(
        desk.engine, AppSignals(), desk.config, keyring_tokens(), desk.user_id, 600.0
    )
    yield drv
    drv.stop()


def test_the_window_and_linkie_serve_together_send_each_of_50_posts_once(
    qtbot: QtBot, sealed_desk: Desk, driver: PublisherDriver, db_path: Path
) -> None:
    desk = sealed_desk
    ids = {desk.due_post(f"Post {n}", at=utc_now() - timedelta(minutes=1)) for n in range(POSTS)}
    # Each answer a little late, so the two publishers' passes overlap over the whole batch.
    desk.server.inject("POST", POSTS_PATH, delay_s=0.1, times=POSTS)
    by_window: list[str] = []

    def heard(result: PassResult) -> None:
        by_window.extend(r.post_id for r in result.results if r.outcome is Outcome.PUBLISHED)

    driver.pass_finished.connect(heard)
    child = start_serve(desk, db_path)
    wait_for(lambda: running(desk.engine, child), child)  # its start-up pass begins now
    driver.start()
    qtbot.waitUntil(
        lambda: all(desk.post(i).status == PostStatus.PUBLISHED for i in ids), timeout=120_000
    )
    qtbot.waitUntil(lambda: not driver.is_running, timeout=60_000)
    stop(child)

    sent = [r.json()["commentary"] for r in desk.server.requests_to("POST", POSTS_PATH)]
    assert sorted(sent) == sorted(f"Post {n}" for n in range(POSTS))  # each once, none twice
    assert len(desk.server.posts) == POSTS
    assert len(set(by_window)) == len(by_window)
    assert 0 < len(by_window) < POSTS  # both publishers took part
