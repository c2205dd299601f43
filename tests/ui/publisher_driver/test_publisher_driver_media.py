"""The window's publisher and the new formats: a video's upload progress reaches every view while
it goes, and a first comment that was not added is told to the user (the post is published)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.types import utc_now
from linkie_desktop.services.posts import Attachments
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.publisher_driver import PublisherDriver
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.services.publisher_media_support import (
    COMMENTS_PATH,
    MediaDesk,
    make_media_desk,
)


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


@pytest.fixture
def hub() -> AppSignals:
    return AppSignals()


@pytest.fixture
def driver(media: MediaDesk, hub: AppSignals) -> Iterator[PublisherDriver]:
    desk = media.desk
    drv = PublisherDriver(desk.engine, hub, desk.config, desk.tokens, desk.user_id, 60.0)
    yield drv
    drv.stop()


def test_a_videos_upload_progress_is_announced_to_the_views(
    qtbot: QtBot, media: MediaDesk, hub: AppSignals, driver: PublisherDriver
) -> None:
    media.server.video_processing_reads = 0
    post_id = media.post(
        "Talk",
        utc_now() + timedelta(minutes=20),  # in its upload window, not due yet
        attachments=Attachments(video=(media.mp4(), "Talk")),
    )
    changes: list[PostsChanged] = []
    hub.posts_changed.connect(changes.append)
    with qtbot.waitSignal(driver.pass_finished, timeout=20_000):
        driver.start()
    progress = [c for c in changes if c.post_ids == (post_id,)]
    assert len(progress) >= 2 and all(c.initiator is driver for c in progress)
    assert media.creates() == []
    [row] = media.media_rows(post_id)
    assert row.uploaded_bytes == row.size_bytes and row.urn is not None


def test_a_first_comment_not_added_is_told_to_the_user(
    qtbot: QtBot, media: MediaDesk, hub: AppSignals, driver: PublisherDriver
) -> None:
    media.post("Big news", utc_now() - timedelta(seconds=1), first_comment="The link")
    media.server.inject("POST", COMMENTS_PATH, 500)
    notes: list[tuple[str, str]] = []
    driver.notice.connect(lambda notice: notes.append((notice.title, notice.body)))
    with qtbot.waitSignal(driver.pass_finished, timeout=20_000):
        driver.start()
    assert notes[0] == ("Published: Big news", "It is on LinkedIn now.")
    assert notes[1][0] == "First comment not added: Big news"
    assert "HTTP 500" in notes[1][1] and "Retry comment" in notes[1][1]
