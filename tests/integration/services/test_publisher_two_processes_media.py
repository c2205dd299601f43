"""Two publishers on one database file (the window's and `linkie publish-due`, here two engines
in two threads, each with its own connections, as two processes have): over posts with media,
no asset is uploaded twice, no post created twice, no first comment sent twice — also while one
of them is in the middle of an upload when the other runs a whole pass."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import make_engine
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments
from linkie_desktop.services.publisher import run_once
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW
from tests.integration.services.publisher_media_support import (
    COMMENTS_PATH,
    MediaDesk,
    make_media_desk,
)


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


def _wait_for(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    give_up = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < give_up, "timed out waiting"
        time.sleep(0.01)


def _overlapping_passes(media: MediaDesk, engines: list[Engine], at: datetime) -> None:
    """The first engine's pass starts and is held in the middle of an upload (LinkedIn's answer
    to its first PUT comes late); the second engine's whole pass runs meanwhile."""
    media.server.inject("PUT", "/upload/*", delay_s=1.0)
    puts = len(media.server.requests_to("PUT", "/upload/*"))
    errors: list[BaseException] = []

    def first() -> None:
        try:
            run_once(engines[0], media.desk.tokens, media.desk.config, now=at)
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        _wait_for(lambda: len(media.server.requests_to("PUT", "/upload/*")) > puts)
        run_once(engines[1], media.desk.tokens, media.desk.config, now=at)
    finally:
        thread.join(timeout=60)
    assert not errors, errors


def test_two_publishers_never_upload_an_asset_or_create_a_post_twice(
    media: MediaDesk, db_url: str
) -> None:
    media.server.video_processing_reads = 0
    images = Attachments(images=[(media.png(f"i{n}.png", 20 + n, 10), None) for n in range(3)])
    posts = [
        media.post("Photos", attachments=images),
        media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk"))),
        media.post(
            "Deck",
            attachments=Attachments(document=(media.pdf(), "Deck")),
            first_comment="Slides: see above",
        ),
        media.post(
            "Soon",
            NOW + timedelta(minutes=15),
            attachments=Attachments(images=[(media.png("s.png"), None)]),
        ),
    ]
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        _overlapping_passes(media, engines, NOW)
        for at in (NOW + timedelta(minutes=1), NOW + timedelta(minutes=15)):
            for engine in (*engines, *reversed(engines)):
                run_once(engine, media.desk.tokens, media.desk.config, now=at)
    finally:
        for engine in engines:
            engine.dispose()

    assert len(media.uploads_started()) == 3 + 1 + 1 + 1  # each asset once
    assert len(media.server.images) == 4 and len(media.server.videos) == 1
    assert len(media.creates()) == len(media.server.posts) == 4
    assert len(media.server.requests_to("POST", COMMENTS_PATH)) == 1
    assert [media.row(p).status for p in posts] == [PostStatus.PUBLISHED] * 4
