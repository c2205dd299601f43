"""What the list, the calendar and the composer show about a post's uploads, read back from what
the publisher wrote: progress as it goes, the failure with its retry time, a video processing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import PostMedia
from linkie_desktop.services.posts import Attachments
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW
from tests.integration.services.publisher_media_support import MediaDesk, make_media_desk


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


def _video_post(media: MediaDesk) -> str:
    return media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk")))


def test_a_failed_upload_says_why_and_when_it_is_tried_again(media: MediaDesk) -> None:
    post_id = _video_post(media)
    media.server.inject("PUT", "/upload/video/*", 500)
    media.run()
    [state] = media.service.upload_states([post_id], now=NOW).values()
    assert state.failed
    assert state.text.startswith("Upload failed: Uploading the video (part 1 of 3)")
    assert "HTTP 500" in state.text and state.text.endswith("— will retry at 09:01:00")


def test_an_upload_under_way_shows_its_percentage(media: MediaDesk) -> None:
    post_id = _video_post(media)
    [row] = media.media_rows(post_id)
    with transaction(media.engine) as session:  # as the publisher writes it mid-upload
        stored = session.get(PostMedia, row.id)
        assert stored is not None and stored.size_bytes is not None
        stored.uploaded_bytes = -(-stored.size_bytes * 45 // 100)  # 45 % of it, rounded up
    state = media.service.upload_states([post_id], now=NOW)[post_id]
    assert (state.text, state.percent, state.failed) == ("Uploading video: 45 %", 45, False)


def test_a_video_processing_then_nothing_once_posted(media: MediaDesk) -> None:
    post_id = _video_post(media)
    media.server.video_processing_reads = 1
    media.run()
    state = media.service.upload_states([post_id], now=NOW)[post_id]
    assert state.text == "Waiting for LinkedIn to process the video"
    media.run(NOW + timedelta(seconds=30))
    assert media.service.upload_states([post_id], now=NOW) == {}


def test_posts_without_media_or_not_started_have_no_entry(media: MediaDesk) -> None:
    plain = media.post("Text only")
    later = media.post(
        "Later", NOW + timedelta(hours=2), attachments=Attachments(document=(media.pdf(), "D"))
    )
    assert media.service.upload_states([plain, later], now=NOW) == {}
    assert media.service.upload_states([], now=NOW) == {}
