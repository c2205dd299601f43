"""Media go up ahead of the post's time and only once: the uploads a pass makes 30 minutes before,
the one create request at the time, failures retried without a post, a retry after a failed
create reusing the URNs, and a video PROCESSING across passes or failing for good."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import MAX_RETRIES
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments
from linkie_desktop.services.publisher import Outcome, run_once
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW
from tests.integration.services.publisher_media_support import MediaDesk, make_media_desk


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


def _two_images(media: MediaDesk) -> Attachments:
    return Attachments(images=[(media.png("a.png"), "A"), (media.png("b.png", 50, 20), None)])


def test_a_post_due_in_20_minutes_has_its_media_uploaded_now_and_is_not_created(
    media: MediaDesk,
) -> None:
    post_id = media.post("Soon", NOW + timedelta(minutes=20), attachments=_two_images(media))
    result = media.run()
    assert result.results == [] and result.uploaded_post_ids == [post_id]
    assert post_id in result.changed_post_ids  # the views show the uploads done
    rows = media.media_rows(post_id)
    assert all(r.urn in media.server.images for r in rows)
    assert media.creates() == []
    post = media.row(post_id)
    assert (post.status, post.retry_count, post.upload_claimed_at) == (
        PostStatus.SCHEDULED,
        0,
        None,
    )
    assert result.next_due_at == NOW + timedelta(minutes=20)

    uploaded = len(media.server.requests)
    [published] = media.run(NOW + timedelta(minutes=20)).results
    assert published.outcome is Outcome.PUBLISHED
    later = media.server.requests[uploaded:]
    assert [(r.method, r.path) for r in later] == [("POST", "/rest/posts")]


def test_a_post_due_in_40_minutes_is_left_alone_until_its_upload_window(media: MediaDesk) -> None:
    post_id = media.post("Later", NOW + timedelta(minutes=40), attachments=_two_images(media))
    result = media.run()
    assert media.server.requests == [] and result.uploaded_post_ids == []
    assert result.next_due_at == NOW + timedelta(minutes=10)  # when its uploads may start
    media.run(NOW + timedelta(minutes=10))
    assert len(media.uploads_started()) == 2 and media.creates() == []
    assert all(r.urn for r in media.media_rows(post_id))


def test_a_500_on_a_video_part_is_retried_without_a_post_then_published_once(
    media: MediaDesk,
) -> None:
    media.server.video_processing_reads = 0
    post_id = media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk")))
    media.server.inject("PUT", "/upload/video/*", 500)
    [retry] = media.run().results
    assert retry.outcome is Outcome.RETRY and "part 1 of 3" in retry.detail
    assert media.creates() == []
    post = media.row(post_id)
    assert (post.status, post.retry_count) == (PostStatus.SCHEDULED, 1)
    assert post.next_attempt_at == NOW + timedelta(seconds=60)
    [row] = media.media_rows(post_id)
    assert row.urn is None and row.upload_error is not None and "HTTP 500" in row.upload_error

    assert media.run(NOW + timedelta(seconds=59)).results == []  # the backoff holds
    [published] = media.run(NOW + timedelta(seconds=60)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.creates()) == 1 and len(media.server.posts) == 1
    [row] = media.media_rows(post_id)
    assert row.upload_error is None and media.row(post_id).error_message is None


def test_an_expired_upload_url_is_retried_with_a_fresh_one(media: MediaDesk) -> None:
    post_id = media.post("Doc", attachments=Attachments(document=(media.pdf(), "Deck")))
    media.server.upload_url_lifetime_s = 0.0  # every upload URL has expired when it is used
    [retry] = media.run().results
    assert retry.outcome is Outcome.RETRY and "expired" in retry.detail
    assert media.creates() == []
    media.server.upload_url_lifetime_s = 3600.0
    [published] = media.run(NOW + timedelta(minutes=2)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.uploads_started()) == 2 and len(media.creates()) == 1
    assert media.row(post_id).status == PostStatus.PUBLISHED


def test_a_429_on_an_upload_waits_for_retry_after(media: MediaDesk) -> None:
    post_id = media.post("Photo", attachments=_two_images(media))
    media.server.inject("POST", "/rest/images", 429, retry_after=900)
    [retry] = media.run().results
    assert retry.outcome is Outcome.RETRY
    assert media.row(post_id).next_attempt_at == NOW + timedelta(seconds=900)


def test_uploads_that_keep_failing_fail_the_post_after_the_last_attempt(media: MediaDesk) -> None:
    post_id = media.post("Photo", attachments=_two_images(media))
    media.server.inject("POST", "/rest/images", 503, times=MAX_RETRIES)
    at = NOW
    for _ in range(MAX_RETRIES):
        [result] = media.run(at).results
        at += timedelta(hours=1)
    assert result.outcome is Outcome.FAILED
    assert result.detail.startswith(f"Not published after {MAX_RETRIES} attempts")
    assert media.creates() == [] and media.row(post_id).status == PostStatus.FAILED


def test_a_retry_after_a_failed_create_reuses_the_stored_urns(media: MediaDesk) -> None:
    post_id = media.post("Photos", attachments=_two_images(media))
    media.server.inject("POST", "/rest/posts", 502)
    [retry] = media.run().results
    assert retry.outcome is Outcome.RETRY
    urns = [r.urn for r in media.media_rows(post_id)]
    [published] = media.run(NOW + timedelta(minutes=1)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.uploads_started()) == 2  # no second upload
    [_, second] = media.creates()
    ids = [i["id"] for i in second.json()["content"]["multiImage"]["images"]]
    assert ids == urns


def test_a_failed_post_retried_by_the_user_reuses_its_urns(media: MediaDesk) -> None:
    post_id = media.post("Deck", attachments=Attachments(document=(media.pdf(), "Deck")))
    media.server.inject("POST", "/rest/posts", 422, body={"message": "Nope", "status": 422})
    [failed] = media.run().results
    assert failed.outcome is Outcome.FAILED
    media.service.retry(post_id)  # due at once by the real clock, as the window's Retry is
    [published] = media.run(utc_now() + timedelta(seconds=1)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.uploads_started()) == 1 and len(media.creates()) == 2


def test_a_video_still_processing_is_looked_at_again_next_pass(media: MediaDesk) -> None:
    media.server.video_processing_reads = 1  # the first status read says PROCESSING
    post_id = media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk")))
    first = media.run()
    [waiting] = first.results
    assert waiting.outcome is Outcome.RETRY and "processing" in waiting.detail
    [row] = media.media_rows(post_id)
    assert row.urn in media.server.videos  # stored: the next pass uploads nothing
    post = media.row(post_id)
    assert (post.status, post.retry_count) == (PostStatus.SCHEDULED, 0)  # no attempt counted
    assert first.next_due_at == NOW + timedelta(seconds=30)
    assert media.creates() == []

    [published] = media.run(NOW + timedelta(seconds=30)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.uploads_started()) == 1 and len(media.creates()) == 1
    assert media.creates()[0].json()["content"]["media"]["id"] == row.urn


def test_a_video_processed_ahead_of_time_leaves_no_waiting_words_on_the_post(
    media: MediaDesk,
) -> None:
    media.server.video_processing_reads = 1
    at = NOW + timedelta(minutes=20)
    post_id = media.post("Talk", at, attachments=Attachments(video=(media.mp4(), "Talk")))
    media.run()
    assert "processing" in (media.row(post_id).error_message or "")
    assert media.run(NOW + timedelta(seconds=30)).uploaded_post_ids == [post_id]  # AVAILABLE now
    post = media.row(post_id)
    assert (post.status, post.error_message) == (PostStatus.SCHEDULED, None)
    assert media.creates() == []


def test_a_video_linkedin_could_not_process_fails_the_post_and_creates_nothing(
    media: MediaDesk,
) -> None:
    media.server.video_processing_reads = 0
    media.server.video_outcome = "PROCESSING_FAILED"
    post_id = media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk")))
    [failed] = media.run().results
    assert failed.outcome is Outcome.FAILED
    assert "could not process the video" in failed.detail and "nothing was posted" in failed.detail
    post = media.row(post_id)
    assert (post.status, post.error_message) == (PostStatus.FAILED, failed.detail)
    assert media.creates() == []
    [row] = media.media_rows(post_id)
    assert row.urn is None  # a Retry uploads the file afresh
    assert row.upload_error is not None and "could not process" in row.upload_error
    assert media.run(NOW + timedelta(hours=1)).results == []
    assert media.creates() == []


def test_a_missing_file_fails_the_post_before_any_request(media: MediaDesk) -> None:
    post_id = media.post("Deck", attachments=Attachments(document=(media.pdf(), "Deck")))
    [row] = media.media_rows(post_id)
    (media.media_dir / row.path).unlink()
    [failed] = media.run().results
    assert (
        failed.outcome is Outcome.FAILED and "no longer in Linkie's media folder" in failed.detail
    )
    assert media.server.requests == []


def test_upload_progress_is_recorded_as_the_bytes_go(media: MediaDesk) -> None:
    media.server.video_processing_reads = 0
    heard: list[str] = []
    post_id = media.post("Talk", attachments=Attachments(video=(media.mp4(), "Talk")))
    run_once(
        media.engine, media.desk.tokens, media.desk.config, now=NOW, on_upload_progress=heard.append
    )
    # 8 MiB in 256 KB slices: written at most every 5 % (and at the end), never per slice.
    assert 2 <= len(heard) <= 21 and set(heard) == {post_id}
    [row] = media.media_rows(post_id)
    assert row.uploaded_bytes == row.size_bytes
